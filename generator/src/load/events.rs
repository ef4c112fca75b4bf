//! Where serde_yaml's refusals that carry no position are: the start of a
//! second document (read with libyaml, the parser that refused the text), and
//! the anchor whose aliases make a document expand past the limit (from the
//! YAML events of yaml-rust2, as the locator reads the text).

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

/// What libyaml made of the text after the first document, when serde_yaml
/// refused a text for holding "more than one document".
#[derive(Debug, PartialEq, Eq)]
pub enum AfterFirstDocument {
    /// A second document: where it starts (its `---` line, else its first node).
    Document(Position),
    /// Text that starts no document (`"info"meter: 1` is the scalar `info`,
    /// then words that cannot follow it): libyaml's syntax error, and where.
    Invalid(String, Position),
}

/// Reads the text's second document with the parser that refused the text
/// (libyaml, through serde_yaml's document iterator), so that the place is
/// the one that parser saw: its first node, or the syntax error that ended it
/// before it had one. `None` only if libyaml gave neither a node nor an error
/// with a mark, which it does not.
pub fn after_first_document(text: &str) -> Option<AfterFirstDocument> {
    use serde::de::Deserialize;
    let second = serde_yaml::Deserializer::from_str(text).nth(1)?;
    let err = FirstNode::deserialize(second).err()?;
    let location = err.location()?;
    let position = Position {
        line: location.line().max(1),
        column: location.column().max(1),
    };
    let message = err.to_string();
    if message.contains(FIRST_NODE) {
        Some(AfterFirstDocument::Document(marker_before(text, position)))
    } else {
        Some(AfterFirstDocument::Invalid(message, position))
    }
}

/// What [`FirstNode`] expects, named in the error it stops with.
const FIRST_NODE: &str = "the first node of the second document";

/// Fails at the first node it is given, whatever it is.
struct FirstNode;

impl<'de> serde::de::Deserialize<'de> for FirstNode {
    fn deserialize<D: serde::de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Refuse;
        impl serde::de::Visitor<'_> for Refuse {
            type Value = FirstNode;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(FIRST_NODE)
            }
        }
        // Every `visit_*` left out fails with `invalid_type`, whose message
        // ends with `expecting`; serde_yaml places it at the node.
        deserializer.deserialize_any(Refuse)
    }
}

/// The `---` line that opens the document whose first node is at `node`, if
/// only blank and comment lines come between; else `node` itself.
fn marker_before(text: &str, node: Position) -> Position {
    let lines: Vec<&str> = text.lines().take(node.line).collect();
    let is_marker =
        |line: &str| line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
    for (index, line) in lines.iter().enumerate().rev() {
        if is_marker(line) {
            return Position {
                line: index + 1,
                column: 1,
            };
        }
        let content = line.trim();
        let own_line = index + 1 == node.line;
        if !own_line && !content.is_empty() && !content.starts_with('#') {
            break;
        }
    }
    node
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
    fn the_second_document_is_found_at_its_marker_or_its_first_node() {
        let text = "openapi: 3.0.3\npaths: {}\n---\nb: 1\n";
        assert_eq!(
            after_first_document(text),
            Some(AfterFirstDocument::Document(Position {
                line: 3,
                column: 1
            }))
        );
        let text = "a: 1\n---\n# the second\n\n  b: 1\n";
        assert_eq!(
            after_first_document(text),
            Some(AfterFirstDocument::Document(Position {
                line: 2,
                column: 1
            }))
        );
        assert_eq!(after_first_document("a: 1\n"), None);
    }

    #[test]
    fn text_that_cannot_follow_the_first_document_is_a_located_syntax_error() {
        let text = "\n  \"info\"meter overrides\",\n    \"title\": \"t\"\n";
        let Some(AfterFirstDocument::Invalid(message, position)) = after_first_document(text)
        else {
            panic!("not read as a syntax error");
        };
        assert!(message.contains("document start"), "{message}");
        assert_eq!(position, Position { line: 2, column: 9 });
        // libyaml wants `---` before a document that follows `...`.
        let after_end = after_first_document("a: 1\n...\nb: 1\n");
        assert!(
            matches!(
                after_end,
                Some(AfterFirstDocument::Invalid(
                    _,
                    Position { line: 3, column: 1 }
                ))
            ),
            "{after_end:?}"
        );
    }

    #[test]
    fn the_anchor_repeated_most_is_the_busiest() {
        let text = "small: &s [1]\nbig: &b [1, 2, 3, 4, 5]\nuses: [*s, *b, *b]\nmore: [*s]\n";
        assert_eq!(busiest_anchor(text), Some(Position { line: 2, column: 9 }));
        assert_eq!(busiest_anchor("a: &x 1\n"), None);
    }
}
