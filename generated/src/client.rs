// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! The client and its configuration.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;

/// The environment variable the API key is read from when the builder has none.
pub const API_KEY_ENV: &str = "LINQ_API_V3_API_KEY";

/// The environment variable the base URL is read from when the builder has none.
pub const BASE_URL_ENV: &str = "LINQ_API_V3_BASE_URL";

/// The base URL used when neither the builder nor the environment gives one.
pub const DEFAULT_BASE_URL: &str = "https://api.linqapp.com/api/partner";

pub(crate) const DEFAULT_MAX_RETRIES: u32 = 2;
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client of the Linq Partner API.
///
/// Build one with [`Client::builder`] or [`Client::from_env`]. Cloning is cheap:
/// clones share one connection pool and one configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// As given, without a trailing slash: what [`Client::base_url`] shows.
    pub(crate) base_url: String,
    /// `base_url` parsed once, here rather than on every request: a request's
    /// URL is this one with its path appended to this one's.
    pub(crate) base: reqwest::Url,
    /// Each credential, if given, at the index its constant in `credentials` says.
    pub(crate) credentials: [Option<Credential>; 1],
    pub(crate) max_retries: u32,
    /// Retried POST and PATCH requests carry an `Idempotency-Key`.
    pub(crate) idempotency_keys: bool,
    /// How long an attempt waits for the response's headers.
    pub(crate) timeout: Duration,
    /// How long a body may go without sending a byte.
    pub(crate) read_timeout: Duration,
    pub(crate) default_headers: HeaderMap,
}

/// A credential, ready to be sent. Header values are marked sensitive, which
/// keeps them out of reqwest's and hyper's debug output.
pub(crate) enum Credential {
    Header(HeaderName, HeaderValue),
}

/// Each credential's index in [`Inner::credentials`].
pub(crate) mod credentials {
    pub(crate) const API_KEY: usize = 0;
}

/// What an operation that declares no security of its own needs: the spec's
/// alternatives, any one of which suffices, each a set of credentials sent
/// together.
pub(crate) const DEFAULT_SECURITY: crate::request::Security = &[&[credentials::API_KEY]];

/// Each credential's setter and environment variable, for the error of a
/// request that lacks one.
pub(crate) const CREDENTIAL_SOURCES: [(&str, &str); 1] = [("api_key", API_KEY_ENV)];

impl Client {
    /// A builder, to set the API key, base URL, retries, timeout and more.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment only: `LINQ_API_V3_API_KEY` and `LINQ_API_V3_BASE_URL`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a required credential is not set, or a value is invalid.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::default().build()
    }

    /// The base URL requests are sent to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "api_key",
                &redacted(&self.inner.credentials[credentials::API_KEY]),
            )
            .field("max_retries", &self.inner.max_retries)
            .field("timeout", &self.inner.timeout)
            .field("read_timeout", &self.inner.read_timeout)
            .field(
                "default_headers",
                &self.inner.default_headers.keys().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. Values set here win over the environment.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    max_retries: Option<u32>,
    idempotency_keys: Option<bool>,
    timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    default_headers: Vec<(String, String)>,
}

impl ClientBuilder {
    /// The API key, sent as `Authorization: Bearer <key>`. Else `LINQ_API_V3_API_KEY` is read.
    ///
    /// A partner API key, sent as `Authorization: Bearer <token>`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The base URL, with or without a trailing slash. Else `LINQ_API_V3_BASE_URL`
    /// is read, else `https://api.linqapp.com/api/partner` is used. It may have
    /// a path (`https://proxy.example/api`), which every request's path is
    /// appended to, but no query or fragment.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// How many times a failed request is retried (default 2, so 3 attempts).
    /// Connection failures, timeouts, and the statuses 408, 409, 429 and 5xx are retried;
    /// a POST or PATCH that timed out, or lost its connection, after it was sent only
    /// when it carries an idempotency key.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Whether a POST or PATCH that may be retried carries an `Idempotency-Key`
    /// header, one random key for all its attempts, so that a server can tell a
    /// retry from a new request (default `true`). A key given with
    /// [`Request::header`](crate::Request::header) or by the spec's own
    /// parameter is kept. GET, PUT and DELETE are idempotent (RFC 9110, 9.2.2):
    /// they carry none.
    pub fn idempotency_keys(mut self, idempotency_keys: bool) -> Self {
        self.idempotency_keys = Some(idempotency_keys);
        self
    }

    /// How long one attempt may wait for the response's headers: connecting,
    /// sending the request, the server's work (default 60 s). The body is
    /// not counted: a long download or event stream is bounded by
    /// [`read_timeout`](Self::read_timeout) instead. A timed-out attempt is
    /// retried.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long a response's body may go without sending a byte (default
    /// 60 s): a stream is cut when it stalls, never because it is long.
    pub fn read_timeout(mut self, read_timeout: Duration) -> Self {
        self.read_timeout = Some(read_timeout);
        self
    }

    /// How long connecting to the server may take (default 5 s). It is a
    /// setting of the connection pool, so it has no per-request override, and
    /// a client given with [`http_client`](Self::http_client) keeps its own.
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = Some(connect_timeout);
        self
    }

    /// The HTTP client to send requests with, for proxies, custom TLS or
    /// connection-pool settings. Its own timeouts apply beside the client's.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when
    /// no API key is given or set in `LINQ_API_V3_API_KEY`,
    /// a credential cannot be sent in a header,
    /// the base URL is not an http or https URL or has a query or a fragment,
    /// a default header is invalid, or the HTTP client cannot be built.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = credential(self.api_key, API_KEY_ENV, api_key_credential)?;
        let credentials = [api_key];
        if credentials[credentials::API_KEY].is_none() {
            return Err(Error::config(format!(
                "no API key: call ClientBuilder::api_key or set the environment variable {API_KEY_ENV}"
            )));
        }

        let base_url = self
            .base_url
            .or_else(|| env_value(BASE_URL_ENV))
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|err| Error::config(format!("invalid base URL `{base_url}`: {err}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "invalid base URL `{base_url}`: the scheme must be http or https"
            )));
        }
        // Every request's path is appended to the base URL's path: a query or
        // a fragment would end up in the middle of the URL.
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::config(format!(
                "invalid base URL `{base_url}`: it may not have a query or a fragment"
            )));
        }
        let base_url = base_url.trim_end_matches('/').to_owned();

        let mut default_headers = HeaderMap::new();
        for (name, value) in self.default_headers {
            let header_name = HeaderName::try_from(name.as_str())
                .map_err(|_| Error::config(format!("invalid default header name `{name}`")))?;
            let header_value = HeaderValue::try_from(value)
                .map_err(|_| Error::config(format!("invalid value for default header `{name}`")))?;
            default_headers.append(header_name, header_value);
        }

        if self.http_client.is_none() {
            tls_ready()?;
        }
        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|err| Error::config(format!("cannot build the HTTP client: {err}")))?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base: parsed,
                credentials,
                max_retries: self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
                idempotency_keys: self.idempotency_keys.unwrap_or(true),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
                default_headers,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &redacted(&self.api_key))
            .field("base_url", &self.base_url)
            .field("max_retries", &self.max_retries)
            .field("idempotency_keys", &self.idempotency_keys)
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("http_client", &self.http_client.is_some())
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// An environment variable's value, if it is set and not empty.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Whether a client of our own can be built: with rustls and no crypto
/// provider of its own (the `rustls-no-provider` feature alone), reqwest
/// panics unless the application installed one. With `rustls-ring`, ring is
/// installed where the application installed none.
fn tls_ready() -> Result<(), Error> {
    #[cfg(all(
        feature = "rustls-ring",
        not(any(feature = "rustls", feature = "native-tls"))
    ))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first: then that one serves.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    #[cfg(all(
        feature = "rustls-no-provider",
        not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls"))
    ))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        return Err(Error::config(
            "the `rustls-no-provider` feature needs a rustls crypto provider: install one \
             (`rustls::crypto::ring::default_provider().install_default()`) before building \
             the client, or use the `rustls` feature",
        ));
    }
    Ok(())
}

/// What `Debug` shows of a secret: whether it is there.
fn redacted<T>(secret: &Option<T>) -> Option<&'static str> {
    secret.as_ref().map(|_| "<redacted>")
}

/// A credential given to the builder, else read from `variable`, made ready
/// to be sent by `ready`.
fn credential(
    given: Option<String>,
    variable: &str,
    ready: fn(&str) -> Result<Credential, Error>,
) -> Result<Option<Credential>, Error> {
    given
        .or_else(|| env_value(variable))
        .as_deref()
        .map(ready)
        .transpose()
}

/// The API key, sent as `Authorization: Bearer <key>`.
fn api_key_credential(key: &str) -> Result<Credential, Error> {
    sensitive_header(reqwest::header::AUTHORIZATION, format!("Bearer {key}"))
}

fn sensitive_header(name: HeaderName, value: String) -> Result<Credential, Error> {
    let mut value = HeaderValue::try_from(value).map_err(|_| {
        Error::config(format!(
            "the `{name}` credential contains characters that cannot be sent in a header"
        ))
    })?;
    value.set_sensitive(true);
    Ok(Credential::Header(name, value))
}

#[cfg(all(test, not(any(feature = "rustls", feature = "native-tls"))))]
mod tests {
    #[cfg(all(feature = "rustls-no-provider", not(feature = "rustls-ring")))]
    #[test]
    fn without_a_crypto_provider_a_client_is_a_config_error_not_a_panic() {
        let err = super::tls_ready().unwrap_err();
        assert!(err.to_string().contains("crypto provider"), "{err}");
    }

    #[cfg(feature = "rustls-ring")]
    #[test]
    fn with_rustls_ring_the_client_installs_ring_where_none_is() {
        super::tls_ready().unwrap();
        assert!(rustls::crypto::CryptoProvider::get_default().is_some());
    }
}
