// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! When a failed attempt is tried again, after how long, and with what
//! to make that safe.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};

/// The longest wait the server may ask for with `Retry-After`; a longer one is
/// ignored in favour of the client's own backoff.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// The header a retried POST or PATCH carries its idempotency key in: the
/// one the spec names, else the IETF draft's, which Stripe, Adyen and the
/// Stainless-built SDKs send.
pub(super) const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Whether sending the request twice is the same as sending it once
/// (RFC 9110, 9.2.2).
pub(super) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    )
}

/// A random key (a version 4 UUID, RFC 9562) for one request's attempts.
pub(super) fn idempotency_key() -> Option<HeaderValue> {
    let key = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
    HeaderValue::from_str(key.hyphenated().encode_lower(&mut text)).ok()
}

/// Whether a failed status is worth another attempt: the server's
/// `x-should-retry` header decides when present, else the status does.
pub(super) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.is_server_error()
}

/// The wait the server asks for, if it is a sensible one (more than 0, at most 60 s).
pub(super) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
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
pub(super) fn backoff(retry: u32, random: f64) -> Duration {
    let exponential = INITIAL_BACKOFF.saturating_mul(2u32.saturating_pow(retry));
    exponential.min(MAX_BACKOFF).mul_f64(1.0 - 0.25 * random)
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
