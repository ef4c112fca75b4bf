// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! Everything that can go wrong when calling the API.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::request::RawResponse;
use crate::types::ErrorBody;
use crate::types::ErrorCode;
use crate::types::ErrorResponse;

/// An error from the client: the API's answer, the network, or the configuration.
///
/// The accessors ([`status`](Error::status), [`code`](Error::code),
/// [`message`](Error::message), [`error_code`](Error::error_code)) answer without matching on the kind.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (4xx or 5xx).
    Api(Box<ApiError>),
    /// The connection to the API failed (DNS, refused, reset, TLS), on every attempt.
    Connection {
        /// The failure of the last attempt.
        source: reqwest::Error,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The API did not answer in time, on every attempt: no connection, no
    /// response headers, or a body that stalled.
    Timeout {
        /// What the last attempt was waiting for.
        phase: TimeoutPhase,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The API answered with a response the client cannot use: a success body
    /// that does not decode, or a status that is neither a success nor an error.
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The client is not configured right: no API key, an invalid base URL or header.
    Config {
        /// What is wrong.
        message: String,
    },
    /// The request could not be put together: an invalid header, a body that
    /// does not serialize, a path parameter of `.` or `..` (which would move
    /// the request to another path). Nothing was sent.
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
}

/// What a request was waiting for when it timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// A connection to the server ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)).
    Connect,
    /// The response's headers ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    Response,
    /// The next bytes of an upload's body, which stopped going out
    /// ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)).
    Send,
    /// The next bytes of the response's body ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)).
    Read,
}

impl fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::Response => "waiting for the response",
            TimeoutPhase::Send => "sending the body",
            TimeoutPhase::Read => "reading the body",
        })
    }
}

/// An error status from the API, with everything the response said.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    envelope: Option<ErrorResponse>,
    error_body: Option<ErrorBody>,
    attempts: u32,
}

/// A response the client cannot use.
#[derive(Debug, Clone)]
pub struct UnexpectedResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    reason: String,
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    pub(crate) fn api(response: RawResponse, attempts: u32) -> Self {
        let envelope = serde_json::from_slice(&response.body).ok();
        Error::Api(Box::new(ApiError {
            status: response.status,
            headers: response.headers,
            body: response.body,
            envelope,
            error_body: None,
            attempts,
        }))
    }

    pub(crate) fn with_error_body(mut self, body: Option<ErrorBody>) -> Self {
        if let Error::Api(api) = &mut self {
            api.error_body = body;
        }
        self
    }

    pub(crate) fn unexpected(response: RawResponse, reason: impl Into<String>) -> Self {
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
            reason: reason.into(),
        }))
    }

    pub(crate) fn transport(source: reqwest::Error, attempts: u32) -> Self {
        if source.is_timeout() {
            // The client's own time limits are its own; these are reqwest's:
            // its connect timeout, or those of a client given to the builder.
            let phase = match source.is_connect() {
                true => TimeoutPhase::Connect,
                false => TimeoutPhase::Response,
            };
            Error::Timeout { phase, attempts }
        } else if source.is_builder() {
            Error::InvalidRequest {
                message: source.to_string(),
            }
        } else {
            Error::Connection { source, attempts }
        }
    }

    /// The HTTP status of the response, if the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status.as_u16()),
            Error::UnexpectedResponse(response) => Some(response.status.as_u16()),
            _ => None,
        }
    }

    /// The response headers, if the API answered.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(&api.headers),
            Error::UnexpectedResponse(response) => Some(&response.headers),
            _ => None,
        }
    }

    /// The raw response body, if the API answered.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::Api(api) => Some(&api.body),
            Error::UnexpectedResponse(response) => Some(&response.body),
            _ => None,
        }
    }

    /// The API's error code, from the error body.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(api) => api.code(),
            _ => None,
        }
    }

    /// The error body, decoded into the type the spec gives its status for
    /// the operation (a variant of [`ErrorBody`]); `None` where the API did not
    /// answer, the status has no documented type, or the body is not of it.
    pub fn error_body(&self) -> Option<&ErrorBody> {
        match self {
            Error::Api(api) => api.error_body(),
            _ => None,
        }
    }

    /// The API's error message, from the error body.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.message(),
            _ => None,
        }
    }

    /// The API's error code as a [`ErrorCode`]; a code this client does not
    /// know is kept in its `Unknown` variant.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.code().map(ErrorCode::from)
    }

    /// How many attempts were made before giving up, where requests were sent.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(api) => Some(api.attempts),
            Error::Connection { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Whether the error is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Whether the error is a connection failure.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Connection { .. })
    }

    /// Whether the API answered 400 Bad Request.
    pub fn is_bad_request(&self) -> bool {
        self.status() == Some(400)
    }

    /// Whether the API answered 401 Unauthorized: a missing or wrong credential.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Whether the API answered 403 Forbidden.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// Whether the API answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the API answered 409 Conflict.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// Whether the API answered 422 Unprocessable Content.
    pub fn is_unprocessable(&self) -> bool {
        self.status() == Some(422)
    }

    /// Whether the API answered 429 Too Many Requests.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// Whether the API answered with a 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.status()
            .is_some_and(|status| (500..600).contains(&status))
    }
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body, whether or not it parsed as the error envelope.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The error body, when it parsed as the API's error envelope.
    pub fn envelope(&self) -> Option<&ErrorResponse> {
        self.envelope.as_ref()
    }

    /// The error body, decoded into the type the spec gives its status for
    /// the operation, where it is one.
    pub fn error_body(&self) -> Option<&ErrorBody> {
        self.error_body.as_ref()
    }

    /// The API's error code, from the error body.
    pub fn code(&self) -> Option<i64> {
        self.envelope.as_ref().and_then(ErrorResponse::code)
    }

    /// The API's error message, from the error body.
    pub fn message(&self) -> Option<&str> {
        self.envelope.as_ref().and_then(ErrorResponse::message)
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl UnexpectedResponse {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw response body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Why the response could not be used.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// At most this many bytes of a body that is not the error envelope are shown.
const BODY_EXCERPT: usize = 200;

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT)]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if body.len() > BODY_EXCERPT {
        format!("{text}…")
    } else {
        text
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Connection { source, attempts } => {
                write!(
                    f,
                    "connection to the API failed after {attempts} attempt(s): {source}"
                )
            }
            Error::Timeout { phase, attempts } => {
                write!(
                    f,
                    "the API did not answer in time ({phase}), {attempts} attempt(s)"
                )
            }
            Error::UnexpectedResponse(response) => fmt::Display::fmt(response, f),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        if let Some(code) = self.code() {
            write!(f, " (code {code})")?;
        }
        match self.message() {
            Some(message) => write!(f, ": {message}"),
            None if self.body.is_empty() => write!(f, " with an empty body"),
            None => write!(f, ": {}", excerpt(&self.body)),
        }
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected response {} from the API: {}",
            self.status, self.reason
        )
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl std::error::Error for ApiError {}

impl std::error::Error for UnexpectedResponse {}
