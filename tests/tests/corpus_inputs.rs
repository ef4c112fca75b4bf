//! Real specs that openapiv3 alone cannot read load: OpenAPI 3.1 documents,
//! integers beyond 64 bits, JSON with escapes libyaml rejects. They come from
//! ../shared/corpus/ (or `$CORPUS_DIR`), which is not part of the repository:
//! without it these tests say so and pass.

use std::path::{Path, PathBuf};

use generator::load::{Format, Version, load};
use openapiv3::{ReferenceOr, SchemaKind, Type};

fn corpus(name: &str) -> Option<(PathBuf, String)> {
    // CORPUS_DIR points elsewhere, e.g. from a git worktree outside the checkout.
    let dir = std::env::var_os("CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((path, text)),
        Err(_) => {
            eprintln!("skipped: {} is absent", path.display());
            None
        }
    }
}

#[test]
fn the_vendor_linq_spec_loads_with_every_operation() {
    let Some((_, text)) = corpus("linq-partner-3.1.yaml") else {
        return;
    };
    let loaded = load(&text).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(loaded.version, Version::V3_1);
    assert_eq!(loaded.format, Format::Yaml);
    let ids: Vec<String> = loaded
        .document
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| item.iter())
        .filter_map(|(_, operation)| operation.operation_id.clone())
        .collect();
    let in_text = text
        .lines()
        .filter(|line| line.trim_start().starts_with("operationId:"))
        .count();
    // Each operationId in the text is an operation of `paths` or of `webhooks`.
    assert_eq!(ids.len(), 26, "{ids:?}");
    assert_eq!(in_text - ids.len(), 32, "the rest are webhooks");
    let (api, _) = generator::model::build(&loaded.document).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(api.webhooks.len(), 32, "every webhook is an event");
    // Each is told apart by its `event_type` (and, between the two versions of
    // an event with different payloads, its example's `webhook_version`).
    let told_apart = api
        .webhooks
        .iter()
        .filter(|w| !w.matches.is_empty())
        .count();
    assert_eq!(
        told_apart,
        32,
        "{:#?}",
        api.webhooks
            .iter()
            .map(|w| (&w.name, &w.matches))
            .collect::<Vec<_>>()
    );
    for id in ["startTyping", "stopTyping"] {
        assert!(ids.iter().any(|i| i == id), "{id} is missing: {ids:?}");
    }
}

#[test]
fn openai_specs_load_with_bounds_beyond_i64_clamped() {
    for name in ["openai-3.0.yaml", "openai-3.1.yaml"] {
        let Some((_, text)) = corpus(name) else {
            return;
        };
        let loaded = load(&text).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        let components = loaded.document.components.expect("components");
        let Some(ReferenceOr::Item(request)) =
            components.schemas.get("CreateChatCompletionRequest")
        else {
            panic!("{name}: CreateChatCompletionRequest is missing");
        };
        // `seed: {minimum: -9223372036854776000}` sits in the second allOf part.
        let SchemaKind::AllOf { all_of } = &request.schema_kind else {
            panic!("{name}: CreateChatCompletionRequest is not an allOf");
        };
        let ReferenceOr::Item(part) = &all_of[1] else {
            panic!("{name}: the second part is a reference");
        };
        let properties = match &part.schema_kind {
            SchemaKind::Type(Type::Object(object)) => &object.properties,
            SchemaKind::Any(any) => &any.properties,
            other => panic!("{name}: unexpected {other:?}"),
        };
        let Some(ReferenceOr::Item(seed)) = properties.get("seed") else {
            panic!("{name}: no seed property");
        };
        let SchemaKind::Type(Type::Integer(seed)) = &seed.schema_kind else {
            panic!("{name}: seed is not an integer: {:?}", seed.schema_kind);
        };
        assert_eq!(seed.minimum, Some(i64::MIN), "{name}");
        assert_eq!(seed.maximum, Some(i64::MAX), "{name}");
    }
}

#[test]
fn other_documents_openapiv3_alone_cannot_read_load() {
    for (name, version, format) in [
        ("discourse-3.1.yaml", Version::V3_1, Format::Yaml),
        ("oai-webhook-example-3.1.yaml", Version::V3_1, Format::Yaml),
        ("oai-non-oauth-scopes-3.1.yaml", Version::V3_1, Format::Yaml),
        ("twilio-api-v2010.json", Version::V3_0, Format::Json),
    ] {
        let Some((_, text)) = corpus(name) else {
            return;
        };
        let loaded = load(&text).unwrap_or_else(|d| panic!("{name}: {d:#?}"));
        assert_eq!((loaded.version, loaded.format), (version, format), "{name}");
    }
}
