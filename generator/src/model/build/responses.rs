//! `responses` → what a method returns on success (one type, or an enum
//! with a variant per 2xx status) and the error statuses its docs list. A file
//! of its own because responses are reached in ways nothing else is: through
//! `components/responses`, through a `#/paths/...` reference to another
//! operation's response, and as `default` standing in for a missing 2xx.

use openapiv3::{ReferenceOr, StatusCode};

use super::*;
use crate::diagnostic::join;
use crate::model::names::Namespace;

impl<'a> Builder<'a> {
    /// What a success returns: one type when every 2xx response carries the
    /// same body, else an enum with a variant per status.
    pub(super) fn success(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        prefix: &str,
    ) -> Success {
        let mut found: Vec<(StatusMatch, Success, Option<String>)> = Vec::new();
        for (status, response) in &responses.responses {
            let (code, matcher) = match status {
                StatusCode::Code(code) => (format!("{code}"), StatusMatch::Code(*code)),
                StatusCode::Range(range) => (format!("{range}XX"), StatusMatch::Range(*range)),
            };
            let is_success = matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2));
            if !is_success {
                continue;
            }
            let at = join(pointer, &code);
            let Some((response, at)) = self.response(response, &at) else {
                continue;
            };
            let hint = if found.is_empty() {
                format!("{prefix}Response")
            } else {
                format!("{prefix}Response{code}")
            };
            let success = self.response_body(response, &at, &hint);
            found.push((matcher, success, Some(response.description.clone())));
        }
        if found.is_empty() {
            // Without any 2xx, `default` describes the success.
            if let Some(response) = &responses.default {
                let at = join(pointer, "default");
                if let Some((response, at)) = self.response(response, &at) {
                    return self.response_body(response, &at, &format!("{prefix}Response"));
                }
            }
            return Success::Empty;
        }
        let first = &found[0].1;
        if found.iter().all(|(_, success, _)| success == first) {
            return found.swap_remove(0).1;
        }
        let mut names = Namespace::default();
        let variants: Vec<StatusVariant> = found
            .into_iter()
            .map(|(status, body, description)| StatusVariant {
                rust_name: names.claim(&status_name(status)),
                status,
                body,
                description: description.filter(|d| !d.trim().is_empty()),
            })
            .collect();
        let type_name = self.type_names.claim(&format!("{prefix}Response"));
        self.types.push(TypeDef {
            name: type_name.clone(),
            description: Some(format!(
                "The successful responses of `{prefix}`, one variant a status."
            )),
            kind: TypeKind::Responses(variants.clone()),
        });
        Success::Several {
            type_name,
            variants,
        }
    }

    /// Links say how responses feed other operations: nothing a client method
    /// can express.
    pub(super) fn warn_links(&mut self, responses: &'a openapiv3::Responses, pointer: &str) {
        for (status, response) in &responses.responses {
            if let ReferenceOr::Item(response) = response {
                for name in response.links.keys() {
                    let at = join(&join(&join(pointer, &status.to_string()), "links"), name);
                    self.warning(&at, "links are not supported; skipped");
                }
            }
        }
    }

    /// A response of another operation: `#/paths/~1users~1me/put/responses/204`.
    fn path_response(&self, reference: &str) -> Option<(&'a openapiv3::Response, String)> {
        let rest = reference.strip_prefix("#/paths/")?;
        let segments: Vec<&str> = rest.split('/').collect();
        let [path, method, "responses", status] = segments[..] else {
            return None;
        };
        let item = self.doc.paths.paths.get(&unescape(path))?.as_item()?;
        let (_, operation) = item.iter().find(|(m, _)| *m == method)?;
        let response = match status {
            "default" => operation.responses.default.as_ref()?,
            code => operation
                .responses
                .responses
                .get(&StatusCode::Code(code.parse().ok()?))?,
        };
        match response {
            ReferenceOr::Item(response) => Some((response, reference[1..].to_owned())),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The error responses, for the operation's docs.
    pub(super) fn error_docs(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
    ) -> Vec<(String, String)> {
        let mut docs = Vec::new();
        for (status, response) in &responses.responses {
            let code = match status {
                StatusCode::Code(code) if *code >= 400 => format!("{code}"),
                StatusCode::Range(range) if *range >= 4 => format!("{range}XX"),
                _ => continue,
            };
            let at = join(pointer, &code);
            if let Some((response, _)) = self.response(response, &at) {
                docs.push((code, response.description.clone()));
            }
        }
        let has_success = responses
            .responses
            .keys()
            .any(|s| matches!(s, StatusCode::Code(200..=299) | StatusCode::Range(2)));
        if let (true, Some(response)) = (has_success, &responses.default)
            && let Some((response, _)) = self.response(response, &join(pointer, "default"))
        {
            docs.push(("default".to_owned(), response.description.clone()));
        }
        docs
    }

    pub(super) fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<(&'a openapiv3::Response, String)> {
        match response {
            ReferenceOr::Item(response) => Some((response, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                if let Some(found) = self.path_response(reference) {
                    return Some(found);
                }
                let name = reference.strip_prefix("#/components/responses/");
                match name.and_then(|n| self.doc.components.as_ref()?.responses.get(&unescape(n))) {
                    Some(ReferenceOr::Item(response)) => Some((
                        response,
                        format!("/components/responses/{}", name.unwrap_or_default()),
                    )),
                    _ if reference.starts_with("#/components/requestBodies/") => {
                        self.warning(&join(pointer, "$ref"), format!("`$ref: {reference}` points to a request body, not a response; the response is skipped"));
                        None
                    }
                    _ => {
                        self.error(&join(pointer, "$ref"), format!("`$ref: {reference}` does not point to a response in `components/responses`"));
                        None
                    }
                }
            }
        }
    }

    pub(super) fn response_body(
        &mut self,
        response: &'a openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Success {
        let content = join(pointer, "content");
        if response.content.is_empty() {
            return Success::Empty;
        }
        if let Some((media, json)) = response.content.iter().find(|(media, _)| is_json(media)) {
            return match &json.schema {
                Some(schema) => {
                    match self.type_ref(schema, &join(&join(&content, media), "schema"), hint) {
                        TypeRef::Bytes => Success::Bytes,
                        ty => Success::Json(ty),
                    }
                }
                None => Success::Json(TypeRef::Json),
            };
        }
        if response
            .content
            .keys()
            .any(|media| media.starts_with("text/") && !essence(media).ends_with("/xml"))
        {
            Success::Text
        } else {
            Success::Bytes
        }
    }
}

/// The variant of a success status: `Ok`, `Created`, `Status299`.
fn status_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(200) => "Ok".to_owned(),
        StatusMatch::Code(201) => "Created".to_owned(),
        StatusMatch::Code(202) => "Accepted".to_owned(),
        StatusMatch::Code(203) => "NonAuthoritative".to_owned(),
        StatusMatch::Code(204) => "NoContent".to_owned(),
        StatusMatch::Code(205) => "ResetContent".to_owned(),
        StatusMatch::Code(206) => "PartialContent".to_owned(),
        StatusMatch::Code(207) => "MultiStatus".to_owned(),
        StatusMatch::Code(code) => format!("Status{code}"),
        StatusMatch::Range(hundreds) => format!("Other{hundreds}xx"),
        StatusMatch::Default => "Other".to_owned(),
    }
}
