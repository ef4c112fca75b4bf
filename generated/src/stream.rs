// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! Bodies read as they arrive: a download chunk by chunk, never held whole.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::Error;
use crate::request::RawResponse;

/// A response's body as it arrives, chunk by chunk: a download of any size
/// in bounded memory. Given by [`Request::into_byte_stream`](crate::Request::into_byte_stream).
///
/// Each chunk must come within the request's read timeout of the last, else
/// the stream ends with [`Error::Timeout`]; a broken connection ends it with
/// [`Error::Connection`]. Dropping the stream closes the connection.
pub struct ByteStream {
    // Kept for the errors an event in the body reports.
    #[allow(dead_code)]
    status: StatusCode,
    #[allow(dead_code)]
    headers: HeaderMap,
    /// The attempts the request took, for those errors.
    #[allow(dead_code)]
    attempts: u32,
    chunks: Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>,
}

impl ByteStream {
    /// The body of a response still being read.
    pub(crate) fn live(response: reqwest::Response, read_timeout: Duration, attempts: u32) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let chunks = futures_util::stream::unfold(Some(response), move |response| async move {
            let mut response = response?;
            match crate::request::next_chunk(&mut response, read_timeout).await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(failure) => Some((Err(failure.into_error(attempts)), None)),
            }
        });
        ByteStream {
            status,
            headers,
            attempts,
            chunks: Box::pin(chunks),
        }
    }

    /// A body read whole already.
    pub(crate) fn whole(response: RawResponse, attempts: u32) -> Self {
        let chunk = (!response.body.is_empty()).then_some(Ok(response.body));
        ByteStream {
            status: response.status,
            headers: response.headers,
            attempts,
            chunks: Box::pin(futures_util::stream::iter(chunk)),
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}
