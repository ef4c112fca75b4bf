//! Finds where a JSON pointer sits in the spec's text, so that a problem found
//! in the parsed document can be shown at its line and column.
//!
//! Positions are looked up only when there is something to report: the parsed
//! document carries none, and keeping them for every node would slow down the
//! common case of a spec without problems.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Diagnostic, Position, escape_segment, join};

/// Fills in `position` and `source_line` of every diagnostic that has a pointer,
/// and `file` of all of them.
pub fn locate(diagnostics: &mut [Diagnostic], file: &str, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let needs_map = diagnostics
        .iter()
        .any(|d| d.position.is_none() && d.pointer.is_some());
    let positions = if needs_map {
        node_positions(text)
    } else {
        HashMap::new()
    };
    for diagnostic in diagnostics.iter_mut() {
        diagnostic.file = Some(file.to_owned());
        if let (None, Some(pointer)) = (diagnostic.position, &diagnostic.pointer) {
            diagnostic.position = nearest(&positions, pointer);
        }
        if let Some(position) = diagnostic.position {
            diagnostic.source_line = lines
                .get(position.line.saturating_sub(1))
                .map(|line| (*line).to_owned());
        }
    }
}

/// The position of the pointer, or of its nearest ancestor present in the text
/// (a missing field is reported at the object that lacks it).
fn nearest(positions: &HashMap<String, Position>, pointer: &str) -> Option<Position> {
    let mut current = pointer;
    loop {
        if let Some(position) = positions.get(current) {
            return Some(*position);
        }
        let cut = current.rfind('/')?;
        current = &current[..cut];
    }
}

/// Maps the JSON pointer of every node to where it starts (a mapping entry's
/// position is that of its key). Text that does not parse yields what was read
/// before the syntax error.
fn node_positions(text: &str) -> HashMap<String, Position> {
    let mut recorder = Recorder::default();
    let mut parser = Parser::new_from_str(text);
    // A syntax error is reported by the loader itself; here it only ends the walk.
    let _ = parser.load(&mut recorder, false);
    recorder.positions
}

enum Frame {
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        next_index: usize,
    },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    positions: HashMap<String, Position>,
}

impl Recorder {
    /// Handles the start of a node; returns the pointer of the node when it is a
    /// value (keys return `None`).
    fn begin_node(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        let position = Position {
            line: mark.line(),
            column: mark.col() + 1,
        };
        match self.stack.last_mut() {
            None => {
                self.positions.entry(String::new()).or_insert(position);
                Some(String::new())
            }
            Some(Frame::Mapping { pointer, key }) => match key.take() {
                None => {
                    let name = scalar.unwrap_or_default().to_owned();
                    let child = join(pointer, &name);
                    self.positions.entry(child).or_insert(position);
                    *key = Some(name);
                    None
                }
                Some(name) => Some(format!("{pointer}/{}", escape_segment(&name))),
            },
            Some(Frame::Sequence {
                pointer,
                next_index,
            }) => {
                let child = format!("{pointer}/{next_index}");
                *next_index += 1;
                self.positions.entry(child.clone()).or_insert(position);
                Some(child)
            }
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.begin_node(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.begin_node(None, mark);
            }
            Event::MappingStart(..) => {
                let pointer = self.begin_node(None, mark).unwrap_or_default();
                self.stack.push(Frame::Mapping { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.begin_node(None, mark).unwrap_or_default();
                self.stack.push(Frame::Sequence {
                    pointer,
                    next_index: 0,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}
