// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! A response read off the wire, and the decoders of successful ones, one
//! per kind of body.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::Error;
use crate::stream::ByteStream;

/// A response as read off the wire, before it is decoded.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Turns a successful response into the operation's result.
pub(crate) enum Decode<T> {
    /// From the whole body, read first.
    Whole(fn(RawResponse) -> Result<T, Error>),
    /// From the body as it arrives, never held whole: a download, an event stream.
    Streamed(fn(ByteStream) -> T),
}

// Not derived: that would ask `T: Clone` of the decoders' outputs.
impl<T> Clone for Decode<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Decode<T> {}

/// No body is expected; one that comes anyway is ignored.
#[allow(dead_code)]
pub(crate) fn empty(_: RawResponse) -> Result<(), Error> {
    Ok(())
}

#[allow(dead_code)]
pub(crate) fn json<T: serde::de::DeserializeOwned>(response: RawResponse) -> Result<T, Error> {
    match serde_json::from_slice(&response.body) {
        Ok(value) => Ok(value),
        // No bytes where the spec gives no schema (`application/json: {}`):
        // a type that takes `null` (`serde_json::Value`, an `Option`) has it.
        Err(err) if response.body.trim_ascii().is_empty() => serde_json::from_slice(b"null")
            .map_err(|_| Error::unexpected(response, format!("the body does not decode: {err}"))),
        Err(err) => Err(Error::unexpected(
            response,
            format!("the body does not decode: {err}"),
        )),
    }
}

#[allow(dead_code)]
pub(crate) fn text(response: RawResponse) -> Result<String, Error> {
    match String::from_utf8(response.body.to_vec()) {
        Ok(text) => Ok(text),
        Err(_) => Err(Error::unexpected(response, "the body is not UTF-8 text")),
    }
}

#[allow(dead_code)]
pub(crate) fn bytes(response: RawResponse) -> Result<bytes::Bytes, Error> {
    Ok(response.body)
}

/// An error body as `variant`'s type, if it is one.
#[allow(dead_code)]
pub(crate) fn error_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    variant: fn(T) -> crate::types::ErrorBody,
) -> Option<crate::types::ErrorBody> {
    serde_json::from_slice(body).ok().map(variant)
}

/// Which of an operation's media types the response is, by its
/// `Content-Type`: the index in `variants` of the most specific match
/// (`image/png` before `image/*` before `*/*`); the first when the
/// response names none.
#[allow(dead_code)]
pub(crate) fn media(response: &RawResponse, variants: &[&[&str]]) -> Option<usize> {
    let Some(content_type) = response.headers.get(reqwest::header::CONTENT_TYPE) else {
        return Some(0);
    };
    let essence = content_type
        .to_str()
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (kind, _) = essence.split_once('/').unwrap_or((&essence, ""));
    let score = |pattern: &str| {
        let pattern = pattern.split(';').next().unwrap_or_default().trim();
        if pattern.eq_ignore_ascii_case(&essence) {
            Some(3)
        } else if pattern == "*/*" {
            Some(1)
        } else {
            let (pattern_kind, pattern_sub) = pattern.split_once('/')?;
            (pattern_sub == "*" && pattern_kind.eq_ignore_ascii_case(kind)).then_some(2)
        }
    };
    variants
        .iter()
        .enumerate()
        .filter_map(|(i, patterns)| Some((patterns.iter().filter_map(|p| score(p)).max()?, i)))
        .max_by_key(|&(score, i)| (score, std::cmp::Reverse(i)))
        .map(|(_, i)| i)
}

/// A response in a media type the spec does not list for it.
#[allow(dead_code)]
pub(crate) fn unexpected_media(response: RawResponse) -> Error {
    Error::unexpected(
        response,
        "the spec lists no such media type for the response",
    )
}

/// A success status the spec does not list, for an operation whose
/// result depends on the status.
#[allow(dead_code)]
pub(crate) fn unexpected_status(response: RawResponse) -> Error {
    Error::unexpected(response, "the spec lists no such success status")
}
