//! `webhooks` (3.1; `x-webhooks` in 3.0) → the events the API sends, each a
//! variant of one event enum, and `x-rust-webhooks` → how they are signed.
//!
//! A payload is told apart by its event field (`event_type`, `type`, ...): its
//! value is the field's single enum value in the event's own schema, else the
//! spec's example of the event, else the webhook's name where the field's
//! values list it (`chat.created.v2026` is `chat.created`). Where two events
//! of different payloads share that value, a version field (`webhook_version`,
//! ...) from their examples tells them apart.

use serde_json::Value;

use super::*;
use crate::diagnostic::join;
use crate::load::WEBHOOKS;

const WEBHOOKS_EXTENSION: &str = "x-rust-webhooks";
/// Fields that name a payload's event, in the order they are tried.
const EVENT_FIELDS: &[&str] = &["event_type", "type", "event", "eventType", "kind"];
/// Fields that tell versions of one event apart.
const VERSION_FIELDS: &[&str] = &["webhook_version", "version", "api_version"];

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct WebhooksExtension {
    signature: Option<SignatureExtension>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct SignatureExtension {
    /// `hmac-sha256` (the default) or `standard-webhooks`.
    scheme: Option<String>,
    signed: Option<String>,
    signature_header: Option<String>,
    timestamp_header: Option<String>,
    id_header: Option<String>,
    /// `hex` (the default) or `base64`.
    encoding: Option<String>,
    prefix: Option<String>,
    tolerance: Option<u64>,
}

/// A webhook as read, before its event is told apart.
struct Read {
    name: String,
    summary: Option<String>,
    description: Option<String>,
    payload: TypeRef,
    example: Option<Value>,
}

impl<'a> Builder<'a> {
    pub(super) fn webhooks(&mut self) -> Vec<Webhook> {
        let (source, root) = match (
            self.doc.extensions.get(WEBHOOKS),
            self.doc.extensions.get("x-webhooks"),
        ) {
            (Some(source), _) => (source, "/webhooks"),
            (None, Some(source)) => (source, "/x-webhooks"),
            (None, None) => return Vec::new(),
        };
        let Value::Object(items) = source else {
            self.warning(root, "`webhooks` is not a map of path items; left out");
            return Vec::new();
        };
        let mut read = Vec::new();
        for (name, item) in items {
            if let Some(webhook) = self.webhook(name, item, &join(root, name)) {
                read.push(webhook);
            }
        }
        let matches = self.event_matches(&read, root);
        let mut variants = Namespace::default();
        // The enum's own fallback.
        variants.claim("Unknown");
        read.into_iter()
            .zip(matches)
            .map(|(webhook, matches)| Webhook {
                rust_name: variants.claim(&to_type_name(&webhook.name)),
                name: webhook.name,
                summary: webhook.summary,
                description: webhook.description,
                payload: webhook.payload,
                matches,
            })
            .collect()
    }

    fn webhook(&mut self, name: &str, item: &Value, pointer: &str) -> Option<Read> {
        let parsed: openapiv3::PathItem = match serde_json::from_value(item.clone()) {
            Ok(parsed) => parsed,
            Err(err) => {
                self.warning(
                    pointer,
                    format!("webhook `{name}` cannot be read ({err}); it is left out"),
                );
                return None;
            }
        };
        let (method, op) = parsed.iter().next()?;
        let at = join(&join(pointer, method), "requestBody");
        let Some(body) = &op.request_body else {
            self.warning(
                pointer,
                format!("webhook `{name}` has no request body; it is left out"),
            );
            return None;
        };
        let prefix = to_type_name(&format!("{name} webhook"));
        let body = self.request_body(body, &at, &prefix)?;
        let BodyKind::Json(payload) = body.kind else {
            self.warning(
                &at,
                format!("webhook `{name}`: only JSON payloads are decoded; it is left out"),
            );
            return None;
        };
        let media = item
            .get(method)
            .and_then(|op| op.pointer("/requestBody/content"))
            .and_then(Value::as_object)
            .and_then(|content| content.iter().find(|(media, _)| is_json(media)))
            .map(|(_, media)| media);
        let example = media.and_then(|media| {
            media.get("example").cloned().or_else(|| {
                media
                    .get("examples")
                    .and_then(Value::as_object)
                    .and_then(|examples| examples.values().find_map(|e| e.get("value")))
                    .cloned()
            })
        });
        Some(Read {
            name: name.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            payload,
            example,
        })
    }

    /// The field values that tell each event's payload apart.
    fn event_matches(&mut self, read: &[Read], root: &str) -> Vec<Vec<(String, String)>> {
        let fields: Vec<Option<&[Field]>> = read
            .iter()
            .map(|webhook| match &webhook.payload {
                TypeRef::Named(name) => self.struct_fields(name),
                _ => None,
            })
            .collect();
        let common = |candidates: &[&str]| {
            candidates
                .iter()
                .find(|name| {
                    !fields.is_empty()
                        && fields
                            .iter()
                            .all(|f| f.is_some_and(|f| f.iter().any(|f| f.json_name == **name)))
                })
                .map(|name| (*name).to_owned())
        };
        let Some(event_field) = common(EVENT_FIELDS) else {
            return vec![Vec::new(); read.len()];
        };
        let version_field = common(VERSION_FIELDS);
        let field_of = |index: usize, json_name: &str| {
            fields[index].and_then(|f| f.iter().find(|f| f.json_name == json_name))
        };
        let events: Vec<Option<String>> = read
            .iter()
            .enumerate()
            .map(|(index, webhook)| {
                let field = field_of(index, &event_field)?;
                let values = self.enum_values(&field.ty);
                if let [only] = values.as_slice() {
                    return Some(only.clone());
                }
                let example = webhook
                    .example
                    .as_ref()
                    .and_then(|e| e.get(&event_field)?.as_str());
                if let Some(example) = example {
                    return Some(example.to_owned());
                }
                // The name, without a version suffix, where the field lists it.
                let name = webhook.name.as_str();
                let bare = name
                    .rsplit_once(['.', '_', '-'])
                    .filter(|(_, suffix)| is_version(suffix))
                    .map_or(name, |(bare, _)| bare);
                [name, bare]
                    .into_iter()
                    .find(|candidate| values.iter().any(|v| v == candidate))
                    .map(str::to_owned)
            })
            .collect();
        let mut out = Vec::new();
        for (index, webhook) in read.iter().enumerate() {
            let Some(event) = &events[index] else {
                out.push(Vec::new());
                continue;
            };
            let mut matches = vec![(event_field.clone(), event.clone())];
            // Another event of this value with another payload: the version decides.
            let shared = events.iter().enumerate().any(|(other, value)| {
                other != index
                    && value.as_ref() == Some(event)
                    && read[other].payload != webhook.payload
            });
            if shared {
                let version = version_field.as_ref().and_then(|field| {
                    let value = webhook.example.as_ref()?.get(field)?.as_str()?;
                    Some((field.clone(), value.to_owned()))
                });
                match version {
                    Some(version) => matches.push(version),
                    None => {
                        self.warning(
                            &join(root, &webhook.name),
                            format!(
                                "webhook `{}` has the `{event_field}` of another event and no example saying its version; parse it by name (`parse_as`)",
                                webhook.name
                            ),
                        );
                        out.push(Vec::new());
                        continue;
                    }
                }
            }
            out.push(matches);
        }
        out
    }

    /// The values a string enum lists.
    fn enum_values(&self, ty: &TypeRef) -> Vec<String> {
        let TypeRef::Named(name) = ty else {
            return Vec::new();
        };
        match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
            Some(TypeKind::Enum(def)) => def
                .variants
                .iter()
                .filter_map(|v| match &v.value {
                    EnumValue::String(text) => Some(text.clone()),
                    EnumValue::Integer(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `x-rust-webhooks.signature`, checked.
    pub(super) fn webhook_signature(&mut self) -> Option<WebhookSignature> {
        let pointer = join("", WEBHOOKS_EXTENSION);
        let value = self.doc.extensions.get(WEBHOOKS_EXTENSION)?;
        let extension = match serde_path_to_error::deserialize::<_, WebhooksExtension>(value) {
            Ok(extension) => extension,
            Err(err) => {
                let at = err.path().to_string().replace('.', "/");
                self.error(
                    &join(&pointer, &at),
                    format!("`{WEBHOOKS_EXTENSION}`: {}", err.inner()),
                );
                return None;
            }
        };
        let given = extension.signature?;
        let at = join(&pointer, "signature");
        let standard = match given.scheme.as_deref() {
            None | Some("hmac-sha256") => false,
            Some("standard-webhooks") => true,
            Some(other) => {
                self.error(
                    &join(&at, "scheme"),
                    format!("unknown signature scheme `{other}`"),
                )
                .hint = Some("write `hmac-sha256` or `standard-webhooks`".into());
                return None;
            }
        };
        let encoding = match given.encoding.as_deref() {
            None if standard => SignatureEncoding::Base64,
            None | Some("hex") => SignatureEncoding::Hex,
            Some("base64") => SignatureEncoding::Base64,
            Some(other) => {
                self.error(
                    &join(&at, "encoding"),
                    format!("unknown signature encoding `{other}`"),
                )
                .hint = Some("write `hex` or `base64`".into());
                return None;
            }
        };
        // Standard Webhooks (standardwebhooks.com): its headers, its signed
        // text, `v1,` signatures, several in one header, `whsec_` secrets.
        let default = |standard_value: &str| standard.then(|| standard_value.to_owned());
        let signature = WebhookSignature {
            signed: given
                .signed
                .or_else(|| default("{id}.{timestamp}.{body}"))
                .unwrap_or_else(|| "{timestamp}.{body}".to_owned()),
            signature_header: given
                .signature_header
                .or_else(|| default("webhook-signature"))
                .unwrap_or_else(|| "X-Webhook-Signature".to_owned()),
            timestamp_header: given
                .timestamp_header
                .or_else(|| default("webhook-timestamp")),
            id_header: given.id_header.or_else(|| default("webhook-id")),
            encoding,
            prefix: given.prefix.or_else(|| default("v1,")).unwrap_or_default(),
            several: standard,
            base64_secret_prefix: default("whsec_"),
            tolerance_seconds: given.tolerance.unwrap_or(300),
        };
        for (part, header) in [
            ("{timestamp}", &signature.timestamp_header),
            ("{id}", &signature.id_header),
        ] {
            if signature.signed.contains(part) && header.is_none() {
                self.error(
                    &join(&at, "signed"),
                    format!("the signed text uses `{part}` but no header gives it"),
                )
                .hint = Some("set `timestamp-header` (and `id-header` for `{id}`)".into());
                return None;
            }
        }
        for header in [
            Some(&signature.signature_header),
            signature.timestamp_header.as_ref(),
            signature.id_header.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            if !super::auth::is_header_name(header) {
                self.error(
                    &at,
                    format!("`{}` is not an HTTP header name", header.escape_debug()),
                );
                return None;
            }
        }
        Some(signature)
    }
}

/// `v2026`, `v2`, `2025`: a version suffix of a webhook's name.
fn is_version(suffix: &str) -> bool {
    let digits = suffix.strip_prefix(['v', 'V']).unwrap_or(suffix);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}
