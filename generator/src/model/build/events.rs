//! `text/event-stream` responses → a streaming method ([`Events`]). Apart
//! from `responses.rs` because a stream is not one more body to decode: it
//! is a second way to call the operation, with its own return type, and it
//! reads the request body too (the flag that asks for the stream).

use openapiv3::{ReferenceOr, Schema, StatusCode};

use super::shapes::{View, view};
use super::*;
use crate::diagnostic::join;

/// The media type of server-sent events (the HTML Standard, 9.2).
pub(super) const EVENT_STREAM: &str = "text/event-stream";

/// How deep the request body's `allOf` parts are searched for the flag.
const FLAG_DEPTH: usize = 8;

impl<'a> Builder<'a> {
    /// The operation's event stream: the first success response that offers
    /// `text/event-stream`, its schema typing each event's `data`.
    pub(super) fn events(
        &mut self,
        op: &'a openapiv3::Operation,
        pointer: &str,
        prefix: &str,
        success: &Success,
    ) -> Option<Events> {
        let responses = join(pointer, "responses");
        let (media, body, at) = op
            .responses
            .responses
            .iter()
            .find_map(|(status, response)| {
                if !matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2)) {
                    return None;
                }
                let response = self.quiet_response(response)?;
                let (media, body) = response
                    .content
                    .iter()
                    .find(|(media, _)| essence(media) == EVENT_STREAM)?;
                Some((media, body, join(&responses, &status.to_string())))
            })?;
        let schema_at = join(&join(&join(&at, "content"), media), "schema");
        let item = match &body.schema {
            Some(schema) if self.is_structured(schema) => {
                Some(self.type_ref(schema, &schema_at, &format!("{prefix}Event")))
            }
            // Text, or no schema: the events as they come.
            _ => None,
        };
        Some(Events {
            method_name: String::new(),
            item,
            flag: self.stream_flag(op),
            only: *success == Success::Empty,
        })
    }

    /// Whether events' data has a shape to decode into (JSON), rather than
    /// being text.
    fn is_structured(&self, schema: &'a ReferenceOr<Schema>) -> bool {
        self.resolve(schema)
            .is_some_and(|schema| !matches!(view(schema), View::String { .. } | View::Any))
    }

    /// `stream`, where the JSON request body has a boolean property of that
    /// name, which asks for the stream instead of one JSON answer.
    fn stream_flag(&self, op: &'a openapiv3::Operation) -> Option<String> {
        let body = match op.request_body.as_ref()? {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                self.doc
                    .components
                    .as_ref()?
                    .request_bodies
                    .get(&unescape(name))?
                    .as_item()?
            }
        };
        let (_, media) = body.content.iter().find(|(media, _)| is_json(media))?;
        self.has_boolean(media.schema.as_ref()?, "stream", FLAG_DEPTH)
            .then(|| "stream".to_owned())
    }

    fn has_boolean(&self, schema: &'a ReferenceOr<Schema>, name: &str, depth: usize) -> bool {
        let Some(schema) = self.resolve(schema).filter(|_| depth > 0) else {
            return false;
        };
        let is_boolean = |property: &'a ReferenceOr<Box<Schema>>| {
            self.resolve_boxed(property)
                .is_some_and(|schema| matches!(view(schema), View::Boolean))
        };
        match view(schema) {
            View::Object(object) => object.properties.get(name).is_some_and(is_boolean),
            View::AllOf { parts, extra } => {
                extra.is_some_and(|object| object.properties.get(name).is_some_and(is_boolean))
                    || parts
                        .iter()
                        .any(|part| self.has_boolean(part, name, depth - 1))
            }
            _ => false,
        }
    }
}
