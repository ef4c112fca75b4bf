//! Error bodies typed by status (fixture `tests/fixtures/errors`), against a
//! real HTTP server on 127.0.0.1: each documented status's body is read back
//! as the type the spec gives it, a code before a range (`4XX`) before
//! `default` (OpenAPI 3.0.3, 4.7.16: "the most specific key"), and a body that
//! is not of its type leaves only the raw bytes.

use fixture_errors::Client;
use fixture_errors::types::{ErrorBody, Order};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

async fn answering(status: u16, body: serde_json::Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders/o1"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let client = client(&server);
    (server, client)
}

#[tokio::test]
async fn a_code_of_its_own_decodes_into_its_schema() {
    let (_server, client) = answering(404, json!({"resource": "order", "id": "o1"})).await;
    let error = client.orders().retrieve("o1").await.unwrap_err();
    match error.error_body() {
        Some(ErrorBody::NotFound(found)) => {
            assert_eq!(
                (found.resource.as_str(), found.id.as_str()),
                ("order", "o1")
            )
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_inline_schema_gets_a_type_and_a_variant() {
    let (_server, client) = answering(409, json!({"reason": "locked", "locked_by": "ann"})).await;
    let error = client.orders().retrieve("o1").await.unwrap_err();
    match error.error_body() {
        Some(ErrorBody::GetOrderError409(locked)) => {
            assert_eq!(locked.reason, "locked");
            assert_eq!(locked.locked_by.as_deref(), Some("ann"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_range_covers_the_codes_without_their_own_and_default_the_rest() {
    let (_server, client) = answering(
        418,
        json!({"title": "I'm a teapot", "status": 418, "detail": "short and stout"}),
    )
    .await;
    let error = client.orders().retrieve("o1").await.unwrap_err();
    assert!(
        matches!(error.error_body(), Some(ErrorBody::Problem(p)) if p.status == 418 && p.title == "I'm a teapot"),
        "{error:?}"
    );

    let (_server, client) = answering(503, json!({"trace_id": "t-9"})).await;
    let error = client.orders().retrieve("o1").await.unwrap_err();
    assert!(
        matches!(error.error_body(), Some(ErrorBody::ServerError(e)) if e.trace_id == "t-9"),
        "{error:?}"
    );
}

#[tokio::test]
async fn each_operation_reads_its_own_statuses() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(
            ResponseTemplate::new(422).set_body_json(
                json!({"errors": [{"field": "total", "message": "must be positive"}]}),
            ),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let order = Order {
        id: "o2".into(),
        total: Some(-1),
    };
    let error = client.orders().create(&order).await.unwrap_err();
    match error.error_body() {
        Some(ErrorBody::ValidationErrors(invalid)) => {
            assert_eq!(invalid.errors[0].field, "total");
            assert_eq!(invalid.errors[0].message, "must be positive");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_not_of_its_type_is_left_raw() {
    let (_server, client) = answering(404, json!({"unexpected": true})).await;
    let error = client.orders().retrieve("o1").await.unwrap_err();
    assert!(error.error_body().is_none(), "{error:?}");
    assert!(error.is_not_found());
    assert_eq!(error.body().unwrap().as_ref(), br#"{"unexpected":true}"#);
}

#[tokio::test]
async fn a_status_documented_without_a_type_is_not_claimed_by_its_range() {
    // 410 is documented with no body: a problem document in its body is not
    // read as the `4XX` range's `Problem`.
    let (_server, client) = answering(410, json!({"title": "Gone", "status": 410})).await;
    let error = client.orders().retrieve("o1").await.unwrap_err();
    assert_eq!(error.status(), Some(410));
    assert!(error.error_body().is_none(), "{error:?}");
}
