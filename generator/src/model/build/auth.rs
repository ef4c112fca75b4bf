//! `securitySchemes` → how the client sends its credential.

use openapiv3::{ReferenceOr, SecurityScheme};

use super::*;
use crate::diagnostic::join;

impl<'a> Builder<'a> {
    pub(super) fn auth(&mut self) -> Option<Auth> {
        let doc = self.doc;
        let global = doc.security.as_deref().unwrap_or_default();
        let from_operations = || {
            doc.paths
                .paths
                .values()
                .filter_map(ReferenceOr::as_item)
                .flat_map(|item| item.iter())
                .flat_map(|(_, op)| op.security.iter().flatten())
        };
        let name = global
            .iter()
            .chain(from_operations())
            .flat_map(|requirement| requirement.keys())
            .next()?
            .clone();
        let required = !global.is_empty() && global.iter().all(|r| !r.is_empty());
        let pointer = join("/components/securitySchemes", &name);
        let scheme = doc
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(&name));
        let scheme = match scheme {
            Some(ReferenceOr::Item(scheme)) => scheme,
            Some(ReferenceOr::Reference { .. }) => {
                self.warning(
                    &pointer,
                    "a `$ref` security scheme is not followed; the client sends no credential",
                );
                return None;
            }
            None => {
                self.error("/security", format!("security requirement `{name}` names no scheme in `components/securitySchemes`"));
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
                self.warning(&join(&pointer, "scheme"), format!("HTTP `{scheme}` authentication is not supported; the client sends no credential"));
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
        Some(Auth {
            scheme,
            required,
            description: description.clone(),
        })
    }
}

/// Whether `name` is a field name HTTP allows (RFC 9110, 5.1: a token), which
/// is what the client's `HeaderName::from_static` requires of it, lower-cased:
/// any other name would compile and panic on the client's first request.
fn is_header_name(name: &str) -> bool {
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
