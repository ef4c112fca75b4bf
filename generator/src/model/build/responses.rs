//! `responses` → what a method returns on success (one type, or an enum
//! with a variant per 2xx status) and the error statuses its docs list. A file
//! of its own because responses are reached in ways nothing else is: through
//! `components/responses`, through a `#/paths/...` reference to another
//! operation's response, and as `default` standing in for a missing 2xx.

use openapiv3::{ReferenceOr, Schema, StatusCode};

use super::shapes::{View, view};
use super::*;
use crate::diagnostic::join;
use crate::model::names::{Namespace, to_type_name};

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
            let success = match status {
                // RFC 9110 (15.3.5, 15.3.6): these end at their headers, so
                // whatever `content` says, no body comes to decode.
                StatusCode::Code(code @ (204 | 205)) => {
                    if !response.content.is_empty() {
                        self.warning(
                            &join(&at, "content"),
                            format!("a {code} response has no content (RFC 9110, 15.3); its `content` is ignored"),
                        );
                    }
                    Success::Empty
                }
                _ => self.response_body(response, &at, &hint),
            };
            found.push((matcher, success, Some(response.description.clone())));
        }
        let redirects = responses
            .responses
            .keys()
            .any(|status| matches!(status, StatusCode::Code(300..=399) | StatusCode::Range(3)));
        if found.is_empty() && redirects {
            // The spec documents the redirect as the answer: following it
            // would lose it (and land on a page meant for a browser).
            return Success::Redirect;
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
        if let (true, Some(response)) = (has_success(responses), &responses.default)
            && let Some((response, _)) = self.response(response, &join(pointer, "default"))
        {
            docs.push(("default".to_owned(), response.description.clone()));
        }
        docs
    }

    /// A response, through a `$ref` into `components/responses` or another
    /// operation's; `None` where it cannot be found (reported where the
    /// response is read, by [`response`](Self::response)).
    pub(super) fn quiet_response(
        &self,
        response: &'a ReferenceOr<openapiv3::Response>,
    ) -> Option<&'a openapiv3::Response> {
        self.located_response(response, "")
            .map(|(response, _)| response)
    }

    /// A response and the pointer of where it is written; `None` where it
    /// cannot be found, without a word.
    pub(super) fn located_response(
        &self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<(&'a openapiv3::Response, String)> {
        match response {
            ReferenceOr::Item(response) => Some((response, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                if let Some(found) = self.path_response(reference) {
                    return Some(found);
                }
                let name = reference.strip_prefix("#/components/responses/")?;
                match self
                    .doc
                    .components
                    .as_ref()?
                    .responses
                    .get(&unescape(name))?
                {
                    ReferenceOr::Item(response) => {
                        Some((response, format!("/components/responses/{name}")))
                    }
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    /// [`located_response`](Self::located_response), reporting a `$ref` that
    /// leads to no response.
    pub(super) fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<(&'a openapiv3::Response, String)> {
        if let Some(found) = self.located_response(response, pointer) {
            return Some(found);
        }
        let ReferenceOr::Reference { reference } = response else {
            return None;
        };
        if reference.starts_with("#/components/requestBodies/") {
            self.warning(&join(pointer, "$ref"), format!("`$ref: {reference}` points to a request body, not a response; the response is skipped"));
        } else {
            self.error(
                &join(pointer, "$ref"),
                format!(
                    "`$ref: {reference}` does not point to a response in `components/responses`"
                ),
            );
        }
        None
    }

    pub(super) fn response_body(
        &mut self,
        response: &'a openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Success {
        let content = join(pointer, "content");
        let classes: Vec<(&String, &openapiv3::MediaType, MediaClass)> = response
            .content
            .iter()
            .map(|(media, body)| (media, body, self.media_class(media, body.schema.as_ref())))
            .collect();
        let decodable = classes
            .iter()
            .any(|(_, _, class)| !matches!(class, MediaClass::Opaque | MediaClass::Events));
        let mut groups: Vec<(Vec<String>, Success)> = Vec::new();
        for (media, body, class) in classes {
            let success = match class {
                MediaClass::Json => match &body.schema {
                    Some(schema) => {
                        let at = join(&join(&content, media), "schema");
                        match self.type_ref(schema, &at, hint) {
                            TypeRef::Bytes => Success::Bytes,
                            ty => Success::Json(ty),
                        }
                    }
                    None => Success::Json(TypeRef::Json),
                },
                MediaClass::Text => Success::Text,
                MediaClass::Bytes => Success::Bytes,
                // XML of a typed schema: its text, when nothing else is offered.
                MediaClass::Opaque if decodable => continue,
                MediaClass::Opaque => Success::Text,
                // Streamed by a method of its own (`events.rs`).
                MediaClass::Events => continue,
            };
            match groups.iter_mut().find(|(_, found)| *found == success) {
                Some((medias, _)) => medias.push(media.clone()),
                None => groups.push((vec![media.clone()], success)),
            }
        }
        match groups.len() {
            0 => Success::Empty,
            1 => groups.swap_remove(0).1,
            _ => {
                let mut names = Namespace::default();
                let variants: Vec<MediaVariant> = groups
                    .into_iter()
                    .map(|(media, body)| MediaVariant {
                        rust_name: names.claim(&media_name(&media[0])),
                        media,
                        body,
                    })
                    .collect();
                let type_name = self.type_names.claim(hint);
                self.types.push(TypeDef {
                    name: type_name.clone(),
                    description: Some(format!(
                        "A response of `{}` in one of several media types, chosen by its `Content-Type`.",
                        hint.trim_end_matches("Response")
                    )),
                    kind: TypeKind::Media(variants.clone()),
                });
                Success::Media {
                    type_name,
                    variants,
                }
            }
        }
    }

    /// The media types of every response that the client can decode, in
    /// spec order: what the requests ask for with `Accept`.
    pub(super) fn accepted_media(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
    ) -> Vec<String> {
        let mut accepted: Vec<String> = Vec::new();
        let all = responses
            .responses
            .iter()
            .map(|(status, response)| (status.to_string(), response))
            .chain(responses.default.iter().map(|r| ("default".to_owned(), r)));
        for (status, response) in all {
            let Some((response, _)) = self.response(response, &join(pointer, &status)) else {
                continue;
            };
            let classes: Vec<(&String, MediaClass)> = response
                .content
                .iter()
                .map(|(media, body)| (media, self.media_class(media, body.schema.as_ref())))
                .collect();
            let decodable = classes
                .iter()
                .any(|(_, class)| !matches!(class, MediaClass::Opaque | MediaClass::Events));
            for (media, class) in classes {
                // An event stream is asked for by its own method alone.
                if class == MediaClass::Events || (decodable && class == MediaClass::Opaque) {
                    continue;
                }
                let media = media.trim();
                if !accepted.iter().any(|m| m.eq_ignore_ascii_case(media)) {
                    accepted.push(media.to_owned());
                }
            }
        }
        accepted
    }

    /// What the bytes of a media type are, by its name and its schema.
    fn media_class(&self, media: &str, schema: Option<&ReferenceOr<Schema>>) -> MediaClass {
        let essence = essence(media);
        if essence == super::events::EVENT_STREAM {
            return MediaClass::Events;
        }
        let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
        let schema = schema.and_then(|schema| match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        });
        let shape = schema.map(|schema| match view(schema) {
            View::String {
                format: Some("binary"),
                ..
            } => Shape::Binary,
            View::String { .. } => Shape::String,
            View::Any => Shape::Any,
            _ => Shape::Structured,
        });
        let is_xml = subtype == "xml" || subtype.ends_with("+xml");
        if shape == Some(Shape::Binary) {
            return MediaClass::Bytes;
        }
        if is_json(&essence) {
            return MediaClass::Json;
        }
        if is_xml {
            return match shape {
                Some(Shape::Structured) => MediaClass::Opaque,
                _ => MediaClass::Text,
            };
        }
        let binary_kind = matches!(kind, "image" | "audio" | "video" | "font" | "model");
        let binary_subtype = matches!(
            subtype,
            "octet-stream"
                | "pdf"
                | "zip"
                | "gzip"
                | "x-tar"
                | "x-gzip"
                | "vnd.ms-excel"
                | "msword"
        ) || subtype.starts_with("vnd.openxmlformats");
        if binary_kind || binary_subtype {
            return MediaClass::Bytes;
        }
        match (kind, shape) {
            // JSON sent under a text name (`text/json`, ASP.NET's `text/plain`).
            ("text" | "*", Some(Shape::Structured)) => MediaClass::Json,
            ("text", _) => MediaClass::Text,
            (_, Some(Shape::String)) => MediaClass::Text,
            (_, Some(Shape::Structured)) if kind == "*" => MediaClass::Json,
            (_, Some(Shape::Structured)) => MediaClass::Opaque,
            _ => MediaClass::Bytes,
        }
    }
}

/// Whether any response is a success (2xx): else `default` describes the
/// success, not an error.
pub(super) fn has_success(responses: &openapiv3::Responses) -> bool {
    responses
        .responses
        .keys()
        .any(|s| matches!(s, StatusCode::Code(200..=299) | StatusCode::Range(2)))
}

/// What a response's bytes are, as far as decoding goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaClass {
    /// JSON, decoded into its schema's type.
    Json,
    /// UTF-8 text.
    Text,
    /// Binary: never decoded as text.
    Bytes,
    /// A typed schema in a format the client does not read (XML): left out
    /// when another media type is offered.
    Opaque,
    /// Server-sent events: not a body of the plain method.
    Events,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Binary,
    String,
    Any,
    Structured,
}

/// A media type's variant name: `AudioMpeg` for `audio/mpeg`, `EventStream`
/// for `text/event-stream`, `Image` for `image/*`.
fn media_name(media: &str) -> String {
    let essence = essence(media);
    let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
    let name = match (kind, subtype) {
        ("*", _) => "any".to_owned(),
        (_, "json") => "json".to_owned(),
        ("text", "plain") => "text".to_owned(),
        (kind, "*" | "") => kind.to_owned(),
        ("application" | "text", subtype) => subtype.to_owned(),
        (kind, subtype) => format!("{kind} {subtype}"),
    };
    to_type_name(&name)
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
