//! What Prism 5.14 cannot judge, as measured on the probe specs
//! (`conformance/probes/`, table in `conformance/README.md`), applied to a
//! call: each limit of a call says why, and whether the call may still be
//! sent to Prism.
//!
//! - [`Reach::RecorderOnly`]: Prism refuses correct requests of this shape,
//!   or exits on them; the call goes to the loopback recorder only, where its
//!   bytes are compared with the reference encoding.
//! - [`Reach::AlsoRecorder`]: Prism judges the values but accepts wrong
//!   shapes too (either `explode` form, unknown deepObject keys, any cookie);
//!   the call goes to Prism and its bytes are compared on the recorder.

use serde_json::Value;

use crate::document;
use crate::plan::{Argument, OperationPlan};

/// Where a call with this limit can be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    AlsoRecorder,
    RecorderOnly,
}

/// One thing of a call Prism does not judge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// What of the call: `path parameter ids`, `body property meta`.
    pub what: String,
    /// The measured behaviour.
    pub why: &'static str,
    pub reach: Reach,
}

impl Limit {
    fn new(what: String, why: &'static str, reach: Reach) -> Limit {
        Limit { what, why, reach }
    }
}

/// Every limit that applies to `plan`.
pub fn limits(doc: &Value, plan: &OperationPlan) -> Vec<Limit> {
    let mut out = Vec::new();
    for name in crate::plan::ignored_headers(doc, &plan.operation) {
        out.push(Limit::new(
            format!("header parameter {name}"),
            "Prism requires a header parameter named Accept, Content-Type or Authorization, whose definition OpenAPI says SHALL be ignored",
            Reach::RecorderOnly,
        ));
    }
    if plan.operation.path.contains("{{") {
        out.push(Limit::new(
            format!("path template {}", plan.operation.path),
            "Prism reads no parameter in a doubled brace (`{{id}}`): `must have required property`",
            Reach::RecorderOnly,
        ));
    }
    if plan.operation.path.contains('?') {
        out.push(Limit::new(
            format!("path template {}", plan.operation.path),
            "Prism matches no request to a path template holding a query (404 `no path matched`)",
            Reach::RecorderOnly,
        ));
    }
    for argument in &plan.arguments {
        argument_limits(doc, argument, &mut out);
    }
    // Each deepObject query parameter the operation declares, sent or not.
    for (_, parameter) in crate::plan::parameters(doc, &plan.operation) {
        let deep = parameter.get("in").and_then(Value::as_str) == Some("query")
            && parameter.get("style").and_then(Value::as_str) == Some("deepObject");
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let sent = plan
            .arguments
            .iter()
            .find(|a| a.location == "query" && a.name == name);
        // The plan's own schema where it sent the parameter.
        let schema = sent.and_then(|a| a.schema.as_ref());
        if deep {
            out.extend(deep_object_limit(
                doc,
                &format!("query parameter {name}"),
                name,
                schema.or(parameter.get("schema")),
                sent.map(|a| &a.value),
            ));
        }
    }
    if let Some(body) = &plan.body {
        let essence = body
            .media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let properties = body.value.as_object();
        let encoding = |name: &str| body.encoding.as_ref().and_then(|e| e.get(name));
        let schema = body
            .schema
            .as_ref()
            .and_then(|s| document::follow(doc, s).ok());
        let declared = schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object);
        if matches!(
            essence.as_str(),
            "application/x-www-form-urlencoded" | "multipart/form-data"
        ) {
            deep_object_properties(doc, body, declared, &mut out);
        }
        if essence == "application/x-www-form-urlencoded" {
            let undeclared = schema
                .and_then(|s| s.get("required"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find(|name| !declared.is_some_and(|d| d.contains_key(*name)));
            if let Some(name) = undeclared {
                out.push(Limit::new(
                    format!("form body property {name}"),
                    "Prism reads a form body by its declared properties: one the schema requires without declaring (Box's revoke `grant_type`) is never found, sent or not (`must have required property`)",
                    Reach::RecorderOnly,
                ));
            }
            let no_pairs = crate::encode::body_bytes(body).is_ok_and(|(_, bytes)| bytes.is_empty());
            if body.required && no_pairs {
                out.push(Limit::new(
                    "form body".into(),
                    "Prism reads a form body of no pairs (every property left out, or an empty deepObject) as no body: `Body parameter is required`",
                    Reach::RecorderOnly,
                ));
            }
            for (name, value) in properties.into_iter().flatten() {
                let style = encoding(name)
                    .and_then(|e| e.get("style"))
                    .and_then(Value::as_str);
                let what = format!("form body property {name}");
                match value {
                    Value::Array(items)
                        if style == Some("deepObject")
                            && items.iter().any(|i| i.is_object() || i.is_array()) =>
                    {
                        out.push(Limit::new(
                            what,
                            "Prism refuses a deepObject array of objects written with indices (`items[0][x]=1`: 415 `Cannot deserialize JSON object array`), and accepts `items[][x]=1` and JSON text alike",
                            Reach::RecorderOnly,
                        ))
                    }
                    Value::Object(_) if style != Some("deepObject") => out.push(Limit::new(
                        what,
                        "Prism refuses an object property of a form body unless its encoding is deepObject (`must have required property`/`must be object` for every form)",
                        Reach::RecorderOnly,
                    )),
                    Value::Array(_) if style.is_none() => out.push(Limit::new(
                        what,
                        "Prism refuses an array property of a form body without an `encoding` (`must be array` for `a=1&a=2`)",
                        Reach::RecorderOnly,
                    )),
                    Value::Array(_) => out.push(Limit::new(
                        what,
                        "Prism accepts an array property in either explode form",
                        Reach::AlsoRecorder,
                    )),
                    Value::Object(_) => out.push(Limit::new(
                        what,
                        "Prism does not enforce `additionalProperties: false` in a deepObject property",
                        Reach::AlsoRecorder,
                    )),
                    _ => {}
                }
            }
        } else if essence == "multipart/form-data" {
            for (name, value) in properties.into_iter().flatten() {
                if value.is_object() {
                    out.push(Limit::new(
                        format!("multipart part {name}"),
                        "Prism refuses an object part, JSON or not (`must be object`)",
                        Reach::RecorderOnly,
                    ));
                } else if value.is_array() {
                    out.push(Limit::new(
                        format!("multipart part {name}"),
                        "Prism refuses an array property of a multipart body, a part per item or JSON (`must be array`)",
                        Reach::RecorderOnly,
                    ));
                }
            }
            out.push(Limit::new(
                "multipart parts".into(),
                "Prism checks neither a part's Content-Type nor its file name",
                Reach::AlsoRecorder,
            ));
        }
    }
    out
}

fn argument_limits(doc: &Value, argument: &Argument, out: &mut Vec<Limit>) {
    let what = format!("{} parameter {}", argument.location, argument.name);
    let composite = argument.value.is_array() || argument.value.is_object();
    if argument.content_type.is_some() {
        out.push(Limit::new(
            what,
            "Prism does not validate a parameter given by `content` (any value passes)",
            Reach::AlsoRecorder,
        ));
        return;
    }
    if matches!(argument.location.as_str(), "query" | "path") && needs_encoding(&argument.value) {
        out.push(Limit::new(
            what.clone(),
            "Prism does not check percent-encoding: reserved characters pass raw, and `+` is read as a space",
            Reach::AlsoRecorder,
        ));
    }
    if !composite && text_matches_several_branches(doc, argument) {
        out.push(Limit::new(
            what.clone(),
            "Prism reads a parameter's text against every oneOf branch: `5` matches both `integer` and `string` (`must match exactly one schema in oneOf`), `main.yml` passes",
            Reach::RecorderOnly,
        ));
    }
    match (argument.location.as_str(), argument.style.as_str()) {
        ("path", _) if composite => out.push(Limit::new(
            what,
            "Prism exits on an array or object path parameter (TypeError in its deserializer), or misreads it (label)",
            Reach::RecorderOnly,
        )),
        (_, _) if is_nested(&argument.value) && argument.style != "deepObject" => out.push(Limit::new(
            what,
            "the style rules write no array or object inside another (the generator warns of such a parameter); Prism refuses every form of it",
            Reach::RecorderOnly,
        )),
        ("query", "spaceDelimited" | "pipeDelimited") if argument.value.is_object() => out.push(Limit::new(
            what,
            "Prism exits on a delimited object (`delimited style is only applicable to array parameter`)",
            Reach::RecorderOnly,
        )),
        ("query", "form") if argument.explode && has_upper_case_key(&argument.value) => out.push(Limit::new(
            what,
            "Prism reads query names lower-cased: an exploded form object's upper-case property (`R=1`) fails `required: [R]` (`must have required property 'R'`); `x=1&y=2` passes",
            Reach::RecorderOnly,
        )),
        ("query", "spaceDelimited") => out.push(Limit::new(
            what,
            "Prism refuses the correct spaceDelimited form (`a%20b` read as one item) and accepts `a=1&a=2`",
            Reach::RecorderOnly,
        )),
        ("query", "deepObject") if is_union(doc, argument.schema.as_ref()) => out.push(Limit::new(
            what,
            "Prism refuses every bracketed value of a deepObject whose schema is an anyOf/oneOf (`must have required property`)",
            Reach::RecorderOnly,
        )),
        ("query", "deepObject") if has_upper_case_key(&argument.value) => out.push(Limit::new(
            what,
            "Prism reads deepObject property names lower-cased: `o[R]=1` fails `required: [R]` (`must have required property 'R'`), `o[r]=1` passes `required: [r]`",
            Reach::RecorderOnly,
        )),
        ("query", "deepObject") => out.push(Limit::new(
            what,
            "Prism does not enforce `additionalProperties: false` in a deepObject",
            Reach::AlsoRecorder,
        )),
        ("query", "form" | "pipeDelimited") if argument.value.is_array() => out.push(Limit::new(
            what,
            "Prism accepts a query array in either explode form",
            Reach::AlsoRecorder,
        )),
        ("cookie", _) => out.push(Limit::new(what, "Prism does not validate cookies (any value, or none, passes)", Reach::AlsoRecorder)),
        _ => {}
    }
}

/// The limits of a form or multipart body's deepObject properties: one left
/// out that Prism reads as `{}`, and what it misreads inside one sent.
fn deep_object_properties(
    doc: &Value,
    body: &crate::plan::Body,
    declared: Option<&serde_json::Map<String, Value>>,
    out: &mut Vec<Limit>,
) {
    let properties = body.value.as_object();
    for (name, property) in declared.into_iter().flatten() {
        let deep = body
            .encoding
            .as_ref()
            .and_then(|e| e.get(name))
            .and_then(|e| e.get("style"))
            .and_then(Value::as_str)
            == Some("deepObject");
        if !deep {
            continue;
        }
        out.extend(deep_object_limit(
            doc,
            &format!("body property {name}"),
            name,
            Some(property),
            properties.and_then(|p| p.get(name)),
        ));
    }
}

/// What Prism misreads of one deepObject (`what`, written under `name`):
/// left out, the `{}` it reads instead; sent, what it misreads inside.
fn deep_object_limit(
    doc: &Value,
    what: &str,
    name: &str,
    schema: Option<&Value>,
    sent: Option<&Value>,
) -> Option<Limit> {
    match sent {
        None => requires_properties(doc, schema).then(|| {
            Limit::new(
                format!("{what}, left out"),
                ABSENT_DEEP_OBJECT,
                Reach::RecorderOnly,
            )
        }),
        Some(value) => deep_misread(doc, schema, value, name).map(|at| {
            Limit::new(
                format!("{what}: {at}"),
                NESTED_DEEP_OBJECT,
                Reach::RecorderOnly,
            )
        }),
    }
}

/// The same, inside a deepObject, and a required property written as no pair.
const NESTED_DEEP_OBJECT: &str = "Prism reads an object left out inside a deepObject as `{}` (refused where it requires a property), a required property whose value writes no pair (an empty array) as missing, and never finds an array or object in brackets under a property whose schema is an anyOf/oneOf (`reason[options][0]=a`): `must have required property`";

/// Prism's reading of an absent deepObject, measured on the probes.
const ABSENT_DEEP_OBJECT: &str = "Prism reads a deepObject left out as an empty object: one whose schema requires a property is refused when it is not sent (`must have required property`), though it is optional";

/// Whether Prism refuses the empty object it reads for a deepObject left
/// out: the schema (after `$ref`s) is an object requiring a property, or a
/// union of such objects and scalars, none of which takes `{}` (Stripe's
/// `anyOf: [object requiring a property, enum [""]]`). An array left out
/// passes (Stripe's `expand`, measured on the corpus run).
fn requires_properties(doc: &Value, schema: Option<&Value>) -> bool {
    requires_properties_within(doc, schema, FILL_DEPTH)
}

/// How deep Prism's `{}` is followed: a recursive schema (`Filter.not:
/// Filter`) must end.
const FILL_DEPTH: usize = 8;

fn requires_properties_within(doc: &Value, schema: Option<&Value>, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    let Some(schema) = schema.and_then(|s| document::follow(doc, s).ok()) else {
        return false;
    };
    let scalar = |branch: &Value| {
        document::follow(doc, branch)
            .ok()
            .and_then(|b| b.get("type"))
            .and_then(Value::as_str)
            .is_some_and(|t| !matches!(t, "object" | "array"))
    };
    for key in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            return branches
                .iter()
                .any(|b| requires_properties_within(doc, Some(b), depth - 1))
                && branches
                    .iter()
                    .all(|b| scalar(b) || requires_properties_within(doc, Some(b), depth - 1));
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array)
        && parts
            .iter()
            .any(|part| requires_properties_within(doc, Some(part), depth - 1))
    {
        return true;
    }
    let object = schema
        .get("type")
        .and_then(Value::as_str)
        .is_none_or(|t| t == "object");
    // Prism fills an object left out with `{}` down its plain object
    // properties too (Stripe's `individual[dob]`, which requires its day).
    let inner = || {
        schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(_, p)| document::follow(doc, p).ok())
            .filter(|p| p.get("properties").is_some())
            .any(|p| requires_properties_within(doc, Some(p), depth - 1))
    };
    object
        && (schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| !required.is_empty())
            || inner())
}

/// Where, inside a deepObject value, Prism misreads what the client wrote:
/// an object property left out that it reads as `{}` and refuses, or a
/// required property whose value writes no pair (an empty array). The
/// properties of every object branch of a union are looked at: a false
/// alarm only sends the call to the recorder.
fn deep_misread(doc: &Value, schema: Option<&Value>, value: &Value, at: &str) -> Option<String> {
    let object = value.as_object()?;
    let schema = schema.and_then(|s| document::follow(doc, s).ok())?;
    let mut shapes = vec![schema];
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Ok(branch) = document::follow(doc, branch) {
                shapes.push(branch);
            }
        }
    }
    for shape in shapes {
        let Some(properties) = shape.get("properties").and_then(Value::as_object) else {
            continue;
        };
        let required: Vec<&str> = shape
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, property) in properties {
            let here = format!("{at}[{name}]");
            let union = document::follow(doc, property)
                .is_ok_and(|p| p.get("anyOf").is_some() || p.get("oneOf").is_some());
            match object.get(name) {
                None if requires_properties(doc, Some(property)) => return Some(here),
                Some(value) if union && (value.is_array() || value.is_object()) => {
                    return Some(here);
                }
                Some(value) if required.contains(&name.as_str()) && writes_no_pair(value) => {
                    return Some(here);
                }
                Some(value) => {
                    if let Some(found) = deep_misread(doc, Some(property), value, &here) {
                        return Some(found);
                    }
                }
                None => {}
            }
        }
    }
    None
}

/// Whether a value inside a deepObject writes no `name[key]=value` pair:
/// an empty object or array, or an object of nothing but such.
fn writes_no_pair(value: &Value) -> bool {
    match value {
        Value::Object(object) => object.values().all(writes_no_pair),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Whether an object (or one inside it) has a key with an upper-case letter.
fn has_upper_case_key(value: &Value) -> bool {
    match value {
        Value::Object(object) => object
            .iter()
            .any(|(k, v)| k.chars().any(char::is_uppercase) || has_upper_case_key(v)),
        Value::Array(items) => items.iter().any(has_upper_case_key),
        _ => false,
    }
}

/// Whether an array or object holds an array or object.
fn is_nested(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|i| i.is_array() || i.is_object()),
        Value::Object(object) => object.values().any(|v| v.is_array() || v.is_object()),
        _ => false,
    }
}

/// Whether a value (or an item, key or property of it) has characters that
/// percent-encoding changes.
fn needs_encoding(value: &Value) -> bool {
    let text_needs = |text: &str| {
        text.bytes()
            .any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')))
    };
    match value {
        Value::String(text) => text_needs(text),
        Value::Array(items) => items.iter().any(needs_encoding),
        Value::Object(object) => object
            .iter()
            .any(|(k, v)| text_needs(k) || needs_encoding(v)),
        _ => false,
    }
}

/// Whether a schema is, at its top (after `$ref`s), an `anyOf`/`oneOf`.
fn is_union(doc: &Value, schema: Option<&Value>) -> bool {
    let Some(schema) = schema.and_then(|s| document::follow(doc, s).ok()) else {
        return false;
    };
    schema.get("anyOf").is_some() || schema.get("oneOf").is_some()
}

/// Whether a scalar parameter's text matches a `string` branch of its
/// `oneOf` and another (a number's or a boolean's) as well: text is all a
/// parameter is, so the value is valid JSON of one branch and text of two.
fn text_matches_several_branches(doc: &Value, argument: &Argument) -> bool {
    let Some(schema) = argument
        .schema
        .as_ref()
        .and_then(|s| document::follow(doc, s).ok())
    else {
        return false;
    };
    let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
        return false;
    };
    let types: Vec<&str> = branches
        .iter()
        .filter_map(|b| document::follow(doc, b).ok())
        .filter_map(|b| b.get("type").and_then(Value::as_str))
        .collect();
    let text = match &argument.value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let numeric = text.parse::<f64>().is_ok();
    let boolean = text == "true" || text == "false";
    types.contains(&"string")
        && ((numeric && (types.contains(&"integer") || types.contains(&"number")))
            || (boolean && types.contains(&"boolean")))
}

/// The strictest reach of a call's limits: `None` when Prism judges it all.
pub fn reach(limits: &[Limit]) -> Option<Reach> {
    limits.iter().map(|l| l.reach).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::OperationRef;
    use crate::synth::Mode;
    use serde_json::json;

    fn argument(location: &str, style: &str, value: Value, schema: Value) -> Argument {
        Argument {
            name: "p".into(),
            location: location.into(),
            required: true,
            style: style.into(),
            explode: style == "form",
            allow_reserved: false,
            content_type: None,
            schema: Some(schema),
            value,
        }
    }

    #[test]
    fn calls_prism_breaks_on_go_to_the_recorder_only() {
        let doc = json!({"components": {"schemas": {"Created": {"anyOf": [{"type": "integer"}, {"type": "object"}]}}}});
        let plan = OperationPlan {
            operation: OperationRef::new("/x/{p}", "get"),
            operation_id: None,
            mode: Mode::Full,
            arguments: vec![
                argument("path", "simple", json!([1, 2]), json!({"type": "array"})),
                argument(
                    "query",
                    "deepObject",
                    json!({"gte": 1}),
                    json!({"$ref": "#/components/schemas/Created"}),
                ),
                argument("cookie", "form", json!(1), json!({"type": "integer"})),
                argument("path", "simple", json!(1), json!({"type": "integer"})),
            ],
            body: None,
            credentials: Vec::new(),
            gaps: Vec::new(),
        };
        let found = limits(&doc, &plan);
        let reaches: Vec<Reach> = found.iter().map(|l| l.reach).collect();
        assert_eq!(
            reaches,
            [
                Reach::RecorderOnly,
                Reach::RecorderOnly,
                Reach::AlsoRecorder
            ],
            "{found:#?}"
        );
        assert_eq!(reach(&found), Some(Reach::RecorderOnly));
        assert_eq!(reach(&[]), None);
    }

    #[test]
    fn a_one_of_parameter_whose_text_fits_two_branches_goes_to_the_recorder() {
        let doc = json!({});
        let one_of = json!({"oneOf": [{"type": "integer"}, {"type": "string"}]});
        let plan = |value: Value| OperationPlan {
            operation: OperationRef::new("/workflows/{p}", "get"),
            operation_id: None,
            mode: Mode::Full,
            arguments: vec![argument("path", "simple", value, one_of.clone())],
            body: None,
            credentials: Vec::new(),
            gaps: Vec::new(),
        };
        assert_eq!(
            reach(&limits(&doc, &plan(json!(5)))),
            Some(Reach::RecorderOnly)
        );
        assert_eq!(
            reach(&limits(&doc, &plan(json!("5")))),
            Some(Reach::RecorderOnly)
        );
        assert_eq!(reach(&limits(&doc, &plan(json!("main.yml")))), None);
    }

    #[test]
    fn a_form_body_requiring_an_undeclared_property_goes_to_the_recorder() {
        let doc = json!({});
        let body = |schema: Value| crate::plan::Body {
            media_type: "application/x-www-form-urlencoded".into(),
            required: true,
            value: json!({"token": "t", "grant_type": "value"}),
            encoding: None,
            files: Vec::new(),
            schema: Some(schema),
        };
        let plan = |schema: Value| OperationPlan {
            operation: OperationRef::new("/oauth2/revoke", "post"),
            operation_id: None,
            mode: Mode::Full,
            arguments: Vec::new(),
            body: Some(body(schema)),
            credentials: Vec::new(),
            gaps: Vec::new(),
        };
        let undeclared = json!({"type": "object", "required": ["grant_type"], "properties": {"token": {"type": "string"}}});
        assert_eq!(
            reach(&limits(&doc, &plan(undeclared))),
            Some(Reach::RecorderOnly)
        );
        let declared = json!({"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}, "grant_type": {"type": "string"}}});
        assert_eq!(reach(&limits(&doc, &plan(declared))), None);
    }

    #[test]
    fn deep_objects_prism_misreads_go_to_the_recorder() {
        // Stripe-shaped: `automatic_tax` optional, its object requiring `enabled`.
        let required_object = json!({"type": "object", "required": ["enabled"], "properties": {"enabled": {"type": "boolean"}}});
        let doc = json!({"paths": {"/v1/invoices/upcoming": {"get": {"parameters": [
            {"name": "automatic_tax", "in": "query", "style": "deepObject", "explode": true, "schema": required_object},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        ]}}}});
        let plan = |arguments: Vec<Argument>, body: Option<crate::plan::Body>| OperationPlan {
            operation: OperationRef::new("/v1/invoices/upcoming", "get"),
            operation_id: None,
            mode: Mode::Required,
            arguments,
            body,
            credentials: Vec::new(),
            gaps: Vec::new(),
        };
        assert_eq!(
            reach(&limits(&doc, &plan(Vec::new(), None))),
            Some(Reach::RecorderOnly)
        );
        let mut sent = argument(
            "query",
            "deepObject",
            json!({"enabled": true}),
            required_object.clone(),
        );
        sent.name = "automatic_tax".into();
        assert_eq!(
            reach(&limits(&doc, &plan(vec![sent], None))),
            Some(Reach::AlsoRecorder)
        );
        // Inside a deepObject: an object left out (read as `{}`), and a
        // required array written as no pair.
        let nested = json!({"type": "object", "properties": {
            "onboarding": {"anyOf": [required_object, {"type": "string", "enum": [""]}]},
            "reason": {"type": "object", "required": ["options"], "properties": {"options": {"type": "array"}}}
        }});
        let deep = |value: Value| {
            let mut sent = argument("query", "deepObject", value, nested.clone());
            sent.name = "automatic_tax".into();
            limits(&doc, &plan(vec![sent], None))
                .into_iter()
                .filter(|l| l.reach == Reach::RecorderOnly)
                .map(|l| l.what)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            deep(json!({"reason": {"options": ["a"]}})),
            ["query parameter automatic_tax: automatic_tax[onboarding]"]
        );
        assert_eq!(
            deep(json!({"onboarding": "", "reason": {"options": []}})),
            ["query parameter automatic_tax: automatic_tax[reason][options]"]
        );
        assert!(deep(json!({"onboarding": "", "reason": {"options": ["a"]}})).is_empty());
        // Brackets under a union's property: Prism never finds them.
        assert_eq!(
            deep(json!({"onboarding": {"enabled": true}, "reason": {"options": ["a"]}})),
            ["query parameter automatic_tax: automatic_tax[onboarding]"]
        );

        let form = |value: Value, required: bool| crate::plan::Body {
            media_type: "application/x-www-form-urlencoded".into(),
            required,
            value,
            encoding: Some(json!({
                "automatic_tax": {"style": "deepObject", "explode": true},
                "settings": {"style": "deepObject", "explode": true},
                "items": {"style": "deepObject", "explode": true}
            })),
            files: Vec::new(),
            schema: Some(
                json!({"type": "object", "required": ["customer"], "properties": {
                    "customer": {"type": "string"},
                    "automatic_tax": required_object,
                    "settings": {"type": "object", "properties": {"a": {"type": "string"}}},
                    "items": {"type": "array", "items": {"type": "object"}}
                }}),
            ),
        };
        let empty = OperationRef::new("/none", "post");
        let body_plan = |value: Value, required: bool| OperationPlan {
            operation: empty.clone(),
            ..plan(Vec::new(), Some(form(value, required)))
        };
        let whats = |value: Value, required: bool| -> Vec<String> {
            limits(&doc, &body_plan(value, required))
                .into_iter()
                .filter(|l| l.reach == Reach::RecorderOnly)
                .map(|l| l.what)
                .collect()
        };
        // Left out: Prism reads `{}` and wants `enabled`.
        assert_eq!(
            whats(json!({"customer": "c"}), true),
            ["body property automatic_tax, left out"]
        );
        // Every property an empty object: no pair at all.
        assert_eq!(
            whats(
                json!({"settings": {}, "automatic_tax": {"enabled": true}}),
                true
            ),
            Vec::<String>::new()
        );
        assert!(whats(json!({"settings": {}}), true).contains(&"form body".to_string()));
        assert!(!whats(json!({"settings": {}}), false).contains(&"form body".to_string()));
        // An array of objects in brackets.
        assert!(
            whats(
                json!({"customer": "c", "automatic_tax": {"enabled": true}, "items": [{"a": 1}]}),
                true
            ) == ["form body property items"]
        );
    }

    #[test]
    fn prism_fills_an_object_left_out_down_its_plain_object_properties() {
        let doc = json!({"components": {"schemas": {"Dob": {"type": "object", "required": ["day"], "properties": {"day": {"type": "integer"}}}}}});
        // Stripe's `individual`: nothing required, but its `dob` requires a day.
        let individual = json!({"type": "object", "properties": {
            "first_name": {"type": "string"},
            "dob": {"$ref": "#/components/schemas/Dob"}
        }});
        assert!(requires_properties(&doc, Some(&individual)));
        let loose = json!({"type": "object", "properties": {"dob": {"anyOf": [{"$ref": "#/components/schemas/Dob"}, {"type": "string"}]}}});
        assert!(
            !requires_properties(&doc, Some(&loose)),
            "a union is not filled in"
        );
        assert!(!requires_properties(
            &doc,
            Some(&json!({"type": "array", "items": {"type": "string"}}))
        ));
        // Multipart bodies read deepObject encodings the same way (Stripe's
        // `file_link_data` of POST /v1/files).
        let plan = OperationPlan {
            operation: OperationRef::new("/v1/files", "post"),
            operation_id: None,
            mode: Mode::Required,
            arguments: Vec::new(),
            body: Some(crate::plan::Body {
                media_type: "multipart/form-data".into(),
                required: true,
                value: json!({"purpose": "x"}),
                encoding: Some(json!({"link": {"style": "deepObject", "explode": true}})),
                files: Vec::new(),
                schema: Some(json!({"type": "object", "properties": {
                    "purpose": {"type": "string"},
                    "link": {"$ref": "#/components/schemas/Dob"}
                }})),
            }),
            credentials: Vec::new(),
            gaps: Vec::new(),
        };
        assert_eq!(reach(&limits(&doc, &plan)), Some(Reach::RecorderOnly));
    }
}
