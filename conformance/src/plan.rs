//! The arguments a driver calls an operation with: every parameter and the
//! request body, synthesized from the spec, once with the required ones only
//! ([`Mode::Required`]) and once with every optional one set ([`Mode::Full`]);
//! and the schema-valid responses a server may answer.

use serde_json::Value;

use crate::document::{self, OperationRef};
use crate::schema::Direction;
use crate::synth::{Mode, Synth, SynthError};

/// One parameter with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    pub required: bool,
    /// `style`, with the location's default when the spec gives none.
    pub style: String,
    /// `explode`, with the style's default (true for `form` only).
    pub explode: bool,
    pub allow_reserved: bool,
    /// The media type of a parameter given by `content` (its value is then
    /// serialized as that media type, not by `style`).
    pub content_type: Option<String>,
    /// The parameter's schema as written (a `content` parameter's media type schema).
    pub schema: Option<Value>,
    pub value: Value,
}

/// The request body with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub required: bool,
    pub value: Value,
    /// The media type's `encoding` map (form and multipart bodies), as written.
    pub encoding: Option<Value>,
    /// The properties that are files (`format: binary`, or a non-text
    /// `contentMediaType`), items of arrays included: multipart file parts.
    pub files: Vec<String>,
    /// The media type's schema as written.
    pub schema: Option<Value>,
}

/// What is left out of a plan because no value could be made for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// `parameter query limit`, `body application/json`, `response 200 application/json`.
    pub what: String,
    pub required: bool,
    pub error: SynthError,
}

/// One call of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationPlan {
    pub operation: OperationRef,
    pub operation_id: Option<String>,
    pub mode: Mode,
    pub arguments: Vec<Argument>,
    pub body: Option<Body>,
    /// Credentials for the operation's first security requirement (Prism
    /// checks that they are present), as arguments in their location.
    pub credentials: Vec<Argument>,
    /// Parameters and bodies without a value: a required one makes the plan
    /// unusable ([`OperationPlan::complete`] is false).
    pub gaps: Vec<Gap>,
}

impl OperationPlan {
    /// Whether every required argument has a value.
    pub fn complete(&self) -> bool {
        self.gaps.iter().all(|gap| !gap.required)
    }
}

/// A documented response with a schema-valid body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponsePlan {
    /// `200`, `4XX`, `default`.
    pub status: String,
    pub media_type: String,
    pub value: Result<Value, SynthError>,
}

/// The parameters of an operation: the path item's, overridden by the
/// operation's of the same name and location. Each with its pointer.
pub fn parameters<'a>(doc: &'a Value, operation: &OperationRef) -> Vec<(String, &'a Value)> {
    let mut found: Vec<(String, &Value)> = Vec::new();
    for holder in [operation.path_item_pointer(), operation.pointer()] {
        let Some(list) = doc
            .pointer(&format!("{holder}/parameters"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        for (index, raw) in list.iter().enumerate() {
            let Ok(parameter) = document::follow(doc, raw) else {
                continue;
            };
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            found.retain(|(_, existing)| key(existing) != key(parameter));
            if is_ignored_header(parameter) {
                continue;
            }
            found.push((format!("{holder}/parameters/{index}"), parameter));
        }
    }
    found
}

/// A header parameter named `Accept`, `Content-Type` or `Authorization`,
/// whose definition OpenAPI says "SHALL be ignored" (the media types and
/// the security scheme decide those headers).
pub fn is_ignored_header(parameter: &Value) -> bool {
    parameter.get("in").and_then(Value::as_str) == Some("header")
        && parameter
            .get("name")
            .and_then(Value::as_str)
            .is_some_and(|name| {
                ["accept", "content-type", "authorization"]
                    .iter()
                    .any(|h| name.eq_ignore_ascii_case(h))
            })
}

/// The names of the operation's ignored header parameters ([`is_ignored_header`]).
pub fn ignored_headers(doc: &Value, operation: &OperationRef) -> Vec<String> {
    let mut out = Vec::new();
    for holder in [operation.path_item_pointer(), operation.pointer()] {
        let list = doc
            .pointer(&format!("{holder}/parameters"))
            .and_then(Value::as_array);
        for raw in list.into_iter().flatten() {
            if let Ok(parameter) = document::follow(doc, raw)
                && is_ignored_header(parameter)
                && let Some(name) = parameter.get("name").and_then(Value::as_str)
            {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// The plan of one call of `operation` in `mode`.
pub fn plan(synth: &Synth, operation: &OperationRef, mode: Mode) -> OperationPlan {
    let doc = synth.validator().document();
    let op = doc.pointer(&operation.pointer()).unwrap_or(&Value::Null);
    let mut plan = OperationPlan {
        operation: operation.clone(),
        operation_id: op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_string),
        mode,
        arguments: Vec::new(),
        body: None,
        credentials: credentials(doc, op),
        gaps: Vec::new(),
    };
    for (_, parameter) in parameters(doc, operation) {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let required = location == "path" || parameter.get("required") == Some(&Value::Bool(true));
        if mode == Mode::Required && !required {
            continue;
        }
        let content = parameter
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().next());
        let schema = match content {
            Some((_, media)) => media.get("schema"),
            None => parameter.get("schema"),
        };
        let style = parameter
            .get("style")
            .and_then(Value::as_str)
            .unwrap_or(match location.as_str() {
                "query" | "cookie" => "form",
                _ => "simple",
            })
            .to_string();
        let explode = parameter
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let what = format!("parameter {location} {name}");
        let value = match schema {
            // The mode decides which parameters are sent, not how full their
            // values are: an empty array would be no parameter at all.
            Some(schema) => synth.value(schema, Mode::Full, Direction::Request),
            // A parameter without a schema takes any value; a string says least.
            None => Ok(Value::String("value".into())),
        };
        match value {
            Ok(value) => plan.arguments.push(Argument {
                name,
                location,
                required,
                style,
                explode,
                allow_reserved: parameter.get("allowReserved") == Some(&Value::Bool(true)),
                content_type: content.map(|(media_type, _)| media_type.clone()),
                schema: schema.cloned(),
                value,
            }),
            Err(error) => plan.gaps.push(Gap {
                what,
                required,
                error,
            }),
        }
    }
    // A variable of the path template no parameter declares (openai's
    // `{certificate_id}` beside a `cert_id` parameter) is still in the URL:
    // any string fills it, as the generated client takes one.
    let template = operation.path.split(['#', '?']).next().unwrap_or_default();
    for variable in template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
    {
        let declared = plan
            .arguments
            .iter()
            .any(|a| a.location == "path" && a.name == variable);
        if !declared {
            plan.arguments.push(Argument {
                name: variable.to_string(),
                location: "path".into(),
                required: true,
                style: "simple".into(),
                explode: false,
                allow_reserved: false,
                content_type: None,
                schema: None,
                value: Value::String("value".into()),
            });
        }
    }
    if let Some(body) = op
        .get("requestBody")
        .and_then(|b| document::follow(doc, b).ok())
    {
        let required = body.get("required") == Some(&Value::Bool(true));
        let content = body.get("content").and_then(Value::as_object);
        // JSON first where offered: it says the most about the schema.
        // JSON first where offered (it says the most about the schema),
        // `application/json` itself before other JSON types; a wildcard
        // (`application/*+json`) is no Content-Type and comes last.
        // Bytes have no JSON form: a body with files, offered as multipart
        // too, is multipart.
        let chosen = content.and_then(|c| {
            let multipart = c.contains_key("multipart/form-data");
            let rank = |media_type: &str, media: &Value| {
                let files = media
                    .get("schema")
                    .is_some_and(|s| !file_properties(doc, s).is_empty());
                (
                    multipart && files && document::is_json_media_type(media_type),
                    media_type.contains('*'),
                    !document::is_json_media_type(media_type),
                    media_type != "application/json",
                )
            };
            c.iter()
                .min_by_key(|(media_type, media)| rank(media_type, media))
        });
        // An optional body whose schema admits only `{}` (Stripe's GETs
        // declare an empty form) has nothing to send: the contract
        // is no argument, and nothing on the wire, Content-Type included.
        let only_empty = chosen
            .and_then(|(_, media)| media.get("schema"))
            .is_some_and(|schema| admits_only_empty_object(doc, schema));
        if let Some((written, media)) = chosen
            && (required || (mode == Mode::Full && !only_empty))
        {
            let media_type = &concrete_media_type(written);
            let value = match media.get("schema") {
                Some(schema) => synth.value(schema, mode, Direction::Request),
                None => Ok(Value::String("body".into())),
            };
            match value {
                Ok(mut value) => {
                    // The plain method asks for one JSON answer, not the stream
                    // (README: `stream` is `false` there, `true` in `_stream`).
                    if streams(doc, op)
                        && media
                            .get("schema")
                            .is_some_and(|s| has_boolean(doc, s, "stream", 0))
                        && let Some(object) = value.as_object_mut()
                    {
                        object.insert("stream".into(), Value::Bool(false));
                    }
                    plan.body = Some(Body {
                        media_type: media_type.clone(),
                        required,
                        value,
                        encoding: media.get("encoding").cloned(),
                        files: media
                            .get("schema")
                            .map(|s| file_properties(doc, s))
                            .unwrap_or_default(),
                        schema: media.get("schema").cloned(),
                    })
                }
                Err(error) => plan.gaps.push(Gap {
                    what: format!("body {media_type}"),
                    required,
                    error,
                }),
            }
        }
    }
    plan
}

/// Whether a schema (after `$ref`s) is an object with no property to hold:
/// no `properties`, or none, and `additionalProperties` absent or `false`.
fn admits_only_empty_object(doc: &Value, schema: &Value) -> bool {
    let Ok(schema) = document::follow(doc, schema) else {
        return false;
    };
    let object = schema.get("type").and_then(Value::as_str) == Some("object");
    let no_properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(serde_json::Map::is_empty);
    let closed = matches!(schema.get("additionalProperties"), Some(Value::Bool(false)));
    let composed = ["allOf", "anyOf", "oneOf"]
        .iter()
        .any(|k| schema.get(*k).is_some());
    object && no_properties && closed && !composed
}

/// A media type a request can carry: `*/*` is sent as JSON, and a wildcard
/// part is made concrete (`application/*+json` → `application/x+json`).
fn concrete_media_type(written: &str) -> String {
    if written.trim() == "*/*" {
        "application/json".to_string()
    } else {
        written.replace('*', "x")
    }
}

/// Credentials for the first security requirement that asks for any (the
/// operation's `security`, else the document's): made-up values, in the
/// place each scheme says.
fn credentials(doc: &Value, op: &Value) -> Vec<Argument> {
    let requirements = op
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array);
    let Some(requirement) = requirements
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .find(|r| !r.is_empty())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in requirement.keys() {
        let scheme = doc
            .pointer(&format!(
                "/components/securitySchemes/{}",
                document::escape(name)
            ))
            .and_then(|s| document::follow(doc, s).ok());
        let Some(scheme) = scheme else { continue };
        let kind = scheme
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let (location, name, value) = match kind {
            "apiKey" => (
                scheme
                    .get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("header")
                    .to_string(),
                scheme
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("api_key")
                    .to_string(),
                "conformance-key".to_string(),
            ),
            "http" => {
                let http = scheme
                    .get("scheme")
                    .and_then(Value::as_str)
                    .unwrap_or("bearer");
                let value = if http.eq_ignore_ascii_case("basic") {
                    // `user:pass` in base64.
                    "Basic dXNlcjpwYXNz".to_string()
                } else {
                    format!(
                        "{}{} conformance-token",
                        http[..1].to_uppercase(),
                        &http[1..]
                    )
                };
                ("header".to_string(), "Authorization".to_string(), value)
            }
            "oauth2" | "openIdConnect" => (
                "header".into(),
                "Authorization".into(),
                "Bearer conformance-token".into(),
            ),
            _ => continue,
        };
        let style = if location == "header" {
            "simple"
        } else {
            "form"
        };
        out.push(Argument {
            name,
            location,
            required: true,
            style: style.to_string(),
            explode: style == "form",
            allow_reserved: false,
            content_type: None,
            schema: None,
            value: Value::String(value),
        });
    }
    out
}

/// The properties of an object schema (through `$ref`s and `allOf`) whose
/// values are files.
fn file_properties(doc: &Value, schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_files(doc, schema, &mut out, 0);
    out
}

fn collect_files(doc: &Value, schema: &Value, out: &mut Vec<String>, depth: usize) {
    let Ok(schema) = document::follow(doc, schema) else {
        return;
    };
    if depth > 16 {
        return;
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let Ok(property) = document::follow(doc, property) else {
                continue;
            };
            let file_or_files = |schema: &Value| {
                let item = schema
                    .get("items")
                    .and_then(|i| document::follow(doc, i).ok())
                    .unwrap_or(schema);
                is_file(item)
            };
            // One file or several (`oneOf: [array of binary, binary]`).
            let branches: Vec<&Value> = ["oneOf", "anyOf"]
                .iter()
                .filter_map(|k| property.get(*k).and_then(Value::as_array))
                .flatten()
                .filter_map(|b| document::follow(doc, b).ok())
                .collect();
            let files = match branches.is_empty() {
                true => file_or_files(property),
                false => branches.into_iter().all(file_or_files),
            };
            if files && !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_files(doc, part, out, depth + 1);
    }
}

/// Whether the operation answers with an event stream or one JSON body:
/// the generated client has a plain method beside the streaming one.
fn streams(doc: &Value, op: &Value) -> bool {
    let media: Vec<&String> = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, response)| document::follow(doc, response).ok())
        .filter_map(|response| response.get("content").and_then(Value::as_object))
        .flat_map(|content| content.keys())
        .collect();
    media.iter().any(|m| m.starts_with("text/event-stream"))
        && media.iter().any(|m| document::is_json_media_type(m))
}

/// Whether an object schema (or one of its `allOf` parts) has a boolean
/// property of this name.
fn has_boolean(doc: &Value, schema: &Value, name: &str, depth: usize) -> bool {
    let Ok(schema) = document::follow(doc, schema) else {
        return false;
    };
    let is_boolean = |schema: &Value| {
        schema.get("type").is_some_and(|t| {
            t == "boolean" || t.as_array().is_some_and(|a| a.contains(&"boolean".into()))
        })
    };
    // A boolean, or a union with a boolean branch (3.1's `anyOf: [boolean, null]`).
    let boolean = schema
        .get("properties")
        .and_then(|p| p.get(name))
        .and_then(|p| document::follow(doc, p).ok())
        .is_some_and(|property| {
            is_boolean(property)
                || ["anyOf", "oneOf"]
                    .iter()
                    .filter_map(|k| property.get(*k).and_then(Value::as_array))
                    .flatten()
                    .filter_map(|b| document::follow(doc, b).ok())
                    .any(is_boolean)
        });
    boolean
        || (depth < 8
            && schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|part| has_boolean(doc, part, name, depth + 1)))
}

fn is_file(schema: &Value) -> bool {
    let format = schema.get("format").and_then(Value::as_str);
    let media = schema.get("contentMediaType").and_then(Value::as_str);
    format == Some("binary") || media.is_some_and(|m| !m.starts_with("text/"))
}

/// A schema-valid body for every documented response and media type that
/// has a schema.
pub fn responses(synth: &Synth, operation: &OperationRef, mode: Mode) -> Vec<ResponsePlan> {
    let doc = synth.validator().document();
    let Some(responses) = doc
        .pointer(&format!("{}/responses", operation.pointer()))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (status, response) in responses {
        let Ok(response) = document::follow(doc, response) else {
            continue;
        };
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            continue;
        };
        for (media_type, media) in content {
            if let Some(schema) = media.get("schema") {
                out.push(ResponsePlan {
                    status: status.clone(),
                    media_type: media_type.clone(),
                    value: synth.value(schema, mode, Direction::Response),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn required_mode_takes_required_arguments_and_full_mode_all() {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "integer", "minimum": 1}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                "post": {
                    "parameters": [{"name": "limit", "in": "query", "required": true, "schema": {"type": "integer", "maximum": 5}},
                                   {"name": "ids", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}},
                                   {"name": "filter", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
                                   {"name": "bad", "in": "header", "schema": {"type": "string", "minLength": 3, "maxLength": 1}}],
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}},
                                                                                     "encoding": {"a": {"style": "form"}}}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "integer"}}}},
                                  "204": {"description": "none"}}
                }
            }}
        });
        let synth = Synth::new(&doc);
        let operation = OperationRef::new("/items/{id}", "post");
        let required = plan(&synth, &operation, Mode::Required);
        let names: Vec<&str> = required.arguments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["id", "limit"]);
        assert!(
            required.arguments[1].value.as_i64().unwrap() <= 5,
            "the operation's `limit` overrides the path item's"
        );
        assert!(required.body.is_none(), "the body is optional");
        assert!(required.complete());
        let full = plan(&synth, &operation, Mode::Full);
        let names: Vec<&str> = full.arguments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["id", "limit", "ids", "filter"]);
        let ids = &full.arguments[2];
        assert_eq!((ids.style.as_str(), ids.explode), ("form", false));
        assert_eq!(
            full.arguments[3].content_type.as_deref(),
            Some("application/json")
        );
        assert_eq!(
            full.body.as_ref().unwrap().media_type,
            "application/x-www-form-urlencoded"
        );
        assert_eq!(full.gaps.len(), 1);
        assert_eq!(full.gaps[0].what, "parameter header bad");
        assert!(
            full.complete(),
            "an optional parameter without a value does not spoil the plan"
        );
        let responses = responses(&synth, &operation, Mode::Full);
        assert_eq!(responses.len(), 1);
        assert!(responses[0].value.as_ref().unwrap().is_i64());
    }
}
