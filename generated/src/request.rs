// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! A request on its way: what it sends and its options for this call alone
//! (a timeout, retries, headers, its optional parameters). Sending it is
//! `send`; when to try again, `retry`; reading the answer, `decode`.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::client::Client;
use crate::encode::Encoding;
use crate::error::Error;
use crate::stream::ByteStream;

pub(crate) mod decode;
mod retry;
mod send;
mod trace;

pub(crate) use decode::{Decode, RawResponse};
pub(crate) use send::next_chunk;

/// A security requirement: alternatives, any one of which suffices, each a set
/// of credentials (indices into the client's) sent together. No alternative,
/// or an empty one, lets the request go without a credential.
pub(crate) type Security = &'static [&'static [usize]];

/// A successful response: its status and headers beside its decoded value,
/// which it dereferences to. Given by [`Request::with_response`].
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    value: T,
}

impl<T> Response<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The status, the headers and the decoded value.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.value)
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// A request to the API, returned by every operation.
///
/// Await it to send it. Before that, options can be set for this request
/// alone:
///
/// ```no_run
/// # async fn example(request: linq_api_v3::Request<()>) -> Result<(), linq_api_v3::Error> {
/// use std::time::Duration;
/// request
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-request-id", "42")
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// Dropping the request, or the future it turns into, cancels it: no attempt
/// or retry goes on in the background.
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<T, P = ()> {
    parts: Parts,
    /// The operation's optional parameters, set by name, and how they are
    /// written into the request when it is sent.
    params: Option<P>,
    write_params: WriteParams<P>,
    decode: Decode<T>,
}

/// Everything of a request but its optional parameters and its decoder: what
/// neither of their types changes.
#[derive(Clone)]
struct Parts {
    client: Client,
    method: Method,
    /// The spec's path template, for tracing: `/v3/chats/{chatId}/typing`.
    path_template: &'static str,
    path: String,
    /// The query's pairs, percent-encoded and joined: `a=1&b=2`.
    query: String,
    /// The cookie parameters' pairs, joined: `a=1; b=2`.
    cookies: String,
    /// What the operation's responses can be, for `Accept`.
    accept: Option<&'static str>,
    headers: HeaderMap,
    body: Option<(Bytes, Cow<'static, str>)>,
    max_retries: Option<u32>,
    timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    /// A problem found while the request was put together, reported when it is sent.
    invalid: Option<String>,
    security: Security,
    /// Decodes an error status's body into the type the spec gives it.
    error_bodies: Option<ErrorBodies>,
}

/// Decodes the body of an error status into the operation's type for it.
pub(crate) type ErrorBodies = fn(u16, &[u8]) -> Option<crate::types::ErrorBody>;

/// Writes an operation's optional parameters into its request. It sees the
/// request without its decoder, which the parameters do not touch.
type WriteParams<P> = fn(Request<(), P>, &P) -> Request<(), P>;

impl<T> Request<T> {
    // Unused only by an API without operations.
    #[allow(dead_code)]
    pub(crate) fn new(
        client: &Client,
        method: Method,
        path_template: &'static str,
        path: String,
        decode: fn(RawResponse) -> Result<T, Error>,
    ) -> Self {
        Self::with_decoder(client, method, path_template, path, Decode::Whole(decode))
    }

    /// A request whose successful response is handed over as it arrives, to
    /// `decode`: an event stream.
    #[allow(dead_code)]
    pub(crate) fn streamed(
        client: &Client,
        method: Method,
        path_template: &'static str,
        path: String,
        decode: fn(ByteStream) -> T,
    ) -> Self {
        Self::with_decoder(
            client,
            method,
            path_template,
            path,
            Decode::Streamed(decode),
        )
    }

    fn with_decoder(
        client: &Client,
        method: Method,
        path_template: &'static str,
        path: String,
        decode: Decode<T>,
    ) -> Self {
        let parts = Parts {
            client: client.clone(),
            method,
            path_template,
            path,
            query: String::new(),
            cookies: String::new(),
            accept: None,
            headers: HeaderMap::new(),
            body: None,
            max_retries: None,
            timeout: None,
            read_timeout: None,
            invalid: None,
            security: crate::client::DEFAULT_SECURITY,
            error_bodies: None,
        };
        Self {
            parts,
            params: None,
            write_params: |request, ()| request,
            decode,
        }
    }

    /// Gives the request optional parameters of type `P`, each set by a
    /// method of its own and written by `write` when the request is sent.
    #[allow(dead_code)]
    pub(crate) fn with_params<P>(self, write: WriteParams<P>) -> Request<T, P> {
        Request {
            parts: self.parts,
            params: None,
            write_params: write,
            decode: self.decode,
        }
    }
}

impl<T, P: Default> Request<T, P> {
    /// The optional parameters, for their setters.
    #[allow(dead_code)]
    pub(crate) fn params_mut(&mut self) -> &mut P {
        self.params.get_or_insert_with(P::default)
    }
}

impl<T, P> Request<T, P> {
    /// Sets every optional parameter at once, replacing those set before.
    /// Each can also be set by its own method, named after it.
    pub fn params(mut self, params: P) -> Self {
        self.params = Some(params);
        self
    }

    /// Replaces the API's security requirement with the operation's own.
    #[allow(dead_code)]
    pub(crate) fn security(mut self, security: Security) -> Self {
        self.parts.security = security;
        self
    }

    /// Decodes error statuses' bodies with `decode`.
    #[allow(dead_code)]
    pub(crate) fn error_bodies(mut self, decode: ErrorBodies) -> Self {
        self.parts.error_bodies = Some(decode);
        self
    }

    /// Starts the query with the one the spec writes into the path
    /// template (`/responses?beta=true`), as it is written.
    #[allow(dead_code)]
    pub(crate) fn fixed_query(mut self, query: &'static str) -> Self {
        self.parts.query.insert_str(0, query);
        self
    }

    /// Asks for the media types the operation's responses can be.
    #[allow(dead_code)]
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        self.parts.accept = Some(media);
        self
    }

    /// Adds a query parameter, written as `encoding` says; `None` adds nothing.
    #[allow(dead_code)]
    pub(crate) fn query_param(
        mut self,
        name: &'static str,
        value: &impl serde::Serialize,
        encoding: Encoding,
    ) -> Self {
        let value = crate::encode::to_value(value);
        crate::encode::query(&mut self.parts.query, name, &value, encoding);
        self
    }

    /// Sets a header parameter of the operation (`simple` style: an array is
    /// comma-separated); `None` sets nothing.
    #[allow(dead_code)]
    pub(crate) fn header_param(
        self,
        name: &'static str,
        value: &impl serde::Serialize,
        encoding: Encoding,
    ) -> Self {
        match crate::encode::header(&crate::encode::to_value(value), encoding) {
            Some(text) => self.header(name, text),
            None => self,
        }
    }

    /// Adds a cookie parameter of the operation (`form` style); `None` adds
    /// nothing. All cookies go out in one `Cookie` header.
    #[allow(dead_code)]
    pub(crate) fn cookie_param(
        mut self,
        name: &'static str,
        value: &impl serde::Serialize,
        encoding: Encoding,
    ) -> Self {
        let value = crate::encode::to_value(value);
        crate::encode::cookie(&mut self.parts.cookies, name, &value, encoding);
        self
    }

    /// Sets the JSON body.
    #[allow(dead_code)]
    pub(crate) fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.parts.body = Some((Bytes::from(bytes), "application/json".into())),
            Err(err) => {
                self.parts.invalid = Some(format!("the request body cannot be serialized: {err}"))
            }
        }
        self
    }

    /// Sets an `application/x-www-form-urlencoded` body: a pair per
    /// property, written as `fields` (the spec's `encoding` map) says.
    #[allow(dead_code)]
    pub(crate) fn form<B: serde::Serialize + ?Sized>(
        mut self,
        body: &B,
        fields: &[(&str, Encoding)],
    ) -> Self {
        let encoded = serde_json::to_value(body)
            .map_err(|err| format!("the request body cannot be serialized: {err}"))
            .and_then(|value| crate::encode::form(&value, fields));
        match encoded {
            Ok(encoded) => {
                self.parts.body = Some((
                    Bytes::from(encoded),
                    "application/x-www-form-urlencoded".into(),
                ))
            }
            Err(message) => self.parts.invalid = Some(message),
        }
        self
    }

    /// Sets how long each attempt may wait for the response's headers
    /// (connecting, sending, the server's work), overriding the client's
    /// [`timeout`](crate::ClientBuilder::timeout). The body is not counted:
    /// see [`read_timeout`](Request::read_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.parts.timeout = Some(timeout);
        self
    }

    /// Sets how long the response's body may go without sending a byte,
    /// overriding the client's [`read_timeout`](crate::ClientBuilder::read_timeout):
    /// a long download or event stream goes on while bytes come, and fails
    /// with [`Error::Timeout`] when it stalls.
    pub fn read_timeout(mut self, read_timeout: Duration) -> Self {
        self.parts.read_timeout = Some(read_timeout);
        self
    }

    /// Gives the successful response's body as it arrives, a [`ByteStream`] of
    /// chunks, instead of decoding it: a download of any size in bounded
    /// memory. Error responses are read and reported as usual.
    ///
    /// ```no_run
    /// # async fn example(request: linq_api_v3::Request<linq_api_v3::Bytes>) -> Result<(), linq_api_v3::Error> {
    /// use futures_util::StreamExt;
    /// let mut body = request.into_byte_stream().await?;
    /// while let Some(chunk) = body.next().await {
    ///     let chunk = chunk?;
    ///     // write `chunk` somewhere
    /// #   drop(chunk);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_byte_stream(self) -> Request<ByteStream, P> {
        Request {
            parts: self.parts,
            params: self.params,
            write_params: self.write_params,
            decode: Decode::Streamed(|body| body),
        }
    }

    /// Adds a query parameter to this request, beside the operation's own: one
    /// the spec does not list (a beta switch, a vendor's debug flag). The name
    /// and the value are percent-encoded as a form query's are, so
    /// `extra_query("q", "a&b")` sends `q=a%26b`. Repeat it for several.
    pub fn extra_query(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let value = serde_json::Value::String(value.as_ref().to_owned());
        crate::encode::query(&mut self.parts.query, name.as_ref(), &value, Encoding::FORM);
        self
    }

    /// Sets how many times this request is retried, overriding the client's.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.parts.max_retries = Some(max_retries);
        self
    }

    /// Adds a header to this request. An invalid name or value makes the
    /// request fail with [`Error::InvalidRequest`] when it is awaited.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = name.as_ref();
        match (
            HeaderName::try_from(name),
            HeaderValue::try_from(value.as_ref()),
        ) {
            (Ok(name), Ok(value)) => {
                self.parts.headers.append(name, value);
            }
            (Err(_), _) => self.parts.invalid = Some(format!("invalid header name `{name}`")),
            (_, Err(_)) => self.parts.invalid = Some(format!("invalid value for header `{name}`")),
        }
        self
    }

    /// Sends the request, retrying as configured, and decodes the response.
    ///
    /// # Errors
    ///
    /// See [`Error`]: an error status, a connection failure or timeout on the
    /// last attempt, an unexpected response, or an invalid request.
    // Not an `async fn`: one would hold the request twice (as its argument and
    // as the local it is moved to) beside the future of `run`, which holds it
    // again. This future holds `run`'s alone, in its span.
    pub fn send(self) -> impl Future<Output = Result<T, Error>> {
        let response = self.start(false);
        async move { response.await.map(Response::into_inner) }
    }

    /// Sends the request as [`send`](Request::send) does, and gives the
    /// response's status and headers with its decoded value (GitHub's
    /// `Link`, a request id, rate limits).
    ///
    /// ```no_run
    /// # async fn example(request: linq_api_v3::Request<()>) -> Result<(), linq_api_v3::Error> {
    /// let response = request.with_response().await?;
    /// let request_id = response.headers().get("x-request-id");
    /// println!("{} {request_id:?}", response.status());
    /// let value = response.into_inner();
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`send`](Request::send).
    pub fn with_response(self) -> impl Future<Output = Result<Response<T>, Error>> {
        self.start(true)
    }
}

impl<T, P: Clone> Clone for Request<T, P> {
    fn clone(&self) -> Self {
        Self {
            parts: self.parts.clone(),
            params: self.params.clone(),
            write_params: self.write_params,
            decode: self.decode,
        }
    }
}

impl<T: Send + 'static, P: Send + Sync + 'static> IntoFuture for Request<T, P> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T, P: fmt::Debug> fmt::Debug for Request<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts = &self.parts;
        f.debug_struct("Request")
            .field("method", &parts.method)
            .field("path_template", &parts.path_template)
            .field("path", &parts.path)
            .field("query", &parts.query)
            .field("cookies", &parts.cookies)
            .field("params", &self.params)
            .field("headers", &parts.headers.keys().collect::<Vec<_>>())
            .field("max_retries", &parts.max_retries)
            .field("timeout", &parts.timeout)
            .field("read_timeout", &parts.read_timeout)
            .finish_non_exhaustive()
    }
}
