//! The mostly-fixed files, rendered from `templates/` (embedded at build time,
//! so the generator runs from anywhere).

use minijinja::Environment;
use serde::Serialize;

use super::File;
use super::docs;
use crate::diagnostic::Diagnostic;
use crate::model::{
    Api, ApiKeyLocation, AuthScheme, BodyKind, Credential, ErrorEnvelope, Leaf, Operation, Param,
    ParamLocation, Presence, Resource, Security, SignatureEncoding, Success, TypeRef,
    WebhookSignature,
};

const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "Cargo.toml",
        "Cargo.toml",
        include_str!("../../templates/Cargo.toml.j2"),
    ),
    (
        "README.md",
        "README.md",
        include_str!("../../templates/README.md.j2"),
    ),
    (
        "lib.rs",
        "src/lib.rs",
        include_str!("../../templates/lib.rs.j2"),
    ),
    (
        "client.rs",
        "src/client.rs",
        include_str!("../../templates/client.rs.j2"),
    ),
    (
        "error.rs",
        "src/error.rs",
        include_str!("../../templates/error.rs.j2"),
    ),
    (
        "request.rs",
        "src/request.rs",
        include_str!("../../templates/request.rs.j2"),
    ),
    (
        "request/decode.rs",
        "src/request/decode.rs",
        include_str!("../../templates/request/decode.rs.j2"),
    ),
    (
        "request/pages.rs",
        "src/request/pages.rs",
        include_str!("../../templates/request/pages.rs.j2"),
    ),
    (
        "request/retry.rs",
        "src/request/retry.rs",
        include_str!("../../templates/request/retry.rs.j2"),
    ),
    (
        "request/send.rs",
        "src/request/send.rs",
        include_str!("../../templates/request/send.rs.j2"),
    ),
    (
        "request/trace.rs",
        "src/request/trace.rs",
        include_str!("../../templates/request/trace.rs.j2"),
    ),
    (
        "stream.rs",
        "src/stream.rs",
        include_str!("../../templates/stream.rs.j2"),
    ),
    (
        "encode.rs",
        "src/encode.rs",
        include_str!("../../templates/encode.rs.j2"),
    ),
    (
        "multipart.rs",
        "src/multipart.rs",
        include_str!("../../templates/multipart.rs.j2"),
    ),
    (
        "webhooks.rs",
        "src/webhooks.rs",
        include_str!("../../templates/webhooks.rs.j2"),
    ),
];

#[derive(Serialize)]
struct Context {
    /// Which request encoders the operations need; the runtime has no others.
    uses: Uses,
    // Spec text reaches a template only through the escaping layer of the
    // place it goes: `_toml` values are TOML, `_literal` ones Rust string
    // literals, `_doc` ones comment text, `_markdown` ones README text.
    header: String,
    crate_name: String,
    crate_name_toml: String,
    /// The features on by default, as TOML: `"rustls", "tracing"`.
    default_features_toml: String,
    /// The TLS feature on by default, for the README: `` `rustls` ``, or none.
    default_tls_doc: String,
    crate_version_toml: String,
    description_toml: String,
    lib_name: String,
    title_doc: String,
    title_markdown: String,
    api_version_doc: String,
    api_version_markdown: String,
    description_lines: Vec<String>,
    example_lines: Vec<String>,
    env_prefix: String,
    base_url_doc: Option<String>,
    base_url_markdown: Option<String>,
    base_url_literal: Option<String>,
    has_auth: bool,
    /// Every credential the client can send, in the model's order (its index
    /// is its place here).
    credentials: Vec<CredentialRow>,
    /// The document's security requirement, as the runtime writes it:
    /// `&[&[credentials::API_KEY]]`.
    default_security: String,
    /// Some credential goes in a header other than `Cookie`.
    credential_header: bool,
    credential_query: bool,
    credential_cookie: bool,
    basic_auth: bool,
    /// The webhook event enum's name (in `types`), where the spec has webhooks.
    webhook_event_type: String,
    /// How webhooks are signed, where `x-rust-webhooks` says.
    signature: Option<SignatureContext>,
    /// The environment variables of the credentials after the first, sorted
    /// as rustfmt sorts `use` lines.
    other_env_constants: Vec<String>,
    /// The variables `Client::from_env` reads: `` `X_API_KEY` and `X_BASE_URL` ``.
    environment_doc: String,
    envelope_type: Option<String>,
    /// The body's field the envelope is read from, if it is nested in one.
    envelope_nested_literal: Option<String>,
    /// The enum of error bodies, where error responses carry typed ones.
    error_body_type: Option<String>,
    envelope_has_code: bool,
    /// Some error body's type, not the envelope's, has a code of its own.
    error_body_has_code: bool,
    error_body_has_message: bool,
    /// What `code()` returns: `i64`, or `&str` for a code that is text.
    code_type: &'static str,
    envelope_has_message: bool,
    error_code_type: Option<String>,
    /// The types `error.rs` names, sorted as rustfmt sorts `use` lines.
    types_imports: Vec<String>,
    /// The header of idempotency keys, as the spec spells it, and lowercase.
    idempotency_header: String,
    idempotency_header_lower: String,
    operations: Vec<OperationRow>,
    /// `types` declares something: an empty one would make `pub use types::*` unused.
    has_types: bool,
}

#[derive(Serialize)]
struct SignatureContext {
    signed_doc: String,
    encoding_doc: &'static str,
    signature_header: String,
    signature_header_literal: String,
    timestamp_header_literal: Option<String>,
    timestamp_header: Option<String>,
    id_header_literal: Option<String>,
    id_header: Option<String>,
    base64: bool,
    prefix_literal: String,
    several: bool,
    secret_prefix_literal: Option<String>,
    tolerance: u64,
    signed_parts: Vec<SignedPart>,
}

/// A piece of the signed text: `literal` text, or the `timestamp`, `id` or `body`.
#[derive(Serialize)]
struct SignedPart {
    kind: &'static str,
    literal: String,
}

fn signature_context(signature: &WebhookSignature) -> SignatureContext {
    let lower = |name: &str| string_literal(&name.to_ascii_lowercase());
    let mut parts = Vec::new();
    let mut rest = signature.signed.as_str();
    while !rest.is_empty() {
        let next = ["{timestamp}", "{id}", "{body}"]
            .iter()
            .filter_map(|tag| rest.find(tag).map(|at| (at, *tag)))
            .min();
        let (at, tag) = next.unwrap_or((rest.len(), ""));
        if at > 0 {
            parts.push(SignedPart {
                kind: "literal",
                literal: string_literal(&rest[..at]),
            });
        }
        if tag.is_empty() {
            break;
        }
        parts.push(SignedPart {
            kind: match tag {
                "{timestamp}" => "timestamp",
                "{id}" => "id",
                _ => "body",
            },
            literal: String::new(),
        });
        rest = &rest[at + tag.len()..];
    }
    SignatureContext {
        signed_doc: docs::markdown_code(&signature.signed),
        encoding_doc: match signature.encoding {
            SignatureEncoding::Hex => "hex-encoded",
            SignatureEncoding::Base64 => "base64-encoded",
        },
        signature_header: docs::one_line(&signature.signature_header),
        signature_header_literal: lower(&signature.signature_header),
        timestamp_header_literal: signature.timestamp_header.as_deref().map(lower),
        timestamp_header: signature.timestamp_header.clone(),
        id_header_literal: signature.id_header.as_deref().map(lower),
        id_header: signature.id_header.clone(),
        base64: signature.encoding == SignatureEncoding::Base64,
        prefix_literal: string_literal(&signature.prefix),
        several: signature.several,
        secret_prefix_literal: signature
            .base64_secret_prefix
            .as_deref()
            .map(string_literal),
        tolerance: signature.tolerance_seconds,
        signed_parts: parts,
    }
}

#[derive(Serialize)]
struct CredentialRow {
    setter: String,
    /// `API_KEY`: its index's constant; `API_KEY_ENV` is its variable's.
    constant: String,
    /// What the docs and errors call it: `API key`, `` `oauth2` credential ``.
    label: String,
    /// How it is sent: `sent as `Authorization: Bearer <key>``.
    sent_doc: String,
    description_lines: Vec<String>,
    required: bool,
    /// `bearer`, `basic`, `header`, `query` or `cookie`.
    kind: &'static str,
    /// The header, query parameter or cookie name, where the kind has one.
    name_literal: String,
    name_lower_literal: String,
}

#[derive(Serialize)]
struct OperationRow {
    call: String,
    http_markdown: String,
    summary_markdown: String,
}

pub fn render(api: &Api, header: &str) -> Result<Vec<File>, Vec<Diagnostic>> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(template_error)?;
    env.set_syntax(syntax);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, _, source) in TEMPLATES {
        env.add_template(name, source).map_err(template_error)?;
    }
    let context = context(api, header);
    TEMPLATES
        .iter()
        .filter(|(name, _, _)| *name != "multipart.rs" || context.uses.multipart)
        .filter(|(name, _, _)| *name != "webhooks.rs" || context.signature.is_some())
        .filter(|(name, _, _)| *name != "request/pages.rs" || context.uses.pagination)
        .map(|(name, path, _)| {
            let template = env.get_template(name).map_err(template_error)?;
            let contents = template
                .render(minijinja::value::Serde(&context))
                .map_err(template_error)?;
            Ok(File {
                path: (*path).to_owned(),
                contents,
            })
        })
        .collect()
}

fn template_error(err: minijinja::Error) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(format!("internal error in a template: {err:#}")).with_hint(
            "this is a bug in the generator's templates; please report it with the spec",
        ),
    ]
}

fn context(api: &Api, header: &str) -> Context {
    let lib_name = api.crate_name.replace('-', "_");
    let credentials: Vec<CredentialRow> = api
        .credentials
        .iter()
        .enumerate()
        .map(|(index, credential)| credential_row(index, credential, api.credentials.len()))
        .collect();
    let kinds: Vec<&str> = credentials.iter().map(|c| c.kind).collect();
    let envelope = api.error_envelope.as_ref();
    Context {
        header: header.to_owned(),
        crate_name: api.crate_name.clone(),
        crate_name_toml: toml_string(&api.crate_name),
        default_tls_doc: match &api.default_tls {
            Some(tls) => format!("`{tls}`"),
            None => "no TLS feature".to_owned(),
        },
        default_features_toml: (api.default_tls.iter().map(String::as_str))
            .chain(["tracing"])
            .map(toml_string)
            .collect::<Vec<_>>()
            .join(", "),
        crate_version_toml: toml_string(&api.crate_version),
        description_toml: toml_string(&format!(
            "Rust client for the {}, generated from its OpenAPI document",
            docs::one_line(&api.title)
        )),
        title_doc: docs::one_line(&api.title),
        title_markdown: docs::markdown_text(&api.title),
        api_version_doc: docs::one_line(&api.api_version),
        api_version_markdown: docs::markdown_text(&api.api_version),
        description_lines: api
            .description
            .as_deref()
            .map(|d| {
                docs::rustdoc_safe(d)
                    .into_iter()
                    .map(|l| l.trim_start_matches(' ').to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        example_lines: example_lines(api, &lib_name),
        lib_name,
        env_prefix: api.env_prefix.clone(),
        base_url_doc: api.base_url.as_deref().map(docs::markdown_code),
        base_url_markdown: api.base_url.as_deref().map(docs::markdown_code),
        base_url_literal: api.base_url.as_deref().map(string_literal),
        has_auth: !credentials.is_empty(),
        default_security: security_literal(&api.security, &api.credentials),
        credential_header: kinds
            .iter()
            .any(|k| matches!(*k, "bearer" | "basic" | "header")),
        credential_query: kinds.contains(&"query"),
        credential_cookie: kinds.contains(&"cookie"),
        basic_auth: kinds.contains(&"basic")
            || api.webhook_signature.as_ref().is_some_and(|s| {
                s.encoding == SignatureEncoding::Base64 || s.base64_secret_prefix.is_some()
            }),
        environment_doc: {
            let mut names = vec![format!("`{}_API_KEY`", api.env_prefix)];
            names.extend(
                credentials
                    .iter()
                    .skip(1)
                    .map(|c| format!("`{}_{}`", api.env_prefix, c.constant)),
            );
            format!("{} and `{}_BASE_URL`", names.join(", "), api.env_prefix)
        },
        webhook_event_type: api.webhook_event_type.clone(),
        signature: api
            .webhook_signature
            .as_ref()
            .filter(|_| !api.webhooks.is_empty())
            .map(signature_context),
        other_env_constants: {
            let mut names: Vec<String> = credentials
                .iter()
                .skip(1)
                .map(|c| format!("{}_ENV", c.constant))
                .collect();
            names.sort();
            names
        },
        credentials,
        envelope_type: envelope.map(|e| e.type_name.clone()),
        envelope_nested_literal: envelope
            .and_then(|e| e.nested_in.as_deref())
            .map(string_literal),
        error_body_type: (!api.error_bodies.is_empty()).then(|| api.error_body_type.clone()),
        idempotency_header: api.idempotency_header.clone(),
        idempotency_header_lower: api.idempotency_header.to_ascii_lowercase(),
        envelope_has_code: envelope.is_some_and(|e| e.code.is_some()),
        error_body_has_code: api.error_bodies.iter().any(|v| v.code.is_some()),
        error_body_has_message: api.error_bodies.iter().any(|v| v.message.is_some()),
        code_type: match api.code_is_text() {
            Some(true) => "&str",
            _ => "i64",
        },
        envelope_has_message: envelope.is_some_and(|e| e.message.is_some()),
        error_code_type: envelope.and_then(error_code_type),
        types_imports: {
            let mut names: Vec<String> = envelope
                .map(|e| e.type_name.clone())
                .into_iter()
                .chain(envelope.and_then(error_code_type))
                .chain((!api.error_bodies.is_empty()).then(|| api.error_body_type.clone()))
                .collect();
            names.sort();
            names.dedup();
            names
        },
        operations: operation_rows(&api.resources),
        uses: Uses {
            file_lists: api
                .types
                .iter()
                .any(|t| has_file_list(t, Presence::Required)),
            optional_file_lists: api
                .types
                .iter()
                .any(|t| has_file_list(t, Presence::Optional)),
            ..uses(&api.resources)
        },
        has_types: !api.types.is_empty()
            || api.error_envelope.is_some()
            || !api.error_bodies.is_empty()
            || !api.webhooks.is_empty(),
    }
}

fn credential_row(index: usize, credential: &Credential, count: usize) -> CredentialRow {
    let label = match (index, count) {
        (0, 1) => "API key".to_owned(),
        (0, _) => format!("API key ({})", docs::markdown_code(&credential.scheme_name)),
        _ => format!(
            "{} credential",
            docs::markdown_code(&credential.scheme_name)
        ),
    };
    let (kind, name, sent_doc) = match &credential.scheme {
        AuthScheme::Bearer => (
            "bearer",
            "",
            "sent as `Authorization: Bearer <key>`".to_owned(),
        ),
        AuthScheme::Basic => (
            "basic",
            "",
            "`user:password`, sent as `Authorization: Basic <base64>`".to_owned(),
        ),
        AuthScheme::ApiKey { location, name } => {
            let code = docs::markdown_code(name);
            match location {
                ApiKeyLocation::Header => (
                    "header",
                    name.as_str(),
                    format!("sent in the {code} header"),
                ),
                ApiKeyLocation::Query => (
                    "query",
                    name.as_str(),
                    format!("sent in the {code} query parameter"),
                ),
                ApiKeyLocation::Cookie => (
                    "cookie",
                    name.as_str(),
                    format!("sent in the {code} cookie"),
                ),
            }
        }
    };
    CredentialRow {
        setter: credential.setter.clone(),
        constant: credential.constant.clone(),
        label,
        sent_doc,
        description_lines: credential
            .description
            .as_deref()
            .map(|d| {
                docs::rustdoc_safe(d)
                    .into_iter()
                    .map(|l| l.trim_start_matches(' ').to_owned())
                    .collect()
            })
            .unwrap_or_default(),
        required: credential.required,
        kind,
        name_literal: string_literal(name),
        name_lower_literal: string_literal(&name.to_ascii_lowercase()),
    }
}

/// A security requirement as the runtime's constant expression:
/// `&[&[credentials::API_KEY], &[]]`.
pub(super) fn security_literal(security: &Security, credentials: &[Credential]) -> String {
    let alternatives: Vec<String> = security
        .iter()
        .map(|set| {
            let names: Vec<String> = set
                .iter()
                .map(|&index| format!("credentials::{}", credentials[index].constant))
                .collect();
            format!("&[{}]", names.join(", "))
        })
        .collect();
    format!("&[{}]", alternatives.join(", "))
}

fn error_code_type(envelope: &ErrorEnvelope) -> Option<String> {
    match &envelope.code.as_ref()?.leaf {
        Leaf::IntegerEnum(name) => Some(name.clone()),
        _ => None,
    }
}

/// A Rust string literal of `text`, escaped by proc-macro2 as `quote!` would.
fn string_literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// A TOML string of `text`, escaped by the TOML writer.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn operation_rows(resources: &[Resource]) -> Vec<OperationRow> {
    let mut rows = Vec::new();
    for resource in resources {
        for op in &resource.operations {
            rows.push(OperationRow {
                call: call(resource, op),
                http_markdown: docs::markdown_code(&format!("{} {}", op.http_method, op.path)),
                summary_markdown: docs::one_line(op.summary.as_deref().unwrap_or_default())
                    .replace('|', "\\|"),
            });
        }
        rows.extend(operation_rows(&resource.children));
    }
    rows
}

/// `chats().typing().start(chat_id)`.
fn call(resource: &Resource, op: &Operation) -> String {
    let path: Vec<String> = resource
        .path
        .iter()
        .map(|name| format!("{name}()"))
        .collect();
    let mut args: Vec<&str> = op.params.iter().map(|p| p.rust_name.as_str()).collect();
    if let Some(body) = &op.body {
        args.push(match (&body.kind, body.required) {
            (BodyKind::Raw { .. }, true) => "body",
            (BodyKind::Raw { .. }, false) => "Some(body)",
            (_, true) => "&body",
            (_, false) => "Some(&body)",
        });
    }
    format!("{}.{}({})", path.join("."), op.method_name, args.join(", "))
}

/// The crate docs' example: build a client, then call the first operation whose
/// arguments can be written as literals.
fn example_lines(api: &Api, lib_name: &str) -> Vec<String> {
    let example = first_simple_operation(&api.resources);
    let needs_uuid = example.is_some_and(|(_, op)| op.params.iter().any(|p| p.ty == TypeRef::Uuid));
    let mut lines = vec![if needs_uuid {
        format!("use {lib_name}::{{Client, Uuid}};")
    } else {
        format!("use {lib_name}::Client;")
    }];
    lines.push(String::new());
    lines.push("let client = Client::builder()".to_owned());
    // The credentials a client cannot be built without, else the first.
    let shown = api.credentials.iter().filter(|c| c.required).chain(
        api.credentials
            .first()
            .filter(|_| !api.credentials.iter().any(|c| c.required)),
    );
    for credential in shown {
        lines.push(format!(
            "    .{}(\"...\") // else {}_{}",
            credential.setter, api.env_prefix, credential.constant
        ));
    }
    lines.push(format!(
        "    .base_url(\"http://127.0.0.1:8080\") // else {}_BASE_URL{}",
        api.env_prefix,
        match &api.base_url {
            Some(_) => ", else the spec's server",
            None => "",
        }
    ));
    lines.push("    .build()?;".to_owned());
    if let Some((resource, op)) = example {
        for param in &op.params {
            lines.push(format!("let {} = {};", param.rust_name, literal(param)));
        }
        let call = format!("client.{}.await?;", call(resource, op));
        match op.success {
            Success::Empty => lines.push(call),
            _ => {
                lines.push(format!("let response = {call}"));
                lines.push("println!(\"{response:?}\");".to_owned());
            }
        }
    }
    lines
}

fn first_simple_operation(resources: &[Resource]) -> Option<(&Resource, &Operation)> {
    resources.iter().find_map(|resource| {
        resource
            .operations
            .iter()
            .find(|op| op.body.is_none() && op.params.iter().all(|p| literal_type(&p.ty)))
            .map(|op| (resource, op))
            .or_else(|| first_simple_operation(&resource.children))
    })
}

fn literal_type(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Uuid | TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::Bool
    )
}

fn literal(param: &Param) -> String {
    let example = param.example.as_deref();
    match param.ty {
        TypeRef::Uuid => {
            match example.and_then(|e| u128::from_str_radix(&e.replace('-', ""), 16).ok()) {
                Some(value) => {
                    let hex = format!("{value:032x}");
                    format!(
                        "Uuid::from_u128(0x{}_{}_{}_{}_{})",
                        &hex[..8],
                        &hex[8..12],
                        &hex[12..16],
                        &hex[16..20],
                        &hex[20..]
                    )
                }
                None => "Uuid::nil()".to_owned(),
            }
        }
        TypeRef::String => string_literal(example.unwrap_or("...")),
        TypeRef::I32 | TypeRef::I64 => example
            .filter(|e| e.parse::<i64>().is_ok())
            .unwrap_or("1")
            .to_owned(),
        _ => example
            .filter(|e| *e == "true" || *e == "false")
            .unwrap_or("true")
            .to_owned(),
    }
}

/// Whether a struct has a field that is a list of files (`emit::types`
/// reads one file into it too, through the runtime's `one_or_many`).
fn has_file_list(def: &crate::model::TypeDef, presence: Presence) -> bool {
    use crate::model::{TypeKind, TypeRef};
    let TypeKind::Struct { fields } = &def.kind else {
        return false;
    };
    fields.iter().any(|f| {
        !f.boxed
            && !f.flatten
            && f.presence() == presence
            && matches!(&f.ty, TypeRef::Array(item) if **item == TypeRef::File)
    })
}

/// The request encoders some operation of the API needs.
#[derive(Debug, Default, Serialize)]
struct Uses {
    multipart: bool,
    /// Some type has a field that is a list of files, which reads one file
    /// too (`multipart::one_or_many`); one that may be left out
    /// (`multipart::optional_one_or_many`).
    file_lists: bool,
    optional_file_lists: bool,
    /// Some operation returns a redirect rather than following it.
    redirects: bool,
    /// Some operation's pages can be streamed.
    pagination: bool,
    /// Some operation answers with server-sent events.
    events: bool,
    raw: bool,
    cookie_params: bool,
}

fn uses(resources: &[Resource]) -> Uses {
    let mut uses = Uses::default();
    let mut pending: Vec<&Resource> = resources.iter().collect();
    while let Some(resource) = pending.pop() {
        pending.extend(&resource.children);
        for op in &resource.operations {
            match op.body.as_ref().map(|b| &b.kind) {
                // A file part can be read as it is sent, as a raw body is.
                Some(BodyKind::Multipart { .. }) => {
                    uses.multipart = true;
                    uses.raw = true;
                }
                Some(BodyKind::Raw { .. }) => uses.raw = true,
                Some(BodyKind::Json(_) | BodyKind::Form { .. }) | None => {}
            }
            uses.redirects |= op.success == Success::Redirect;
            uses.pagination |= op.pagination.is_some();
            uses.events |= op.events.is_some();
            let optional = op.options.iter().flat_map(|o| &o.params);
            if op
                .params
                .iter()
                .chain(optional)
                .any(|p| p.location == ParamLocation::Cookie)
            {
                uses.cookie_params = true;
            }
        }
    }
    uses
}
