// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! The `chats` resource.

impl crate::Client {
    /// Conversations between a partner phone number and its recipients.
    ///
    /// Operations on `chats`.
    pub fn chats(&self) -> Chats<'_> {
        Chats { client: self }
    }
}

/// Conversations between a partner phone number and its recipients.
///
/// Operations on `chats`.
#[derive(Debug, Clone, Copy)]
pub struct Chats<'a> {
    client: &'a crate::Client,
}

impl<'a> Chats<'a> {
    /// Operations on `chats.typing`.
    pub fn typing(&self) -> ChatsTyping<'a> {
        ChatsTyping { client: self.client }
    }
}

/// Operations on `chats.typing`.
#[derive(Debug, Clone, Copy)]
pub struct ChatsTyping<'a> {
    client: &'a crate::Client,
}

impl ChatsTyping<'_> {
    /// Start typing indicator
    ///
    /// Send a typing indicator to show that someone is typing in the chat.
    ///
    /// Typing indicators are best-effort signals with the following limitations:
    ///
    /// - **Active conversations only**: the recipient must have sent or received a
    ///   message in this chat within the last 5 minutes. If the chat is inactive, the
    ///   request is still accepted (`204`) but the indicator never reaches the
    ///   recipient's device.
    /// - **No delivery guarantee**: even for active chats, a `204` response only
    ///   means that the request was accepted for processing.
    /// - **Group chats are not supported**: starting a typing indicator in a group
    ///   chat returns a `403` error.
    ///
    /// `POST /v3/chats/{chatId}/typing`
    ///
    /// # Parameters
    ///
    /// - `chat_id`: The ID of the chat.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) for an error status; the spec lists:
    ///
    /// - `400`: The request is invalid.
    /// - `401`: The API key is missing or invalid.
    /// - `403`: The API key may not act on this resource, or the chat is a group chat.
    /// - `404`: The chat does not exist.
    /// - `429`: Too many requests; wait for the number of seconds in `Retry-After`.
    /// - `500`: The server failed to process the request.
    pub fn start(&self, chat_id: ::uuid::Uuid) -> crate::Request<()> {
        crate::Request::new(
                self.client,
                ::reqwest::Method::POST,
                "/v3/chats/{chatId}/typing",
                ["/v3/chats/", &::std::string::ToString::to_string(&chat_id), "/typing"]
                    .concat(),
                crate::request::decode::empty,
            )
            .error_bodies(|status, body| match status {
                400 | 401 | 403 | 404 | 429 | 500 => {
                    crate::request::decode::error_body(
                        body,
                        crate::types::ErrorBody::ErrorResponse,
                    )
                }
                _ => ::std::option::Option::None,
            })
            .accept("application/json")
    }

    /// Stop typing indicator
    ///
    /// Stop the typing indicator for the chat.
    ///
    /// Typing indicators are stopped automatically when a message is sent, so calling
    /// this endpoint after sending a message is unnecessary. The behaviour and
    /// limitations of starting a typing indicator apply here too: it is best-effort,
    /// reaches active conversations only, and a `204` response only means that the
    /// request was accepted for processing.
    ///
    /// **Group chats are not supported** and return a `403` error.
    ///
    /// `DELETE /v3/chats/{chatId}/typing`
    ///
    /// # Parameters
    ///
    /// - `chat_id`: The ID of the chat.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) for an error status; the spec lists:
    ///
    /// - `400`: The request is invalid.
    /// - `401`: The API key is missing or invalid.
    /// - `403`: The API key may not act on this resource, or the chat is a group chat.
    /// - `404`: The chat does not exist.
    /// - `429`: Too many requests; wait for the number of seconds in `Retry-After`.
    /// - `500`: The server failed to process the request.
    pub fn stop(&self, chat_id: ::uuid::Uuid) -> crate::Request<()> {
        crate::Request::new(
                self.client,
                ::reqwest::Method::DELETE,
                "/v3/chats/{chatId}/typing",
                ["/v3/chats/", &::std::string::ToString::to_string(&chat_id), "/typing"]
                    .concat(),
                crate::request::decode::empty,
            )
            .error_bodies(|status, body| match status {
                400 | 401 | 403 | 404 | 429 | 500 => {
                    crate::request::decode::error_body(
                        body,
                        crate::types::ErrorBody::ErrorResponse,
                    )
                }
                _ => ::std::option::Option::None,
            })
            .accept("application/json")
    }
}
