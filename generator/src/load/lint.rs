//! Checks on the untyped document for mistakes that `openapiv3` would accept
//! in silence or trip over without saying where: references that lead nowhere
//! or out of the document, `$ref` cycles no type can stand for, and schema
//! typos that would turn a schema into "any value".

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::pointer;
use super::walk::Sites;
use crate::diagnostic::{Diagnostic, join};

/// The schema `type` names of OpenAPI 3.0; 3.1 adds `null`.
const TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// Every keyword a schema may have in OpenAPI 3.0 or 3.1 (JSON Schema 2020-12
/// and its OpenAPI vocabulary), plus older drafts' names still seen in specs.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "$id",
    "$schema",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$defs",
    "$comment",
    "$vocabulary",
    "definitions",
    "type",
    "enum",
    "const",
    "title",
    "description",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "format",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "dependencies",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedProperties",
    "dependentSchemas",
    "items",
    "prefixItems",
    "additionalItems",
    "contains",
    "unevaluatedItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "discriminator",
    "xml",
    "externalDocs",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];

/// The keywords that decide the Rust type of a schema.
const SHAPING_KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "nullable",
    "format",
    "required",
    "properties",
    "additionalProperties",
    "patternProperties",
    "items",
    "prefixItems",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "discriminator",
];

/// The longest chain of schemas that are only references to the next one.
const MAX_ALIAS_CHAIN: usize = 64;

/// Runs every check; returns every problem found.
pub fn lint(document: &Value, sites: &Sites) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (at, reference) in &sites.refs {
        if let Some(diagnostic) = check_reference(document, at, reference) {
            diagnostics.push(diagnostic);
        }
    }
    diagnostics.extend(reference_cycles(document, sites));
    for (at, schema) in &sites.schemas {
        if let Value::Object(schema) = schema {
            check_schema(schema, at, &mut diagnostics);
        }
    }
    diagnostics
}

/// The JSON pointer a local `$ref` names (`#/a/b%20c` → `/a/b c`), or `None`
/// for a reference into another document.
pub fn local_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(
        percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

fn check_reference(document: &Value, at: &str, reference: &Value) -> Option<Diagnostic> {
    let at = join(at, "$ref");
    let Value::String(reference) = reference else {
        return Some(
            Diagnostic::error("`$ref` must be a string such as \"#/components/schemas/Pet\"")
                .at(at),
        );
    };
    let Some(pointer) = local_pointer(reference) else {
        return Some(
            Diagnostic::error(format!(
                "`$ref: {reference}` points into another document, which the generator does not read"
            ))
            .at(at)
            .with_hint("bundle the spec into one file first (for example with `redocly bundle`), or move the definition under `components`"),
        );
    };
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Some(
            Diagnostic::error(format!(
                "`$ref: {reference}` is not a JSON pointer into this document"
            ))
            .at(at)
            .with_hint("a local reference looks like `#/components/schemas/Pet`"),
        );
    }
    if pointer::get(document, &pointer).is_some() {
        return None;
    }
    let diagnostic = Diagnostic::error(format!(
        "`$ref: {reference}` points to nothing: the document has no `{pointer}`"
    ))
    .at(at);
    Some(match closest_existing(document, &pointer) {
        Some(close) => diagnostic.with_hint(format!("did you mean `#{close}`?")),
        None => diagnostic,
    })
}

/// The pointer that exists in the document and is nearest to `pointer`: the
/// deepest existing parent, followed by its child with the closest name.
fn closest_existing(document: &Value, pointer: &str) -> Option<String> {
    let mut parent = pointer;
    while let Some(cut) = parent.rfind('/') {
        let missing = &parent[cut + 1..];
        parent = &parent[..cut];
        if let Some(Value::Object(children)) = pointer::get(document, parent) {
            let missing = missing.replace("~1", "/").replace("~0", "~");
            return children
                .keys()
                .map(|key| {
                    (
                        strsim::jaro_winkler(&key.to_lowercase(), &missing.to_lowercase()),
                        key,
                    )
                })
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, key)| join(parent, key));
        }
    }
    None
}

/// The schemas a schema stands for without adding anything of its own: the
/// target of its `$ref`, its `allOf` parts, and the only branch of a one-branch
/// `oneOf`/`anyOf`. A cycle of these edges has no type.
fn alias_edges(schema: &Value, at: &str, edges: &mut Vec<(String, String)>) {
    let Value::Object(schema) = schema else {
        return;
    };
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(local_pointer)
    {
        edges.push((join(at, "$ref"), target));
    }
    for keyword in ["allOf", "oneOf", "anyOf"] {
        let Some(Value::Array(parts)) = schema.get(keyword) else {
            continue;
        };
        if keyword != "allOf" && parts.len() != 1 {
            continue;
        }
        for (index, part) in parts.iter().enumerate() {
            alias_edges(part, &format!("{at}/{keyword}/{index}"), edges);
        }
    }
}

/// Whether [`alias_edges`] can find any edge out of `schema`: most schemas
/// have none, and the cycle search need not start from them.
fn may_alias(schema: &Value) -> bool {
    let Value::Object(schema) = schema else {
        return false;
    };
    ["$ref", "allOf", "oneOf", "anyOf"]
        .iter()
        .any(|keyword| schema.contains_key(*keyword))
}

fn reference_cycles(document: &Value, sites: &Sites) -> Vec<Diagnostic> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Visiting,
        Done,
    }
    enum Finding {
        /// (schema, where its reference is written) for each schema of the cycle.
        Cycle(Vec<(String, String)>),
        /// Where the first reference of an over-long chain is written.
        TooLong(String),
    }
    let mut state: HashMap<String, State> = HashMap::new();
    let mut reported: HashSet<Vec<String>> = HashSet::new();
    let mut diagnostics = Vec::new();
    // (schema pointer, where its reference is written) along the current path.
    let mut path: Vec<(String, String)> = Vec::new();

    fn visit(
        document: &Value,
        node: &str,
        schema: &Value,
        state: &mut HashMap<String, State>,
        path: &mut Vec<(String, String)>,
        found: &mut Vec<Finding>,
    ) {
        state.insert(node.to_owned(), State::Visiting);
        let mut edges = Vec::new();
        alias_edges(schema, node, &mut edges);
        for (written_at, target) in edges {
            path.push((node.to_owned(), written_at));
            match state.get(&target) {
                Some(State::Visiting) => {
                    let start = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    found.push(Finding::Cycle(path[start..].to_vec()));
                }
                Some(State::Done) => {}
                // A chain this long is a generated loop, and following it
                // further would only deepen this walk's own recursion.
                None if path.len() > MAX_ALIAS_CHAIN => {
                    found.push(Finding::TooLong(path[0].1.clone()));
                }
                // The walk follows only references to schemas that exist: a
                // dangling one was reported and stopped the lint before this.
                None => {
                    if let Some(schema) = pointer::get(document, &target) {
                        visit(document, &target, schema, state, path, found);
                    }
                }
            }
            path.pop();
        }
        state.insert(node.to_owned(), State::Done);
    }

    let mut found = Vec::new();
    for (at, schema) in &sites.schemas {
        if may_alias(schema) && !state.contains_key(at) {
            visit(document, at, schema, &mut state, &mut path, &mut found);
        }
    }
    let mut reported_too_long = false;
    for finding in found {
        let cycle = match finding {
            Finding::Cycle(cycle) => cycle,
            Finding::TooLong(_) if reported_too_long => continue,
            Finding::TooLong(written_at) => {
                reported_too_long = true;
                diagnostics.push(
                    Diagnostic::error(format!(
                        "this `$ref` starts a chain of more than {MAX_ALIAS_CHAIN} schemas that only refer to the next"
                    ))
                    .at(written_at)
                    .with_hint("refer to the schema at the end of the chain directly"),
                );
                continue;
            }
        };
        let mut members: Vec<String> = cycle.iter().map(|(n, _)| n.clone()).collect();
        members.sort();
        if !reported.insert(members) {
            continue;
        }
        let names: Vec<String> = cycle
            .iter()
            .map(|(node, _)| short_name(node))
            .chain(std::iter::once(short_name(&cycle[0].0)))
            .collect();
        let message = if cycle.len() == 1 {
            format!(
                "the schema `{}` is defined as itself: its `$ref` (or `allOf`) leads back to it without saying what the value is",
                names[0]
            )
        } else {
            format!(
                "the schemas {} only refer to each other: no type can stand for them",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            )
        };
        diagnostics.push(
            Diagnostic::error(message)
                .at(cycle[0].1.clone())
                .with_hint("give one of them a `type` and `properties` of its own"),
        );
    }
    diagnostics
}

/// `Pet` for `/components/schemas/Pet`, the pointer itself otherwise.
fn short_name(pointer: &str) -> String {
    match pointer.strip_prefix("/components/schemas/") {
        Some(name) if !name.contains('/') => name.replace("~1", "/").replace("~0", "~"),
        _ => pointer.to_owned(),
    }
}

fn check_schema(schema: &Map<String, Value>, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    match schema.get("type") {
        None => {}
        Some(Value::String(name)) => check_type_name(name, &join(at, "type"), diagnostics),
        Some(Value::Array(names)) => {
            for (index, name) in names.iter().enumerate() {
                let at = format!("{}/{index}", join(at, "type"));
                match name {
                    Value::String(name) => check_type_name(name, &at, diagnostics),
                    _ => diagnostics.push(
                        Diagnostic::error("each entry of a `type` list must be a type name").at(at),
                    ),
                }
            }
        }
        Some(_) => diagnostics.push(
            Diagnostic::error("`type` must be a type name such as `string`, or a list of them")
                .at(join(at, "type")),
        ),
    }
    for keyword in schema.keys() {
        if keyword.starts_with("x-") || SCHEMA_KEYWORDS.contains(&keyword.as_str()) {
            continue;
        }
        // A name close to a keyword is a typo; a name far from every keyword
        // is some tool's annotation, which is harmless.
        if let Some(meant) = closest(keyword, SCHEMA_KEYWORDS) {
            let message = format!("`{keyword}` is not a schema keyword; did you mean `{meant}`?");
            // Only the keywords that decide the generated type make a typo
            // fatal; a misspelt bound or annotation changes no generated code.
            let diagnostic = if SHAPING_KEYWORDS.contains(&meant) {
                Diagnostic::error(message).with_hint(format!(
                    "rename it to `{meant}`: a misspelt keyword is ignored, and the generated type would not be the one meant"
                ))
            } else {
                Diagnostic::warning(message).with_hint(format!(
                    "rename it to `{meant}` (or to `x-{keyword}` if it is an annotation): a misspelt keyword is ignored"
                ))
            };
            diagnostics.push(diagnostic.at(join(at, keyword)));
        }
    }
}

fn check_type_name(name: &str, at: &str, diagnostics: &mut Vec<Diagnostic>) {
    if TYPES.contains(&name) {
        return;
    }
    let diagnostic = Diagnostic::error(format!("`{name}` is not a schema type")).at(at);
    let hint = match closest(name, TYPES) {
        Some(meant) => format!("did you mean `{meant}`?"),
        None if name == "file" => {
            "`type: file` is Swagger 2.0; in OpenAPI 3 a file is `type: string, format: binary`"
                .to_owned()
        }
        None => format!("the types are {}", TYPES.join(", ")),
    };
    diagnostics.push(diagnostic.with_hint(hint));
}

/// The candidate a (misspelt) word most likely meant, if any is close enough:
/// the same word in another case, or at most two edits away (one for short words).
fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let allowed = if word.chars().count() <= 5 { 1 } else { 2 };
    candidates
        .iter()
        .map(|candidate| {
            let distance = if candidate.to_lowercase() == lower {
                0
            } else {
                strsim::damerau_levenshtein(&lower, &candidate.to_lowercase())
            };
            (distance, *candidate)
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::walk::sites;
    use serde_json::json;

    fn messages(document: &Value) -> Vec<(String, String)> {
        lint(document, &sites(document))
            .into_iter()
            .map(|d| (d.message, d.pointer.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn typos_in_types_and_keywords_are_named_with_what_was_meant() {
        let document = json!({"components": {"schemas": {
            "A": {"type": "strin"},
            "B": {"type": "object", "proprties": {"a": {"type": "Integer"}}},
            "C": {"type": "object", "x-proprties": 1, "additionalInfo": "free-form annotation"}
        }}});
        assert_eq!(
            messages(&document),
            [
                (
                    "`strin` is not a schema type".to_owned(),
                    "/components/schemas/A/type".to_owned()
                ),
                (
                    "`proprties` is not a schema keyword; did you mean `properties`?".to_owned(),
                    "/components/schemas/B/proprties".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn typos_of_keywords_that_do_not_decide_the_type_are_warnings() {
        let document = json!({"components": {"schemas": {
            "A": {"type": "array", "items": {"type": "number"}, "min_items": 2}
        }}});
        let found = lint(&document, &sites(&document));
        assert_eq!(found.len(), 1);
        assert!(!found[0].is_error());
        assert_eq!(
            found[0].message,
            "`min_items` is not a schema keyword; did you mean `minItems`?"
        );
    }

    #[test]
    fn references_that_lead_nowhere_or_elsewhere_are_reported_where_used() {
        let document = json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Limt"}]}}},
            "components": {
                "parameters": {"Limit": {}},
                "schemas": {"A": {"properties": {"b": {"$ref": "other.yaml#/B"}}}}
            }
        });
        let found = lint(&document, &sites(&document));
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].pointer.as_deref(),
            Some("/paths/~1a/get/parameters/0/$ref")
        );
        assert!(
            found[0]
                .message
                .contains("no `/components/parameters/Limt`")
        );
        assert_eq!(
            found[0].hint.as_deref(),
            Some("did you mean `#/components/parameters/Limit`?")
        );
        assert_eq!(
            found[1].pointer.as_deref(),
            Some("/components/schemas/A/properties/b/$ref")
        );
        assert!(found[1].message.contains("another document"));
    }

    #[test]
    fn alias_cycles_are_refused_but_recursive_types_are_not() {
        let document = json!({"components": {"schemas": {
            "Self": {"$ref": "#/components/schemas/Self"},
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}]},
            "Tree": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}}
        }}});
        let found = messages(&document);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].0.contains("`Self` is defined as itself"),
            "{found:?}"
        );
        assert_eq!(found[0].1, "/components/schemas/Self/$ref");
        assert!(found[1].0.contains("`A` → `B` → `A`"), "{found:?}");
    }
}
