//! Retries, backoff, `Retry-After` and timeouts, against a real server on
//! 127.0.0.1. Waits are asserted with generous upper bounds (the machine is
//! shared); each timing test prints what it observed.

use std::time::{Duration, Instant};

use linq_api_v3::{Client, Uuid};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHAT: Uuid = Uuid::from_u128(0x550e8400_e29b_41d4_a716_446655440000);

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// Answers `response` to every POST, expecting exactly `attempts` of them.
async fn always(response: ResponseTemplate, attempts: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(response)
        .expect(attempts)
        .mount(&server)
        .await;
    server
}

/// Answers `first` once, then 204.
async fn once_then_ok(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// A status with a short server-given wait, so that retry counts are quick to test.
fn quick(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("retry-after-ms", "5")
}

#[tokio::test]
async fn retried_statuses_are_tried_three_times() {
    for status in [408, 409, 429, 500, 502, 503, 504] {
        let server = always(quick(status), 3).await;
        let err = client(&server)
            .chats()
            .typing()
            .start(CHAT)
            .await
            .unwrap_err();
        assert_eq!(
            (err.status(), err.attempts()),
            (Some(status), Some(3)),
            "{status}"
        );
        server.verify().await;
    }
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = always(quick(status), 1).await;
        let err = client(&server)
            .chats()
            .typing()
            .start(CHAT)
            .await
            .unwrap_err();
        assert_eq!(
            (err.status(), err.attempts()),
            (Some(status), Some(1)),
            "{status}"
        );
        server.verify().await;
    }
}

#[tokio::test]
async fn max_retries_on_the_client_and_per_request() {
    let server = always(quick(503), 1).await;
    let no_retries = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    assert_eq!(
        no_retries
            .chats()
            .typing()
            .start(CHAT)
            .await
            .unwrap_err()
            .attempts(),
        Some(1)
    );
    server.verify().await;

    let server = always(quick(503), 2).await;
    let err = client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .max_retries(1)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(2));
    server.verify().await;

    let server = always(quick(503), 5).await;
    let no_retries = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    let err = no_retries
        .chats()
        .typing()
        .start(CHAT)
        .max_retries(4)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(5));
    server.verify().await;
}

#[tokio::test]
async fn a_retry_that_succeeds_returns_ok() {
    let server = once_then_ok(quick(503)).await;
    client(&server).chats().typing().start(CHAT).await.unwrap();
    server.verify().await;
}

#[tokio::test]
async fn the_server_can_forbid_or_ask_for_a_retry() {
    let server = always(quick(503).insert_header("x-should-retry", "false"), 1).await;
    assert_eq!(
        client(&server)
            .chats()
            .typing()
            .start(CHAT)
            .await
            .unwrap_err()
            .attempts(),
        Some(1)
    );
    server.verify().await;

    let server = always(quick(400).insert_header("x-should-retry", "true"), 3).await;
    assert_eq!(
        client(&server)
            .chats()
            .typing()
            .start(CHAT)
            .await
            .unwrap_err()
            .attempts(),
        Some(3)
    );
    server.verify().await;
}

async fn timed_start(server: &MockServer) -> Duration {
    let started = Instant::now();
    client(server).chats().typing().start(CHAT).await.unwrap();
    started.elapsed()
}

#[tokio::test]
async fn retry_after_in_seconds_is_obeyed() {
    let server = once_then_ok(ResponseTemplate::new(429).insert_header("Retry-After", "1")).await;
    let waited = timed_start(&server).await;
    eprintln!("Retry-After: 1 -> call took {waited:?}");
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1600),
        "{waited:?}"
    );
}

#[tokio::test]
async fn retry_after_ms_is_obeyed() {
    let server =
        once_then_ok(ResponseTemplate::new(503).insert_header("retry-after-ms", "300")).await;
    let waited = timed_start(&server).await;
    eprintln!("retry-after-ms: 300 -> call took {waited:?}");
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_millis(800),
        "{waited:?}"
    );
}

#[tokio::test]
async fn an_over_long_retry_after_falls_back_to_backoff() {
    let server = once_then_ok(ResponseTemplate::new(503).insert_header("Retry-After", "120")).await;
    let waited = timed_start(&server).await;
    eprintln!("Retry-After: 120 -> call took {waited:?} (first backoff is 375-500 ms)");
    assert!(
        waited >= Duration::from_millis(375) && waited < Duration::from_millis(1200),
        "{waited:?}"
    );
}

#[tokio::test]
async fn backoff_doubles_between_attempts() {
    let server = always(ResponseTemplate::new(503), 3).await;
    let started = Instant::now();
    let err = client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    let waited = started.elapsed();
    eprintln!("503 x3 with default backoff -> {waited:?} (expected 1.125-1.5 s of waits)");
    assert_eq!(err.attempts(), Some(3));
    assert!(
        waited >= Duration::from_millis(1125) && waited < Duration::from_millis(2500),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = always(
        ResponseTemplate::new(204).set_delay(Duration::from_secs(30)),
        1,
    )
    .await;
    let client = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.chats().typing().start(CHAT).await.unwrap_err();
    let waited = started.elapsed();
    eprintln!("timeout 300 ms -> error after {waited:?}");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_millis(1000),
        "{waited:?}"
    );

    // A per-request timeout overrides the client's; a timeout is retried.
    let server = always(
        ResponseTemplate::new(204).set_delay(Duration::from_secs(30)),
        2,
    )
    .await;
    let started = Instant::now();
    let err = crate::client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .timeout(Duration::from_millis(200))
        .max_retries(1)
        .await
        .unwrap_err();
    let waited = started.elapsed();
    eprintln!("timeout 200 ms, 1 retry -> error after {waited:?}");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), Some(2));
    assert!(
        waited >= Duration::from_millis(775) && waited < Duration::from_millis(2000),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_closed_port_fails_quickly_after_the_retries() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.chats().typing().start(CHAT).await.unwrap_err();
    let waited = started.elapsed();
    eprintln!("closed port, 2 retries -> connection error after {waited:?}");
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(err.attempts(), Some(3));
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
}

#[tokio::test]
async fn dropping_the_request_stops_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let request = client(&server).chats().typing().start(CHAT);
    let outcome = tokio::time::timeout(Duration::from_millis(300), request).await;
    assert!(
        outcome.is_err(),
        "the request should still be waiting to retry"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let received = server.received_requests().await.unwrap().len();
    assert_eq!(received, 1, "a retry went on after the request was dropped");
}

/// The `Idempotency-Key` of each request the server received.
async fn keys(server: &MockServer) -> Vec<Option<String>> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_retried_post_carries_one_idempotency_key_on_every_attempt() {
    let server = always(quick(500), 3).await;
    client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    let keys = keys(&server).await;
    assert_eq!(keys.len(), 3);
    let key = keys[0].clone().expect("the first attempt has a key");
    assert!(
        keys.iter().all(|k| k.as_deref() == Some(key.as_str())),
        "{keys:?}"
    );
    // A version 4 UUID (RFC 9562, 5.4): 8-4-4-4-12 hex digits, version 4,
    // variant 10xx.
    let uuid = Uuid::parse_str(&key).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 4, "{key}");
    assert!(
        matches!(key.as_bytes()[19], b'8' | b'9' | b'a' | b'b'),
        "{key}"
    );

    // Another request, another key.
    let again = always(quick(500), 3).await;
    client(&again)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert_ne!(keys_of_first(&again).await, Some(key));
}

async fn keys_of_first(server: &MockServer) -> Option<String> {
    keys(server).await.into_iter().next().flatten()
}

#[tokio::test]
async fn a_key_the_caller_gives_is_kept_and_idempotent_methods_carry_none() {
    let server = always(quick(500), 3).await;
    client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .header("Idempotency-Key", "mine-1")
        .await
        .unwrap_err();
    assert_eq!(keys(&server).await, vec![Some("mine-1".to_owned()); 3]);

    // DELETE is idempotent (RFC 9110, 9.2.2): no key.
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(quick(500))
        .expect(3)
        .mount(&server)
        .await;
    client(&server)
        .chats()
        .typing()
        .stop(CHAT)
        .await
        .unwrap_err();
    assert_eq!(keys(&server).await, vec![None; 3]);

    // Without retries, or turned off, there is nothing to tell apart.
    let server = always(quick(500), 1).await;
    client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .max_retries(0)
        .await
        .unwrap_err();
    assert_eq!(keys(&server).await, vec![None]);
    let server = always(quick(500), 3).await;
    let off = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .idempotency_keys(false)
        .build()
        .unwrap();
    off.chats().typing().start(CHAT).await.unwrap_err();
    assert_eq!(keys(&server).await, vec![None; 3]);
}

/// A client whose attempts time out after 200 ms, with or without keys.
fn impatient(server: &MockServer, idempotency_keys: bool) -> Client {
    Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .idempotency_keys(idempotency_keys)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_post_that_timed_out_without_a_key_is_not_sent_again() {
    // It reached the server, which may have done it: with no key to tell a
    // retry from a new request, sending it again could do it twice.
    let silent = || ResponseTemplate::new(204).set_delay(Duration::from_secs(30));
    let server = always(silent(), 1).await;
    let err = impatient(&server, false)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert_eq!(keys(&server).await, vec![None]);

    // The same POST with its key is tried three times.
    let server = always(silent(), 3).await;
    let err = impatient(&server, true)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(3), "{err:?}");

    // So is a DELETE without one: it is idempotent.
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(silent())
        .expect(3)
        .mount(&server)
        .await;
    let err = impatient(&server, false)
        .chats()
        .typing()
        .stop(CHAT)
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), Some(3), "{err:?}");
}
