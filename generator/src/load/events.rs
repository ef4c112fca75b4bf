//! Where serde_yaml's refusals that carry no position are, found from the
//! YAML events (yaml-rust2, as the locator reads the text): the start of a
//! second document, and the anchor whose aliases make a document expand past
//! the limit.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::Position;

fn position(mark: Marker) -> Position {
    Position {
        line: mark.line().max(1),
        column: mark.col() + 1,
    }
}

/// Where the second document of a YAML stream starts (its `---`, or its
/// first node when the marker was left out after a `...`).
pub fn second_document(text: &str) -> Option<Position> {
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            Event::DocumentStart => {
                documents += 1;
                if documents == 2 {
                    return Some(position(mark));
                }
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    // libyaml and yaml-rust2 differ on some texts: the first marker line
    // after the first document's text is where the second one starts.
    let mut seen_text = false;
    for (index, line) in text.lines().enumerate() {
        let marker = ["---", "..."].iter().any(|m| {
            line == *m || line.starts_with(&format!("{m} ")) || line.starts_with(&format!("{m}\t"))
        });
        if marker && seen_text {
            return Some(Position {
                line: index + 1,
                column: 1,
            });
        }
        let content = line.trim();
        seen_text |= !content.is_empty() && !content.starts_with('#') && !marker;
    }
    // No marker: a scalar document ended, and a line at the left margin
    // that cannot continue it (`: x` after `openapi`) started another.
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with([' ', '\t', '#']) && !line.trim().is_empty())
        .nth(1)
        .map(|(index, _)| Position {
            line: index + 1,
            column: 1,
        })
}

/// A collection being read: its anchor (0 for none), where it starts, and
/// how many values it expands to so far.
struct Open {
    anchor: usize,
    mark: Marker,
    values: u64,
}

/// The anchored node whose aliases add the most values to the document: where
/// to look when the document expands past the limit.
pub fn busiest_anchor(text: &str) -> Option<Position> {
    let mut parser = Parser::new_from_str(text);
    // Anchor → (where it is, the values it expands to, the values its aliases add).
    let mut anchors: HashMap<usize, (Marker, u64, u64)> = HashMap::new();
    let mut stack: Vec<Open> = Vec::new();
    let add = |stack: &mut Vec<Open>, values: u64| {
        if let Some(parent) = stack.last_mut() {
            parent.values = parent.values.saturating_add(values);
        }
    };
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            Event::Scalar(_, _, anchor, _) => {
                if anchor != 0 {
                    anchors.insert(anchor, (mark, 1, 0));
                }
                add(&mut stack, 1);
            }
            Event::Alias(anchor) => {
                let values = match anchors.get_mut(&anchor) {
                    Some((_, values, added)) => {
                        *added = added.saturating_add(*values);
                        *values
                    }
                    None => 1,
                };
                add(&mut stack, values);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                stack.push(Open {
                    anchor,
                    mark,
                    values: 1,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(done) = stack.pop() {
                    if done.anchor != 0 {
                        anchors.insert(done.anchor, (done.mark, done.values, 0));
                    }
                    add(&mut stack, done.values);
                }
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    anchors
        .into_values()
        .filter(|(_, _, added)| *added > 0)
        .max_by_key(|(mark, _, added)| (*added, std::cmp::Reverse(mark.index())))
        .map(|(mark, _, _)| position(mark))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_document_is_found_at_its_marker() {
        let text = "openapi: 3.0.3\npaths: {}\n---\nb: 1\n";
        assert_eq!(second_document(text), Some(Position { line: 3, column: 1 }));
        assert_eq!(second_document("a: 1\n"), None);
        assert_eq!(
            second_document("openapi\n: x\n"),
            Some(Position { line: 2, column: 1 })
        );
    }

    #[test]
    fn the_anchor_repeated_most_is_the_busiest() {
        let text = "small: &s [1]\nbig: &b [1, 2, 3, 4, 5]\nuses: [*s, *b, *b]\nmore: [*s]\n";
        assert_eq!(busiest_anchor(text), Some(Position { line: 2, column: 9 }));
        assert_eq!(busiest_anchor("a: &x 1\n"), None);
    }
}
