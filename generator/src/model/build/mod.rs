//! Lowering: `openapiv3::OpenAPI` → [`Api`]. Every `$ref` is resolved here and
//! every name is made a Rust name here, so emitters never see the spec.
//!
//! Problems are collected, not thrown: one run reports as many as it can.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, Schema};
use serde::Deserialize;

mod all_of;
mod auth;
mod enums;
mod errors;
mod events;
mod implied;
mod objects;
mod operations;
mod pagination;
mod parameters;
mod placement;
pub use placement::repeats_resource;
mod recursion;
mod request_bodies;
mod resource_tree;
mod responses;
mod schema_refs;
mod schemas;
mod shapes;
mod sizes;
mod unions;
mod webhooks;

use super::names::{self, Namespace, to_crate_name, to_env_prefix, to_type_name};
use super::*;
use crate::diagnostic::{Diagnostic, join};
use crate::settings::Settings;

/// The root extension that configures the generated crate.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ClientExtension {
    #[serde(rename = "crate")]
    crate_name: Option<String>,
    version: Option<String>,
    env_prefix: Option<String>,
    error: Option<ErrorExtension>,
    idempotency_header: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ErrorExtension {
    schema: String,
    code: Option<String>,
    message: Option<String>,
}

const CLIENT_EXTENSION: &str = "x-rust-client";
const RESOURCE_EXTENSION: &str = "x-rust-resource";
const METHOD_EXTENSION: &str = "x-rust-method";
const ENUM_NAMES_EXTENSION: &str = "x-enum-varnames";
const ENUM_OPEN_EXTENSION: &str = "x-enum-open";

/// Whether `name` is an HTTP field name: a token (RFC 9110, 5.1 and 5.6.2).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Builds the model, or returns every error found. Warnings come back either way.
pub fn build(doc: &OpenAPI) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    build_with(doc, &Settings::default())
}

/// Builds the model with `settings` over the spec's own: its names, and
/// which operations it holds.
pub fn build_with(
    doc: &OpenAPI,
    settings: &Settings,
) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut builder = Builder::new(doc, settings);
    let api = builder.api();
    if builder.diagnostics.iter().any(Diagnostic::is_error) {
        Err(builder.diagnostics)
    } else {
        Ok((api, builder.diagnostics))
    }
}

/// An operation before it is placed in the resource tree.
struct Grouped {
    resource: Vec<String>,
    wanted_name: String,
    pointer: String,
    operation: Operation,
}

struct Builder<'a> {
    doc: &'a OpenAPI,
    settings: &'a Settings,
    diagnostics: Vec<Diagnostic>,
    type_names: Namespace,
    /// Component schema name → Rust type name.
    component_types: IndexMap<String, String>,
    types: Vec<TypeDef>,
    /// JSON pointer of an inline schema → the type made for it.
    inline_types: std::collections::HashMap<String, String>,
    /// How deep references into components are being followed.
    nesting: std::cell::Cell<usize>,
    credentials: auth::Credentials,
    /// The document's `security`, what an operation without its own needs.
    default_security: Security,
    /// The types error responses carry, in the order they are met.
    error_bodies: Vec<ErrorBodyVariant>,
    /// The first header parameter whose name says it is an idempotency key.
    declared_idempotency_header: Option<String>,
}

impl<'a> Builder<'a> {
    fn new(doc: &'a OpenAPI, settings: &'a Settings) -> Self {
        let mut type_names = Namespace::default();
        // A schema of such a name would shadow the runtime's, or clash with it.
        for reserved in names::RUNTIME_TYPE_NAMES {
            type_names.claim(reserved);
        }
        let schema_names: Vec<(&String, String)> = doc
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|name| (name, to_type_name(name)))
            .collect();
        // A schema named like the runtime (`Error`, `Client`) is `ErrorModel`,
        // named after the schemas that keep their own names, which a rename
        // must not take.
        let mut claimed: IndexMap<String, String> = IndexMap::new();
        let runtime = |ty: &str| names::RUNTIME_TYPE_NAMES.contains(&ty);
        for (name, ty) in schema_names.iter().filter(|(_, ty)| !runtime(ty)) {
            claimed.insert((*name).clone(), type_names.claim(ty));
        }
        for (name, ty) in schema_names.iter().filter(|(_, ty)| runtime(ty)) {
            claimed.insert((*name).clone(), type_names.claim(&format!("{ty}Model")));
        }
        // In the spec's order, whatever order the names were claimed in.
        let component_types = schema_names
            .iter()
            .map(|(name, _)| ((*name).clone(), claimed[*name].clone()))
            .collect();
        Self {
            doc,
            settings,
            diagnostics: Vec::new(),
            type_names,
            component_types,
            types: Vec::new(),
            inline_types: std::collections::HashMap::new(),
            nesting: std::cell::Cell::new(0),
            credentials: auth::Credentials::new(),
            default_security: Security::new(),
            error_bodies: Vec::new(),
            declared_idempotency_header: None,
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message).at(pointer));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn warning(&mut self, pointer: &str, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::warning(message).at(pointer));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn api(&mut self) -> Api {
        let doc = self.doc;
        let extension = self.client_extension();
        self.component_schemas();
        self.default_security = self.document_security();
        let resources = self.resources();
        let webhooks = self.webhooks();
        let webhook_signature = self.webhook_signature();
        let error_body_type = match self.error_bodies.is_empty() {
            true => String::new(),
            false => self.type_names.claim("ErrorBody"),
        };
        let webhook_event_type = if webhooks.is_empty() {
            String::new()
        } else {
            self.type_names.claim("WebhookEvent")
        };
        recursion::break_cycles(&mut self.types);
        sizes::box_large(&mut self.types);
        // After an error the types may be incomplete: checking the envelope's
        // field paths would only repeat it.
        let has_errors = self.diagnostics.iter().any(Diagnostic::is_error);
        let error_envelope = match &extension.error {
            _ if has_errors => None,
            Some(error) => self.error_envelope(error),
            None => self.inferred_envelope(),
        };
        if !has_errors {
            self.error_body_fields(error_envelope.as_ref());
        }
        let idempotency_header = self.idempotency_header(extension.idempotency_header.clone());
        // A setting wins over the spec's extension, which wins over the default.
        let settings = self.settings;
        let crate_name = (settings.crate_name.clone())
            .or(extension.crate_name)
            .unwrap_or_else(|| to_crate_name(&doc.info.title));
        let crate_version = match settings.crate_version.clone().or(extension.version) {
            Some(version) => version,
            None => self.crate_version_of(&doc.info.version),
        };
        Api {
            title: doc.info.title.clone(),
            description: doc.info.description.clone(),
            api_version: doc.info.version.clone(),
            env_prefix: (settings.env_prefix.clone())
                .or(extension.env_prefix)
                .unwrap_or_else(|| to_env_prefix(&crate_name)),
            default_tls: match settings.tls.as_deref() {
                Some("none") => None,
                Some(tls) => Some(tls.to_owned()),
                // Measured (README.md, "Performance"): as quick to build as
                // cargo-progenitor's crate, where aws-lc-rs adds 20 s or more.
                None => Some("rustls-ring".to_owned()),
            },
            crate_name,
            crate_version,
            base_url: doc
                .servers
                .first()
                .map(|s| s.url.trim_end_matches('/').to_owned()),
            credentials: std::mem::replace(&mut self.credentials, auth::Credentials::new())
                .finish(),
            security: std::mem::take(&mut self.default_security),
            resources,
            types: std::mem::take(&mut self.types),
            schemas: self
                .component_types
                .iter()
                .map(|(name, rust_name)| (name.clone(), rust_name.clone()))
                .collect(),
            error_envelope,
            error_bodies: std::mem::take(&mut self.error_bodies),
            error_body_type,
            webhooks,
            webhook_event_type,
            webhook_signature,
            idempotency_header,
        }
    }

    /// The package's version: `info.version` when cargo can read it as one
    /// (the semver grammar cargo uses: `1.0.0-` and `01.0.0` are not).
    fn crate_version_of(&mut self, version: &str) -> String {
        const FALLBACK: &str = "0.1.0";
        match semver::Version::parse(version) {
            Ok(_) => version.to_owned(),
            // Dates and `v1` are common API versions, and say nothing of the
            // package's: only what looks meant as semver is worth a warning.
            Err(err) if looks_like_semver(version) => {
                self.warning(
                    "/info/version",
                    format!("`info.version` `{version}` is not a semver version ({err}); the crate is version {FALLBACK}"),
                )
                .hint = Some(format!("set `{CLIENT_EXTENSION}.version` to choose the crate's version"));
                FALLBACK.to_owned()
            }
            Err(_) => FALLBACK.to_owned(),
        }
    }

    /// The header that carries a retried request's idempotency key: the one
    /// the extension names, else the first the operations declare (Stripe's
    /// `Idempotency-Key`, `X-Idempotency-Key`), else the IETF draft's
    /// (draft-ietf-httpapi-idempotency-key-header), which Stripe, Adyen and
    /// the Stainless-built SDKs send.
    fn idempotency_header(&mut self, named: Option<String>) -> String {
        const DEFAULT: &str = "Idempotency-Key";
        if let Some(name) = named {
            if is_header_name(&name) {
                return name;
            }
            self.error(
                &join(&join("", CLIENT_EXTENSION), "idempotency-header"),
                format!("`{name}` is not a header name (RFC 9110, 5.1: a token)"),
            );
        }
        (self.declared_idempotency_header.clone())
            .filter(|name| is_header_name(name))
            .unwrap_or_else(|| DEFAULT.to_owned())
    }

    fn client_extension(&mut self) -> ClientExtension {
        let pointer = join("", CLIENT_EXTENSION);
        let Some(value) = self.doc.extensions.get(CLIENT_EXTENSION) else {
            return ClientExtension::default();
        };
        match serde_path_to_error::deserialize::<_, ClientExtension>(value) {
            Ok(extension) => {
                // The same values as the settings', checked by the same rules.
                let values = Settings {
                    crate_name: extension.crate_name.clone(),
                    crate_version: extension.version.clone(),
                    env_prefix: extension.env_prefix.clone(),
                    ..Settings::default()
                };
                for (key, message, hint) in values.problems() {
                    let field = match key {
                        "crate-name" => "crate",
                        "crate-version" => "version",
                        other => other,
                    };
                    self.error(&join(&pointer, field), message).hint = Some(hint.into());
                }
                extension
            }
            Err(err) => {
                let at = err.path().to_string().replace('.', "/");
                let at = if at == "/" || at.is_empty() {
                    pointer
                } else {
                    format!("{pointer}/{at}")
                };
                self.error(
                    &at,
                    format!("invalid `{CLIENT_EXTENSION}` extension: {}", err.inner()),
                )
                .hint = Some("see README.md, section \"Spec extensions\"".into());
                ClientExtension::default()
            }
        }
    }
}

fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let text = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    text(&data.description).or_else(|| text(&data.title))
}

fn location_name(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// `application/json` from `application/json; charset=utf-8`, lower-cased.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// `1.0.0-`, `01.0.0`, `1.0.0-01`: three dotted numbers first, as a version
/// meant for semver has.
fn looks_like_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_named_like_the_runtime_become_models_and_others_keep_their_names() {
        let doc: OpenAPI = serde_yaml::from_str(
            r#"
openapi: 3.0.3
info: { title: names, version: "1" }
paths: {}
components:
  schemas:
    Error: { type: object, properties: { code: { type: string } } }
    Client: { type: object, properties: { id: { type: string } } }
    ErrorModel: { type: object, properties: { detail: { type: string } } }
    Chat: { type: object, properties: { topic: { type: string } } }
"#,
        )
        .expect("the spec parses");
        let (api, _) = build(&doc).expect("the spec builds");
        // Each type found by its name, told apart by its one property.
        let property_of = |name: &str| match api.types.iter().find(|t| t.name == name) {
            Some(TypeDef {
                kind: TypeKind::Struct { fields },
                ..
            }) => fields.first().map(|f| f.json_name.clone()),
            _ => None,
        };
        assert_eq!(property_of("ErrorModel2").as_deref(), Some("code"));
        assert_eq!(property_of("ErrorModel").as_deref(), Some("detail"));
        assert_eq!(property_of("ClientModel").as_deref(), Some("id"));
        assert_eq!(property_of("Chat").as_deref(), Some("topic"));
        assert!(
            !api.types
                .iter()
                .any(|t| t.name == "Error" || t.name == "Client")
        );
    }
}
