//! Properties that several `allOf` parts define. JSON Schema asks a value to
//! fit every part, so each definition describes part of the property; the
//! model keeps one definition of a property, the last. Where two or more
//! define it as an object (or an array of objects), the last definition, when
//! it is written in place, becomes the `allOf` of all of them, and the model
//! merges their properties as it merges any `allOf`: pagerduty's
//! `OrchestrationUnrouted` defines `orchestration_path` in both its parts,
//! and the second one alone lost the first's `sets[].id` and `rules[].label`
//! from every request.

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::pointer;
use super::walk;
use crate::diagnostic::escape_segment;

/// Marks a definition this pass wrote, so that a later round leaves it be.
const MERGED: &str = "x-merged-all-of";
/// Rounds: a merged definition's own properties may be defined twice too.
const ROUNDS: usize = 8;

/// Rewrites `document` in place.
pub fn merge_redefined_properties(document: &mut Value) {
    for _ in 0..ROUNDS {
        let rewrites: Vec<(String, Value)> = walk::sites(document)
            .schemas
            .iter()
            .filter(|(_, schema)| schema.get("allOf").is_some())
            .flat_map(|(at, schema)| rewrites_of(document, schema, at))
            .collect();
        if rewrites.is_empty() {
            return;
        }
        // Outer schemas come first: a property an outer `allOf` merges (with
        // every definition, nested ones too) is not merged again by an inner
        // one in the same round, nor is anything under it.
        let mut written: Vec<String> = Vec::new();
        for (at, merged) in rewrites {
            let taken = written
                .iter()
                .any(|w| at == *w || at.starts_with(&format!("{w}/")));
            if taken {
                continue;
            }
            if let Some(slot) = pointer::get_mut(document, &at) {
                *slot = merged;
                written.push(at);
            }
        }
    }
}

/// One property's definitions, in part order, and where the last one written
/// in place (not behind a `$ref`) sits.
#[derive(Default)]
struct Definitions {
    schemas: Vec<Value>,
    /// Where each definition is written in place, `None` behind a `$ref`.
    places: Vec<Option<String>>,
}

fn rewrites_of(document: &Value, schema: &Value, at: &str) -> Vec<(String, Value)> {
    if schema.get("allOf").and_then(Value::as_array).is_none() {
        return Vec::new();
    }
    let mut by_name: IndexMap<String, Definitions> = IndexMap::new();
    let mut add = |object: &Value, place: Option<String>| {
        let Some(properties) = object.get("properties").and_then(Value::as_object) else {
            return;
        };
        for (name, definition) in properties {
            let entry = by_name.entry(name.clone()).or_default();
            entry.schemas.push(definition.clone());
            entry.places.push(
                place
                    .as_ref()
                    .map(|p| format!("{p}/properties/{}", escape_segment(name))),
            );
        }
    };
    // A part's own `allOf` parts define properties of the whole too
    // (pagerduty's service `orchestration_path`: `allOf` of two objects).
    fn collect(
        document: &Value,
        part: &Value,
        place: Option<String>,
        depth: usize,
        add: &mut dyn FnMut(&Value, Option<String>),
    ) {
        if depth > 8 {
            return;
        }
        let nested = part.get("allOf").and_then(Value::as_array);
        for (j, sub) in nested.into_iter().flatten().enumerate() {
            match sub.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    if let Some(target) = resolve(document, reference) {
                        collect(document, target, None, depth + 1, add);
                    }
                }
                None => {
                    let at = place.as_ref().map(|p| format!("{p}/allOf/{j}"));
                    collect(document, sub, at, depth + 1, add);
                }
            }
        }
        add(part, place);
    }
    // The schema itself: its parts, then the properties beside them.
    collect(document, schema, Some(at.to_owned()), 0, &mut add);
    by_name
        .into_values()
        .filter(|d| d.schemas.len() > 1)
        .flat_map(|d| {
            let (Some(Some(at)), Some(last)) = (d.places.last(), d.schemas.last()) else {
                return Vec::new();
            };
            if last.get(MERGED).is_some() {
                return Vec::new();
            }
            let Some(merged) = merged(document, &d.schemas) else {
                return Vec::new();
            };
            // The earlier definitions written in place say nothing more
            // (the merged one holds them): `{}`, so that no type is made of
            // each on its way.
            let earlier = d.places[..d.places.len() - 1].iter().flatten();
            let mut out: Vec<(String, Value)> = earlier.map(|p| (p.clone(), json!({}))).collect();
            out.push((at.clone(), merged));
            out
        })
        .collect()
}

/// The `allOf` of object definitions, or an array of the `allOf` of their
/// items; `None` when some definition is neither.
fn merged(document: &Value, definitions: &[Value]) -> Option<Value> {
    let resolved: Vec<&Value> = definitions
        .iter()
        .map(|d| match d.get("$ref").and_then(Value::as_str) {
            Some(reference) => resolve(document, reference),
            None => Some(d),
        })
        .collect::<Option<_>>()?;
    let mut out = Map::new();
    if resolved.iter().all(|d| is_object(document, d, 0)) {
        out.insert("allOf".into(), Value::Array(definitions.to_vec()));
    } else if resolved
        .iter()
        .all(|d| d.get("items").is_some_and(|i| is_object(document, i, 0)))
    {
        let items: Vec<Value> = resolved
            .iter()
            .filter_map(|d| d.get("items").cloned())
            .collect();
        out.insert("type".into(), json!("array"));
        out.insert("items".into(), json!({ "allOf": items }));
    } else {
        return None;
    }
    // What the last definition says of the whole (its description, its
    // `readOnly`) still holds.
    if let Some(Value::Object(last)) = resolved.last().map(|d| (*d).clone()) {
        for key in [
            "description",
            "readOnly",
            "writeOnly",
            "nullable",
            "deprecated",
        ] {
            if let Some(value) = last.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
    }
    out.insert(MERGED.into(), Value::Bool(true));
    Some(Value::Object(out))
}

/// An object with properties of its own, or an `allOf` with such a part
/// (pagerduty's service `orchestration_path`).
fn is_object(document: &Value, schema: &Value, depth: usize) -> bool {
    let own = schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    own || (depth < 8
        && schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|part| match part.get("$ref").and_then(Value::as_str) {
                Some(reference) => resolve(document, reference),
                None => Some(part),
            })
            .any(|part| is_object(document, part, depth + 1)))
}

fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let target = pointer::get(document, reference.strip_prefix('#')?)?;
    match target.get("$ref").and_then(Value::as_str) {
        // One more hop (a component that is a reference); no further.
        Some(next) => pointer::get(document, next.strip_prefix('#')?),
        None => Some(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_defined_in_two_parts_is_the_all_of_of_both_down_its_arrays() {
        let mut document = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"path": {"type": "object", "properties": {
                "sets": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}
            }}}},
            "Unrouted": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"properties": {"path": {"description": "routed", "properties": {
                    "sets": {"items": {"properties": {"rules": {"type": "array"}}}}
                }}}}
            ]}
        }}});
        merge_redefined_properties(&mut document);
        let path = &document["components"]["schemas"]["Unrouted"]["allOf"][1]["properties"]["path"];
        assert_eq!(path["description"], "routed");
        let parts = path["allOf"].as_array().unwrap();
        assert_eq!(parts.len(), 2);
        // The copy of Base's `path` and the second part's, whose `sets` are
        // now arrays of the allOf of both items.
        let sets = &parts[1]["properties"]["sets"];
        assert_eq!(sets["type"], "array");
        let items = sets["items"]["allOf"].as_array().unwrap();
        assert_eq!(items[0]["properties"]["id"]["type"], "string");
        assert_eq!(items[1]["properties"]["rules"]["type"], "array");
        // Base itself is left as written.
        assert!(
            document["components"]["schemas"]["Base"]["properties"]["path"]
                .get("allOf")
                .is_none()
        );
    }

    #[test]
    fn a_property_defined_once_or_as_scalars_is_left_alone() {
        let original = json!({"components": {"schemas": {"S": {"allOf": [
            {"properties": {"a": {"type": "string"}, "b": {"type": "object", "properties": {"x": {}}}}},
            {"properties": {"a": {"type": "string", "maxLength": 3}}}
        ]}}}});
        let mut document = original.clone();
        merge_redefined_properties(&mut document);
        assert_eq!(document, original);
    }

    #[test]
    fn definitions_inside_a_parts_own_all_of_are_merged_too() {
        // The second `path` is an `allOf` whose part defines `sets` again
        // (pagerduty's service orchestration).
        let object =
            |name: &str| json!({"type": "object", "properties": {name: {"type": "string"}}});
        let mut document = json!({"components": {"schemas": {"S": {"allOf": [
            {"properties": {"path": {"properties": {"sets": {"type": "array", "items": object("id")}}}}},
            {"properties": {"path": {"allOf": [
                {"properties": {"migrated_at": {"type": "string"}}},
                {"properties": {"sets": {"type": "array", "items": object("rules")}}}
            ]}}}
        ]}}}});
        merge_redefined_properties(&mut document);
        let text = document.to_string();
        // Both items definitions now sit in one `allOf` of items.
        let merged = text.find(r#""items":{"allOf":["#);
        assert!(merged.is_some(), "{text}");
        assert_eq!(
            document["components"]["schemas"]["S"]["allOf"][0]["properties"]["path"],
            json!({})
        );
    }
}
