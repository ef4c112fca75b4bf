// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! A request on its way: per-request options, retries with backoff, timeouts.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use crate::client::{Client, Credential, USER_AGENT};
use crate::encode::Encoding;
use crate::error::{Error, TimeoutPhase};
use crate::stream::ByteStream;

/// The longest wait the server may ask for with `Retry-After`; a longer one is
/// ignored in favour of the client's own backoff.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

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

    fn start(mut self, keep_headers: bool) -> impl Future<Output = Result<Response<T>, Error>> {
        if let Some(params) = self.params.take() {
            let undecoded = Request {
                parts: self.parts,
                params: None,
                write_params: self.write_params,
                decode: Decode::Whole(decode::empty),
            };
            self.parts = (self.write_params)(undecoded, &params).parts;
        }
        let trace = trace::Trace::new(&self.parts.method, self.parts.path_template);
        #[cfg(feature = "tracing")]
        {
            let span = trace.span.clone();
            tracing::Instrument::instrument(self.run(trace, keep_headers), span)
        }
        #[cfg(not(feature = "tracing"))]
        {
            self.run(trace, keep_headers)
        }
    }

    // An `async` block rather than an `async fn`, for the reason given at `send`.
    #[allow(clippy::manual_async_fn)]
    fn run(
        self,
        mut trace: trace::Trace,
        keep_headers: bool,
    ) -> impl Future<Output = Result<Response<T>, Error>> {
        async move {
            // The clock starts at the first poll: a future made by `send()`
            // and awaited later does not count the wait.
            trace.start();
            if let Some(message) = self.parts.invalid {
                return Err(Error::InvalidRequest { message });
            }
            let inner = &self.parts.client.inner;
            let credentials = self.credentials()?;
            let url = self.url()?;
            let max_retries = self.parts.max_retries.unwrap_or(inner.max_retries);
            // A POST or PATCH is not idempotent (RFC 9110, 9.2.2): one that
            // reached the server and timed out may have been done. Every
            // attempt carries the same key, so that the server can tell.
            let idempotency_key = (inner.idempotency_keys
                && max_retries > 0
                && !is_idempotent(&self.parts.method)
                && !self.parts.headers.contains_key(IDEMPOTENCY_KEY))
            .then(idempotency_key)
            .flatten();
            // Sent again without a key, a POST that reached the server may be
            // done twice: it is retried only where it never left.
            let safe_to_resend = is_idempotent(&self.parts.method)
                || idempotency_key.is_some()
                || self.parts.headers.contains_key(IDEMPOTENCY_KEY);
            let timeout = self.parts.timeout.unwrap_or(inner.timeout);
            let read_timeout = self.parts.read_timeout.unwrap_or(inner.read_timeout);
            let mut attempts = 0;
            loop {
                attempts += 1;
                trace.attempt(attempts);
                let live = self
                    .attempt(
                        &url,
                        (timeout, read_timeout),
                        idempotency_key.as_ref(),
                        credentials,
                    )
                    .await;
                trace.elapsed();
                let retries_left = attempts <= max_retries;
                let outcome = match live {
                    Ok(live) => {
                        let status = live.status();
                        trace.status(status);
                        match self.decode {
                            // Handed over as it arrives: not retried past here.
                            Decode::Streamed(decode) if self.is_answer(status) => {
                                let headers = live.headers().clone();
                                let body = ByteStream::live(live, read_timeout, attempts);
                                return Ok(Response {
                                    status,
                                    headers,
                                    value: decode(body),
                                });
                            }
                            _ => read_whole(live, read_timeout).await,
                        }
                    }
                    Err(failure) => Err(failure),
                };
                let server_delay = match outcome {
                    Ok(response) => {
                        if self.is_answer(response.status) {
                            let status = response.status;
                            // Copied only for `with_response`: most calls read none.
                            let headers = match keep_headers {
                                true => response.headers.clone(),
                                false => HeaderMap::new(),
                            };
                            let value = match self.decode {
                                Decode::Whole(decode) => decode(response)?,
                                Decode::Streamed(decode) => {
                                    decode(ByteStream::whole(response, attempts))
                                }
                            };
                            return Ok(Response {
                                status,
                                headers,
                                value,
                            });
                        }
                        if !response.status.is_client_error() && !response.status.is_server_error()
                        {
                            return Err(Error::unexpected(
                                response,
                                "the status is neither a success nor an error",
                            ));
                        }
                        if !retries_left || !should_retry(response.status, &response.headers) {
                            return Err(self.api_error(response, attempts));
                        }
                        retry_after(&response.headers, SystemTime::now())
                    }
                    Err(failure) => {
                        if !retries_left || !failure.is_transient(safe_to_resend) {
                            return Err(failure.into_error(attempts));
                        }
                        None
                    }
                };
                let delay = server_delay.unwrap_or_else(|| backoff(attempts - 1, fastrand::f64()));
                trace.retry(attempts, delay);
                // Boxed: a timer is large, and only a retry needs one.
                Box::pin(tokio::time::sleep(delay)).await;
            }
        }
    }

    /// The error of an error status, its body decoded as the operation says.
    fn api_error(&self, response: RawResponse, attempts: u32) -> Error {
        let typed = self
            .parts
            .error_bodies
            .and_then(|decode| decode(response.status.as_u16(), &response.body));
        Error::api(response, attempts).with_error_body(typed)
    }

    /// Whether a response of this status is the operation's answer, to decode.
    fn is_answer(&self, status: StatusCode) -> bool {
        status.is_success()
    }

    /// The credentials this request sends: the first alternative of its
    /// security requirement that names credentials, all of them set, else none
    /// where the requirement lets the request go without one. Else the request
    /// is not sent: the error says how to give what is missing.
    fn credentials(&self) -> Result<&'static [usize], Error> {
        let have = &self.parts.client.inner.credentials;
        let security = self.parts.security;
        let given = |set: &&&[usize]| set.iter().all(|&i| have[i].is_some());
        let named = security.iter().filter(|set| !set.is_empty());
        if let Some(chosen) = named.clone().find(given) {
            return Ok(chosen);
        }
        let optional = security.iter().any(|set| set.is_empty());
        if security.is_empty() || optional {
            return Ok(&[]);
        }
        let missing: Vec<String> = named
            .map(|set| {
                let sources = set.iter().filter(|&&i| have[i].is_none());
                let sources = sources.map(|&i| {
                    let (setter, variable) = crate::client::CREDENTIAL_SOURCES[i];
                    format!("ClientBuilder::{setter} (or {variable})")
                });
                sources.collect::<Vec<_>>().join(" and ")
            })
            .collect();
        Err(Error::config(format!(
            "{} {} needs a credential the client was not given: set {}",
            self.parts.method,
            self.parts.path_template,
            missing.join("; or ")
        )))
    }

    /// The base URL with the request's path appended to its own path, and
    /// the request's query: no whole URL is parsed again. Path parameters
    /// bring no `?` or `#`: theirs are percent-encoded.
    fn url(&self) -> Result<reqwest::Url, Error> {
        let path = self.parts.path.as_str();
        if has_dot_segment(path) {
            return Err(Error::InvalidRequest {
                message: "a path parameter cannot be `.` or `..`".to_owned(),
            });
        }
        let base = &self.parts.client.inner.base;
        let mut url = base.clone();
        match base.path().trim_end_matches('/') {
            "" => url.set_path(path),
            prefix => url.set_path(&[prefix, path].concat()),
        }
        let query = Cow::Borrowed(self.parts.query.as_str());
        if !query.is_empty() {
            url.set_query(Some(&query));
        }
        Ok(url)
    }

    async fn attempt(
        &self,
        url: &reqwest::Url,
        (timeout, _read_timeout): (Duration, Duration),
        idempotency_key: Option<&HeaderValue>,
        credentials: &[usize],
    ) -> Result<reqwest::Response, Failure> {
        let inner = &self.parts.client.inner;
        let mut request = inner
            .http
            .request(self.parts.method.clone(), url.clone())
            .header(reqwest::header::USER_AGENT, USER_AGENT);
        if let Some(accept) = self.parts.accept {
            request = request.header(reqwest::header::ACCEPT, accept);
        }
        // Merging a header map costs even when it is empty: most are.
        if !inner.default_headers.is_empty() {
            request = request.headers(inner.default_headers.clone());
        }
        for &index in credentials {
            match &inner.credentials[index] {
                Some(Credential::Header(name, value)) => request = request.header(name, value),
                None => {}
            }
        }
        if let Some((body, content_type)) = &self.parts.body {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type.as_ref());
            request = request.body(body.clone());
        }
        if !self.parts.headers.is_empty() {
            request = request.headers(self.parts.headers.clone());
        }
        if let Some(key) = idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        match tokio::time::timeout(timeout, request.send()).await {
            Ok(response) => Ok(response?),
            Err(_) => Err(Failure::Timeout(TimeoutPhase::Response)),
        }
    }
}

/// Why an attempt got no response to use.
pub(crate) enum Failure {
    Transport(reqwest::Error),
    /// Nothing came in time: the headers within the timeout, or the body's
    /// next bytes within the read timeout.
    Timeout(TimeoutPhase),
}

impl From<reqwest::Error> for Failure {
    fn from(err: reqwest::Error) -> Self {
        Failure::Transport(err)
    }
}

impl Failure {
    /// Whether the failure may pass on its own, and another attempt is safe:
    /// a connection that never opened always; a timeout or a broken
    /// response after the request left only when sending it again is safe
    /// (`safe_to_resend`); never a request that cannot be built.
    fn is_transient(&self, safe_to_resend: bool) -> bool {
        match self {
            Failure::Transport(err) if err.is_connect() => true,
            Failure::Transport(err) => {
                safe_to_resend && !err.is_builder() && !err.is_redirect() && !err.is_decode()
            }
            Failure::Timeout(TimeoutPhase::Connect) => true,
            Failure::Timeout(_) => safe_to_resend,
        }
    }

    pub(crate) fn into_error(self, attempts: u32) -> Error {
        match self {
            Failure::Transport(err) => Error::transport(err, attempts),
            Failure::Timeout(phase) => Error::Timeout { phase, attempts },
        }
    }
}

/// The most a body's `Content-Length` reserves before its bytes come: 64 MiB.
const MAX_PREALLOCATION: u64 = 64 << 20;

/// Reads a response's whole body, each chunk within `read_timeout` of the last.
async fn read_whole(
    mut response: reqwest::Response,
    read_timeout: Duration,
) -> Result<RawResponse, Failure> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    // The announced length sizes the buffer once, up to a bound: a server
    // may announce more than it sends.
    let announced = response
        .content_length()
        .unwrap_or(0)
        .min(MAX_PREALLOCATION) as usize;
    // Chunk by chunk rather than `Response::bytes`, whose future holds a
    // second response: this one is a fraction of the size. Most bodies
    // come in one chunk, which is kept as it is.
    let mut body = next_chunk(&mut response, read_timeout)
        .await?
        .unwrap_or_default();
    if let Some(next) = next_chunk(&mut response, read_timeout).await? {
        let mut whole = Vec::with_capacity(announced.max(body.len() + next.len()));
        whole.extend_from_slice(&body);
        whole.extend_from_slice(&next);
        while let Some(next) = next_chunk(&mut response, read_timeout).await? {
            whole.extend_from_slice(&next);
        }
        body = Bytes::from(whole);
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// The body's next chunk, if it comes within `read_timeout`; `None` at its end.
pub(crate) async fn next_chunk(
    response: &mut reqwest::Response,
    read_timeout: Duration,
) -> Result<Option<Bytes>, Failure> {
    match tokio::time::timeout(read_timeout, response.chunk()).await {
        Ok(chunk) => Ok(chunk?),
        Err(_) => Err(Failure::Timeout(TimeoutPhase::Read)),
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

/// Whether a path parameter is `.` or `..`: URLs read such a segment, even
/// percent-encoded, as a step within the path, so the request would reach
/// another endpoint. No spec writes one into a path template.
fn has_dot_segment(path: &str) -> bool {
    path.contains("/.")
        && path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
}

/// The header a retried POST or PATCH carries its idempotency key in: the
/// one the spec names, else the IETF draft's, which Stripe, Adyen and the
/// Stainless-built SDKs send.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Whether sending the request twice is the same as sending it once
/// (RFC 9110, 9.2.2).
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    )
}

/// A random key (a version 4 UUID, RFC 9562) for one request's attempts.
fn idempotency_key() -> Option<HeaderValue> {
    let key = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
    HeaderValue::from_str(key.hyphenated().encode_lower(&mut text)).ok()
}

/// Whether a failed status is worth another attempt: the server's
/// `x-should-retry` header decides when present, else the status does.
fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// The wait the server asks for, if it is a sensible one (more than 0, at most 60 s).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let delay = if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        Duration::try_from_secs_f64(ms / 1000.0).ok()
    } else if let Some(value) = header("retry-after") {
        match value.parse::<f64>() {
            Ok(seconds) => Duration::try_from_secs_f64(seconds).ok(),
            Err(_) => httpdate::parse_http_date(value)
                .ok()
                .and_then(|at| at.duration_since(now).ok()),
        }
    } else {
        None
    }?;
    (!delay.is_zero() && delay <= MAX_RETRY_AFTER).then_some(delay)
}

/// The wait before retry `n` (0 for the first): 0.5 s doubling up to 8 s, less a
/// random jitter of up to 25 % (`random` is in `0.0..1.0`).
fn backoff(retry: u32, random: f64) -> Duration {
    let exponential = INITIAL_BACKOFF.saturating_mul(2u32.saturating_pow(retry));
    exponential.min(MAX_BACKOFF).mul_f64(1.0 - 0.25 * random)
}

/// The request's `tracing` span, kept at hand: looking up the current span
/// on every record would cost more than the record. Nothing without the feature.
mod trace {
    use std::time::Duration;
    #[cfg(feature = "tracing")]
    use std::time::Instant;

    use reqwest::{Method, StatusCode};

    pub(super) struct Trace {
        #[cfg(feature = "tracing")]
        pub(super) span: tracing::Span,
        /// When the request started; read only for a span that records.
        #[cfg(feature = "tracing")]
        started: Option<Instant>,
    }

    #[cfg(feature = "tracing")]
    impl Trace {
        pub(super) fn new(method: &Method, path_template: &'static str) -> Self {
            let span = tracing::info_span!(
                "request",
                method = %method,
                path = path_template,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            Trace {
                span,
                started: None,
            }
        }

        /// Starts the clock, for a span that records.
        pub(super) fn start(&mut self) {
            if !self.span.is_disabled() {
                self.started = Some(Instant::now());
            }
        }

        pub(super) fn attempt(&self, attempt: u32) {
            self.span.record("attempt", attempt);
        }

        pub(super) fn status(&self, status: StatusCode) {
            self.span.record("status", status.as_u16());
        }

        /// Records the time since the request started.
        pub(super) fn elapsed(&self) {
            if let Some(started) = self.started {
                let elapsed = started.elapsed().as_millis() as u64;
                self.span.record("elapsed_ms", elapsed);
            }
        }

        pub(super) fn retry(&self, attempts: u32, delay: Duration) {
            tracing::debug!(
                parent: &self.span,
                attempts,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
        }
    }

    #[cfg(not(feature = "tracing"))]
    impl Trace {
        pub(super) fn new(_: &Method, _: &'static str) -> Self {
            Trace {}
        }

        pub(super) fn start(&mut self) {}

        pub(super) fn attempt(&self, _: u32) {}

        pub(super) fn status(&self, _: StatusCode) {}

        pub(super) fn elapsed(&self) {}

        pub(super) fn retry(&self, _: u32, _: Duration) {}
    }
}

/// Decoders of successful responses, one per kind of body.
pub(crate) mod decode {
    use super::RawResponse;
    use crate::error::Error;

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
                .map_err(|_| {
                    Error::unexpected(response, format!("the body does not decode: {err}"))
                }),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_half_a_second_up_to_eight() {
        let waits: Vec<u128> = (0..7).map(|n| backoff(n, 0.0).as_millis()).collect();
        assert_eq!(waits, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(backoff(0, 0.999_999).as_millis(), 375);
        assert_eq!(backoff(u32::MAX, 0.0).as_millis(), 8000);
    }

    #[test]
    fn retry_after_accepts_seconds_milliseconds_and_dates_up_to_a_minute() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut map = HeaderMap::new();
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_str(value).unwrap());
            }
            map
        };
        assert_eq!(
            retry_after(&headers(&[("retry-after", "2")]), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "250")]), now),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            retry_after(
                &headers(&[("retry-after-ms", "250"), ("retry-after", "9")]),
                now
            ),
            Some(Duration::from_millis(250))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            retry_after(&headers(&[("retry-after", &date)]), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "61")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "0")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "-1")]), now), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&headers(&[]), now), None);
    }

    #[test]
    fn should_retry_follows_the_status_unless_the_server_says_otherwise() {
        let none = HeaderMap::new();
        for status in [408, 409, 429, 500, 502, 503, 504] {
            assert!(
                should_retry(StatusCode::from_u16(status).unwrap(), &none),
                "{status}"
            );
        }
        for status in [400, 401, 403, 404, 422] {
            assert!(
                !should_retry(StatusCode::from_u16(status).unwrap(), &none),
                "{status}"
            );
        }
        let mut yes = HeaderMap::new();
        yes.insert("x-should-retry", HeaderValue::from_static("true"));
        assert!(should_retry(StatusCode::BAD_REQUEST, &yes));
        let mut no = HeaderMap::new();
        no.insert("x-should-retry", HeaderValue::from_static("false"));
        assert!(!should_retry(StatusCode::SERVICE_UNAVAILABLE, &no));
    }
}
