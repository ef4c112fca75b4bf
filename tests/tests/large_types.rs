//! Large and recursive types, by the client of `tests/fixtures/recursive`
//! against a real HTTP server on 127.0.0.1. Held inline, the fixture's
//! `Catalog` (five levels of twelve properties) would take some 8 MB: more
//! than the 2 MB stack of a test thread or a tokio worker, so decoding it
//! would overflow the stack, an abort no `Result` reports. Its large parts
//! are boxed, and it decodes like any other type.

use fixture_recursive::{Catalog, Client, Node};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_answering(route: &str, body: serde_json::Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

#[test]
fn a_type_of_many_large_parts_stays_small() {
    // Twelve shelves of twelve strings are 4.6 KB; four levels of them 660 KB.
    assert!(
        std::mem::size_of::<Catalog>() < 4096,
        "Catalog takes {} bytes inline",
        std::mem::size_of::<Catalog>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_deep_response_of_large_types_decodes_on_a_worker_thread() {
    let body = serde_json::json!({
        "f0": {"a3": {"s7": {"i0": "tea", "i11": "cake"}}},
        "f11": {},
    });
    let (_server, client) = client_answering("/catalog", body).await;
    // On a worker thread (2 MB of stack), as an application's calls run.
    let catalog = tokio::spawn(async move { client.catalog().retrieve().send().await })
        .await
        .unwrap()
        .unwrap();
    let shelf = catalog.f0.as_ref().and_then(|f| f.a3.as_ref());
    let shelf = shelf
        .and_then(|a| a.s7.as_ref())
        .expect("the nested shelf decodes");
    assert_eq!(shelf.i0.as_deref(), Some("tea"));
    assert_eq!(shelf.i11.as_deref(), Some("cake"));
    assert!(catalog.f11.is_some_and(|floor| floor.a0.is_none()));
}

#[tokio::test]
async fn a_recursive_type_decodes_through_its_boxes() {
    let body = serde_json::json!({
        "value": "root",
        "children": [{"value": "leaf", "children": []}],
        "parent": {"value": "up", "children": []},
    });
    let (_server, client) = client_answering("/tree", body).await;
    let tree: Node = client.tree().retrieve().send().await.unwrap();
    assert_eq!(tree.children[0].value, "leaf");
    assert_eq!(tree.parent.map(|p| p.value).as_deref(), Some("up"));
}
