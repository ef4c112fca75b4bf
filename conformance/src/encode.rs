//! The request an [`OperationPlan`] stands for, encoded by the OpenAPI rules
//! (the style table of OpenAPI 3.1.1 §4.8.12.4, which follows RFC 6570;
//! percent-encoding per RFC 3986), written from the specification and not
//! from the generator: the expected bytes the loopback recorder compares a
//! client's request with, and what the reference driver sends to Prism.

use serde_json::{Map, Value};

use crate::plan::{Argument, Body, OperationPlan};

/// A request ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedRequest {
    pub method: String,
    /// Path and query, percent-encoded.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a plan could not be encoded.
pub type EncodeError = String;

/// RFC 3986 unreserved characters, which no location encodes.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 reserved characters, which `allowReserved` keeps.
fn is_reserved(byte: u8) -> bool {
    b":/?#[]@!$&'()*+,;=".contains(&byte)
}

/// Percent-encodes all but the unreserved characters (and, with
/// `allow_reserved`, the reserved ones). A space is `%20`, never `+`.
pub fn percent_encode(text: &str, allow_reserved: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_unreserved(byte) || (allow_reserved && is_reserved(byte)) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A primitive as text: strings as they are, numbers and booleans as JSON
/// writes them, `null` as nothing. A number is written as ECMAScript's
/// `Number.prototype.toString` (which RFC 8785 adopts) writes it where the
/// two disagree on whole numbers: `388`, not serde_json's `388.0`. JSON
/// Schema (Validation, 6.1.1 / Core 4.2.2) holds `388.0` and `388` to be one
/// number, so a `type: number` value has no fraction to show.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Number(number) => match number.as_f64() {
            Some(float)
                if number.is_f64() && float.fract() == 0.0 && float.abs() < 2f64.powi(53) =>
            {
                format!("{float:.0}")
            }
            _ => number.to_string(),
        },
        other => other.to_string(),
    }
}

/// A parameter's value in its location and style: the path segment, the
/// query pairs (already joined with `&`), the header value, or the cookie
/// pair.
pub fn parameter(argument: &Argument) -> Result<String, EncodeError> {
    let name = &argument.name;
    if let Some(media_type) = &argument.content_type {
        let text = if crate::document::is_json_media_type(media_type) {
            argument.value.to_string()
        } else {
            text_of(&argument.value)
        };
        return Ok(match argument.location.as_str() {
            "query" => format!(
                "{}={}",
                percent_encode(name, false),
                percent_encode(&text, argument.allow_reserved)
            ),
            "path" => percent_encode(&text, false),
            "cookie" => format!("{name}={}", percent_encode(&text, false)),
            _ => text,
        });
    }
    let value = &argument.value;
    let explode = argument.explode;
    let location = argument.location.as_str();
    let encode = |text: &str| match location {
        "header" => text.to_string(),
        "query" => percent_encode(text, argument.allow_reserved),
        _ => percent_encode(text, false),
    };
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().map(|v| encode(&text_of(v))).collect(),
        _ => Vec::new(),
    };
    let pairs: Vec<(String, String)> = match value {
        Value::Object(object) => object
            .iter()
            .map(|(k, v)| (encode(k), encode(&text_of(v))))
            .collect(),
        _ => Vec::new(),
    };
    let flat_pairs = |separator: &str| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}{separator}{v}"))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let joined_pairs = |separator: &str| {
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let key = encode(name);
    let out = match (argument.style.as_str(), value) {
        ("simple", Value::Array(_)) => items.join(","),
        ("simple", Value::Object(_)) if explode => joined_pairs(","),
        ("simple", Value::Object(_)) => flat_pairs(","),
        ("simple", primitive) => encode(&text_of(primitive)),
        ("label", Value::Array(_)) => format!(".{}", items.join(if explode { "." } else { "," })),
        ("label", Value::Object(_)) if explode => format!(".{}", joined_pairs(".")),
        ("label", Value::Object(_)) => format!(".{}", flat_pairs(",")),
        ("label", primitive) => format!(".{}", encode(&text_of(primitive))),
        ("matrix", Value::Array(_)) if explode => {
            items.iter().map(|i| format!(";{key}={i}")).collect()
        }
        ("matrix", Value::Array(_)) => format!(";{key}={}", items.join(",")),
        ("matrix", Value::Object(_)) if explode => {
            pairs.iter().map(|(k, v)| format!(";{k}={v}")).collect()
        }
        ("matrix", Value::Object(_)) => format!(";{key}={}", flat_pairs(",")),
        ("matrix", primitive) => format!(";{key}={}", encode(&text_of(primitive))),
        ("form", Value::Array(_)) if explode => items
            .iter()
            .map(|i| format!("{key}={i}"))
            .collect::<Vec<_>>()
            .join("&"),
        ("form", Value::Array(_)) => format!("{key}={}", items.join(",")),
        ("form", Value::Object(_)) if explode => joined_pairs("&"),
        ("form", Value::Object(_)) => format!("{key}={}", flat_pairs(",")),
        ("form", primitive) => format!("{key}={}", encode(&text_of(primitive))),
        ("spaceDelimited" | "pipeDelimited", Value::Array(_) | Value::Object(_)) if explode => {
            return Err(format!(
                "`{}` with `explode: true` is not defined by OpenAPI",
                argument.style
            ));
        }
        ("spaceDelimited", Value::Array(_)) => format!("{key}={}", items.join("%20")),
        ("spaceDelimited", Value::Object(_)) => format!("{key}={}", flat_pairs("%20")),
        ("pipeDelimited", Value::Array(_)) => format!("{key}={}", items.join("%7C")),
        ("pipeDelimited", Value::Object(_)) => format!("{key}={}", flat_pairs("%7C")),
        ("deepObject", Value::Object(object)) => {
            deep_object(&key, object, argument.allow_reserved).join("&")
        }
        // OpenAPI defines deepObject for objects only. An array is written
        // as Stripe, the one corpus API that declares deepObject arrays,
        // has its own SDKs write them (stripe-python's form encoder:
        // "always use indexed format for arrays"): `expand[0]=a`,
        // `items[0][price]=p`; an empty one writes no pair.
        ("deepObject", Value::Array(_)) => {
            let mut pairs = Vec::new();
            push_nested(&key, value, argument.allow_reserved, &mut pairs);
            pairs.join("&")
        }
        // A primitive where deepObject is declared for a union of one and an
        // object (Stripe's `description`: a string, or `""` to unset) is its
        // plain pair, as form writes it.
        // `null` writes nothing, as in every exploded object.
        ("deepObject", Value::Null) => String::new(),
        ("deepObject", primitive) => format!("{key}={}", encode(&text_of(primitive))),
        (style, _) => {
            return Err(format!(
                "style `{style}` is not defined for this value in {location}"
            ));
        }
    };
    Ok(out)
}

/// `name[key]=value` pairs, nested objects and arrays in brackets (Stripe's
/// notation, which OpenAPI leaves undefined past one level); brackets are
/// percent-encoded, as RFC 3986 wants in a query.
fn deep_object(prefix: &str, object: &Map<String, Value>, allow_reserved: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in object {
        let name = format!("{prefix}%5B{}%5D", percent_encode(key, false));
        push_nested(&name, value, allow_reserved, &mut out);
    }
    out
}

fn push_nested(name: &str, value: &Value, allow_reserved: bool, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => out.extend(deep_object(name, object, allow_reserved)),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                push_nested(&format!("{name}%5B{index}%5D"), item, allow_reserved, out);
            }
        }
        primitive => out.push(format!(
            "{name}={}",
            percent_encode(&text_of(primitive), allow_reserved)
        )),
    }
}

/// The whole request of a plan: path parameters substituted into the
/// template, query pairs in the plan's order, headers, cookies, the body.
pub fn request(plan: &OperationPlan, accept: Option<&str>) -> Result<EncodedRequest, EncodeError> {
    // Each parameter's expression is marked first, so that the template's
    // literal text can be percent-encoded apart from the values (RFC 6570
    // §3.1: a literal character outside the URI grammar is pct-encoded).
    let mut path = plan.operation.path.clone();
    let mut values: Vec<String> = Vec::new();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let mut cookies = Vec::new();
    for argument in plan.arguments.iter().chain(&plan.credentials) {
        let encoded = parameter(argument)
            .map_err(|err| format!("{} parameter `{}`: {err}", argument.location, argument.name))?;
        match argument.location.as_str() {
            "path" => {
                path = path.replace(
                    &format!("{{{}}}", argument.name),
                    &format!("\u{0}{}\u{0}", values.len()),
                );
                values.push(encoded);
            }
            // An empty exploded array or object writes no pair.
            "query" if encoded.is_empty() => {}
            "query" => query.push(encoded),
            "header" => headers.push((argument.name.clone(), encoded)),
            "cookie" => cookies.push(encoded),
            other => {
                return Err(format!(
                    "parameter `{}` is in `{other}`, not a location",
                    argument.name
                ));
            }
        }
    }
    // A `#` in the template starts the URI's fragment (RFC 3986 §3.5), which
    // is no part of an HTTP request's target (RFC 9112 §3.2: origin-form is
    // path and query): Box's `/shared_items#folders` is `/shared_items`.
    // The values are not in `path` yet, so every `#` here is the template's.
    let path = match path.split_once('#') {
        Some((before, _fragment)) => before.to_string(),
        None => path,
    };
    // A path template may hold a fixed query of its own (`/x?beta=true`).
    let (path, fixed) = match path.split_once('?') {
        Some((path, fixed)) => (path.to_string(), Some(fixed.to_string())),
        None => (path, None),
    };
    let path = path
        .split('\u{0}')
        .enumerate()
        .map(|(i, piece)| {
            if i % 2 == 1 {
                values[piece.parse::<usize>().unwrap_or_default()].clone()
            } else {
                encode_path_literal(piece)
            }
        })
        .collect::<String>();
    let query: Vec<String> = fixed
        .into_iter()
        .chain(query.into_iter().filter(|q| !q.is_empty()))
        .collect();
    let target = if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    };
    if !cookies.is_empty() {
        headers.push(("Cookie".into(), cookies.join("; ")));
    }
    if let Some(accept) = accept {
        headers.push(("Accept".into(), accept.to_string()));
    }
    let mut body = Vec::new();
    if let Some(plan_body) = &plan.body {
        let (content_type, bytes) = body_bytes(plan_body)?;
        headers.push(("Content-Type".into(), content_type));
        body = bytes;
    }
    Ok(EncodedRequest {
        method: plan.operation.method.to_uppercase(),
        target,
        headers,
        body,
    })
}

/// A path template's literal text: what RFC 3986 allows in a path (`pchar`
/// and `/`) as it is, a percent-encoded triplet as it is, the rest encoded.
fn encode_path_literal(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    for (i, &byte) in bytes.iter().enumerate() {
        let triplet = byte == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if is_unreserved(byte) || b"!$&'()*+,;=:@/".contains(&byte) || triplet {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The boundary of multipart bodies: fixed, so that expected bytes are stable.
pub const BOUNDARY: &str = "conformance-boundary-7d3f1a";

/// The `Content-Type` and bytes of a body.
pub fn body_bytes(body: &Body) -> Result<(String, Vec<u8>), EncodeError> {
    let essence = body
        .media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if crate::document::is_json_media_type(&essence) {
        return Ok((body.media_type.clone(), body.value.to_string().into_bytes()));
    }
    match essence.as_str() {
        "application/x-www-form-urlencoded" => {
            Ok((body.media_type.clone(), form(body)?.into_bytes()))
        }
        "multipart/form-data" => Ok((
            format!("multipart/form-data; boundary={BOUNDARY}"),
            multipart(body)?,
        )),
        _ if essence.starts_with("text/") => {
            Ok((body.media_type.clone(), text_of(&body.value).into_bytes()))
        }
        "application/octet-stream" => {
            Ok((body.media_type.clone(), text_of(&body.value).into_bytes()))
        }
        _ if essence.starts_with("image/")
            || essence.starts_with("audio/")
            || essence.starts_with("video/")
            || essence == "application/pdf" =>
        {
            Ok((body.media_type.clone(), text_of(&body.value).into_bytes()))
        }
        // Any other media type: a string value is its bytes (a file).
        _ if body.value.is_string() => {
            Ok((body.media_type.clone(), text_of(&body.value).into_bytes()))
        }
        _ => Err(format!(
            "the media type `{}` is not encoded by the reference encoder",
            body.media_type
        )),
    }
}

fn encoding_of<'a>(body: &'a Body, property: &str) -> Option<&'a Value> {
    body.encoding.as_ref().and_then(|e| e.get(property))
}

/// `application/x-www-form-urlencoded`: each property by its `encoding`
/// (style `form`, `explode: true` when not given; an object with no style
/// as JSON text); reserved characters,
/// commas between items included, are percent-encoded (RFC 1866 encoding).
fn form(body: &Body) -> Result<String, EncodeError> {
    let Value::Object(properties) = &body.value else {
        return Err("a form body must be an object".into());
    };
    let mut pairs = Vec::new();
    for (name, value) in properties {
        let encoding = encoding_of(body, name);
        // OpenAPI 3.0.4 / 3.1.1, Encoding Object: with none of `style`,
        // `explode`, `allowReserved`, a property is written by its
        // `contentType`, whose default for an object is `application/json`
        // ("URL Encoded Form with JSON Values").
        let styled = encoding.is_some_and(|e| {
            ["style", "explode", "allowReserved"]
                .iter()
                .any(|k| e.get(*k).is_some())
        });
        let json = encoding
            .and_then(|e| e.get("contentType"))
            .and_then(Value::as_str)
            .map(crate::document::is_json_media_type);
        // An object has no other text form: JSON whatever `contentType` says.
        if !styled && (json == Some(true) || value.is_object()) {
            pairs.push(format!(
                "{}={}",
                percent_encode(name, false),
                percent_encode(&value.to_string(), false)
            ));
            continue;
        }
        let style = encoding
            .and_then(|e| e.get("style"))
            .and_then(Value::as_str)
            .unwrap_or("form");
        let explode = encoding
            .and_then(|e| e.get("explode"))
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        let argument = Argument {
            name: name.clone(),
            location: "query".into(),
            required: true,
            style: style.to_string(),
            explode,
            allow_reserved: encoding.and_then(|e| e.get("allowReserved"))
                == Some(&Value::Bool(true)),
            content_type: None,
            schema: None,
            value: value.clone(),
        };
        let encoded =
            parameter(&argument).map_err(|err| format!("form property `{name}`: {err}"))?;
        if encoded.is_empty() {
            // An empty exploded array or object writes no pair.
            continue;
        }
        // In a form body the delimiters between items are data characters too.
        pairs.push(if style == "form" && !explode {
            encoded.replace(',', "%2C")
        } else {
            encoded
        });
    }
    Ok(pairs.join("&"))
}

/// `multipart/form-data`: a part per property (per item of an array of
/// primitives); binary strings are file parts with a file name and the
/// `encoding.contentType` (else `application/octet-stream`); objects are JSON.
fn multipart(body: &Body) -> Result<Vec<u8>, EncodeError> {
    let Value::Object(properties) = &body.value else {
        return Err("a multipart body must be an object".into());
    };
    let mut out = Vec::new();
    for (name, value) in properties {
        let declared = encoding_of(body, name)
            .and_then(|e| e.get("contentType"))
            .and_then(Value::as_str);
        let values: Vec<&Value> = match value {
            Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                items.iter().collect()
            }
            other => vec![other],
        };
        for value in values {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            let (content_type, file, bytes) = match value {
                Value::Object(_) | Value::Array(_) => (
                    Some(declared.unwrap_or("application/json")),
                    false,
                    value.to_string(),
                ),
                Value::String(text) if body.files.iter().any(|f| f == name) => (
                    Some(declared.unwrap_or("application/octet-stream")),
                    true,
                    text.clone(),
                ),
                other => (declared, false, text_of(other)),
            };
            if file {
                out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}.bin\"\r\n").as_bytes());
            } else {
                out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
                );
            }
            if let Some(content_type) = content_type {
                out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(bytes.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests;
