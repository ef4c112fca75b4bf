//! Spec text → an untyped JSON document, whatever the text's format.
//!
//! YAML and JSON are told apart by content, not by file name: a document whose
//! first character is `{` or `[` is read as JSON first. Both are read into
//! `serde_json::Value`, the JSON data model that OpenAPI is defined on, so the
//! later stages see one shape. Reading goes through one visitor for both
//! formats, which is where the limits live: nesting depth and the number of
//! values (YAML aliases can make a small text expand without bound) are
//! capped, and integers too large for 64 bits become floats instead of errors.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostic::{Diagnostic, Position};

/// The largest spec text read, in bytes. The largest real specs seen are a
/// few megabytes; past this a mistake (a log file, a binary) is more likely.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// The deepest nesting of mappings and sequences. Real specs stay under 32;
/// the stages after loading walk the document recursively, and a cap well
/// under any stack limit keeps them from overflowing.
pub const MAX_DEPTH: usize = 64;
/// The most values (mapping, sequence or scalar nodes) a document may expand
/// to, aliases included. The largest real specs have about 100 000.
pub const MAX_NODES: usize = 4_000_000;

/// Which syntax the text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        })
    }
}

/// Reads `text` as JSON or YAML into a JSON value.
pub fn parse(text: &str) -> Result<(Value, Format), Box<Diagnostic>> {
    parse_within(text, MAX_NODES)
}

fn parse_within(text: &str, max_nodes: usize) -> Result<(Value, Format), Box<Diagnostic>> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Box::new(
            Diagnostic::error(format!(
                "the spec is {} MiB, more than the {} MiB the generator reads",
                text.len() / (1024 * 1024),
                MAX_TEXT_BYTES / (1024 * 1024)
            ))
            .with_hint("is this the right file?"),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(position) = deep_flow_nesting(text) {
        return Err(Box::new(
            read_error(&Budget::exceeded(Limit::Depth), Format::Yaml, "").at_position(position),
        ));
    }
    let looks_like_json = text.trim_start().starts_with(['{', '[']);
    if looks_like_json {
        match parse_json(text, max_nodes) {
            Ok(value) => Ok((value, Format::Json)),
            // JSON is (almost) a subset of YAML: a document that is not strict
            // JSON may still be YAML flow syntax. The JSON error is the one to
            // report when neither reads it.
            Err(json_error) if json_error.message.starts_with("the spec is not valid") => {
                match parse_yaml(text, max_nodes) {
                    Ok(value) => Ok((value, Format::Yaml)),
                    Err(_) => Err(json_error),
                }
            }
            Err(limit) => Err(limit),
        }
    } else {
        parse_yaml(text, max_nodes).map(|value| (value, Format::Yaml))
    }
}

/// How deep flow collections (`[`, `{`) may nest before the text is refused
/// unread. libyaml's time grows with the square of this depth (100 000
/// brackets take minutes), so it must be checked before libyaml runs. The
/// scan below is a cheap over-approximation; the exact limit, [`MAX_DEPTH`],
/// is applied while reading.
const MAX_FLOW_SCAN_DEPTH: usize = 4 * MAX_DEPTH;

/// Where the flow nesting of `text` first passes [`MAX_FLOW_SCAN_DEPTH`], if it
/// does. A bracket opens a collection only where YAML allows one to start:
/// after `:`, `-`, `?`, `,` or another opening bracket, or first on a line;
/// brackets inside words, quotes or prose mostly follow something else.
fn deep_flow_nesting(text: &str) -> Option<Position> {
    let mut depth = 0usize;
    for (line_index, line) in text.lines().enumerate() {
        // Bytes, not chars: every character the scan looks for is ASCII, and
        // a multi-byte character is judged by its whole char, at its first
        // byte. This runs over every spec before anything else, so it is kept
        // to a few instructions a byte.
        let bytes = line.as_bytes();
        let mut previous = None;
        for (offset, &byte) in bytes.iter().enumerate() {
            match byte {
                b'[' | b'{'
                    if matches!(
                        previous,
                        None | Some(b':' | b'-' | b'?' | b',' | b'[' | b'{')
                    ) =>
                {
                    depth += 1;
                    if depth > MAX_FLOW_SCAN_DEPTH {
                        return Some(Position {
                            line: line_index + 1,
                            column: line[..offset].chars().count() + 1,
                        });
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            let is_whitespace = if byte.is_ascii() {
                // `char::is_whitespace` also counts the vertical tab.
                byte.is_ascii_whitespace() || byte == 0x0b
            } else if is_char_start(byte) {
                line[offset..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
            } else {
                // A continuation byte: its char was judged at its first byte.
                continue;
            };
            if !is_whitespace {
                previous = Some(byte);
            }
        }
    }
    None
}

/// The first byte of a UTF-8 encoded char (not a continuation byte).
fn is_char_start(byte: u8) -> bool {
    byte & 0b1100_0000 != 0b1000_0000
}

fn parse_json(text: &str, max_nodes: usize) -> Result<Value, Box<Diagnostic>> {
    let budget = Budget::new(max_nodes);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // Depth is capped by the visitor, below serde_json's own limit.
    let result = ValueSeed {
        budget: &budget,
        depth: 0,
    }
    .deserialize(&mut deserializer)
    .and_then(|value| deserializer.end().map(|()| value));
    result.map_err(|err| {
        let position = Position {
            line: err.line().max(1),
            column: err.column().max(1),
        };
        Box::new(read_error(&budget, Format::Json, &err.to_string()).at_position(position))
    })
}

fn parse_yaml(text: &str, max_nodes: usize) -> Result<Value, Box<Diagnostic>> {
    let budget = Budget::new(max_nodes);
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let result = ValueSeed {
        budget: &budget,
        depth: 0,
    }
    .deserialize(deserializer);
    result.map_err(|err| {
        let message = err.to_string();
        let diagnostic = read_error(&budget, Format::Yaml, &message);
        // serde_yaml places syntax errors, but not the refusals of a whole
        // document: those are found from the events.
        let position = match err.location() {
            Some(location) => Some(Position {
                line: location.line().max(1),
                column: location.column().max(1),
            }),
            None if message.contains("more than one document") => {
                use super::events::AfterFirstDocument;
                match super::events::after_first_document(text) {
                    Some(AfterFirstDocument::Document(position)) => Some(position),
                    // Not a second document, but text that cannot follow the
                    // first: the syntax error is what to fix.
                    Some(AfterFirstDocument::Invalid(error, position)) => {
                        return Box::new(
                            Diagnostic::error(format!(
                                "the spec is not valid YAML: {}",
                                without_first_position(&error)
                            ))
                            .at_position(position)
                            .with_hint(
                                "the text before this is a whole YAML document by itself \
                                 (a lone scalar, or a collection closed too early); \
                                 is a quote, a colon or a bracket misplaced?",
                            ),
                        );
                    }
                    None => None,
                }
            }
            None if budget.exceeded.get() == Some(Limit::Nodes)
                || message.contains("repetition limit exceeded") =>
            {
                super::events::busiest_anchor(text)
            }
            None => None,
        };
        Box::new(match position {
            Some(position) => diagnostic.at_position(position),
            None => diagnostic,
        })
    })
}

/// The diagnostic for a text that could not be read: a limit, or its syntax.
fn read_error(budget: &Budget, format: Format, error: &str) -> Diagnostic {
    let message = without_first_position(error);
    // serde_yaml caps how often aliases are followed, before any value is built.
    let exceeded = match budget.exceeded.get() {
        None if message.contains("repetition limit exceeded") => Some(Limit::Nodes),
        exceeded => exceeded,
    };
    match exceeded {
        Some(Limit::Depth) => Diagnostic::error(format!(
            "the spec nests mappings and lists more than {MAX_DEPTH} levels deep"
        ))
        .with_hint("no real API needs this much nesting; is the document generated by a loop?"),
        Some(Limit::Nodes) => Diagnostic::error(format!(
            "the spec expands to more than {} values",
            budget.max_nodes
        ))
        .with_hint("YAML aliases (`*name`) that repeat large anchors multiply the document's size"),
        None if message.contains("more than one document") => {
            Diagnostic::error("the spec holds more than one YAML document; the generator reads one")
                .with_hint(
                    "a line `---` starts a new document: remove the second one, or split the file",
                )
        }
        None => Diagnostic::error(format!("the spec is not valid {format}: {message}")),
    }
}

/// Both libraries append the error's position (" at line 3 column 1"), which
/// the diagnostic shows on its own line; a later one (libyaml's "while parsing
/// a flow mapping at line 2 column 7") says where the unfinished part began,
/// and stays.
fn without_first_position(error: &str) -> String {
    let Some(start) = error.find(" at line ") else {
        return error.to_owned();
    };
    let rest = &error[start + " at line ".len()..];
    let digits =
        |text: &str| text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let mut end = start + " at line ".len() + digits(rest);
    if let Some(column) = error[end..].strip_prefix(" column ") {
        end += " column ".len() + digits(column);
    }
    format!("{}{}", &error[..start], &error[end..])
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Depth,
    Nodes,
}

struct Budget {
    max_nodes: usize,
    nodes: Cell<usize>,
    exceeded: Cell<Option<Limit>>,
}

impl Budget {
    fn new(max_nodes: usize) -> Self {
        Self {
            max_nodes,
            nodes: Cell::new(0),
            exceeded: Cell::new(None),
        }
    }

    fn exceeded(limit: Limit) -> Self {
        let budget = Self::new(MAX_NODES);
        budget.exceeded.set(Some(limit));
        budget
    }

    fn take<E: de::Error>(&self) -> Result<(), E> {
        let nodes = self.nodes.get() + 1;
        self.nodes.set(nodes);
        if nodes > self.max_nodes {
            self.exceeded.set(Some(Limit::Nodes));
            return Err(E::custom("too many values"));
        }
        Ok(())
    }
}

/// Reads one value (and, through itself, all values inside it).
#[derive(Clone, Copy)]
struct ValueSeed<'b> {
    budget: &'b Budget,
    depth: usize,
}

impl ValueSeed<'_> {
    fn nested<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            self.budget.exceeded.set(Some(Limit::Depth));
            return Err(E::custom("nested too deeply"));
        }
        Ok(Self {
            budget: self.budget,
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON or YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Number(v.into()))
    }

    // Real specs write bounds such as `minimum: -9223372036854776000` (i64::MIN
    // rounded by a float printer); as floats they keep their meaning.
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.budget.take()?;
        Ok(match i64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.budget.take()?;
        Ok(match u64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => float(v as f64),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.budget.take()?;
        Ok(float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.budget.take()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.budget.take()?;
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.budget.take()?;
        let inner = self.nested()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(inner)?;
            // YAML merge keys (`<<: *base`) are written as plain keys by the
            // parser; OpenAPI documents do not use them, and JSON has none.
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the key `{key}` appears twice in the same mapping"
                )));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    // A YAML tag (`!Thing value`) carries no meaning in OpenAPI: keep the value.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        let (_tag, variant) = data.variant_seed(KeySeed)?;
        variant.newtype_variant_seed(self)
    }
}

/// Non-finite floats (YAML's `.inf`, `.nan`) have no JSON form: the largest
/// finite float keeps the meaning of a bound, NaN means nothing.
fn float(v: f64) -> Value {
    let v = if v.is_infinite() {
        f64::MAX.copysign(v)
    } else {
        v
    };
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Reads a mapping key: any scalar, as the text JSON would use (YAML allows
/// `200:` for a response code, which is the string "200" in JSON).
#[derive(Clone, Copy)]
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean as a mapping key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_yaml_are_told_apart_by_content() {
        let (json, format) = parse(r#"{"openapi": "3.0.3", "n": 200}"#).unwrap();
        assert_eq!(format, Format::Json);
        assert_eq!(json["n"], 200);
        let (yaml, format) = parse("openapi: 3.0.3\nresponses:\n  200: ok\n").unwrap();
        assert_eq!(format, Format::Yaml);
        assert_eq!(yaml["responses"]["200"], "ok");
    }

    #[test]
    fn integers_beyond_64_bits_become_floats() {
        let (value, _) =
            parse("minimum: -9223372036854776000\nmaximum: 99999999999999999999\n").unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9.223372036854776e18));
        assert_eq!(value["maximum"].as_f64(), Some(1e20));
        let (value, _) = parse(r#"{"minimum": -9223372036854776000}"#).unwrap();
        assert_eq!(value["minimum"].as_f64(), Some(-9.223372036854776e18));
    }

    #[test]
    fn nesting_past_the_limit_is_refused_in_both_formats() {
        let deep_json = format!("{}{}", "[".repeat(MAX_DEPTH + 5), "]".repeat(MAX_DEPTH + 5));
        let err = parse(&deep_json).unwrap_err();
        assert!(err.message.contains("levels deep"), "{}", err.message);
        let deep_yaml = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 5),
            "]".repeat(MAX_DEPTH + 5)
        );
        let err = parse(&format!("a: {deep_yaml}")).unwrap_err();
        assert!(err.message.contains("levels deep"), "{}", err.message);
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_libyaml_reads_it() {
        let depth = 200_000;
        let text = format!("a: b\nc: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("levels deep"), "{}", err.message);
        assert_eq!(
            err.position,
            Some(Position {
                line: 2,
                column: 4 + MAX_FLOW_SCAN_DEPTH
            })
        );
        // Brackets in prose do not count.
        let prose = format!("description: {}\n", "see [1, ".repeat(1000));
        assert!(deep_flow_nesting(&prose).is_none());
        // Columns count chars; a non-breaking space is whitespace before a bracket.
        let text = format!("é\u{a0}: \u{a0}{}", "[".repeat(depth));
        assert_eq!(
            deep_flow_nesting(&text),
            Some(Position {
                line: 1,
                column: 6 + MAX_FLOW_SCAN_DEPTH
            })
        );
        // After a non-ASCII word a bracket is prose, as after an ASCII one.
        let prose = format!("a: {}\n", "é[".repeat(depth));
        assert!(deep_flow_nesting(&prose).is_none());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..9 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("expands to more than"),
            "{}",
            err.message
        );
        // Few aliases of a large anchor stay under serde_yaml's own cap on
        // aliases followed; the count of values built catches them.
        let items = vec!["x"; 200].join(", ");
        let aliases = vec!["*big"; 100].join(", ");
        let text = format!("big: &big [{items}]\ncopies: [{aliases}]\n");
        assert!(parse_within(&text, 30_000).is_ok());
        let err = parse_within(&text, 10_000).unwrap_err();
        assert_eq!(err.message, "the spec expands to more than 10000 values");
    }

    #[test]
    fn syntax_errors_keep_where_the_unfinished_part_began() {
        let err =
            parse("openapi: 3.0.3\ninfo: {title: t, version: \"1\"\npaths: {}\n").unwrap_err();
        assert_eq!(
            err.message,
            "the spec is not valid YAML: did not find expected ',' or '}', while parsing a flow mapping at line 2 column 7"
        );
        assert_eq!(err.position, Some(Position { line: 3, column: 1 }));
    }

    #[test]
    fn duplicate_keys_are_syntax_errors_with_a_position() {
        let err = parse("openapi: 3.0.3\ninfo: {}\ninfo: {}\n").unwrap_err();
        assert!(
            err.message.contains("`info` appears twice"),
            "{}",
            err.message
        );
        assert!(err.position.is_some());
    }
}
