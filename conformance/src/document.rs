//! An OpenAPI document read as untyped JSON: loading, JSON pointers, local
//! `$ref`s and the list of operations.
//!
//! Everything in this crate works on `serde_json::Value` rather than on
//! `openapiv3` types: the slicer must copy parts of the document byte for byte
//! (extensions and unknown keys included), and the validator must see schemas
//! exactly as written, in either OpenAPI version.

use std::fmt;
use std::path::Path;

use serde_json::Value;

/// The HTTP methods a path item may hold, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many `$ref`s in a row are followed before giving up on a chain.
const MAX_REF_CHAIN: usize = 32;

/// Reads a spec file (YAML or JSON) with the generator's own loader, so that
/// its limits and its reading of odd numbers apply here too.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    parse(&text).map_err(|err| format!("{}: {err}", path.display()))
}

/// Parses spec text (YAML or JSON).
pub fn parse(text: &str) -> Result<Value, String> {
    generator::load::parse::parse(text)
        .map(|(value, _format)| value)
        .map_err(|diagnostic| diagnostic.message.clone())
}

/// The OpenAPI version family of a document, which decides how its schemas
/// are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 3.0.x: `nullable`, boolean `exclusiveMinimum`, `$ref` siblings ignored.
    V30,
    /// 3.1.x: JSON Schema 2020-12 with OpenAPI's vocabulary.
    V31,
}

impl Version {
    /// The version of `doc`, from its `openapi` field; `None` for anything
    /// else (Swagger 2.0, no field).
    pub fn of(doc: &Value) -> Option<Version> {
        let version = doc.get("openapi")?.as_str()?;
        if version.starts_with("3.0") {
            Some(Version::V30)
        } else if version.starts_with("3.1") {
            Some(Version::V31)
        } else {
            None
        }
    }
}

/// One operation of a document: a path template and a method.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OperationRef {
    pub path: String,
    /// Lower case, as the key in the path item.
    pub method: String,
}

impl OperationRef {
    pub fn new(path: impl Into<String>, method: impl Into<String>) -> OperationRef {
        OperationRef {
            path: path.into(),
            method: method.into(),
        }
    }

    /// The JSON pointer of the operation object.
    pub fn pointer(&self) -> String {
        format!("/paths/{}/{}", escape(&self.path), self.method)
    }

    /// The JSON pointer of the path item holding the operation.
    pub fn path_item_pointer(&self) -> String {
        format!("/paths/{}", escape(&self.path))
    }
}

impl fmt::Display for OperationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Every operation of `doc`, in document order. A path item given by `$ref`
/// is followed.
pub fn operations(doc: &Value) -> Vec<OperationRef> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (path, item) in paths {
        let Ok(item) = follow(doc, item) else {
            continue;
        };
        for method in METHODS {
            if item.get(method).is_some_and(Value::is_object) {
                found.push(OperationRef::new(path.clone(), method));
            }
        }
    }
    found
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The JSON pointer a local `$ref` names (`#/components/schemas/My%20Pet` →
/// `/components/schemas/My Pet`, still escaped per RFC 6901); `None` when the
/// reference is not local to the document.
pub fn ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .ok()?;
    if decoded.is_empty() || decoded.starts_with('/') {
        Some(decoded.into_owned())
    } else {
        None
    }
}

/// The value at a local `$ref`, if there is one.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(&ref_pointer(reference)?)
}

/// The `$ref` of an object that is a reference, if it is one.
pub fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// `value` itself, or what its chain of `$ref`s ends at (parameters,
/// responses, request bodies, path items; schemas are followed elsewhere,
/// since their `$ref`s may carry siblings).
pub fn follow<'a>(doc: &'a Value, value: &'a Value) -> Result<&'a Value, String> {
    let mut current = value;
    for _ in 0..MAX_REF_CHAIN {
        let Some(reference) = reference_of(current) else {
            return Ok(current);
        };
        current = resolve(doc, reference).ok_or_else(|| {
            if ref_pointer(reference).is_none() {
                format!("`$ref: {reference}` is not a reference inside the document")
            } else {
                format!("`$ref: {reference}` points to nothing")
            }
        })?;
    }
    Err(format!(
        "more than {MAX_REF_CHAIN} `$ref`s in a row from {}",
        reference_of(value).unwrap_or_default()
    ))
}

/// Whether a media type carries JSON (`application/json`, `…+json`,
/// parameters included: `application/json; charset=utf-8`).
pub fn is_json_media_type(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_are_escaped_and_refs_percent_decoded() {
        assert_eq!(escape("/pets/{id}"), "~1pets~1{id}");
        assert_eq!(unescape("~1pets~1{id}~0"), "/pets/{id}~");
        assert_eq!(
            ref_pointer("#/components/schemas/My%20Pet").as_deref(),
            Some("/components/schemas/My Pet")
        );
        assert_eq!(ref_pointer("other.yaml#/a"), None);
        assert_eq!(ref_pointer("#anchor"), None);
    }

    #[test]
    fn operations_follow_path_item_refs_and_keep_document_order() {
        let doc = json!({
            "paths": {
                "/b": {"post": {}, "get": {}, "parameters": []},
                "/a": {"$ref": "#/x-items/a"}
            },
            "x-items": {"a": {"delete": {}}}
        });
        let ops: Vec<String> = operations(&doc).iter().map(|o| o.to_string()).collect();
        assert_eq!(ops, ["GET /b", "POST /b", "DELETE /a"]);
    }

    #[test]
    fn follow_reports_dangling_and_looping_refs() {
        let doc = json!({"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "c": {"$ref": "#/nope"}});
        assert!(follow(&doc, &doc["a"]).unwrap_err().contains("in a row"));
        assert!(
            follow(&doc, &doc["c"])
                .unwrap_err()
                .contains("points to nothing")
        );
    }

    #[test]
    fn json_media_types() {
        assert!(is_json_media_type("application/json; charset=utf-8"));
        assert!(is_json_media_type("application/problem+json"));
        assert!(!is_json_media_type("application/x-www-form-urlencoded"));
    }
}
