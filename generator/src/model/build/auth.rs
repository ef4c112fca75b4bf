//! `securitySchemes` → how the client sends its credential.

use openapiv3::{ReferenceOr, SecurityRequirement, SecurityScheme};

use super::*;
use crate::diagnostic::join;
use crate::model::names::to_snake_name;

/// The builder's own methods and fields, which no credential's setter may take
/// (`api_key` is the first credential's).
const BUILDER_NAMES: &[&str] = &[
    "base_url",
    "max_retries",
    "idempotency_keys",
    "timeout",
    "http_client",
    "default_header",
    "default_headers",
    "build",
    "default",
    "clone",
    "fmt",
];

/// The credentials security requirements name, as they are met.
pub(super) struct Credentials {
    found: Vec<Credential>,
    /// Scheme name → its credential, or `None` where the client cannot send it
    /// (reported once, where first met).
    index: IndexMap<String, Option<usize>>,
    setters: Namespace,
    /// Every operation's security, the document's where it declares none.
    per_operation: Vec<Security>,
}

impl Credentials {
    pub(super) fn new() -> Self {
        let mut setters = Namespace::default();
        for name in BUILDER_NAMES {
            setters.claim(name);
        }
        Self {
            found: Vec::new(),
            index: IndexMap::new(),
            setters,
            per_operation: Vec::new(),
        }
    }

    /// The credentials, each marked required where every operation needs it.
    pub(super) fn finish(self) -> Vec<Credential> {
        let per_operation = self.per_operation;
        self.found
            .into_iter()
            .enumerate()
            .map(|(index, credential)| Credential {
                required: !per_operation.is_empty()
                    && per_operation.iter().all(|security| {
                        !security.is_empty() && security.iter().all(|set| set.contains(&index))
                    }),
                ..credential
            })
            .collect()
    }
}

impl<'a> Builder<'a> {
    /// The document's `security`, which operations without their own inherit.
    pub(super) fn document_security(&mut self) -> Security {
        let requirements = self.doc.security.as_deref().unwrap_or_default();
        self.security(requirements, "/security")
    }

    /// The security of the operation at `pointer`, `None` where it is the
    /// document's.
    pub(super) fn operation_security(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        default: &Security,
    ) -> Option<Security> {
        let own = op
            .security
            .as_deref()
            .map(|requirements| self.security(requirements, &join(pointer, "security")));
        self.credentials
            .per_operation
            .push(own.clone().unwrap_or_else(|| default.clone()));
        own.filter(|security| security != default)
    }

    /// A `security` list as the credentials it names. An alternative naming a
    /// scheme the client cannot send is left out (the scheme has a warning):
    /// the client never offers a request it would send without its credential.
    fn security(&mut self, requirements: &[SecurityRequirement], pointer: &str) -> Security {
        let mut alternatives: Security = Vec::new();
        for (position, requirement) in requirements.iter().enumerate() {
            let pointer = join(pointer, &position.to_string());
            let mut set = Vec::new();
            let mut sendable = true;
            for name in requirement.keys() {
                match self.credential(name, &pointer) {
                    Some(index) if !set.contains(&index) => set.push(index),
                    Some(_) => {}
                    None => sendable = false,
                }
            }
            if sendable && !alternatives.contains(&set) {
                alternatives.push(set);
            }
        }
        alternatives
    }

    /// The credential of the scheme `name`, found the first time it is named.
    fn credential(&mut self, name: &str, pointer: &str) -> Option<usize> {
        if let Some(known) = self.credentials.index.get(name) {
            return *known;
        }
        let credential = self.scheme(name, pointer).map(|(scheme, description)| {
            let setter = if self.credentials.found.is_empty() {
                self.credentials.setters.claim("api_key")
            } else {
                self.credentials.setters.claim(&to_snake_name(name))
            };
            let constant = setter.trim_start_matches("r#").to_ascii_uppercase();
            self.credentials.found.push(Credential {
                scheme_name: name.to_owned(),
                scheme,
                description,
                setter,
                constant,
                required: false,
            });
            self.credentials.found.len() - 1
        });
        self.credentials.index.insert(name.to_owned(), credential);
        credential
    }

    /// How the scheme `name` is sent, or `None` (with a diagnostic) where it
    /// cannot be.
    fn scheme(&mut self, name: &str, requirement: &str) -> Option<(AuthScheme, Option<String>)> {
        let doc = self.doc;
        let pointer = join("/components/securitySchemes", name);
        let scheme = doc
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(name));
        let scheme = match scheme {
            Some(ReferenceOr::Item(scheme)) => scheme,
            Some(ReferenceOr::Reference { .. }) => {
                self.warning(
                    &pointer,
                    "a `$ref` security scheme is not followed; requirements naming it are left out",
                );
                return None;
            }
            None => {
                self.error(
                    requirement,
                    format!("security requirement `{name}` names no scheme in `components/securitySchemes`"),
                );
                return None;
            }
        };
        let (scheme, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (AuthScheme::Bearer, description),
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (AuthScheme::Basic, description),
            SecurityScheme::HTTP { scheme, .. } => {
                self.warning(&join(&pointer, "scheme"), format!("HTTP `{scheme}` authentication is not supported; requirements naming it are left out"));
                return None;
            }
            SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Header if !is_header_name(name) => {
                        self.error(
                            &join(&pointer, "name"),
                            format!(
                                "the API key's header name `{}` is not an HTTP header name",
                                name.escape_debug()
                            ),
                        )
                        .hint = Some(
                            "a header name is one or more ASCII letters, digits and \
                             `!#$%&'*+-.^_`|~` (RFC 9110's token), e.g. `X-API-Key`"
                                .into(),
                        );
                        return None;
                    }
                    openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                    openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                    openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                };
                (
                    AuthScheme::ApiKey {
                        location,
                        name: name.clone(),
                    },
                    description,
                )
            }
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthScheme::Bearer, description)
            }
        };
        Some((scheme, description.clone()))
    }
}

/// Whether `name` is a field name HTTP allows (RFC 9110, 5.1: a token), which
/// is what the client's `HeaderName::from_static` requires of it, lower-cased:
/// any other name would compile and panic on the client's first request.
pub(super) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_header_name;

    #[test]
    fn header_names_are_tokens() {
        for good in ["X-API-Key", "apikey", "x_key", "a!#$%&'*+-.^_`|~9"] {
            assert!(is_header_name(good), "{good}");
        }
        for bad in [
            "",
            "X API Key",
            "x:key",
            "x\nkey",
            "ключ",
            "x\u{202e}",
            "(x)",
            "x/y",
        ] {
            assert!(!is_header_name(bad), "{bad:?}");
        }
    }
}
