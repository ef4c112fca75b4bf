//! Load: spec text → `openapiv3::OpenAPI`, with the checks openapiv3 does not make.

use openapiv3::OpenAPI;
use serde_yaml::Value;

use crate::diagnostic::{Diagnostic, Position, escape_segment};

/// Parses and checks a spec. Every error is located (pointer or position).
pub fn load(text: &str) -> Result<OpenAPI, Vec<Diagnostic>> {
    let value: Value = serde_yaml::from_str(text).map_err(|err| vec![syntax_error(&err)])?;
    check_version(&value).map_err(|d| vec![*d])?;
    let document: OpenAPI =
        serde_path_to_error::deserialize(value).map_err(|err| vec![shape_error(&err)])?;
    Ok(document)
}

fn syntax_error(err: &serde_yaml::Error) -> Diagnostic {
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C"; the position is shown on its own line.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let diagnostic = Diagnostic::error(format!("the spec is not valid YAML or JSON: {message}"));
    match err.location() {
        Some(location) => diagnostic.at_position(Position {
            line: location.line(),
            column: location.column(),
        }),
        None => diagnostic,
    }
}

/// openapiv3 reads any document whose shape fits, whatever its `openapi` field
/// says; a 3.1 or 2.0 document would be half-read in silence.
fn check_version(value: &Value) -> Result<(), Box<Diagnostic>> {
    let Value::Mapping(root) = value else {
        return Err(Box::new(
            Diagnostic::error(
                "the spec is not an OpenAPI document: its top level is not a mapping",
            )
            .at(""),
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        let version = scalar_text(swagger);
        return Err(Box::new(Diagnostic::error(format!(
            "this is Swagger {version}; the generator reads OpenAPI 3.0"
        ))
        .at("/swagger")
        .with_hint("convert it to OpenAPI 3.0 first, e.g. with swagger2openapi or the converter at converter.swagger.io")));
    }
    let Some(version) = root.get("openapi") else {
        return Err(Box::new(
            Diagnostic::error("the spec is not an OpenAPI document: it has no `openapi` field")
                .at("")
                .with_hint("an OpenAPI 3.0 document starts with `openapi: 3.0.3`"),
        ));
    };
    let Value::String(version) = version else {
        return Err(Box::new(
            Diagnostic::error(format!(
                "the `openapi` field must be a string such as \"3.0.3\", not `{}`",
                scalar_text(version)
            ))
            .at("/openapi")
            .with_hint("quote the version: `openapi: \"3.0.3\"`"),
        ));
    };
    if version.starts_with("3.0.") || version == "3.0" {
        return Ok(());
    }
    let diagnostic = if version.starts_with("3.1") {
        Diagnostic::error(format!(
            "OpenAPI {version} is not supported yet; the generator reads OpenAPI 3.0"
        ))
        .with_hint("3.1 support is planned; until then, express the document in OpenAPI 3.0.3")
    } else {
        Diagnostic::error(format!(
            "unknown OpenAPI version `{version}`; the generator reads OpenAPI 3.0"
        ))
    };
    Err(Box::new(diagnostic.at("/openapi")))
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        _ => "a collection".to_owned(),
    }
}

/// openapiv3 rejected the document's shape: name the node it stopped at.
fn shape_error(err: &serde_path_to_error::Error<serde_yaml::Error>) -> Diagnostic {
    let mut pointer = String::new();
    for segment in err.path().iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_segment(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    Diagnostic::error(format!(
        "the spec does not have the shape of an OpenAPI 3.0 document: {}",
        err.inner()
    ))
    .at(pointer)
}
