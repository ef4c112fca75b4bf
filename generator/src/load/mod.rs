//! Load: spec text → `openapiv3::OpenAPI`, with the checks openapiv3 does not make.
//!
//! The stages: [`parse`] (YAML or JSON text → an untyped document, within
//! limits) → version check → `lint` (references, cycles and typos, all
//! reported at once) → `normalize` (OpenAPI 3.1 → the 3.0 form openapiv3
//! reads) → openapiv3.

mod events;
mod lint;
mod merge;
mod normalize;
pub mod overlay;
pub use normalize::WEBHOOKS;
pub mod parse;
mod pointer;
mod shape;
pub mod text;
mod walk;

use openapiv3::{Components, OpenAPI};
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, escape_segment};
pub use parse::Format;

/// The OpenAPI versions the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_1,
}

/// A document that loaded, and what was left out of it on the way.
#[derive(Debug)]
pub struct Loaded {
    pub document: OpenAPI,
    pub version: Version,
    pub format: Format,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and checks a spec. Every error is located (pointer or position).
pub fn load(text: &str) -> Result<Loaded, Vec<Diagnostic>> {
    load_with(text, &[])
}

/// [`load`], the `overlays` applied in order to the parsed spec before it is
/// checked: what they add is read as if the spec said it.
pub fn load_with(text: &str, overlays: &[overlay::Overlay]) -> Result<Loaded, Vec<Diagnostic>> {
    let (mut value, format) = parse::parse(text).map_err(|d| vec![*d])?;
    let mut overlay_warnings = Vec::new();
    for overlay in overlays {
        overlay_warnings.extend(overlay::apply(&mut value, overlay)?);
    }
    let version = check_version(&value).map_err(|d| vec![*d])?;
    let sites = walk::sites(&value);
    let mut warnings = overlay_warnings;
    warnings.extend(lint::lint(&value, &sites));
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(warnings);
    }
    let sites = sites.into_pointers(normalize::may_rewrite);
    warnings.extend(normalize::normalize(&mut value, &sites));
    shape::check_deep_schemas(&value).map_err(|d| vec![*d])?;
    let document = match typed(value) {
        Ok(document) => document,
        Err(()) => typed_tracked(text, overlays).map_err(|d| vec![*d])?,
    };
    Ok(Loaded {
        document,
        version,
        format,
        warnings,
    })
}

/// The document as openapiv3's types, `components` converted on a second
/// thread: the conversion is a third of loading, and the two halves of a
/// large spec are about the same size.
fn typed(mut value: Value) -> Result<OpenAPI, ()> {
    let components = value
        .as_object_mut()
        .and_then(|root| root.remove("components"));
    let (document, components) = std::thread::scope(|scope| {
        let components = scope.spawn(|| components.map(Components::deserialize).transpose());
        let document = OpenAPI::deserialize(value);
        (document, components.join())
    });
    let mut document = document.map_err(drop)?;
    // A panic in the conversion (not expected of serde) is reported as a shape
    // error by the tracked conversion, which runs on this thread.
    document.components = components.map_err(drop)?.map_err(drop)?;
    Ok(document)
}

/// The conversion again, from the start, keeping track of where it is (which
/// the fast path does not pay for): why openapiv3 rejects the spec, located.
/// It reads the document whole, as the fast path's halves may not (`components:
/// null` is no `Components`, but an absent one).
fn typed_tracked(text: &str, overlays: &[overlay::Overlay]) -> Result<OpenAPI, Box<Diagnostic>> {
    let (mut value, _) = parse::parse(text)?;
    for overlay in overlays {
        // They applied once already: they apply again.
        let _ = overlay::apply(&mut value, overlay);
    }
    let sites = walk::sites(&value).into_pointers(normalize::may_rewrite);
    normalize::normalize(&mut value, &sites);
    serde_path_to_error::deserialize::<_, OpenAPI>(value)
        .map_err(|err| Box::new(shape_error(&err, "")))
}

/// openapiv3 reads any document whose shape fits, whatever its `openapi` field
/// says; a 2.0 document would be half-read in silence.
fn check_version(value: &Value) -> Result<Version, Box<Diagnostic>> {
    let Value::Object(root) = value else {
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
            "this is Swagger {version}; the generator reads OpenAPI 3.0 and 3.1"
        ))
        .at("/swagger")
        .with_hint("convert it to OpenAPI 3 first, e.g. with swagger2openapi or the converter at converter.swagger.io")));
    }
    let Some(version) = root.get("openapi") else {
        return Err(Box::new(
            Diagnostic::error("the spec is not an OpenAPI document: it has no `openapi` field")
                .at("")
                .with_hint("an OpenAPI document starts with `openapi: 3.1.0` or `openapi: 3.0.3`"),
        ));
    };
    let Value::String(version) = version else {
        return Err(Box::new(
            Diagnostic::error(format!(
                "the `openapi` field must be a string such as \"3.1.0\", not `{}`",
                scalar_text(version)
            ))
            .at("/openapi")
            .with_hint("quote the version: `openapi: \"3.1.0\"`"),
        ));
    };
    let minor = |prefix: &str| version == prefix || version.starts_with(&format!("{prefix}."));
    if minor("3.0") {
        return Ok(Version::V3_0);
    }
    if minor("3.1") {
        return Ok(Version::V3_1);
    }
    let hint = if version.starts_with("2") {
        "OpenAPI 2 is Swagger 2.0; convert it to OpenAPI 3 first"
    } else {
        "the generator reads OpenAPI 3.0.x and 3.1.x"
    };
    Err(Box::new(
        Diagnostic::error(format!(
            "unknown OpenAPI version `{version}`; the generator reads OpenAPI 3.0 and 3.1"
        ))
        .at("/openapi")
        .with_hint(hint),
    ))
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

/// openapiv3 rejected the document's shape: name the node it stopped at
/// (`under` is the pointer of the node the conversion started from).
fn shape_error(err: &serde_path_to_error::Error<serde_json::Error>, under: &str) -> Diagnostic {
    let mut pointer = under.to_owned();
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
        "the spec does not have the shape of an OpenAPI document: {}",
        err.inner()
    ))
    .at(pointer)
}
