//! Flattening a schema: its `$ref` followed and its `allOf` parts merged into
//! one set of keywords, so that a value can be built from one place.
//!
//! The merge is a proposal, not a proof: where two parts constrain the same
//! keyword in a way the merge does not combine exactly (two `pattern`s), the
//! first is kept and the final validation judges the value.

use serde_json::{Map, Value, json};

use super::SynthError;
use crate::schema::SchemaValidator;

/// How deep `$ref`s and `allOf`s may nest while flattening one schema.
const MAX_FLATTEN_DEPTH: usize = 64;

/// A schema flattened: its keywords, the `oneOf`/`anyOf` lists still to
/// choose from, and the component names it went through (for a
/// discriminator's tag).
#[derive(Debug, Default)]
pub struct Flat {
    pub keywords: Map<String, Value>,
    /// `("oneOf" | "anyOf", branches)`, each list from one part.
    pub unions: Vec<(String, Vec<Value>)>,
    /// Component names reached through `$ref`, outermost first.
    pub components: Vec<String>,
    /// The `discriminator`s of the parts, innermost last.
    pub discriminators: Vec<Map<String, Value>>,
}

pub fn flatten(validator: &SchemaValidator, schema: &Value, at: &str) -> Result<Flat, SynthError> {
    let mut flat = Flat::default();
    add(validator, schema, &mut flat, at, 0)?;
    Ok(flat)
}

fn add(
    validator: &SchemaValidator,
    schema: &Value,
    flat: &mut Flat,
    at: &str,
    depth: usize,
) -> Result<(), SynthError> {
    if depth > MAX_FLATTEN_DEPTH {
        return Err(SynthError::unsatisfiable(
            at,
            format!("`$ref`/`allOf` nest deeper than {MAX_FLATTEN_DEPTH}"),
        ));
    }
    let object = match schema {
        Value::Bool(true) => return Ok(()),
        Value::Object(object) => object,
        _ => {
            return Err(SynthError::unsatisfiable(
                at,
                format!("the schema `{schema}` accepts no value"),
            ));
        }
    };
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let target = validator.resolve_converted(reference).ok_or_else(|| {
            SynthError::unsatisfiable(at, format!("`$ref: {reference}` points to nothing"))
        })?;
        if let Some(name) = reference
            .rsplit_once("/components/schemas/")
            .map(|(_, name)| name)
        {
            flat.components.push(crate::document::unescape(name));
        }
        add(validator, target, flat, at, depth + 1)?;
    }
    for (key, value) in object {
        match key.as_str() {
            "$ref" | "allOf" => {}
            "oneOf" | "anyOf" => {
                if let Some(branches) = value.as_array() {
                    flat.unions.push((key.clone(), branches.clone()));
                }
            }
            "discriminator" => {
                if let Some(discriminator) = value.as_object() {
                    flat.discriminators.push(discriminator.clone());
                }
            }
            _ => merge_keyword(&mut flat.keywords, key, value),
        }
    }
    if let Some(parts) = object.get("allOf").and_then(Value::as_array) {
        for part in parts {
            add(validator, part, flat, at, depth + 1)?;
        }
    }
    Ok(())
}

/// Combines a keyword into the merged keywords, the stricter side winning
/// where the merge knows how.
fn merge_keyword(into: &mut Map<String, Value>, key: &str, value: &Value) {
    let Some(existing) = into.get_mut(key) else {
        into.insert(key.to_string(), value.clone());
        return;
    };
    match key {
        "properties" => {
            if let (Some(merged), Some(more)) = (existing.as_object_mut(), value.as_object()) {
                for (name, schema) in more {
                    match merged.get_mut(name) {
                        Some(present) => {
                            *present = json!({"allOf": [present.clone(), schema.clone()]})
                        }
                        None => {
                            merged.insert(name.clone(), schema.clone());
                        }
                    }
                }
            }
        }
        "required" => {
            if let (Some(merged), Some(more)) = (existing.as_array_mut(), value.as_array()) {
                for name in more {
                    if !merged.contains(name) {
                        merged.push(name.clone());
                    }
                }
            }
        }
        "type" => *existing = intersect_types(existing, value),
        "enum" => {
            if let (Some(merged), Some(more)) = (existing.as_array_mut(), value.as_array()) {
                merged.retain(|v| more.contains(v));
            }
        }
        "minimum" | "exclusiveMinimum" | "minLength" | "minItems" | "minProperties"
            if value.as_f64() > existing.as_f64() =>
        {
            *existing = value.clone();
        }
        "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" | "maxProperties"
            if value.as_f64() < existing.as_f64() =>
        {
            *existing = value.clone();
        }
        "additionalProperties" => {
            *existing = match (&*existing, value) {
                (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
                (Value::Bool(true), other) | (other, Value::Bool(true)) => other.clone(),
                (a, b) => json!({"allOf": [a, b]}),
            }
        }
        "items" | "propertyNames" | "contains" => {
            *existing = json!({"allOf": [existing.clone(), value.clone()]})
        }
        "not" => *existing = json!({"anyOf": [existing.clone(), value.clone()]}),
        "uniqueItems" | "readOnly" | "writeOnly" if value == &Value::Bool(true) => {
            *existing = Value::Bool(true);
        }
        _ => {}
    }
}

fn type_list(value: &Value) -> Vec<String> {
    match value {
        Value::String(name) => vec![name.clone()],
        Value::Array(names) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The types both sides allow: `integer` is a `number`.
fn intersect_types(a: &Value, b: &Value) -> Value {
    let (a, b) = (type_list(a), type_list(b));
    let mut both = Vec::new();
    for name in &a {
        let allowed = b.contains(name) || (name == "integer" && b.iter().any(|t| t == "number"));
        if allowed && !both.contains(name) {
            both.push(name.clone());
        }
    }
    if b.iter().any(|t| t == "integer")
        && a.iter().any(|t| t == "number")
        && !both.iter().any(|t| t == "integer")
    {
        both.push("integer".into());
    }
    Value::Array(both.into_iter().map(Value::String).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn all_of_parts_and_refs_merge_with_the_stricter_side_winning() {
        let doc = json!({
            "openapi": "3.0.0",
            "components": {"schemas": {
                "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "minimum": 1}},
                         "discriminator": {"propertyName": "kind"}}
            }}
        });
        let validator = SchemaValidator::new(Arc::new(doc));
        let schema = validator
            .convert(
                &json!({"allOf": [{"$ref": "#/components/schemas/Base"},
                    {"type": "object", "required": ["name"], "properties": {"id": {"minimum": 5}, "name": {"type": "string"}}}]}),
                crate::schema::Direction::Any,
            )
            .unwrap();
        let flat = flatten(&validator, &schema, "").unwrap();
        assert_eq!(flat.keywords["required"], json!(["id", "name"]));
        assert_eq!(flat.keywords["type"], json!(["object"]));
        assert_eq!(
            flat.keywords["properties"]["id"]["allOf"][1],
            json!({"minimum": 5})
        );
        assert_eq!(flat.components, ["Base"]);
        assert_eq!(flat.discriminators.len(), 1);
    }

    #[test]
    fn integer_and_number_intersect_to_integer() {
        assert_eq!(
            intersect_types(&json!("number"), &json!(["integer", "null"])),
            json!(["integer"])
        );
        assert_eq!(
            intersect_types(&json!("string"), &json!("integer")),
            json!([])
        );
    }
}
