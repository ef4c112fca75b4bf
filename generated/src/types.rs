// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! The data types of the Linq Partner API, one for each schema of its spec.

/// The envelope of every error response of the API.
#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
pub struct ErrorResponse {
    /// What went wrong.
    pub error: ErrorDetail,
    /// Always `false` for an error.
    pub success: bool,
    /// An identifier of the request, to quote to Linq support.
    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
    pub trace_id: ::std::option::Option<::std::string::String>,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
pub struct ErrorDetail {
    /// The HTTP status code of the response.
    pub status: i64,
    /// A machine-readable error code. The API adds codes over time: a client must keep
    /// a code it does not know.
    pub code: ErrorCode,
    /// A human-readable description of the error.
    pub message: ::std::string::String,
}

/// A machine-readable error code. The API adds codes over time: a client must keep
/// a code it does not know.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    ::serde::Serialize,
    ::serde::Deserialize
)]
#[serde(from = "i64", into = "i64")]
#[non_exhaustive]
pub enum ErrorCode {
    /// `1001` (`missing_required_field`).
    MissingRequiredField,
    /// `1002` (`invalid_phone_format`).
    InvalidPhoneFormat,
    /// `1003` (`invalid_request_body`).
    InvalidRequestBody,
    /// `1004` (`invalid_message_content`).
    InvalidMessageContent,
    /// `1005` (`invalid_parameter`).
    InvalidParameter,
    /// `1006` (`cannot_update_dm`).
    CannotUpdateDm,
    /// `1007` (`rate_limit_exceeded`).
    RateLimitExceeded,
    /// `2001` (`chat_not_found`).
    ChatNotFound,
    /// `2002` (`message_not_found`).
    MessageNotFound,
    /// `2003` (`attachment_not_found`).
    AttachmentNotFound,
    /// `2004` (`unauthorized`).
    Unauthorized,
    /// `2005` (`access_denied`).
    AccessDenied,
    /// `2006` (`phone_permission_denied`).
    PhonePermissionDenied,
    /// `2007` (`attachment_not_ready`).
    AttachmentNotReady,
    /// `2008` (`recipient_not_allowed`).
    RecipientNotAllowed,
    /// `3005` (`network_timeout`).
    NetworkTimeout,
    /// `3006` (`internal_error`).
    InternalError,
    /// `3007` (`retries_exhausted`).
    RetriesExhausted,
    /// `4004` (`service_unavailable`).
    ServiceUnavailable,
    /// A value this version of the client does not know, kept as it came.
    Unknown(i64),
}

impl ::std::convert::From<i64> for ErrorCode {
    fn from(value: i64) -> Self {
        match value {
            1001 => ErrorCode::MissingRequiredField,
            1002 => ErrorCode::InvalidPhoneFormat,
            1003 => ErrorCode::InvalidRequestBody,
            1004 => ErrorCode::InvalidMessageContent,
            1005 => ErrorCode::InvalidParameter,
            1006 => ErrorCode::CannotUpdateDm,
            1007 => ErrorCode::RateLimitExceeded,
            2001 => ErrorCode::ChatNotFound,
            2002 => ErrorCode::MessageNotFound,
            2003 => ErrorCode::AttachmentNotFound,
            2004 => ErrorCode::Unauthorized,
            2005 => ErrorCode::AccessDenied,
            2006 => ErrorCode::PhonePermissionDenied,
            2007 => ErrorCode::AttachmentNotReady,
            2008 => ErrorCode::RecipientNotAllowed,
            3005 => ErrorCode::NetworkTimeout,
            3006 => ErrorCode::InternalError,
            3007 => ErrorCode::RetriesExhausted,
            4004 => ErrorCode::ServiceUnavailable,
            _ => ErrorCode::Unknown(value),
        }
    }
}

impl ::std::convert::From<ErrorCode> for i64 {
    fn from(value: ErrorCode) -> Self {
        match value {
            ErrorCode::MissingRequiredField => 1001,
            ErrorCode::InvalidPhoneFormat => 1002,
            ErrorCode::InvalidRequestBody => 1003,
            ErrorCode::InvalidMessageContent => 1004,
            ErrorCode::InvalidParameter => 1005,
            ErrorCode::CannotUpdateDm => 1006,
            ErrorCode::RateLimitExceeded => 1007,
            ErrorCode::ChatNotFound => 2001,
            ErrorCode::MessageNotFound => 2002,
            ErrorCode::AttachmentNotFound => 2003,
            ErrorCode::Unauthorized => 2004,
            ErrorCode::AccessDenied => 2005,
            ErrorCode::PhonePermissionDenied => 2006,
            ErrorCode::AttachmentNotReady => 2007,
            ErrorCode::RecipientNotAllowed => 2008,
            ErrorCode::NetworkTimeout => 3005,
            ErrorCode::InternalError => 3006,
            ErrorCode::RetriesExhausted => 3007,
            ErrorCode::ServiceUnavailable => 4004,
            ErrorCode::Unknown(value) => value,
        }
    }
}

impl ::std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        ::std::fmt::Display::fmt(&i64::from(*self), f)
    }
}

impl ErrorResponse {
    /// The API's error code.
    pub fn code(&self) -> ::std::option::Option<i64> {
        ::std::option::Option::Some(i64::from(self.error.code))
    }

    /// The API's error message.
    pub fn message(&self) -> ::std::option::Option<&str> {
        ::std::option::Option::Some(self.error.message.as_str())
    }
}

/// The body of an error response, decoded into the type the spec gives its status for the operation: [`Error::error_body`](crate::Error::error_body).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum ErrorBody {
    /// A body of type [`ErrorResponse`].
    ErrorResponse(ErrorResponse),
}
