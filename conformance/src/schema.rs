//! OpenAPI schemas as JSON Schema 2020-12, and a validator over them.
//!
//! Both OpenAPI versions are brought to one dialect, so that one validator
//! (the `jsonschema` crate) judges every value and every example, and the
//! synthesizer reads one shape:
//!
//! - 3.0 `nullable: true` becomes `anyOf: [{type: "null"}, <schema>]`. A type
//!   array would not do: `{type: object, nullable: true, allOf: [$ref]}`
//!   must accept `null`, which the `allOf` part alone rejects. It is honoured
//!   in 3.1 documents too, which mix it in (the generator reads it there).
//! - 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric
//!   2020-12 form.
//! - 3.0 siblings of `$ref` are ignored, as that version says (except
//!   `nullable`, which specs write and the generator honours).
//! - `required` leaves out `readOnly` properties for requests and
//!   `writeOnly` ones for responses (OpenAPI 3.0 §4.7.25); [`Direction::Any`]
//!   leaves out both, for a component example that may illustrate either.
//! - `format: int32`/`int64` add the integer's range: a value past it cannot
//!   decode into the generated `i32`/`i64`.
//! - `$ref`s to `#/components/schemas/X` point into a registered resource of
//!   the converted components; a `$ref` to any other place of the document
//!   is replaced by a converted copy of its target.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value, json};

use crate::document::{self, Version};

/// Which side of the wire a value is for: it decides which of `readOnly` and
/// `writeOnly` properties may be left out, and which must not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by the client: `readOnly` properties are not required (and the
    /// synthesizer leaves them out).
    Request,
    /// Sent by the server: `writeOnly` properties are not required.
    Response,
    /// Either: neither kind is required.
    Any,
}

impl Direction {
    const ALL: [Direction; 3] = [Direction::Request, Direction::Response, Direction::Any];

    fn index(self) -> usize {
        match self {
            Direction::Request => 0,
            Direction::Response => 1,
            Direction::Any => 2,
        }
    }

    /// The URI under which the components converted for this direction are
    /// registered.
    pub fn resource_uri(self) -> &'static str {
        match self {
            Direction::Request => "urn:openapi:request",
            Direction::Response => "urn:openapi:response",
            Direction::Any => "urn:openapi:any",
        }
    }

    /// Whether a property with these annotations is left out of `required`.
    fn may_omit(self, read_only: bool, write_only: bool) -> bool {
        match self {
            Direction::Request => read_only,
            Direction::Response => write_only,
            Direction::Any => read_only || write_only,
        }
    }
}

/// A schema the validator could not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("`$ref: {0}` is not a reference inside the document")]
    ExternalRef(String),
    #[error("`$ref: {0}` points to nothing")]
    DanglingRef(String),
    #[error("`$ref`s to places other than components nest deeper than {0}")]
    TooDeep(usize),
    #[error("the schema is not valid JSON Schema: {0}")]
    Invalid(String),
}

/// How deep copies of `$ref`s to non-component places may nest (they are
/// inlined; a cycle through them would not end).
const MAX_INLINE_DEPTH: usize = 16;

/// Converts OpenAPI schemas of one document and validates values against them.
pub struct SchemaValidator {
    doc: Arc<Value>,
    version: Version,
    /// The converted `components.schemas`, per direction, built on first use.
    converted: [OnceLock<Result<Value, SchemaError>>; 3],
    registries: [OnceLock<Result<Registry<'static>, SchemaError>>; 3],
    /// Compiled validators, by direction and converted schema text.
    cache: RefCell<HashMap<(Direction, String), Arc<Validator>>>,
    /// Whether a discriminator picks the `oneOf` branch (OpenAPI's reading);
    /// off, `oneOf` is plain JSON Schema, as Prism reads it.
    discriminators: bool,
}

impl SchemaValidator {
    /// A validator for the schemas of `doc`. A document of no known version is
    /// read as 3.0.
    pub fn new(doc: Arc<Value>) -> SchemaValidator {
        let version = Version::of(&doc).unwrap_or(Version::V30);
        SchemaValidator {
            doc,
            version,
            converted: Default::default(),
            registries: Default::default(),
            cache: RefCell::new(HashMap::new()),
            discriminators: true,
        }
    }

    /// A validator that reads `oneOf` as plain JSON Schema, ignoring
    /// discriminators, as Prism does: a value it refuses and [`new`](Self::new)'s
    /// accepts is one Prism cannot judge.
    pub fn ignoring_discriminators(doc: Arc<Value>) -> SchemaValidator {
        SchemaValidator {
            discriminators: false,
            ..SchemaValidator::new(doc)
        }
    }

    pub fn document(&self) -> &Value {
        &self.doc
    }

    pub fn version(&self) -> Version {
        self.version
    }

    /// `schema` (as written in the document) in JSON Schema 2020-12 for
    /// `direction`.
    pub fn convert(&self, schema: &Value, direction: Direction) -> Result<Value, SchemaError> {
        Converter {
            doc: &self.doc,
            version: self.version,
            direction,
            inline_depth: 0,
            discriminators: self.discriminators,
        }
        .schema(schema)
    }

    /// The converted component schemas for `direction`, as registered.
    pub fn components(&self, direction: Direction) -> Result<&Value, SchemaError> {
        self.converted[direction.index()]
            .get_or_init(|| {
                let mut schemas = Map::new();
                if let Some(found) = self
                    .doc
                    .pointer("/components/schemas")
                    .and_then(Value::as_object)
                {
                    for (name, schema) in found {
                        schemas.insert(name.clone(), self.convert(schema, direction)?);
                    }
                }
                Ok(json!({"components": {"schemas": schemas}}))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A converted component schema, from a `$ref` of a converted schema
    /// (`urn:openapi:request#/components/schemas/Pet`).
    pub fn resolve_converted(&self, reference: &str) -> Option<&Value> {
        let direction = Direction::ALL
            .into_iter()
            .find(|d| reference.starts_with(d.resource_uri()))?;
        let fragment = &reference[direction.resource_uri().len()..];
        self.components(direction)
            .ok()?
            .pointer(&document::ref_pointer(fragment)?)
    }

    fn registry(&self, direction: Direction) -> Result<&Registry<'static>, SchemaError> {
        self.registries[direction.index()]
            .get_or_init(|| {
                let components = self.components(direction)?.clone();
                Registry::new()
                    .draft(Draft::Draft202012)
                    .add(direction.resource_uri(), components)
                    .and_then(|builder| builder.prepare())
                    .map_err(|err| SchemaError::Invalid(err.to_string()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// A compiled validator for an already converted schema.
    pub fn compile(
        &self,
        converted: &Value,
        direction: Direction,
    ) -> Result<Arc<Validator>, SchemaError> {
        let key = (direction, converted.to_string());
        if let Some(found) = self.cache.borrow().get(&key) {
            return Ok(found.clone());
        }
        let registry = self.registry(direction)?;
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(registry)
            .should_validate_formats(true)
            .with_format("byte", is_base64)
            .build(converted)
            .map_err(|err| SchemaError::Invalid(err.to_string()))?;
        let validator = Arc::new(validator);
        self.cache.borrow_mut().insert(key, validator.clone());
        Ok(validator)
    }

    /// Whether `value` is valid against `schema` (as written in the document)
    /// for `direction`; the validator's messages when not, each with the
    /// JSON pointer of the offending part of the value.
    pub fn validate(
        &self,
        schema: &Value,
        value: &Value,
        direction: Direction,
    ) -> Result<(), Vec<String>> {
        let converted = self
            .convert(schema, direction)
            .map_err(|err| vec![err.to_string()])?;
        self.validate_converted(&converted, value, direction)
    }

    /// [`validate`](Self::validate) for an already converted schema.
    pub fn validate_converted(
        &self,
        converted: &Value,
        value: &Value,
        direction: Direction,
    ) -> Result<(), Vec<String>> {
        let validator = self
            .compile(converted, direction)
            .map_err(|err| vec![err.to_string()])?;
        let messages: Vec<String> = validator
            .iter_errors(value)
            .map(|error| {
                let at = error.instance_path().to_string();
                if at.is_empty() {
                    error.to_string()
                } else {
                    format!("at {at}: {error}")
                }
            })
            .collect();
        if messages.is_empty() {
            Ok(())
        } else {
            Err(messages)
        }
    }
}

/// `format: byte`: base64 (RFC 4648, standard alphabet), padded or not.
fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() - body.len() <= 2
        && body.len() % 4 != 1
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Keywords whose value is a map of names to schemas.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is one schema.
const SCHEMA_SINGLES: [&str; 10] = [
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];

struct Converter<'a> {
    doc: &'a Value,
    version: Version,
    direction: Direction,
    inline_depth: usize,
    discriminators: bool,
}

impl Converter<'_> {
    fn schema(&self, schema: &Value) -> Result<Value, SchemaError> {
        let Some(object) = schema.as_object() else {
            // `true`/`false` (3.1) are schemas as they are; anything else is
            // left for the validator to refuse with its own message.
            return Ok(schema.clone());
        };
        let nullable = object.get("nullable") == Some(&Value::Bool(true));
        let mut out = Map::new();
        if let Some(reference) = document::reference_of(schema) {
            out = self.reference(reference)?;
            if self.version == Version::V31 {
                for (key, value) in object {
                    if key != "$ref" && key != "nullable" {
                        out.insert(key.clone(), self.keyword(key, value, object)?);
                    }
                }
            }
        } else {
            for (key, value) in object {
                if key == "nullable" {
                    continue;
                }
                if let Some((key, value)) = self.exclusive_bound(key, value, object) {
                    if let Some(value) = value {
                        out.insert(key, value);
                    }
                    continue;
                }
                if (key == "minimum" || key == "maximum") && self.bound_is_exclusive(key, object) {
                    continue;
                }
                if key == "items" && value.is_array() {
                    // A tuple `items` (draft 4-7 form) is 2020-12's
                    // `prefixItems`; items after it may be anything.
                    let tuple = self.keyword("prefixItems", value, object)?;
                    out.insert("prefixItems".into(), tuple);
                    continue;
                }
                out.insert(key.clone(), self.keyword(key, value, object)?);
            }
            if self.discriminators {
                self.dispatch_on_discriminator(object, &mut out);
            }
            if let Some(range) = object
                .get("format")
                .and_then(Value::as_str)
                .and_then(integer_range)
            {
                let mut all_of = match out.remove("allOf") {
                    Some(Value::Array(parts)) => parts,
                    _ => Vec::new(),
                };
                all_of.push(range);
                out.insert("allOf".into(), Value::Array(all_of));
            }
        }
        if nullable {
            let mut wrapper = Map::new();
            for annotation in ["readOnly", "writeOnly", "description"] {
                if let Some(value) = out.get(annotation) {
                    wrapper.insert(annotation.into(), value.clone());
                }
            }
            wrapper.insert(
                "anyOf".into(),
                json!([{"type": "null"}, Value::Object(out)]),
            );
            return Ok(Value::Object(wrapper));
        }
        Ok(Value::Object(out))
    }

    fn reference(&self, reference: &str) -> Result<Map<String, Value>, SchemaError> {
        let Some(pointer) = document::ref_pointer(reference) else {
            return Err(SchemaError::ExternalRef(reference.to_string()));
        };
        let target = self
            .doc
            .pointer(&pointer)
            .ok_or_else(|| SchemaError::DanglingRef(reference.to_string()))?;
        let is_component = pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|name| !name.contains('/'));
        if is_component {
            let mut out = Map::new();
            out.insert(
                "$ref".into(),
                Value::String(format!("{}{reference}", self.direction.resource_uri())),
            );
            return Ok(out);
        }
        if self.inline_depth >= MAX_INLINE_DEPTH {
            return Err(SchemaError::TooDeep(MAX_INLINE_DEPTH));
        }
        let deeper = Converter {
            inline_depth: self.inline_depth + 1,
            ..*self
        };
        match deeper.schema(target)? {
            Value::Object(map) => Ok(map),
            other => Ok(Map::from_iter([("allOf".to_string(), json!([other]))])),
        }
    }

    /// The 2020-12 form of a 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum`:
    /// `Some((key, None))` drops it, `Some((key, Some(n)))` replaces it;
    /// `None` when the keyword is not a boolean bound.
    fn exclusive_bound(
        &self,
        key: &str,
        value: &Value,
        object: &Map<String, Value>,
    ) -> Option<(String, Option<Value>)> {
        let bound = match key {
            "exclusiveMinimum" => "minimum",
            "exclusiveMaximum" => "maximum",
            _ => return None,
        };
        let flag = value.as_bool()?;
        let replaced = if flag {
            object.get(bound).cloned()
        } else {
            None
        };
        Some((key.to_string(), replaced))
    }

    fn bound_is_exclusive(&self, bound: &str, object: &Map<String, Value>) -> bool {
        let flag = if bound == "minimum" {
            "exclusiveMinimum"
        } else {
            "exclusiveMaximum"
        };
        object.get(flag) == Some(&Value::Bool(true))
    }

    fn keyword(
        &self,
        key: &str,
        value: &Value,
        object: &Map<String, Value>,
    ) -> Result<Value, SchemaError> {
        match (key, value) {
            (_, Value::Object(map)) if SCHEMA_MAPS.contains(&key) => {
                let mut out = Map::new();
                for (name, schema) in map {
                    out.insert(name.clone(), self.schema(schema)?);
                }
                return Ok(Value::Object(out));
            }
            _ if SCHEMA_SINGLES.contains(&key) => return self.schema(value),
            (_, Value::Array(list)) if SCHEMA_LISTS.contains(&key) => {
                let converted: Result<Vec<Value>, SchemaError> =
                    list.iter().map(|s| self.schema(s)).collect();
                return Ok(Value::Array(converted?));
            }
            ("required", Value::Array(names)) => {
                let kept = names
                    .iter()
                    .filter(|name| {
                        let Some(name) = name.as_str() else {
                            return true;
                        };
                        let property = object.get("properties").and_then(|p| p.get(name));
                        let (read_only, write_only) =
                            property.map(|p| self.access(p)).unwrap_or_default();
                        !self.direction.may_omit(read_only, write_only)
                    })
                    .cloned()
                    .collect();
                return Ok(Value::Array(kept));
            }
            _ => {}
        }
        Ok(value.clone())
    }

    /// A `oneOf`/`anyOf` of component `$ref`s under a `discriminator`: each
    /// branch also requires its tag (the `mapping` keys naming it, else its
    /// component name). OpenAPI picks the branch by the tag; without this, a
    /// value fitting two branches' properties (cats and dogs that both have
    /// a name) would be valid under none of a `oneOf`.
    fn dispatch_on_discriminator(&self, object: &Map<String, Value>, out: &mut Map<String, Value>) {
        let Some(discriminator) = object.get("discriminator").and_then(Value::as_object) else {
            return;
        };
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return;
        };
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        for keyword in ["oneOf", "anyOf"] {
            let Some(branches) = object.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            let Some(converted) = out.get(keyword).and_then(Value::as_array).cloned() else {
                continue;
            };
            let mut tagged = Vec::with_capacity(branches.len());
            for (branch, converted) in branches.iter().zip(converted) {
                let Some(reference) = document::reference_of(branch) else {
                    return;
                };
                let Some(name) = reference.strip_prefix("#/components/schemas/") else {
                    return;
                };
                let name = document::unescape(name);
                let mut tags: Vec<Value> = mapping
                    .into_iter()
                    .flatten()
                    .filter(|(_, target)| {
                        target.as_str().is_some_and(|t| t == reference || t == name)
                    })
                    .map(|(key, _)| Value::String(key.clone()))
                    .collect();
                if tags.is_empty() {
                    // Unmapped: the component name, unless the branch pins the
                    // tag to values of its own (`type: {enum: [response.created]}`),
                    // which the name could then never be (openai, pagerduty).
                    tags = self
                        .pinned_values(branch, property)
                        .unwrap_or_else(|| vec![Value::String(name)]);
                }
                tagged.push(json!({"allOf": [
                    {"required": [property], "properties": {property: {"enum": tags}}},
                    converted
                ]}));
            }
            out.insert(keyword.to_string(), Value::Array(tagged));
        }
    }

    /// The `enum`/`const` a schema (through `$ref`s and `allOf` parts) gives
    /// one of its properties.
    fn pinned_values(&self, schema: &Value, property: &str) -> Option<Vec<Value>> {
        let mut pending = vec![schema];
        let mut seen = 0;
        while let Some(current) = pending.pop() {
            seen += 1;
            if seen > 64 {
                return None;
            }
            let current = match document::reference_of(current) {
                Some(reference) => document::resolve(self.doc, reference)?,
                None => current,
            };
            if let Some(found) = current.get("properties").and_then(|p| p.get(property)) {
                let found = document::reference_of(found)
                    .and_then(|r| document::resolve(self.doc, r))
                    .unwrap_or(found);
                if let Some(values) = found.get("enum").and_then(Value::as_array) {
                    return Some(values.clone());
                }
                if let Some(value) = found.get("const") {
                    return Some(vec![value.clone()]);
                }
            }
            pending.extend(
                current
                    .get("allOf")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
        None
    }

    /// `(readOnly, writeOnly)` of a property schema, looking through one `$ref`
    /// (a sibling annotation of the `$ref` counts: specs write it there).
    fn access(&self, property: &Value) -> (bool, bool) {
        let flag = |schema: &Value, key: &str| schema.get(key) == Some(&Value::Bool(true));
        let target = document::reference_of(property).and_then(|r| document::resolve(self.doc, r));
        let read_only = flag(property, "readOnly") || target.is_some_and(|t| flag(t, "readOnly"));
        let write_only =
            flag(property, "writeOnly") || target.is_some_and(|t| flag(t, "writeOnly"));
        (read_only, write_only)
    }
}

/// The range an integer `format` implies, as a schema.
fn integer_range(format: &str) -> Option<Value> {
    match format {
        "int32" => Some(json!({"minimum": i32::MIN, "maximum": i32::MAX})),
        "int64" => Some(json!({"minimum": i64::MIN, "maximum": i64::MAX})),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(doc: Value) -> SchemaValidator {
        SchemaValidator::new(Arc::new(doc))
    }

    #[test]
    fn nullable_accepts_null_even_through_all_of() {
        let v = validator(json!({
            "openapi": "3.0.3",
            "components": {"schemas": {"Pet": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}
        }));
        let schema = json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/Pet"}]});
        assert_eq!(v.validate(&schema, &Value::Null, Direction::Any), Ok(()));
        assert_eq!(
            v.validate(&schema, &json!({"name": "Rex"}), Direction::Any),
            Ok(())
        );
        let errors = v.validate(&schema, &json!({}), Direction::Any).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("anyOf")), "{errors:?}");
    }

    #[test]
    fn boolean_exclusive_bounds_of_3_0() {
        let v = validator(json!({"openapi": "3.0.0"}));
        let schema =
            json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true, "maximum": 5});
        assert!(v.validate(&schema, &json!(1), Direction::Any).is_err());
        assert!(v.validate(&schema, &json!(2), Direction::Any).is_ok());
        assert!(v.validate(&schema, &json!(5), Direction::Any).is_ok());
    }

    #[test]
    fn ref_siblings_are_ignored_in_3_0_and_kept_in_3_1() {
        let components = json!({"schemas": {"S": {"type": "string"}}});
        let schema = json!({"$ref": "#/components/schemas/S", "maxLength": 2});
        let v30 = validator(json!({"openapi": "3.0.0", "components": components.clone()}));
        assert!(
            v30.validate(&schema, &json!("long"), Direction::Any)
                .is_ok()
        );
        let v31 = validator(json!({"openapi": "3.1.0", "components": components}));
        assert!(
            v31.validate(&schema, &json!("long"), Direction::Any)
                .is_err()
        );
    }

    #[test]
    fn read_only_is_required_only_in_responses_and_write_only_only_in_requests() {
        let v = validator(json!({"openapi": "3.0.0"}));
        let schema = json!({
            "type": "object",
            "required": ["id", "password"],
            "properties": {"id": {"type": "integer", "readOnly": true}, "password": {"type": "string", "writeOnly": true}}
        });
        assert!(
            v.validate(&schema, &json!({"password": "x"}), Direction::Request)
                .is_ok()
        );
        assert!(
            v.validate(&schema, &json!({"id": 1}), Direction::Response)
                .is_ok()
        );
        assert!(
            v.validate(&schema, &json!({"id": 1}), Direction::Request)
                .is_err()
        );
        assert!(v.validate(&schema, &json!({}), Direction::Any).is_ok());
    }

    #[test]
    fn formats_are_asserted_and_int32_has_its_range() {
        let v = validator(json!({"openapi": "3.0.0"}));
        let int32 = json!({"type": "integer", "format": "int32"});
        assert!(
            v.validate(&int32, &json!(2147483647), Direction::Any)
                .is_ok()
        );
        assert!(
            v.validate(&int32, &json!(2147483648_i64), Direction::Any)
                .is_err()
        );
        let uuid = json!({"type": "string", "format": "uuid"});
        assert!(
            v.validate(&uuid, &json!("not-a-uuid"), Direction::Any)
                .is_err()
        );
        let byte = json!({"type": "string", "format": "byte"});
        assert!(
            v.validate(&byte, &json!("aGVsbG8="), Direction::Any)
                .is_ok()
        );
        assert!(
            v.validate(&byte, &json!("not base64!"), Direction::Any)
                .is_err()
        );
    }

    #[test]
    fn refs_to_non_component_places_are_inlined_and_external_ones_refused() {
        let v = validator(json!({
            "openapi": "3.0.0",
            "paths": {"/a": {"get": {"x-schema": {"type": "integer"}}}}
        }));
        let inline = json!({"$ref": "#/paths/~1a/get/x-schema"});
        assert!(v.validate(&inline, &json!(3), Direction::Any).is_ok());
        assert!(v.validate(&inline, &json!("3"), Direction::Any).is_err());
        let external = json!({"$ref": "other.yaml#/Pet"});
        assert!(
            v.validate(&external, &json!(3), Direction::Any)
                .unwrap_err()[0]
                .contains("not a reference inside")
        );
    }

    #[test]
    fn a_discriminator_picks_the_one_of_branch_by_its_tag() {
        let v = validator(json!({"openapi": "3.0.0", "components": {"schemas": {
            "Cat": {"type": "object", "required": ["kind", "name"], "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}},
            "Dog": {"type": "object", "required": ["kind", "name"], "properties": {"kind": {"type": "string"}, "name": {"type": "string"}}}
        }}}));
        let schema = json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}
        });
        assert!(
            v.validate(
                &schema,
                &json!({"kind": "cat", "name": "Tom"}),
                Direction::Any
            )
            .is_ok()
        );
        assert!(
            v.validate(
                &schema,
                &json!({"kind": "Dog", "name": "Rex"}),
                Direction::Any
            )
            .is_ok()
        );
        assert!(
            v.validate(
                &schema,
                &json!({"kind": "Cat", "name": "Tom"}),
                Direction::Any
            )
            .is_err(),
            "mapped: the key, not the name"
        );
        assert!(
            v.validate(
                &schema,
                &json!({"kind": "bird", "name": "Tweety"}),
                Direction::Any
            )
            .is_err()
        );
    }

    #[test]
    fn a_bad_pattern_is_an_error_not_a_panic() {
        let v = validator(json!({"openapi": "3.0.0"}));
        let schema = json!({"type": "string", "pattern": "(unclosed"});
        let errors = v
            .validate(&schema, &json!("x"), Direction::Any)
            .unwrap_err();
        assert!(errors[0].contains("not valid JSON Schema"), "{errors:?}");
    }
}
