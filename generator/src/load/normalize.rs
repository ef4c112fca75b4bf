//! Rewrites an untyped document so that `openapiv3`, which reads OpenAPI 3.0,
//! reads it with its meaning kept: OpenAPI 3.1 (JSON Schema 2020-12) forms
//! become their 3.0 equivalents, and a few forms real specs use that the
//! model does not follow are simplified.
//!
//! Each rewrite is local and keeps meaning; where 3.0 cannot say something
//! (a list of several types), the nearest form that still accepts every valid
//! value is used.

use serde_json::{Map, Value, json};

use super::parse::{MAX_DEPTH, MAX_NODES};
use super::pointer;
use super::walk::{self, Pointers};
use crate::diagnostic::Diagnostic;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const BASE_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";
/// Rounds of inlining references to non-component locations: a reference
/// inside inlined content may need another round.
const INLINE_ROUNDS: usize = 8;

/// Rewrites `document` in place; returns warnings about what was left out.
/// Where a 3.1 document's `webhooks` are kept in the typed document (a 3.0
/// document may write `x-webhooks` itself, Redoc's convention).
pub const WEBHOOKS: &str = "x-openapi-webhooks";

pub fn normalize(document: &mut Value, sites: &Pointers) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    // Inner schemas first: a parent's rewrite (merging a `oneOf` branch into
    // itself) moves its children, so their pointers must be used before.
    for at in sites.schemas.iter().rev() {
        if let Some(schema) = pointer::get_mut(document, at) {
            // `additionalProperties: false` is the same in 3.0 and 3.1, and
            // openapiv3 reads it: a closed object stays closed.
            if schema.is_boolean() && at.ends_with("/additionalProperties") {
                continue;
            }
            normalize_schema(schema);
        }
    }
    // The rewrites above move references but never make new ones: when no
    // reference of the document as written needs inlining, none does now.
    let needs_inlining = sites
        .refs
        .iter()
        .any(|(_, reference)| reference.as_deref().and_then(inlined_target).is_some());
    if needs_inlining {
        inline_local_references(document);
    }
    super::merge::merge_redefined_properties(document);
    normalize_document(document, &mut warnings);
    warnings
}

/// Whether [`normalize_schema`] may change `schema` other than by the order
/// of its keys. Errs towards yes: it is a filter, judged before the schemas
/// inside have been rewritten.
pub fn may_rewrite(schema: &Value) -> bool {
    let Value::Object(object) = schema else {
        return schema.is_boolean();
    };
    object.iter().any(|(key, value)| match key.as_str() {
        "type" => value.as_str().is_none_or(|name| name == "null"),
        "$ref" => object.len() > 1,
        "const" | "examples" | "contentEncoding" | "contentMediaType" | "anyOf" | "oneOf" => true,
        "exclusiveMinimum" | "exclusiveMaximum" => value.is_number(),
        "minimum" | "maximum" | "multipleOf" => value.as_number().is_some_and(|n| !n.is_i64()),
        "items" => value.is_array(),
        _ => false,
    })
}

fn normalize_schema(schema: &mut Value) {
    let object = match schema {
        Value::Bool(true) => {
            *schema = json!({});
            return;
        }
        Value::Bool(false) => {
            *schema = json!({"not": {}});
            return;
        }
        Value::Object(object) => object,
        _ => return,
    };
    let mut nullable = object.get("nullable") == Some(&Value::Bool(true));

    match object.remove("type") {
        Some(Value::Array(names)) => {
            let mut names: Vec<Value> = names
                .into_iter()
                .filter(|name| {
                    let is_null = name == "null";
                    nullable |= is_null;
                    !is_null
                })
                .collect();
            match names.len() {
                0 => {}
                1 => {
                    object.insert("type".into(), names.remove(0));
                }
                // 3.0 has no list of types: each becomes a branch.
                _ if !object.contains_key("anyOf") && !object.contains_key("oneOf") => {
                    let branches = names
                        .into_iter()
                        .map(|name| json!({"type": name}))
                        .collect();
                    object.insert("anyOf".into(), Value::Array(branches));
                }
                _ => {}
            }
        }
        Some(Value::String(name)) if name == "null" => nullable = true,
        Some(other) => {
            object.insert("type".into(), other);
        }
        None => {}
    }

    if object.contains_key("$ref") {
        // 3.1 lets a `$ref` have sibling keywords; in 3.0 they are ignored,
        // and openapiv3 drops them. A nullable reference keeps its meaning as
        // the 3.0 idiom `allOf: [$ref], nullable: true`. So does one marked
        // `readOnly` or `writeOnly`, which specs of both versions write and
        // validators (Prism among them) honour: a response leaves a required
        // `writeOnly` property out (bunq's `legal_guardian_alias`).
        let reference = object.remove("$ref").unwrap_or_default();
        let one_way = ["readOnly", "writeOnly"]
            .iter()
            .any(|key| object.get(*key) == Some(&Value::Bool(true)));
        if nullable || one_way {
            let mut wrapper = Map::new();
            wrapper.insert("allOf".into(), json!([{"$ref": reference}]));
            if nullable {
                wrapper.insert("nullable".into(), Value::Bool(true));
            }
            for key in [
                "description",
                "title",
                "deprecated",
                "readOnly",
                "writeOnly",
            ] {
                if let Some(value) = object.remove(key) {
                    wrapper.insert(key.into(), value);
                }
            }
            *object = wrapper;
        } else {
            object.clear();
            object.insert("$ref".into(), reference);
        }
        return;
    }

    if let Some(value) = object.remove("const")
        && !object.contains_key("enum")
    {
        if !object.contains_key("type")
            && let Some(name) = type_of(&value)
        {
            object.insert("type".into(), name.into());
        }
        object.insert("enum".into(), Value::Array(vec![value]));
    }

    match object.remove("examples") {
        Some(Value::Array(mut examples)) if !examples.is_empty() => {
            object
                .entry("example")
                .or_insert_with(|| examples.swap_remove(0));
        }
        _ => {}
    }

    // 3.1 writes an exclusive bound as the number itself; 3.0 as a flag on
    // `minimum`/`maximum`. Of two lower bounds the larger is the one that counts.
    for (exclusive, inclusive, stricter) in [
        ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
        ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
    ] {
        if let Some(Value::Number(bound)) = object.get(exclusive).cloned() {
            let replaces = match object.get(inclusive).and_then(Value::as_f64) {
                Some(current) => {
                    bound.as_f64().map(|b| b.total_cmp(&current)) != Some(stricter.reverse())
                }
                None => true,
            };
            if replaces {
                object.insert(inclusive.into(), Value::Number(bound));
                object.insert(exclusive.into(), Value::Bool(true));
            } else {
                object.remove(exclusive);
            }
        }
    }

    if object.get("type").and_then(Value::as_str) == Some("integer") {
        clamp_integer_bounds(object);
    }

    let encoding = object.remove("contentEncoding");
    let media_type = object.remove("contentMediaType");
    if object.get("type").and_then(Value::as_str) == Some("string")
        && !object.contains_key("format")
    {
        let format = match (
            encoding.as_ref().and_then(Value::as_str),
            media_type.as_ref().and_then(Value::as_str),
        ) {
            (Some("base64" | "base64url"), _) => Some("byte"),
            (None, Some(media)) if !media.starts_with("text/") && !media.contains("json") => {
                Some("binary")
            }
            _ => None,
        };
        if let Some(format) = format {
            object.insert("format".into(), format.into());
        }
    }

    // A tuple (`items` as a list) has no 3.0 form; any item is accepted.
    if let Some(Value::Array(_)) = object.get("items") {
        object.insert("items".into(), json!({}));
    }

    for keyword in ["anyOf", "oneOf"] {
        nullable |= drop_null_branches(object, keyword);
    }
    if nullable {
        object.insert("nullable".into(), Value::Bool(true));
    }
}

/// Takes the branches that only accept `null` out of a `oneOf`/`anyOf`, and
/// says whether there were any. A single remaining branch becomes the schema
/// itself (nullable), which is how 3.0 writes "this, or null".
fn drop_null_branches(object: &mut Map<String, Value>, keyword: &str) -> bool {
    let Some(Value::Array(branches)) = object.get_mut(keyword) else {
        return false;
    };
    let before = branches.len();
    branches.retain(|branch| !is_null_schema(branch));
    if branches.len() == before {
        return false;
    }
    let other_combinators = ["anyOf", "oneOf", "allOf"]
        .iter()
        .filter(|k| **k != keyword)
        .any(|k| object.contains_key(*k));
    let Some(Value::Array(branches)) = object.remove(keyword) else {
        return true;
    };
    match <[Value; 1]>::try_from(branches) {
        Ok([only]) if !other_combinators && !object.contains_key("type") => match only {
            Value::Object(branch) if branch.contains_key("$ref") => {
                object.insert("allOf".into(), Value::Array(vec![Value::Object(branch)]));
            }
            Value::Object(branch) => {
                for (key, value) in branch {
                    object.entry(key).or_insert(value);
                }
            }
            other => {
                object.insert(keyword.into(), Value::Array(vec![other]));
            }
        },
        Ok([only]) => {
            object.insert(keyword.into(), Value::Array(vec![only]));
        }
        Err(branches) if branches.is_empty() => {}
        Err(branches) => {
            object.insert(keyword.into(), Value::Array(branches));
        }
    }
    true
}

/// A schema that accepts only `null` (after [`normalize_schema`]).
fn is_null_schema(schema: &Value) -> bool {
    let Value::Object(object) = schema else {
        return false;
    };
    if object.get("enum") == Some(&json!([null])) {
        return true;
    }
    object.get("nullable") == Some(&Value::Bool(true))
        && object
            .keys()
            .all(|key| matches!(key.as_str(), "nullable" | "description" | "title"))
}

fn type_of(value: &Value) -> Option<&'static str> {
    match value {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    }
}

/// Integer bounds outside the i64 range openapiv3 reads them into (written as
/// floats, like `-9223372036854776000`, or as u64 above i64::MAX) become the
/// nearest i64, which keeps their meaning.
fn clamp_integer_bounds(object: &mut Map<String, Value>) {
    for (key, round) in [
        ("minimum", f64::ceil as fn(f64) -> f64),
        ("maximum", f64::floor),
    ] {
        if let Some(Value::Number(bound)) = object.get(key)
            && !bound.is_i64()
        {
            let value = bound.as_f64().unwrap_or_default();
            // `as` saturates at the ends of the i64 range.
            object.insert(key.into(), Value::from(round(value) as i64));
        }
    }
    if let Some(Value::Number(step)) = object.get("multipleOf")
        && !step.is_i64()
    {
        object.remove("multipleOf");
    }
}

/// Replaces each `$ref` to a place that is not a component of its own (a
/// property of another schema, a response written under a path) with a copy of
/// what it points to: the model resolves references to components only.
fn inline_local_references(document: &mut Value) {
    let mut budget = MAX_NODES / 2;
    for _ in 0..INLINE_ROUNDS {
        let sites = walk::sites(document).into_pointers(|_| false);
        let mut changed = false;
        for (at, reference) in sites.refs {
            let Some(target) = reference.as_deref().and_then(inlined_target) else {
                continue;
            };
            let Some(replacement) = pointer::get(document, &target).cloned() else {
                continue;
            };
            let nodes = count_nodes(&replacement);
            let depth = at.matches('/').count() + value_depth(&replacement);
            if nodes > budget || depth > MAX_DEPTH {
                continue;
            }
            if let Some(slot) = pointer::get_mut(document, &at) {
                budget -= nodes;
                *slot = replacement;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The pointer a reference [`inline_local_references`] replaces leads to: a local one, not to a component.
fn inlined_target(reference: &str) -> Option<String> {
    super::lint::local_pointer(reference).filter(|pointer| !is_component(pointer))
}

/// `/components/schemas/Pet`, not `/components/schemas/Pet/properties/id`.
fn is_component(pointer: &str) -> bool {
    let segments: Vec<&str> = pointer.split('/').collect();
    segments.len() == 4 && segments[0].is_empty() && segments[1] == "components"
}

fn count_nodes(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Object(object) => 1 + object.values().map(count_nodes).sum::<usize>(),
        _ => 1,
    }
}

fn value_depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(value_depth).max().unwrap_or(0),
        Value::Object(object) => 1 + object.values().map(value_depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn normalize_document(document: &mut Value, warnings: &mut Vec<Diagnostic>) {
    let Value::Object(root) = document else {
        return;
    };
    // The typed document keeps only `x-` members at its root: 3.1's
    // `webhooks` travel as one, for the model's webhook events.
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert(WEBHOOKS.to_owned(), webhooks);
    }
    // 3.1 makes `paths` optional (a document may hold only webhooks or components).
    root.entry("paths").or_insert_with(|| json!({}));
    if let Some(dialect) = root.remove("jsonSchemaDialect")
        && dialect.as_str() != Some(BASE_DIALECT)
    {
        warnings.push(
            Diagnostic::warning(format!(
                "schemas are read as OpenAPI's own JSON Schema dialect, not `{}`",
                dialect.as_str().unwrap_or("?")
            ))
            .at("/jsonSchemaDialect"),
        );
    }
    if let Some(Value::Object(license)) = root.get_mut("info").and_then(|i| i.get_mut("license"))
        && !license.contains_key("name")
        && let Some(identifier) = license.get("identifier").cloned()
    {
        license.insert("name".into(), identifier);
    }
    // 3.1 makes `responses` optional: an operation without them returns nothing known.
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for method in METHODS {
                if let Some(Value::Object(operation)) = item.get_mut(*method) {
                    operation.entry("responses").or_insert_with(|| json!({}));
                    if let Some(body) = operation.get_mut("requestBody") {
                        complete_encodings(body);
                    }
                }
            }
        }
    }
    if let Some(Value::Object(bodies)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("requestBodies"))
    {
        bodies.values_mut().for_each(complete_encodings);
    }
}

/// Writes out the defaults of the encoding objects of a request body that
/// set one of `style`, `explode` and `allowReserved`: `style: form`, and
/// `explode: true` for `form`. openapiv3 reads a missing `explode` as `false`,
/// which is the spec's default for every style but `form`, and a missing
/// `style` as no style, which keeps "nothing said" (the property's media
/// type decides) apart from "`form`, as the defaults say".
fn complete_encodings(body: &mut Value) {
    let Some(Value::Object(content)) = body.get_mut("content") else {
        return;
    };
    for media in content.values_mut() {
        let Some(Value::Object(encodings)) = media.get_mut("encoding") else {
            continue;
        };
        for encoding in encodings.values_mut() {
            let Value::Object(encoding) = encoding else {
                continue;
            };
            let says_style = ["style", "explode", "allowReserved"]
                .iter()
                .any(|key| encoding.contains_key(*key));
            if !says_style {
                continue;
            }
            let style = encoding
                .entry("style")
                .or_insert_with(|| json!("form"))
                .clone();
            encoding
                .entry("explode")
                .or_insert_with(|| json!(style == "form"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(mut document: Value) -> (Value, Vec<Diagnostic>) {
        let sites = walk::sites(&document).into_pointers(may_rewrite);
        let warnings = normalize(&mut document, &sites);
        (document, warnings)
    }

    fn schema(schema: Value) -> Value {
        let (document, _) = normalized(json!({"components": {"schemas": {"S": schema}}}));
        document["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        assert_eq!(
            schema(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            schema(json!({"type": ["string", "integer"]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn any_of_a_reference_or_null_becomes_a_nullable_all_of() {
        assert_eq!(
            schema(
                json!({"description": "d", "anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})
            ),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(
            schema(json!({"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]})),
            json!({"type": "string", "format": "uuid", "nullable": true})
        );
    }

    #[test]
    fn const_examples_and_numeric_exclusive_bounds_take_their_3_0_form() {
        assert_eq!(
            schema(json!({"const": "text", "examples": ["text", "other"]})),
            json!({"type": "string", "enum": ["text"], "example": "text"})
        );
        assert_eq!(
            schema(
                json!({"type": "number", "exclusiveMinimum": 0, "maximum": 10, "exclusiveMaximum": 20})
            ),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10})
        );
    }

    #[test]
    fn integer_bounds_beyond_i64_are_clamped() {
        assert_eq!(
            schema(
                json!({"type": "integer", "minimum": -9.3e18, "maximum": 9223372036854776000u64})
            ),
            json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX})
        );
    }

    #[test]
    fn a_reference_marked_one_way_keeps_the_mark() {
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T", "writeOnly": true, "readOnly": false})),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "writeOnly": true, "readOnly": false})
        );
    }

    #[test]
    fn reference_siblings_are_dropped_unless_they_make_it_nullable() {
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"$ref": "#/components/schemas/T"})
        );
        assert_eq!(
            schema(json!({"$ref": "#/components/schemas/T", "nullable": true, "description": "d"})),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true, "description": "d"})
        );
    }

    #[test]
    fn references_into_other_schemas_are_inlined() {
        let (document, _) = normalized(json!({"components": {"schemas": {
            "A": {"properties": {"id": {"type": "integer"}}},
            "B": {"properties": {"id": {"$ref": "#/components/schemas/A/properties/id"}}}
        }}}));
        assert_eq!(
            document["components"]["schemas"]["B"]["properties"]["id"],
            json!({"type": "integer"})
        );
    }

    #[test]
    fn closed_objects_stay_closed_in_every_version() {
        for version in ["3.0.3", "3.1.0"] {
            let (document, _) = normalized(json!({
                "openapi": version,
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": {"Closed": {
                    "type": "object",
                    "properties": {"a": {"type": "string"}},
                    "additionalProperties": false,
                }}},
            }));
            assert_eq!(
                document["components"]["schemas"]["Closed"]["additionalProperties"],
                json!(false),
                "{version}"
            );
        }
    }

    #[test]
    fn encodings_that_name_a_style_get_its_defaults_written_out() {
        let (document, _) = normalized(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {"requestBody": {"content": {
                "application/x-www-form-urlencoded": {"encoding": {
                    "nested": {"style": "deepObject"},
                    "list": {"explode": false},
                    "exploded": {"style": "form"},
                    "typed": {"contentType": "application/json"},
                }},
            }}, "responses": {}}}},
        }));
        let encoding = &document["paths"]["/a"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
            ["encoding"];
        assert_eq!(
            encoding["nested"],
            json!({"style": "deepObject", "explode": false})
        );
        assert_eq!(encoding["list"], json!({"style": "form", "explode": false}));
        assert_eq!(
            encoding["exploded"],
            json!({"style": "form", "explode": true})
        );
        assert_eq!(
            encoding["typed"],
            json!({"contentType": "application/json"})
        );
    }

    #[test]
    fn webhook_only_documents_and_operations_without_responses_are_completed() {
        let (document, warnings) = normalized(json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": BASE_DIALECT,
            "webhooks": {"newPet": {"post": {}}},
            "components": {"pathItems": {}}
        }));
        assert_eq!(document["paths"], json!({}));
        assert!(document.get("jsonSchemaDialect").is_none());
        assert_eq!(document[WEBHOOKS], json!({"newPet": {"post": {}}}));
        assert!(warnings.is_empty(), "{warnings:?}");
        let (document, _) = normalized(json!({"paths": {"/a": {"get": {"summary": "s"}}}}));
        assert_eq!(document["paths"]["/a"]["get"]["responses"], json!({}));
    }
}
