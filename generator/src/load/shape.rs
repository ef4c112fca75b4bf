//! Deeply nested schemas are checked band by band before openapiv3 reads them.
//!
//! openapiv3 reads a schema through untagged enums (`ReferenceOr`,
//! `SchemaKind`), and serde tries each variant of an untagged enum in turn,
//! each from the start: a node it cannot read at the bottom of n nested
//! schemas is read about 2ⁿ times before the conversion gives up (22 levels
//! took over 25 s). So the deep schemas are converted one band of
//! [`BAND`] levels at a time, from the deepest up, each with the bands below
//! it already checked and stood in for by `{}`: no conversion sees more than
//! [`BAND`] levels of schemas, and each node is in one band.

use std::collections::HashSet;

use openapiv3::{ReferenceOr, Schema};
use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, push_segment};

/// Schema levels converted at once: 2⁶ tries of a small band cost nothing.
const BAND: usize = 6;

/// Below this nesting (in JSON levels) no schema is [`BAND`] levels deep
/// enough to matter, and the walk is skipped: most specs stop here.
const SHALLOW: usize = 12;

/// Keywords whose value openapiv3 reads as one subschema.
const SUBSCHEMA: &[&str] = &["items", "additionalProperties", "not"];
/// Keywords whose value openapiv3 reads as a list of subschemas.
const SUBSCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf"];

/// The first schema openapiv3 cannot read, located, if a deep one is wrong.
pub fn check_deep_schemas(document: &Value) -> Result<(), Box<Diagnostic>> {
    if depth(document) <= SHALLOW {
        return Ok(());
    }
    let mut bands = Bands::default();
    bands.object(document, &mut String::new())
}

/// How many levels of mappings and lists `value` nests.
fn depth(value: &Value) -> usize {
    match value {
        Value::Object(object) => 1 + object.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

#[derive(Default)]
struct Bands {
    /// The schemas already checked, by address: a later band sees `{}` there.
    checked: HashSet<*const Value>,
}

impl Bands {
    /// An OpenAPI object (not a schema): finds the schemas inside, as the
    /// walk of `walk.rs` does.
    fn object(&mut self, value: &Value, pointer: &mut String) -> Result<(), Box<Diagnostic>> {
        match value {
            Value::Object(object) => {
                let in_components = pointer == "/components";
                for (key, child) in object {
                    if key.starts_with("x-") || matches!(key.as_str(), "example" | "examples") {
                        continue;
                    }
                    let parent = pointer.len();
                    push_segment(pointer, key);
                    match key.as_str() {
                        "schema" => {
                            self.schema(child, pointer)?;
                        }
                        "schemas" if in_components => {
                            if let Value::Object(schemas) = child {
                                self.schema_map(schemas, pointer)?;
                            }
                        }
                        _ => self.object(child, pointer)?,
                    }
                    pointer.truncate(parent);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let parent = pointer.len();
                    push_segment(pointer, &index.to_string());
                    self.object(item, pointer)?;
                    pointer.truncate(parent);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn schema_map(
        &mut self,
        schemas: &Map<String, Value>,
        pointer: &mut String,
    ) -> Result<usize, Box<Diagnostic>> {
        let mut height = 0;
        for (name, schema) in schemas {
            let parent = pointer.len();
            push_segment(pointer, name);
            height = height.max(self.schema(schema, pointer)?);
            pointer.truncate(parent);
        }
        Ok(height)
    }

    /// Checks the bands below `value` and, when it closes a band, `value`
    /// itself. Returns the height of what is left unchecked (0 once checked).
    fn schema(&mut self, value: &Value, pointer: &mut String) -> Result<usize, Box<Diagnostic>> {
        let Value::Object(object) = value else {
            return Ok(0);
        };
        let mut below = 0;
        for (key, child) in object {
            let parent = pointer.len();
            push_segment(pointer, key);
            let height = if key == "properties" {
                match child {
                    Value::Object(properties) => self.schema_map(properties, pointer)?,
                    _ => 0,
                }
            } else if SUBSCHEMA_LISTS.contains(&key.as_str()) {
                let mut height = 0;
                for (index, item) in child.as_array().into_iter().flatten().enumerate() {
                    let list = pointer.len();
                    push_segment(pointer, &index.to_string());
                    height = height.max(self.schema(item, pointer)?);
                    pointer.truncate(list);
                }
                height
            } else if SUBSCHEMA.contains(&key.as_str()) {
                self.schema(child, pointer)?
            } else {
                0
            };
            below = below.max(height);
            pointer.truncate(parent);
        }
        let height = below + 1;
        if height < BAND {
            return Ok(height);
        }
        let band = self.stubbed(value, true);
        if let Err(err) = serde_path_to_error::deserialize::<_, ReferenceOr<Schema>>(band) {
            return Err(Box::new(super::shape_error(&err, pointer)));
        }
        self.checked.insert(value);
        Ok(0)
    }

    /// A copy of `value` with the schemas already checked replaced by `{}`.
    fn stubbed(&self, value: &Value, root: bool) -> Value {
        if !root && self.checked.contains(&(value as *const Value)) {
            return Value::Object(Map::new());
        }
        match value {
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, child)| (key.clone(), self.stubbed(child, false)))
                    .collect(),
            ),
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.stubbed(item, false)).collect())
            }
            scalar => scalar.clone(),
        }
    }
}
