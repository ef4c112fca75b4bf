//! Streams of pages, one pattern each (fixture `tests/fixtures/pagination`),
//! against a real HTTP server on 127.0.0.1. Each walks three pages and stops
//! where its vendor says the list ends: Linq's `next_cursor: null`, Stripe's
//! `has_more: false`, dropshot's `next_page: null`, GitHub's `Link` without
//! `rel="next"` (RFC 8288), an empty page.

use fixture_pagination::Client;
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

async fn page(
    server: &MockServer,
    at: &str,
    cursor: (&str, Option<&str>),
    body: serde_json::Value,
) {
    let (name, value) = cursor;
    let mock = Mock::given(method("GET")).and(path(at));
    let mock = match value {
        Some(value) => mock.and(query_param(name, value)),
        None => mock.and(query_param_is_missing(name)),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn a_cursor_in_the_page_leads_to_the_next_until_it_is_null() {
    let server = MockServer::start().await;
    let at = "/v3/chats";
    page(
        &server,
        at,
        ("cursor", None),
        json!({"chats": [{"id": "a"}, {"id": "b"}], "next_cursor": "c2"}),
    )
    .await;
    page(
        &server,
        at,
        ("cursor", Some("c2")),
        json!({"chats": [{"id": "c"}], "next_cursor": "c3"}),
    )
    .await;
    page(
        &server,
        at,
        ("cursor", Some("c3")),
        json!({"chats": [{"id": "d"}], "next_cursor": null}),
    )
    .await;
    let ids: Vec<String> = client(&server)
        .chats()
        .list()
        .limit(2)
        .header("x-trace", "t-1")
        .items()
        .map(|chat| chat.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d"]);
    // Every page keeps the request's parameters and options.
    for request in requests(&server).await {
        assert!(
            request.url.query().unwrap().contains("limit=2"),
            "{}",
            request.url
        );
        assert_eq!(request.headers["x-trace"], "t-1");
    }
}

#[tokio::test]
async fn stripe_pages_follow_the_last_id_while_has_more() {
    let server = MockServer::start().await;
    let at = "/v1/customers";
    let customers = |ids: &[&str]| ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>();
    page(
        &server,
        at,
        ("starting_after", None),
        json!({"object": "list", "data": customers(&["cus_1", "cus_2"]), "has_more": true}),
    )
    .await;
    page(
        &server,
        at,
        ("starting_after", Some("cus_2")),
        json!({"object": "list", "data": customers(&["cus_3"]), "has_more": true}),
    )
    .await;
    page(
        &server,
        at,
        ("starting_after", Some("cus_3")),
        json!({"object": "list", "data": customers(&["cus_4"]), "has_more": false}),
    )
    .await;
    let pages: Vec<usize> = client(&server)
        .customers()
        .list()
        .pages()
        .map(|page| page.unwrap().data.len())
        .collect()
        .await;
    assert_eq!(pages, [2, 1, 1]);
}

#[tokio::test]
async fn a_cursor_page_with_has_more_false_is_the_last() {
    // OpenAI: `last_id` is there on the last page too; `has_more` says it is the last.
    let server = MockServer::start().await;
    let at = "/v1/files";
    let files = |ids: &[&str]| ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>();
    page(
        &server,
        at,
        ("after", None),
        json!({"data": files(&["f1", "f2"]), "last_id": "f2", "has_more": true}),
    )
    .await;
    page(
        &server,
        at,
        ("after", Some("f2")),
        json!({"data": files(&["f3"]), "last_id": "f3", "has_more": true}),
    )
    .await;
    page(
        &server,
        at,
        ("after", Some("f3")),
        json!({"data": files(&["f4"]), "last_id": "f4", "has_more": false}),
    )
    .await;
    let ids: Vec<String> = client(&server)
        .files()
        .list()
        .items()
        .map(|file| file.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["f1", "f2", "f3", "f4"]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn dropshot_pages_follow_next_page_until_it_is_null() {
    let server = MockServer::start().await;
    let at = "/instances";
    let instances = |names: &[&str]| names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>();
    page(
        &server,
        at,
        ("page_token", None),
        json!({"items": instances(&["i1", "i2"]), "next_page": "t2"}),
    )
    .await;
    page(
        &server,
        at,
        ("page_token", Some("t2")),
        json!({"items": instances(&["i3"]), "next_page": "t3"}),
    )
    .await;
    page(
        &server,
        at,
        ("page_token", Some("t3")),
        json!({"items": instances(&["i4"]), "next_page": null}),
    )
    .await;
    let names: Vec<String> = client(&server)
        .instances()
        .list()
        .items()
        .map(|instance| instance.unwrap().name)
        .collect()
        .await;
    assert_eq!(names, ["i1", "i2", "i3", "i4"]);
}

#[tokio::test]
async fn github_pages_follow_the_link_header_rel_next() {
    let server = MockServer::start().await;
    let at = "/repos/o/r/issues";
    let link = |rels: &[(u32, &str)]| {
        let links: Vec<String> = rels
            .iter()
            .map(|(page, rel)| {
                format!("<https://api.github.com/repositories/1/issues?per_page=2&page={page}>; rel=\"{rel}\"")
            })
            .collect();
        links.join(", ")
    };
    let pages = [
        (
            None,
            json!([{"number": 1}, {"number": 2}]),
            link(&[(2, "next"), (3, "last")]),
        ),
        (
            Some("2"),
            json!([{"number": 3}]),
            link(&[(1, "prev"), (3, "next"), (3, "last")]),
        ),
        (
            Some("3"),
            json!([{"number": 4}]),
            link(&[(2, "prev"), (1, "first")]),
        ),
    ];
    for (number, body, link) in pages {
        let mock = Mock::given(path(at));
        let mock = match number {
            Some(number) => mock.and(query_param("page", number)),
            None => mock.and(query_param_is_missing("page")),
        };
        mock.respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .insert_header("link", link.as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    }
    let numbers: Vec<i64> = client(&server)
        .issues()
        .list("o", "r")
        .per_page(2)
        .items()
        .map(|issue| issue.unwrap().number)
        .collect()
        .await;
    assert_eq!(numbers, [1, 2, 3, 4]);
}

#[tokio::test]
async fn one_page_gives_its_link_request_id_and_rate_limit_headers_beside_its_items() {
    let server = MockServer::start().await;
    let link = "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\"";
    Mock::given(path("/repos/o/r/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"number": 1}]))
                .insert_header("link", link)
                .insert_header("x-github-request-id", "CAFE:1234")
                .insert_header("x-ratelimit-remaining", "4999"),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .issues()
        .list("o", "r")
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["link"], link);
    assert_eq!(headers["x-github-request-id"], "CAFE:1234");
    assert_eq!(headers["x-ratelimit-remaining"], "4999");
    // The value derefs, and is had whole.
    assert_eq!(response.len(), 1);
    assert_eq!(response.into_inner()[0].number, 1);
}

#[tokio::test]
async fn page_numbers_count_up_until_a_page_is_empty() {
    let server = MockServer::start().await;
    let at = "/numbers";
    page(&server, at, ("page", None), json!({"numbers": [1, 2]})).await;
    page(&server, at, ("page", Some("2")), json!({"numbers": [3]})).await;
    page(&server, at, ("page", Some("3")), json!({"numbers": []})).await;
    let numbers: Vec<i64> = client(&server)
        .numbers()
        .list()
        .items()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(numbers, [1, 2, 3]);
}

#[tokio::test]
async fn no_page_is_fetched_before_it_is_polled() {
    let server = MockServer::start().await;
    page(
        &server,
        "/v3/chats",
        ("cursor", None),
        json!({"chats": [{"id": "a"}], "next_cursor": "c2"}),
    )
    .await;
    let client = client(&server);
    let stream = client.chats().list().pages();
    tokio::task::yield_now().await;
    assert!(
        requests(&server).await.is_empty(),
        "made, not polled: nothing sent"
    );
    drop(stream);
    // One item taken: the second page is never asked for.
    let first: Vec<_> = client.chats().list().items().take(1).collect().await;
    assert_eq!(first.len(), 1);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_pages_before_it() {
    let server = MockServer::start().await;
    let at = "/v3/chats";
    page(
        &server,
        at,
        ("cursor", None),
        json!({"chats": [{"id": "a"}], "next_cursor": "c2"}),
    )
    .await;
    Mock::given(path(at))
        .and(query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server).chats().list().items().collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id, "a");
    assert!(items[1].as_ref().unwrap_err().is_server_error());
}
