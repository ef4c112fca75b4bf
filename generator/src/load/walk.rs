//! Finds the schemas and `$ref`s of an untyped OpenAPI document.
//!
//! The checks and rewrites that run before `openapiv3` sees the document need
//! to know which mappings are schemas, and which `$ref` keys are references
//! rather than data (an example value may well contain a key named `$ref`).
//! The walk follows the structure of OpenAPI: `schema` and
//! `components/schemas` hold schemas, schema keywords hold subschemas, and
//! examples, defaults, enums and extensions hold data that is never entered.

use serde_json::Value;

use crate::diagnostic::{join, push_segment};

/// Where the schemas and references of a document are, with the nodes
/// themselves: the checks read each node where the walk found it instead of
/// looking its pointer up again, which on a large spec costs more than the walk.
#[derive(Debug, Default)]
pub struct Sites<'a> {
    /// Every schema (its JSON pointer and node), each before the schemas inside it.
    pub schemas: Vec<(String, &'a Value)>,
    /// The pointer of every mapping that has a `$ref` key, with the key's value.
    pub refs: Vec<(String, &'a Value)>,
}

impl Sites<'_> {
    /// The pointers alone, for the rewrites that need the document mutable:
    /// of the schemas, only those `keep` accepts (looking a pointer up again
    /// costs more than the walk, and most schemas need no rewrite).
    pub fn into_pointers(self, keep: impl Fn(&Value) -> bool) -> Pointers {
        Pointers {
            schemas: self
                .schemas
                .into_iter()
                .filter(|(_, schema)| keep(schema))
                .map(|(at, _)| at)
                .collect(),
            refs: self
                .refs
                .into_iter()
                .map(|(at, reference)| (at, reference.as_str().map(str::to_owned)))
                .collect(),
        }
    }
}

/// [`Sites`] without the borrowed nodes: schema pointers, and reference
/// pointers with the reference when it is a string.
#[derive(Debug, Default)]
pub struct Pointers {
    pub schemas: Vec<String>,
    pub refs: Vec<(String, Option<String>)>,
}

/// Keywords whose value is one subschema (or, for `items`, a list of them).
const SUBSCHEMA: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
];
/// Keywords whose value is a list of subschemas.
const SUBSCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value maps names to subschemas.
const SUBSCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

pub fn sites(document: &Value) -> Sites<'_> {
    let mut sites = Sites::default();
    walk_object(document, &mut String::new(), &mut sites);
    sites
}

// The walks share one pointer buffer: a segment is pushed before a child is
// entered and cut off after, so only the pointers kept are allocated.

/// An OpenAPI object (not a schema), or a mapping or list of them.
fn walk_object<'a>(value: &'a Value, pointer: &mut String, sites: &mut Sites<'a>) {
    match value {
        Value::Object(object) => {
            if let Some(reference) = object.get("$ref") {
                sites.refs.push((pointer.clone(), reference));
            }
            let in_components = pointer == "/components";
            for (key, child) in object {
                let parent = pointer.len();
                push_segment(pointer, key);
                match key.as_str() {
                    _ if key.starts_with("x-") => {}
                    "$ref" | "example" => {}
                    // Example and Link objects hold data; only their own `$ref` counts.
                    "examples" | "links" => {
                        if let Value::Object(entries) = child {
                            for (name, entry) in entries {
                                if let Some(reference) = entry.get("$ref") {
                                    sites.refs.push((join(pointer, name), reference));
                                }
                            }
                        }
                    }
                    "schema" => walk_schema(child, pointer, sites),
                    "schemas" if in_components => walk_schema_map(child, pointer, sites),
                    _ => walk_object(child, pointer, sites),
                }
                pointer.truncate(parent);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let parent = pointer.len();
                push_index(pointer, index);
                walk_object(item, pointer, sites);
                pointer.truncate(parent);
            }
        }
        _ => {}
    }
}

fn walk_schema_map<'a>(value: &'a Value, pointer: &mut String, sites: &mut Sites<'a>) {
    if let Value::Object(entries) = value {
        for (name, schema) in entries {
            let parent = pointer.len();
            push_segment(pointer, name);
            walk_schema(schema, pointer, sites);
            pointer.truncate(parent);
        }
    }
}

fn walk_schema<'a>(value: &'a Value, pointer: &mut String, sites: &mut Sites<'a>) {
    let Value::Object(object) = value else {
        // `true` and `false` are schemas in 3.1; anything else is a shape error
        // that openapiv3 reports.
        if value.is_boolean() {
            sites.schemas.push((pointer.clone(), value));
        }
        return;
    };
    sites.schemas.push((pointer.clone(), value));
    if let Some(reference) = object.get("$ref") {
        sites.refs.push((pointer.clone(), reference));
    }
    for (key, child) in object {
        let key = key.as_str();
        let parent = pointer.len();
        push_segment(pointer, key);
        if SUBSCHEMA_MAPS.contains(&key) {
            walk_schema_map(child, pointer, sites);
        } else if SUBSCHEMA_LISTS.contains(&key) || (key == "items" && child.is_array()) {
            if let Value::Array(items) = child {
                for (index, item) in items.iter().enumerate() {
                    let list = pointer.len();
                    push_index(pointer, index);
                    walk_schema(item, pointer, sites);
                    pointer.truncate(list);
                }
            }
        } else if SUBSCHEMA.contains(&key) {
            walk_schema(child, pointer, sites);
        }
        pointer.truncate(parent);
    }
}

fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(pointer, "/{index}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schemas_and_references_are_found_but_data_is_not_entered() {
        let document = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/P"}],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                    "example": {"$ref": "not a reference", "schema": {"type": "strin"}},
                    "examples": {"one": {"value": {"$ref": "data"}}, "two": {"$ref": "#/components/examples/E"}}
                }}}}
            }}},
            "components": {"schemas": {"A": {
                "properties": {"b": {"allOf": [{"$ref": "#/components/schemas/A"}]}},
                "default": {"schema": {}},
                "x-thing": {"$ref": "ignored"}
            }}}
        });
        let sites = sites(&document);
        let schemas: Vec<&str> = sites.schemas.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(
            schemas,
            [
                "/paths/~1a/get/responses/200/content/application~1json/schema",
                "/paths/~1a/get/responses/200/content/application~1json/schema/items",
                "/components/schemas/A",
                "/components/schemas/A/properties/b",
                "/components/schemas/A/properties/b/allOf/0",
            ]
        );
        for (at, node) in &sites.schemas {
            assert!(std::ptr::eq(document.pointer(at).unwrap(), *node), "{at}");
        }
        let refs: Vec<&str> = sites.refs.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(
            refs,
            [
                "/paths/~1a/get/parameters/0",
                "/paths/~1a/get/responses/200/content/application~1json/schema/items",
                "/paths/~1a/get/responses/200/content/application~1json/examples/two",
                "/components/schemas/A/properties/b/allOf/0",
            ]
        );
    }
}
