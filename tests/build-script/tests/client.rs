//! The module the build script generated, called on a loopback server: the
//! overlay's method name is there, and the request goes out as the spec says.

use build_script_example::linq::{Client, Uuid};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_generated_module_starts_typing_under_the_overlays_name() {
    let server = MockServer::start().await;
    let chat = Uuid::from_u128(0x5a1e_0000_0000_4000_8000_0000_0000_0001);
    Mock::given(method("POST"))
        .and(path(format!("/v3/chats/{chat}/typing")))
        .and(header("authorization", "Bearer k"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .build()
        .unwrap();
    client.chats().typing().begin(chat).await.unwrap();

    // An error status is the module's typed error.
    let missing = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({
            "error": {"status": 404, "code": 4040, "message": "Chat not found"},
            "success": false
        })))
        .mount(&missing)
        .await;
    let client = Client::builder()
        .api_key("k")
        .base_url(missing.uri())
        .build()
        .unwrap();
    let error = client.chats().typing().stop(chat).await.unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.message(), Some("Chat not found"));
}
