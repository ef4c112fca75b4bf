//! Walking a document's structure apart from its data.
//!
//! A `$ref` key is a reference only where the document has structure; inside
//! an `example`, a `default`, an `enum` or an Example Object's `value` it is
//! data (GitHub's SCIM examples hold `{"$ref": "https://api.github.com/…"}`).
//! Names are structure too: a property called `example` is a schema.

use serde_json::Value;

use crate::document;

/// What a JSON value is, in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// An OpenAPI or JSON Schema object (or a list of them).
    Structure,
    /// A map of names to structure: `properties`, `responses`, `components.schemas`…
    Names,
    /// A map of names to Example Objects (`examples` of a media type or a parameter).
    Examples,
    /// An Example Object: its `value` is data.
    Example,
    /// Example or default data: nothing inside is structure.
    Data,
}

/// Keywords whose value maps names to structure.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "variables",
];

/// What the member `key` (holding `value`) of an object at `parent` is.
pub fn member_place(parent: Place, key: &str, value: &Value) -> Place {
    match parent {
        Place::Data => Place::Data,
        Place::Names => Place::Structure,
        Place::Examples => Place::Example,
        Place::Example if key == "value" => Place::Data,
        Place::Example => Place::Structure,
        Place::Structure => match key {
            "example" | "default" | "enum" | "const" => Place::Data,
            "examples" if value.is_array() => Place::Data,
            "examples" => Place::Examples,
            _ if NAME_MAPS.contains(&key) && value.is_object() => Place::Names,
            _ => Place::Structure,
        },
    }
}

/// Every local reference in the structure of `value` (taken to be at
/// `place`): `$ref`s, and the targets of discriminator `mapping`s.
pub fn references(value: &Value, place: Place) -> Vec<String> {
    let mut found = Vec::new();
    collect(value, place, &mut found);
    found
}

fn collect(value: &Value, place: Place, found: &mut Vec<String>) {
    if place == Place::Data {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, place, found);
            }
        }
        Value::Object(object) => {
            if matches!(place, Place::Structure | Place::Example)
                && let Some(reference) = document::reference_of(value)
            {
                found.push(reference.to_string());
            }
            if place == Place::Structure
                && let Some(mapping) = object
                    .get("discriminator")
                    .and_then(|d| d.get("mapping"))
                    .and_then(Value::as_object)
            {
                for target in mapping.values().filter_map(Value::as_str) {
                    found.push(mapping_reference(target));
                }
            }
            for (key, member) in object {
                collect(member, member_place(place, key, member), found);
            }
        }
        _ => {}
    }
}

/// A discriminator mapping's target as a `$ref`: a bare name is a component schema.
pub fn mapping_reference(target: &str) -> String {
    if target.starts_with('#') || target.contains('/') {
        target.to_string()
    } else {
        format!("#/components/schemas/{target}")
    }
}

/// The JSON pointers of the data (examples, defaults, enums) that hold a
/// `$ref` key, in `value` taken to be at `place`.
pub fn refs_in_data(value: &Value, place: Place) -> Vec<String> {
    let mut found = Vec::new();
    find_in_data(value, place, "", &mut found);
    found
}

fn find_in_data(value: &Value, place: Place, at: &str, found: &mut Vec<String>) {
    if place == Place::Data {
        if data_has_ref_key(value) {
            found.push(at.to_string());
        }
        return;
    }
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                find_in_data(item, place, &format!("{at}/{index}"), found);
            }
        }
        Value::Object(object) => {
            for (key, member) in object {
                let at = format!("{at}/{}", document::escape(key));
                find_in_data(member, member_place(place, key, member), &at, found);
            }
        }
        _ => {}
    }
}

/// Whether data holds a `$ref` key anywhere.
pub fn data_has_ref_key(data: &Value) -> bool {
    match data {
        Value::Object(object) => {
            object.contains_key("$ref") || object.values().any(data_has_ref_key)
        }
        Value::Array(items) => items.iter().any(data_has_ref_key),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_in_data_are_not_references_but_names_are_structure() {
        let schema = json!({
            "type": "object",
            "properties": {
                "example": {"$ref": "#/components/schemas/A"},
                "enum": {"$ref": "#/components/schemas/B"}
            },
            "example": {"$ref": "https://example.com/not-a-ref"},
            "default": {"$ref": "#/nope"},
            "discriminator": {"propertyName": "k", "mapping": {"c": "C", "d": "#/components/schemas/D"}}
        });
        let mut found = references(&schema, Place::Structure);
        found.sort();
        assert_eq!(
            found,
            [
                "#/components/schemas/A",
                "#/components/schemas/B",
                "#/components/schemas/C",
                "#/components/schemas/D"
            ]
        );
    }

    #[test]
    fn example_objects_may_be_refs_but_their_values_are_data() {
        let media = json!({
            "examples": {
                "one": {"$ref": "#/components/examples/One"},
                "two": {"value": {"$ref": "refs/heads/main"}}
            }
        });
        assert_eq!(
            references(&media, Place::Structure),
            ["#/components/examples/One"]
        );
        assert!(data_has_ref_key(&media["examples"]["two"]["value"]));
    }
}
