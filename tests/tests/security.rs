//! Security requirements per operation, on the wire: the client of
//! `tests/fixtures/security` against a real HTTP server on 127.0.0.1.
//!
//! The rules are OpenAPI 3.0.3's (4.7.30, Security Requirement Object): an
//! operation's `security` replaces the document's; it lists alternatives, any
//! one of which suffices, each naming schemes that are all sent; `security: []`
//! and an empty alternative `{}` let a request go without a credential. The
//! bytes are the schemes' own: RFC 6750's `Authorization: Bearer <token>`,
//! RFC 7617's `Authorization: Basic base64(user:password)`, and an API key in
//! the header, query parameter or cookie its scheme names.

use fixture_security::{Client, ClientBuilder, Error};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).max_retries(0)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().unwrap())
}

#[tokio::test]
async fn a_client_needs_no_credential_when_some_operation_needs_none() {
    let server = server().await;
    let client = builder(&server).build().expect("no credential is required");
    client.public().retrieve().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(header(&sent[0], "authorization"), None);
}

#[tokio::test]
async fn security_none_sends_no_credential_even_when_one_is_set() {
    let server = server().await;
    let client = builder(&server).api_key("token").build().unwrap();
    client.public().retrieve().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "authorization"), None);
    assert_eq!(sent[0].url.query(), None);
}

#[tokio::test]
async fn an_operation_without_security_of_its_own_sends_the_documents() {
    let server = server().await;
    let client = builder(&server).api_key("token").build().unwrap();
    client.default().retrieve().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "authorization"), Some("Bearer token"));
}

#[tokio::test]
async fn a_missing_credential_is_an_error_before_anything_is_sent() {
    let server = server().await;
    let client = builder(&server).build().unwrap();
    let err = client.default().retrieve().await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("GET /default"), "{message}");
    assert!(message.contains("ClientBuilder::api_key"), "{message}");
    assert!(message.contains("FIXTURE_SECURITY_API_KEY"), "{message}");
    assert!(
        requests(&server).await.is_empty(),
        "nothing reached the server"
    );

    // Alternatives: the error names each way to satisfy the operation.
    let err = client.either().retrieve().await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("ClientBuilder::query_key"), "{message}");
    assert!(message.contains("ClientBuilder::basic"), "{message}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_first_alternative_whose_credentials_are_all_set_is_sent() {
    let server = server().await;
    // Only the second alternative is set: basic, `user:pass` in base64 (RFC 7617).
    let client = builder(&server).basic("user:pass").build().unwrap();
    client.either().retrieve().await.unwrap();
    // Both set: the first alternative, the query key, and only it.
    let client = builder(&server)
        .basic("user:pass")
        .query_key("k&y")
        .build()
        .unwrap();
    client.either().retrieve().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(
        header(&sent[0], "authorization"),
        Some("Basic dXNlcjpwYXNz")
    );
    assert_eq!(sent[0].url.query(), None);
    assert_eq!(header(&sent[1], "authorization"), None);
    // `&` is reserved in a query: percent-encoded (RFC 3986, 2.2).
    assert_eq!(sent[1].url.query(), Some("api_key=k%26y"));
}

#[tokio::test]
async fn an_alternative_of_two_schemes_sends_both_and_one_cookie_header() {
    let server = server().await;
    let client = builder(&server)
        .header_key("hk")
        .session("s1")
        .build()
        .unwrap();
    client.both().retrieve("dark").await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "x-key"), Some("hk"));
    // RFC 6265 (5.4): a user agent sends one Cookie header.
    let cookies: Vec<&str> = sent[0]
        .headers
        .get_all("cookie")
        .iter()
        .map(|value| value.to_str().unwrap())
        .collect();
    assert_eq!(cookies, ["SESSION=s1; theme=dark"]);

    // Half an alternative is not enough.
    let client = builder(&server).header_key("hk").build().unwrap();
    let err = client.both().retrieve("dark").await.unwrap_err();
    let message = err.to_string();
    assert!(message.contains("ClientBuilder::session"), "{message}");
    assert!(!message.contains("ClientBuilder::header_key"), "{message}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_empty_alternative_makes_the_credential_optional() {
    let server = server().await;
    builder(&server)
        .build()
        .unwrap()
        .optional()
        .retrieve()
        .await
        .unwrap();
    let with = builder(&server).api_key("token").build().unwrap();
    with.optional().retrieve().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "authorization"), None);
    assert_eq!(header(&sent[1], "authorization"), Some("Bearer token"));
}

#[tokio::test]
async fn an_alternative_the_client_cannot_send_is_passed_over() {
    let server = server().await;
    let client = builder(&server).api_key("token").build().unwrap();
    client.digest().retrieve().await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "authorization"), Some("Bearer token"));
}

#[tokio::test]
async fn credentials_are_read_from_their_own_environment_variables() {
    // Only this test reads this variable.
    // SAFETY: no other thread of this test binary reads or writes it.
    unsafe { std::env::set_var("FIXTURE_SECURITY_HEADER_KEY", "from-env") };
    let server = server().await;
    let client = builder(&server).session("s1").build().unwrap();
    unsafe { std::env::remove_var("FIXTURE_SECURITY_HEADER_KEY") };
    assert_eq!(
        fixture_security::HEADER_KEY_ENV,
        "FIXTURE_SECURITY_HEADER_KEY"
    );
    client.both().retrieve("dark").await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "x-key"), Some("from-env"));
}

#[test]
fn no_credential_shows_in_debug_output() {
    let builder = Client::builder()
        .api_key("secret-a")
        .query_key("secret-b")
        .basic("secret-c")
        .header_key("secret-d")
        .session("secret-e");
    let client = builder.clone().build().unwrap();
    for text in [format!("{builder:?}"), format!("{client:?}")] {
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("session"), "{text}");
    }
}
