// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! Sending a request: its attempts, each within its timeouts, until one
//! gives an answer to decode or a failure not worth another.

use std::borrow::Cow;
use std::future::Future;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;

use super::retry::{
    backoff, idempotency_key, is_idempotent, retry_after, should_retry, IDEMPOTENCY_KEY,
};
use super::{decode, trace, Decode, RawResponse, Request, Response};
use crate::client::{Credential, USER_AGENT};
use crate::error::{Error, TimeoutPhase};
use crate::stream::ByteStream;

impl<T, P> Request<T, P> {
    /// Sends the request: its optional parameters written into it, its
    /// attempts traced as one span.
    pub(super) fn start(
        mut self,
        keep_headers: bool,
    ) -> impl Future<Output = Result<Response<T>, Error>> {
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

/// Whether a path parameter is `.` or `..`: URLs read such a segment, even
/// percent-encoded, as a step within the path, so the request would reach
/// another endpoint. No spec writes one into a path template.
fn has_dot_segment(path: &str) -> bool {
    path.contains("/.")
        && path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
}
