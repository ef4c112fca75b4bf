//! The generated client against a real HTTP server on 127.0.0.1: what it sends,
//! and what it makes of every answer the API documents (and some it does not).

use std::time::Duration;

use linq_api_v3::{Client, Error, ErrorCode, Uuid};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "test-key-7f3a";
const CHAT: Uuid = Uuid::from_u128(0x550e8400_e29b_41d4_a716_446655440000);
const TYPING: &str = "/v3/chats/550e8400-e29b-41d4-a716-446655440000/typing";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .expect("the client builds")
}

fn seed_error(status: u16, code: i64, message: &str) -> serde_json::Value {
    json!({"error": {"status": status, "code": code, "message": message}, "success": false})
}

#[tokio::test]
async fn start_posts_to_the_typing_path_with_key_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TYPING))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("user-agent", concat!("linq-api-v3/", "3.0.0")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .expect("204 is Ok(())");
}

#[tokio::test]
async fn stop_deletes_the_typing_path() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(TYPING))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .chats()
        .typing()
        .stop(CHAT)
        .await
        .expect("204 is Ok(())");
}

#[tokio::test]
async fn a_base_url_with_a_trailing_slash_works_the_same() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TYPING))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/", server.uri()))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.uri());
    client.chats().typing().start(CHAT).await.unwrap();
}

#[tokio::test]
async fn a_base_url_path_is_a_prefix_of_every_request_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/prefix/api{TYPING}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    for base_url in [
        format!("{}/prefix/api", server.uri()),
        format!("{}/prefix/api/", server.uri()),
    ] {
        let client = Client::builder()
            .api_key(KEY)
            .base_url(&base_url)
            .max_retries(0)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), format!("{}/prefix/api", server.uri()));
        client.chats().typing().start(CHAT).await.unwrap();
    }
}

#[test]
fn a_base_url_with_a_query_or_a_fragment_is_refused() {
    for base_url in [
        "http://127.0.0.1:1/?region=eu",
        "http://127.0.0.1:1/api?",
        "http://127.0.0.1:1/api#top",
    ] {
        let err = Client::builder()
            .api_key(KEY)
            .base_url(base_url)
            .build()
            .unwrap_err();
        let Error::Config { message } = &err else {
            panic!("{base_url}: {err:?}");
        };
        assert!(
            message.contains(base_url) && message.contains("query or a fragment"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn every_documented_error_status_becomes_an_api_error() {
    let cases = [
        (
            400,
            1002,
            "Phone number must be in E.164 format",
            ErrorCode::InvalidPhoneFormat,
        ),
        (
            401,
            2004,
            "Unauthorized - missing or invalid authentication token",
            ErrorCode::Unauthorized,
        ),
        (
            403,
            2005,
            "Access denied - insufficient permissions for this resource",
            ErrorCode::AccessDenied,
        ),
        (404, 2001, "Resource not found", ErrorCode::ChatNotFound),
        (
            429,
            1007,
            "Rate limit exceeded",
            ErrorCode::RateLimitExceeded,
        ),
        (500, 3006, "Internal server error", ErrorCode::InternalError),
    ];
    for (status, code, message, error_code) in cases {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .and(path(TYPING))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(seed_error(status, code, message))
                    .insert_header("x-trace", "t-1"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let err = client(&server)
            .chats()
            .typing()
            .stop(CHAT)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(status), "{err}");
        assert_eq!(err.code(), Some(code), "{err}");
        assert_eq!(err.message(), Some(message), "{err}");
        assert_eq!(err.error_code(), Some(error_code), "{err}");
        assert_eq!(err.attempts(), Some(1));
        assert_eq!(err.headers().and_then(|h| h.get("x-trace")).unwrap(), "t-1");
        // Exactly one status predicate holds, the one of its status (RFC 9110, 15).
        let predicates = [
            (400, err.is_bad_request()),
            (401, err.is_unauthorized()),
            (403, err.is_forbidden()),
            (404, err.is_not_found()),
            (409, err.is_conflict()),
            (422, err.is_unprocessable()),
            (429, err.is_rate_limited()),
            (500, err.is_server_error()),
        ];
        for (of, holds) in predicates {
            assert_eq!(holds, of == status, "{status}: the predicate of {of}");
        }
        let Error::Api(api) = &err else {
            panic!("{status}: not an API error: {err:?}")
        };
        let envelope = api.envelope().expect("the body is the error envelope");
        // The spec gives every one of these statuses the `ErrorResponse` schema.
        assert_eq!(
            err.error_body(),
            Some(&linq_api_v3::ErrorBody::ErrorResponse(envelope.clone())),
            "{status}"
        );
        assert!(!envelope.success);
        assert_eq!(envelope.error.status, i64::from(status));
        assert_eq!(
            err.to_string(),
            format!("the API answered {} (code {code}): {message}", api.status())
        );
    }
}

#[tokio::test]
async fn an_unknown_error_code_is_kept() {
    let server = MockServer::start().await;
    let body = json!({"error": {"status": 422, "code": 9999, "message": "new"}, "success": false, "trace_id": "abc"});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(body))
        .mount(&server)
        .await;
    let err = client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::Unknown(9999)));
    assert_eq!(err.code(), Some(9999));
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.envelope().unwrap().trace_id.as_deref(), Some("abc"));
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_raw() {
    let server = MockServer::start().await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let err = client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.code(), None);
    assert_eq!(err.message(), None);
    assert_eq!(err.body().unwrap().as_ref(), html.as_bytes());
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(api.envelope().is_none());
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn an_empty_error_body_is_an_error_without_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let err = client(&server)
        .chats()
        .typing()
        .stop(CHAT)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.body().unwrap().is_empty());
    assert!(err.to_string().ends_with("with an empty body"), "{err}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_connection_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.chats().typing().start(CHAT).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(err.status(), None);
    assert_eq!(err.attempts(), Some(1));
}

#[tokio::test]
async fn per_request_headers_are_sent_and_invalid_ones_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-request-id", "42"))
        .and(header("x-team", "core"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .default_header("x-team", "core")
        .build()
        .unwrap();
    client
        .chats()
        .typing()
        .start(CHAT)
        .header("x-request-id", "42")
        .await
        .unwrap();

    let err = client
        .chats()
        .typing()
        .start(CHAT)
        .header("bad header", "1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn per_request_query_parameters_are_percent_encoded_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TYPING))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .extra_query("beta", "true")
        .extra_query("q", "a&b c/é")
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    // RFC 3986: `&` and the space are not unreserved, so both are
    // percent-encoded (a space as %20, not `+`), and so are `/` and the
    // UTF-8 bytes of `é`.
    assert_eq!(
        received[0].url.query(),
        Some("beta=true&q=a%26b%20c%2F%C3%A9")
    );
}

#[tokio::test]
async fn a_success_status_the_client_cannot_use_is_unexpected() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    let err = client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    assert_eq!(err.status(), Some(304));
}

#[test]
fn the_key_never_shows_in_debug_or_display() {
    let builder = Client::builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:1");
    assert!(!format!("{builder:?}").contains(KEY));
    let client = builder.build().unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(
        !shown.contains(KEY) && shown.contains("redacted"),
        "{shown}"
    );

    let errors = [
        Client::builder()
            .base_url("not a url")
            .api_key(KEY)
            .build()
            .unwrap_err(),
        Client::builder()
            .api_key(KEY)
            .base_url("ftp://example.com")
            .build()
            .unwrap_err(),
        Client::builder()
            .api_key(KEY)
            .default_header("x", "\n")
            .build()
            .unwrap_err(),
    ];
    for err in errors {
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(!format!("{err} {err:?}").contains(KEY));
    }
}

#[tokio::test]
async fn the_key_never_shows_in_errors_from_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_json(seed_error(
            500,
            3006,
            "Internal server error",
        )))
        .mount(&server)
        .await;
    let err = client(&server)
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(KEY));

    let slow = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204).set_delay(Duration::from_secs(2)))
        .mount(&slow)
        .await;
    let err = Client::builder()
        .api_key(KEY)
        .base_url(slow.uri())
        .max_retries(0)
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap()
        .chats()
        .typing()
        .start(CHAT)
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn with_response_gives_the_status_and_headers_beside_the_value() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TYPING))
        .respond_with(ResponseTemplate::new(204).insert_header("x-request-id", "req-9"))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let response = client
        .chats()
        .typing()
        .start(CHAT)
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(response.headers()["x-request-id"], "req-9");
    let () = *response;
    let () = response.into_inner();
    // Plain `.await` gives the value alone.
    let () = client.chats().typing().start(CHAT).await.unwrap();
}
