//! Finds where a JSON pointer sits in the spec's text, so that a problem found
//! in the parsed document can be shown at its line and column.
//!
//! Positions are looked up only when there is something to report: the parsed
//! document carries none, and keeping them for every node would slow down the
//! common case of a spec without problems.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Diagnostic, Position, join};

/// The longest line quoted whole under a diagnostic; a longer one (minified
/// JSON is a single line) is quoted around the position only.
const MAX_QUOTED_CHARS: usize = 120;

/// Fills in `position` and `source_line` of every diagnostic that has a pointer,
/// and `file` of all of them.
pub fn locate(diagnostics: &mut [Diagnostic], file: &str, text: &str) {
    let wanted: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.position.is_none())
        .filter_map(|d| d.pointer.as_deref())
        .chain(
            diagnostics
                .iter()
                .flat_map(|d| &d.related)
                .filter(|r| r.position.is_none())
                .map(|r| r.pointer.as_str()),
        )
        .collect();
    let positions = if wanted.is_empty() {
        HashMap::new()
    } else {
        node_positions(text, &wanted)
    };
    let mut lines = Lines::new(text);
    for diagnostic in diagnostics.iter_mut() {
        // One of the settings, not of the spec, keeps its own place.
        if diagnostic.file.is_some() {
            continue;
        }
        diagnostic.file = Some(file.to_owned());
        if let (None, Some(pointer)) = (diagnostic.position, &diagnostic.pointer) {
            diagnostic.position = nearest(&positions, pointer);
            // A problem of the whole document (its top level is not a mapping)
            // is where its text starts, even when that text holds no node.
            if diagnostic.position.is_none() && pointer.is_empty() {
                diagnostic.position = Some(start_of_text(text));
            }
        }
        for related in &mut diagnostic.related {
            if related.position.is_none() {
                related.position = nearest(&positions, &related.pointer);
            }
        }
        if let Some(position) = diagnostic.position {
            let position = lines.past_the_end(position).unwrap_or(position);
            diagnostic.position = Some(position);
        }
        if let Some(position) = diagnostic.position
            && let Some((excerpt, start)) = lines.excerpt(position)
        {
            diagnostic.source_line = Some(excerpt);
            diagnostic.source_start = start;
        }
    }
}

/// The spec's lines, found once, and whether each is ASCII (its columns are
/// then byte offsets), found when first quoted.
struct Lines<'a> {
    lines: Vec<&'a str>,
    ascii: HashMap<usize, bool>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            lines: text.lines().collect(),
            ascii: HashMap::new(),
        }
    }

    /// A parser that runs out of text (an unclosed bracket or quote) reports
    /// the end of the file, often a line that is empty or not there at all:
    /// the end of the last line with text on it is where to look.
    fn past_the_end(&self, position: Position) -> Option<Position> {
        let last = self
            .lines
            .iter()
            .rposition(|line| !line.trim().is_empty())?;
        let length = self.lines[last].chars().count();
        let at_end =
            position.line > last + 1 || (position.line == last + 1 && position.column > length);
        at_end.then_some(Position {
            line: last + 1,
            column: length + 1,
        })
    }

    /// The text to quote for `position` and the column it starts at.
    fn excerpt(&mut self, position: Position) -> Option<(String, usize)> {
        let index = position.line.checked_sub(1)?;
        let line = *self.lines.get(index)?;
        if line.len() <= MAX_QUOTED_CHARS {
            return Some((line.to_owned(), 1));
        }
        let start = position.column.saturating_sub(MAX_QUOTED_CHARS / 2).max(1);
        let ascii = *self.ascii.entry(index).or_insert_with(|| line.is_ascii());
        let rest = if ascii {
            &line[(start - 1).min(line.len())..]
        } else {
            line.char_indices()
                .nth(start - 1)
                .map_or("", |(at, _)| &line[at..])
        };
        let mut excerpt: String = rest.chars().take(MAX_QUOTED_CHARS).collect();
        if excerpt.len() < rest.len() {
            excerpt.push('…');
        }
        Some((excerpt, start))
    }
}

/// The first character of the text that is not blank or a comment, else 1:1.
fn start_of_text(text: &str) -> Position {
    text.lines()
        .enumerate()
        .find_map(|(index, line)| {
            let content = line.trim_start();
            (!content.is_empty() && !content.starts_with('#')).then(|| Position {
                line: index + 1,
                column: line.chars().count() - content.chars().count() + 1,
            })
        })
        .unwrap_or(Position { line: 1, column: 1 })
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

/// Maps the JSON pointers of `wanted` and of their ancestors to where their
/// nodes start (a mapping entry's position is that of its key). Text that does
/// not parse yields what was read before the syntax error.
fn node_positions(text: &str, wanted: &[&str]) -> HashMap<String, Position> {
    let mut recorder = Recorder::default();
    for pointer in wanted {
        if recorder.leaves.insert((*pointer).to_owned()) {
            recorder.unfound += 1;
        }
        let mut current = *pointer;
        while recorder.wanted.insert(current.to_owned()) {
            match current.rfind('/') {
                Some(cut) => current = &current[..cut],
                None => break,
            }
        }
    }
    let (readable, shifts) = without_surrogate_escapes(text);
    let mut parser = Parser::new_from_str(&readable);
    // The walk stops at the last node wanted: a warning near the top of a
    // large spec does not cost a parse of all of it. A syntax error is reported
    // by the loader itself; here it only ends the walk.
    while recorder.unfound > 0
        && let Ok((event, mark)) = parser.next_token()
    {
        if event == Event::StreamEnd {
            break;
        }
        recorder.on_event(event, mark);
    }
    let mut positions = recorder.positions;
    if !shifts.is_empty() {
        for position in positions.values_mut() {
            position.column += shifts
                .iter()
                .filter(|shift| shift.line == position.line && shift.column < position.column)
                .count()
                * SURROGATE_SHIFT;
        }
    }
    positions
}

/// How many characters shorter `\U0001F600` is than `\uD83D\uDE00`.
const SURROGATE_SHIFT: usize = 2;

/// Where an escape was shortened: the line, and the column (from 1, in the
/// shortened text) just past it.
struct Shift {
    line: usize,
    column: usize,
}

/// JSON writes a character outside the Basic Multilingual Plane as a pair of
/// UTF-16 surrogate escapes (`"\ud83d\ude00"`, as Python's `json.dumps`
/// does), which serde_json reads but yaml-rust2 refuses, stopping the walk.
/// The locator reads each pair as the one escape YAML has for it
/// (`\U0001F600`), two characters shorter, and puts the columns back after.
fn without_surrogate_escapes(text: &str) -> (std::borrow::Cow<'_, str>, Vec<Shift>) {
    let has_surrogate = text
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && matches!(w[2], b'd' | b'D'));
    if !has_surrogate {
        return (std::borrow::Cow::Borrowed(text), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut in_string = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string && c == '\\' {
            if let Some((code, len)) = surrogate_pair(rest) {
                out.push_str(&format!("\\U{code:08X}"));
                column += 10;
                shifts.push(Shift { line, column });
                rest = &rest[len..];
                continue;
            }
            // Any other escape, `\\` and `\"` included, is kept as it is.
            let escaped = rest[1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&rest[..1 + escaped]);
            column += 2;
            rest = &rest[1 + escaped..];
            continue;
        }
        match c {
            '"' => in_string = !in_string,
            '\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
        out.push(c);
        column += 1;
        rest = &rest[c.len_utf8()..];
    }
    (std::borrow::Cow::Owned(out), shifts)
}

/// The code point of a surrogate pair of escapes at the start of `text`, and
/// the pair's length in bytes (12).
fn surrogate_pair(text: &str) -> Option<(u32, usize)> {
    let unit = |at: usize| {
        let escape = text.get(at..at + 6)?;
        let hex = escape.strip_prefix("\\u")?;
        u32::from_str_radix(hex, 16).ok()
    };
    let high = unit(0).filter(|u| (0xD800..0xDC00).contains(u))?;
    let low = unit(6).filter(|u| (0xDC00..0xE000).contains(u))?;
    Some((0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), 12))
}

/// A collection being read. `pointer` is `None` inside a node that no
/// diagnostic points into: its descendants are not even named.
enum Frame {
    Mapping {
        pointer: Option<String>,
        /// After a key: the pointer of the value to come (if wanted).
        value: Option<Option<String>>,
    },
    Sequence {
        pointer: Option<String>,
        next_index: usize,
    },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    /// The pointers to locate and all their ancestors.
    wanted: HashSet<String>,
    /// The pointers to locate.
    leaves: HashSet<String>,
    /// How many of `leaves` have no position yet.
    unfound: usize,
    positions: HashMap<String, Position>,
}

impl Recorder {
    /// Handles the start of a node; returns the pointer of the node when it is a
    /// wanted value (keys return `None`).
    fn begin_node(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        let position = Position {
            line: mark.line(),
            column: mark.col() + 1,
        };
        let Recorder {
            stack,
            wanted,
            leaves,
            unfound,
            positions,
        } = self;
        let child_of = |parent: &Option<String>, segment: &str| {
            let child = join(parent.as_deref()?, segment);
            wanted.contains(&child).then_some(child)
        };
        // The first node at a pointer is the one shown (a repeated key is
        // an error of its own).
        let mut record = |pointer: &String| {
            if !positions.contains_key(pointer) {
                positions.insert(pointer.clone(), position);
                if leaves.contains(pointer) {
                    *unfound -= 1;
                }
            }
        };
        match stack.last_mut() {
            None => {
                record(&String::new());
                Some(String::new())
            }
            Some(Frame::Mapping { pointer, value }) => match value.take() {
                None => {
                    let child = child_of(pointer, scalar.unwrap_or_default());
                    if let Some(child) = &child {
                        record(child);
                    }
                    *value = Some(child);
                    None
                }
                Some(child) => child,
            },
            Some(Frame::Sequence {
                pointer,
                next_index,
            }) => {
                let child = child_of(pointer, &next_index.to_string());
                *next_index += 1;
                if let Some(child) = &child {
                    record(child);
                }
                child
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
                let pointer = self.begin_node(None, mark);
                self.stack.push(Frame::Mapping {
                    pointer,
                    value: None,
                });
            }
            Event::SequenceStart(..) => {
                let pointer = self.begin_node(None, mark);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn located(pointer: &str, text: &str) -> Diagnostic {
        let mut diagnostics = vec![Diagnostic::error("problem").at(pointer)];
        locate(&mut diagnostics, "spec.yaml", text);
        diagnostics.pop().expect("one diagnostic")
    }

    #[test]
    fn finds_a_nested_node_and_falls_back_to_the_nearest_ancestor() {
        let text = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      tags: [x, y]\n";
        let tag = located("/paths/~1a/get/tags/1", text);
        assert_eq!(
            tag.position,
            Some(Position {
                line: 5,
                column: 17
            })
        );
        let missing = located("/paths/~1a/get/responses", text);
        assert_eq!(missing.position, Some(Position { line: 4, column: 5 }));
        assert_eq!(missing.source_line.as_deref(), Some("    get:"));
    }

    #[test]
    fn surrogate_pair_escapes_keep_every_position() {
        let text = "{\"a\": \"\\ud83d\\ude00 and \\\\ud83d\", \"b\u{1F600}\": {\"\\ud83d\\ude00\": 1, \"c\": 2}}";
        let emoji = located("/b\u{1F600}/\u{1F600}", text);
        let column = text.find("\"\\ud83d\\ude00\": 1").unwrap() + 1;
        assert_eq!(
            emoji.position,
            Some(Position {
                line: 1,
                column: column - 3
            })
        );
        let after = located("/b\u{1F600}/c", text);
        let column = text.find("\"c\"").unwrap() + 1;
        // Columns count characters: the emoji of the key `b😀` is one, its bytes four.
        assert_eq!(
            after.position,
            Some(Position {
                line: 1,
                column: column - 3
            })
        );
    }

    #[test]
    fn an_error_at_the_end_of_the_file_shows_the_last_line_with_text() {
        let text = "openapi: 3.0.3\ninfo: {title: t\n\n\n";
        let mut diagnostics =
            vec![Diagnostic::error("unclosed").at_position(Position { line: 5, column: 1 })];
        locate(&mut diagnostics, "spec.yaml", text);
        assert_eq!(
            diagnostics[0].position,
            Some(Position {
                line: 2,
                column: 16
            })
        );
        assert_eq!(
            diagnostics[0].source_line.as_deref(),
            Some("info: {title: t")
        );
    }

    #[test]
    fn quotes_a_long_line_around_the_position_only() {
        let filler = format!("\"{}\"", "x".repeat(5_000));
        let text = format!("{{\"a\": {filler}, \"b\": {{\"c\": 1}}, \"d\": {filler}}}");
        let diagnostic = located("/b/c", &text);
        let column = text.find("\"c\"").expect("the key is there") + 1;
        assert_eq!(diagnostic.position, Some(Position { line: 1, column }));
        let excerpt = diagnostic.source_line.clone().expect("a quoted line");
        assert!(excerpt.chars().count() <= MAX_QUOTED_CHARS + 1, "{excerpt}");
        let rendered = diagnostic.to_string();
        let quoted = rendered.lines().nth(3).expect("the quoted line");
        let caret = rendered.lines().nth(4).expect("the caret line");
        let caret_at = caret.chars().position(|c| c == '^').expect("a caret");
        let under: String = quoted.chars().skip(caret_at).take(3).collect();
        assert_eq!(under, "\"c\"", "{rendered}");
    }
}
