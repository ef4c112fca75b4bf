//! Webhook events and their signatures, by the generated clients of
//! `tests/fixtures/webhooks` (Linq's documented scheme) and
//! `tests/fixtures/webhooks-standard` (Standard Webhooks).
//!
//! The expected signatures come from outside the generator: the Linq scheme's
//! from its documentation's own Python (`hmac.new(secret, f"{timestamp}.{payload}",
//! sha256).hexdigest()`), run once for the vector below; the Standard
//! Webhooks one is that specification's published test vector.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fixture_webhooks::WebhookEvent;
use fixture_webhooks::webhooks::{self, WebhookError};
use http::{HeaderMap, HeaderValue};

const SECRET: &str = "linq-signing-secret";
const TIMESTAMP: u64 = 1_770_321_138;
const BODY: &[u8] = br#"{"api_version":"v3","webhook_version":"2026-02-03","event_type":"message.sent","event_id":"e1","data":{"id":"m1","parts":[]}}"#;
/// `hmac.new(b"linq-signing-secret", f"{TIMESTAMP}.{BODY}".encode(), sha256).hexdigest()`.
const SIGNATURE: &str = "5f3306e56c912649f1a095c22f751ea1304a1fad7e05df3442f837d0b9f6dd31";

fn signed(timestamp: u64, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-webhook-timestamp", HeaderValue::from(timestamp));
    headers.insert(
        "x-webhook-signature",
        HeaderValue::from_str(signature).unwrap(),
    );
    headers.insert("x-webhook-event", HeaderValue::from_static("message.sent"));
    headers
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

#[test]
fn a_payload_signed_as_linq_documents_is_verified_and_read() {
    let headers = signed(TIMESTAMP, SIGNATURE);
    webhooks::verify_at(SECRET, &headers, BODY, at(TIMESTAMP + 10)).unwrap();
    let event = WebhookEvent::parse(BODY).unwrap();
    let WebhookEvent::MessageSentV2026(sent) = &event else {
        panic!("not the 2026 message.sent: {event:?}");
    };
    assert_eq!(sent.data.id, "m1");
    assert_eq!(event.name(), Some("message.sent.v2026"));
}

#[test]
fn a_forged_or_altered_payload_is_refused() {
    let headers = signed(TIMESTAMP, SIGNATURE);
    let altered = String::from_utf8(BODY.to_vec())
        .unwrap()
        .replace("m1", "m2");
    let now = at(TIMESTAMP);
    assert!(matches!(
        webhooks::verify_at(SECRET, &headers, altered.as_bytes(), now),
        Err(WebhookError::BadSignature)
    ));
    assert!(matches!(
        webhooks::verify_at("another-secret", &headers, BODY, now),
        Err(WebhookError::BadSignature)
    ));
    let forged = headers_with_signature(&"0".repeat(64));
    assert!(matches!(
        webhooks::verify_at(SECRET, &forged, BODY, now),
        Err(WebhookError::BadSignature)
    ));
    // The signature covers the timestamp: a fresh timestamp on an old signature fails.
    let retimed = signed(TIMESTAMP + 1, SIGNATURE);
    assert!(matches!(
        webhooks::verify_at(SECRET, &retimed, BODY, at(TIMESTAMP + 1)),
        Err(WebhookError::BadSignature)
    ));
}

fn headers_with_signature(signature: &str) -> HeaderMap {
    signed(TIMESTAMP, signature)
}

#[test]
fn a_replayed_payload_is_refused_as_stale() {
    let headers = signed(TIMESTAMP, SIGNATURE);
    let replayed = webhooks::verify_at(SECRET, &headers, BODY, at(TIMESTAMP + 301));
    assert!(matches!(replayed, Err(WebhookError::Stale)), "{replayed:?}");
    let early = webhooks::verify_at(SECRET, &headers, BODY, at(TIMESTAMP - 301));
    assert!(matches!(early, Err(WebhookError::Stale)), "{early:?}");
    // Within the tolerance either way.
    webhooks::verify_at(SECRET, &headers, BODY, at(TIMESTAMP + 300)).unwrap();
    // `unwrap` checks against the clock: this 2026 timestamp is long past.
    assert!(matches!(
        webhooks::unwrap(SECRET, &headers, BODY),
        Err(WebhookError::Stale)
    ));
}

#[test]
fn missing_headers_are_named() {
    let mut headers = signed(TIMESTAMP, SIGNATURE);
    headers.remove("x-webhook-signature");
    let err = webhooks::verify_at(SECRET, &headers, BODY, at(TIMESTAMP)).unwrap_err();
    assert!(
        matches!(err, WebhookError::MissingHeader("x-webhook-signature")),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the webhook has no `x-webhook-signature` header"
    );
}

#[test]
fn versions_of_one_event_are_told_apart_and_others_are_unknown() {
    let v2025 = br#"{"api_version":"v3","webhook_version":"2025-01-01","event_type":"message.sent","event_id":"e2","data":{"message_id":"m1","text":"hi"}}"#;
    let event = WebhookEvent::parse(v2025).unwrap();
    assert!(
        matches!(&event, WebhookEvent::MessageSentV2025(sent) if sent.data.text == "hi"),
        "{event:?}"
    );
    // No example gives chat.created a version: its name does, and the first of the two reads it.
    let created = br#"{"api_version":"v3","webhook_version":"2026-02-03","event_type":"chat.created","event_id":"e3","data":{"chat_id":"c1"}}"#;
    let event = WebhookEvent::parse(created).unwrap();
    assert!(
        matches!(&event, WebhookEvent::ChatCreatedV2026(_)),
        "{event:?}"
    );
    let event = WebhookEvent::parse_as("chat.created.v2025", created).unwrap();
    assert!(
        matches!(&event, WebhookEvent::ChatCreatedV2025(_)),
        "{event:?}"
    );
    // An event this client does not know is kept, as JSON.
    let new = br#"{"event_type":"chat.archived","data":{}}"#;
    let event = WebhookEvent::parse(new).unwrap();
    assert!(
        matches!(&event, WebhookEvent::Unknown(value) if value["event_type"] == "chat.archived")
    );
    assert_eq!(event.name(), None);
    // A known event of the wrong shape is an error, not a panic.
    let wrong = br#"{"api_version":"v3","webhook_version":"2025-01-01","event_type":"message.sent","event_id":"e4","data":{}}"#;
    assert!(WebhookEvent::parse(wrong).is_err());
    assert!(WebhookEvent::parse(b"not json").is_err());
}

#[test]
fn the_standard_webhooks_test_vector_verifies() {
    use fixture_webhooks_standard::webhooks as standard;
    // standardwebhooks.com's published vector.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let body = br#"{"test": 2432232314}"#;
    let mut headers = HeaderMap::new();
    headers.insert(
        "webhook-id",
        HeaderValue::from_static("msg_p5jXN8AQM9LWM0D4loKWxJek"),
    );
    headers.insert("webhook-timestamp", HeaderValue::from_static("1614265330"));
    // Two signatures while a secret is rotated: the second one is this secret's.
    headers.insert(
        "webhook-signature",
        HeaderValue::from_static("v1,bm9wZQ== v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
    );
    standard::verify_at(secret, &headers, body, at(1_614_265_330)).unwrap();
    let event = standard::verify_at(
        secret,
        &headers,
        br#"{"test": 2432232315}"#,
        at(1_614_265_330),
    );
    assert!(matches!(event, Err(standard::WebhookError::BadSignature)));
    let event = fixture_webhooks_standard::WebhookEvent::parse_as("test", body).unwrap();
    assert!(
        matches!(event, fixture_webhooks_standard::WebhookEvent::Test(payload) if payload.test == Some(2432232314))
    );
}
