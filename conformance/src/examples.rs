//! Every `example`/`examples` of a component schema and of a JSON media type
//! (request bodies, responses, parameters given by `content`), with the
//! schema it illustrates and whether it is valid against it.
//!
//! An example that contradicts its own schema is the spec's fault: it is
//! listed as [`Verdict::Invalid`] with the validator's messages, and a
//! decoder is not expected to take it. The valid ones must decode into the
//! generated type of their schema ([`Example::component`] names it when the
//! schema is a component, or a `$ref` to one).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::{self, OperationRef};
use crate::schema::{Direction, SchemaValidator};

/// What the validator said of an example.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Valid,
    /// Not valid against its schema: the validator's messages.
    Invalid(Vec<String>),
    /// Not judged, and why (an `externalValue`, no schema, a dangling `$ref`).
    Unchecked(String),
}

/// One example of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// JSON pointer of the example's value in the document (for a `$ref` to
    /// `components/examples`, the component's `value`).
    pub pointer: String,
    /// JSON pointer of the schema it illustrates: the component's when the
    /// media type's schema is a `$ref` to one.
    pub schema_pointer: Option<String>,
    /// The component schema's name, when the schema is one.
    pub component: Option<String>,
    /// Where it travels: a request body's or parameter's example is a
    /// request, a response's a response, a component's either.
    pub direction: Direction,
    pub value: Value,
    pub verdict: Verdict,
    /// The first operation whose request body, response or parameter the
    /// example was found through (for an example of a shared component
    /// response, request body or parameter, which is under none).
    pub used_by: Option<Use>,
}

/// What an example of a media type illustrates, in one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Use {
    Request(OperationRef),
    /// A response, by its status as the spec writes it (`200`, `4XX`,
    /// `default`), and its media type (`application/vnd.github.star+json`).
    Response(OperationRef, String, String),
    /// A parameter given by `content`, by its name.
    Parameter(OperationRef, String),
}

/// Counts of a document's examples.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub found: usize,
    pub valid: usize,
    pub invalid: usize,
    pub unchecked: usize,
}

impl Tally {
    pub fn of(examples: &[Example]) -> Tally {
        let mut tally = Tally::default();
        for example in examples {
            tally.found += 1;
            match example.verdict {
                Verdict::Valid => tally.valid += 1,
                Verdict::Invalid(_) => tally.invalid += 1,
                Verdict::Unchecked(_) => tally.unchecked += 1,
            }
        }
        tally
    }
}

/// Every example of the document, each judged; sorted by pointer, each
/// (example, schema) pair once however many operations share it.
pub fn examples(validator: &SchemaValidator) -> Vec<Example> {
    let doc = validator.document();
    let mut found: BTreeMap<(String, Option<String>), Example> = BTreeMap::new();
    let mut add = |example: Example| {
        found
            .entry((example.pointer.clone(), example.schema_pointer.clone()))
            .or_insert(example);
    };
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let at = format!("/components/schemas/{}", document::escape(name));
            for (pointer, value) in schema_examples(schema, &at) {
                add(judge(
                    validator,
                    pointer,
                    Some((at.clone(), Some(name.clone()))),
                    Direction::Any,
                    value,
                ));
            }
        }
    }
    for operation in document::operations(doc) {
        for (media_at, direction, used) in media_types(doc, &operation) {
            for mut example in media_type_examples(validator, &media_at, direction) {
                example.used_by = Some(used.clone());
                add(example);
            }
        }
    }
    // The payloads the API sends to webhooks: requests, the other way.
    for root in ["webhooks", "x-webhooks"] {
        let Some(webhooks) = doc.get(root).and_then(Value::as_object) else {
            continue;
        };
        for (name, item) in webhooks {
            let Some(item) = item.as_object() else {
                continue;
            };
            for method in item.keys() {
                let body_at = format!("/{root}/{}/{method}/requestBody", document::escape(name));
                let (body_at, body) = follow_pointer(doc, body_at);
                let content = body
                    .and_then(|b| b.get("content"))
                    .and_then(Value::as_object);
                for media_type in content.into_iter().flat_map(|c| c.keys()) {
                    if document::is_json_media_type(media_type) {
                        let media_at =
                            format!("{body_at}/content/{}", document::escape(media_type));
                        for example in media_type_examples(validator, &media_at, Direction::Request)
                        {
                            add(example);
                        }
                    }
                }
            }
        }
    }
    found.into_values().collect()
}

/// A schema's own examples: 3.0 `example`, 3.1 `examples` (a list).
fn schema_examples(schema: &Value, at: &str) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    if let Some(value) = schema.get("example") {
        out.push((format!("{at}/example"), value.clone()));
    }
    if let Some(list) = schema.get("examples").and_then(Value::as_array) {
        for (index, value) in list.iter().enumerate() {
            out.push((format!("{at}/examples/{index}"), value.clone()));
        }
    }
    out
}

/// The pointers of an operation's JSON media types (after `$ref`s), with
/// the direction each travels and what it is in the operation.
fn media_types(doc: &Value, operation: &OperationRef) -> Vec<(String, Direction, Use)> {
    let mut out = Vec::new();
    let item_at = operation.path_item_pointer();
    let op_at = operation.pointer();
    let content_of = |holder_at: String,
                      direction: Direction,
                      used: Use,
                      out: &mut Vec<(String, Direction, Use)>| {
        let (holder_at, holder) = follow_pointer(doc, holder_at);
        if let Some(content) = holder
            .and_then(|h| h.get("content"))
            .and_then(Value::as_object)
        {
            for media_type in content.keys().filter(|m| document::is_json_media_type(m)) {
                let used = match &used {
                    Use::Response(operation, status, _) => {
                        Use::Response(operation.clone(), status.clone(), media_type.clone())
                    }
                    other => other.clone(),
                };
                out.push((
                    format!("{holder_at}/content/{}", document::escape(media_type)),
                    direction,
                    used,
                ));
            }
        }
    };
    content_of(
        format!("{op_at}/requestBody"),
        Direction::Request,
        Use::Request(operation.clone()),
        &mut out,
    );
    if let Some(responses) = doc
        .pointer(&format!("{op_at}/responses"))
        .and_then(Value::as_object)
    {
        for status in responses.keys() {
            content_of(
                format!("{op_at}/responses/{}", document::escape(status)),
                Direction::Response,
                Use::Response(operation.clone(), status.clone(), String::new()),
                &mut out,
            );
        }
    }
    for parameters_at in [
        format!("{item_at}/parameters"),
        format!("{op_at}/parameters"),
    ] {
        let count = doc
            .pointer(&parameters_at)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        for index in 0..count {
            let at = format!("{parameters_at}/{index}");
            let name = follow_pointer(doc, at.clone())
                .1
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            content_of(
                at,
                Direction::Request,
                Use::Parameter(operation.clone(), name),
                &mut out,
            );
        }
    }
    out
}

/// The pointer a chain of `$ref`s from `at` ends at, and the value there.
fn follow_pointer(doc: &Value, mut at: String) -> (String, Option<&Value>) {
    for _ in 0..32 {
        let Some(value) = doc.pointer(&at) else {
            return (at, None);
        };
        match document::reference_of(value).and_then(document::ref_pointer) {
            Some(next) => at = next,
            None => return (at, Some(value)),
        }
    }
    (at, None)
}

fn media_type_examples(
    validator: &SchemaValidator,
    media_at: &str,
    direction: Direction,
) -> Vec<Example> {
    let doc = validator.document();
    let Some(media) = doc.pointer(media_at) else {
        return Vec::new();
    };
    let schema = media.get("schema").map(|schema| {
        match document::reference_of(schema).and_then(document::ref_pointer) {
            Some(pointer) => {
                let component = pointer
                    .strip_prefix("/components/schemas/")
                    .filter(|name| !name.contains('/'))
                    .map(document::unescape);
                (pointer, component)
            }
            None => (format!("{media_at}/schema"), None),
        }
    });
    let mut out = Vec::new();
    if let Some(value) = media.get("example") {
        out.push(judge(
            validator,
            format!("{media_at}/example"),
            schema.clone(),
            direction,
            value.clone(),
        ));
    }
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        for name in examples.keys() {
            let (example_at, example) = follow_pointer(
                doc,
                format!("{media_at}/examples/{}", document::escape(name)),
            );
            let Some(example) = example else {
                out.push(unchecked(
                    example_at,
                    schema.clone(),
                    direction,
                    "its `$ref` points to nothing",
                ));
                continue;
            };
            match example.get("value") {
                Some(value) => out.push(judge(
                    validator,
                    format!("{example_at}/value"),
                    schema.clone(),
                    direction,
                    value.clone(),
                )),
                None if example.get("externalValue").is_some() => {
                    out.push(unchecked(
                        example_at,
                        schema.clone(),
                        direction,
                        "an `externalValue`, not read",
                    ));
                }
                None => {}
            }
        }
    }
    if let Some(inline) = media
        .get("schema")
        .filter(|s| document::reference_of(s).is_none())
    {
        for (pointer, value) in schema_examples(inline, &format!("{media_at}/schema")) {
            out.push(judge(validator, pointer, schema.clone(), direction, value));
        }
    }
    out
}

fn judge(
    validator: &SchemaValidator,
    pointer: String,
    schema: Option<(String, Option<String>)>,
    direction: Direction,
    value: Value,
) -> Example {
    let Some((schema_pointer, component)) = schema else {
        return unchecked(pointer, None, direction, "its media type has no schema");
    };
    let verdict = match validator.document().pointer(&schema_pointer) {
        None => Verdict::Unchecked(format!("its schema {schema_pointer} does not exist")),
        Some(schema) => match validator.validate(schema, &value, direction) {
            Ok(()) => Verdict::Valid,
            Err(messages) => Verdict::Invalid(messages),
        },
    };
    Example {
        pointer,
        schema_pointer: Some(schema_pointer),
        component,
        direction,
        value,
        verdict,
        used_by: None,
    }
}

fn unchecked(
    pointer: String,
    schema: Option<(String, Option<String>)>,
    direction: Direction,
    why: &str,
) -> Example {
    let (schema_pointer, component) = schema.unzip();
    Example {
        pointer,
        schema_pointer,
        component: component.flatten(),
        direction,
        value: Value::Null,
        verdict: Verdict::Unchecked(why.to_string()),
        used_by: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;

    fn spec() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/pets": {
                    "parameters": [{"name": "filter", "in": "query", "content": {"application/json": {
                        "schema": {"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}},
                        "example": {"q": "cats"}
                    }}}],
                    "post": {
                        "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                        "responses": {
                            "201": {"description": "made", "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}, "examples": {
                                    "rex": {"value": {"id": 1, "name": "Rex"}},
                                    "shared": {"$ref": "#/components/examples/NoId"},
                                    "far": {"externalValue": "https://example.com/pet.json"}
                                }},
                                "text/plain": {"schema": {"type": "string"}, "example": "not json, not listed"}
                            }}
                        }
                    }
                }
            },
            "components": {
                "requestBodies": {"NewPet": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"},
                    "example": {"name": "Rex"}
                }}}},
                "examples": {"NoId": {"value": {"name": "Rex"}}},
                "schemas": {
                    "Pet": {"type": "object", "required": ["id", "name"],
                            "properties": {"id": {"type": "integer", "readOnly": true}, "name": {"type": "string"}},
                            "example": {"id": 1, "name": "Rex"}},
                    "Age": {"type": "integer", "minimum": 0, "example": -1}
                }
            }
        })
    }

    #[test]
    fn every_example_is_found_with_its_schema_and_judged() {
        let validator = SchemaValidator::new(Arc::new(spec()));
        let found = examples(&validator);
        let summary: Vec<(&str, Option<&str>, &Verdict)> = found
            .iter()
            .map(|e| (e.pointer.as_str(), e.component.as_deref(), &e.verdict))
            .collect();
        let invalid = |found: &[Example], pointer: &str| {
            found
                .iter()
                .find(|e| e.pointer == pointer)
                .map(|e| matches!(e.verdict, Verdict::Invalid(_)))
        };
        assert_eq!(found.len(), 7, "{summary:#?}");
        let used_by = |pointer: &str| {
            found
                .iter()
                .find(|e| e.pointer == pointer)
                .and_then(|e| e.used_by.clone())
        };
        let post = OperationRef::new("/pets", "post");
        // A shared request body's example, under no operation, is told the
        // operation it was found through.
        assert_eq!(
            used_by("/components/requestBodies/NewPet/content/application~1json/example"),
            Some(Use::Request(post.clone()))
        );
        assert_eq!(
            used_by("/paths/~1pets/parameters/0/content/application~1json/example"),
            Some(Use::Parameter(post.clone(), "filter".into()))
        );
        assert_eq!(
            used_by(
                "/paths/~1pets/post/responses/201/content/application~1json/examples/rex/value"
            ),
            Some(Use::Response(post, "201".into(), "application/json".into()))
        );
        assert_eq!(used_by("/components/schemas/Pet/example"), None);
        assert_eq!(
            invalid(&found, "/components/schemas/Pet/example"),
            Some(false)
        );
        assert_eq!(
            invalid(&found, "/components/schemas/Age/example"),
            Some(true),
            "below its minimum"
        );
        // A request may leave out the readOnly `id`; a response may not.
        assert_eq!(
            invalid(
                &found,
                "/components/requestBodies/NewPet/content/application~1json/example"
            ),
            Some(false)
        );
        assert_eq!(
            invalid(&found, "/components/examples/NoId/value"),
            Some(true)
        );
        assert_eq!(
            invalid(
                &found,
                "/paths/~1pets/post/responses/201/content/application~1json/examples/rex/value"
            ),
            Some(false)
        );
        assert_eq!(
            invalid(
                &found,
                "/paths/~1pets/parameters/0/content/application~1json/example"
            ),
            Some(false)
        );
        let far = found
            .iter()
            .find(|e| e.pointer.ends_with("/examples/far"))
            .unwrap();
        assert!(matches!(&far.verdict, Verdict::Unchecked(why) if why.contains("externalValue")));
        let shared = found
            .iter()
            .find(|e| e.pointer == "/components/examples/NoId/value")
            .unwrap();
        assert_eq!(shared.component.as_deref(), Some("Pet"));
        assert_eq!(
            shared.schema_pointer.as_deref(),
            Some("/components/schemas/Pet")
        );
        assert_eq!(
            Tally::of(&found),
            Tally {
                found: 7,
                valid: 4,
                invalid: 2,
                unchecked: 1
            }
        );
    }
}
