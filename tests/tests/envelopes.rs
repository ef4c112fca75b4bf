//! Error envelopes found without any extension, against a real HTTP server
//! on 127.0.0.1: every error response a fixture's spec documents is served
//! with the spec's own example body, and `code()` and `message()` must give
//! that body's code and message. The examples are read from the spec here,
//! and where each body keeps its code and message is written down by hand
//! from the vendors' schemas, so neither comes from the generator.
//!
//! The vendor's own Linq spec (`../shared/corpus/linq-partner-3.1.yaml`) is
//! checked the same way by the conformance runner, whose driver reports
//! `code()` and `message()` for every error status Prism serves from the
//! spec's examples (README.md, "Conformance runner").

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A fixture's spec, as JSON.
fn spec(fixture: &str) -> Value {
    let path = format!(
        "{}/fixtures/{fixture}/spec.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    serde_yaml::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// Every error response with an example the spec documents for the
/// operation at `path` and `verb`, as a status to serve it with and the
/// body: a code as itself, a range (`4XX`) as its first code after 400 and
/// 500 (those have keys of their own elsewhere), `default` as 500.
fn error_examples(spec: &Value, path: &str, verb: &str) -> Vec<(u16, Value)> {
    let responses = &spec["paths"][path][verb]["responses"];
    let responses = responses.as_object().expect("the operation's responses");
    let mut found = Vec::new();
    for (key, response) in responses {
        let status = match key.as_str() {
            "default" => 500,
            range if range.ends_with("XX") => match &range[..1] {
                "4" => 404,
                _ => 503,
            },
            code => code.parse().unwrap(),
        };
        if status < 400 {
            continue;
        }
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let name = reference.rsplit('/').next().unwrap();
                &spec["components"]["responses"][name]
            }
            None => response,
        };
        let example = &response["content"]["application/json"]["example"];
        assert!(!example.is_null(), "{verb} {path} {key} has no example");
        found.push((status, example.clone()));
    }
    assert!(
        !found.is_empty(),
        "{verb} {path} documents no error example"
    );
    found
}

/// A server answering every request with `status` and `body`.
async fn answering(status: u16, body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The body's value at `pointer`, as `code()` would give it.
fn text_at<'a>(body: &'a Value, pointer: &str) -> Option<&'a str> {
    body.pointer(pointer).and_then(Value::as_str)
}

mod stripe {
    use super::*;
    use fixture_stripe_shaped::{Client, types::PostChargesBody};

    fn client(server: &MockServer, retries: u32) -> Client {
        Client::builder()
            .base_url(server.uri())
            .max_retries(retries)
            .build()
            .unwrap()
    }

    fn body() -> PostChargesBody {
        PostChargesBody {
            amount: 2000,
            currency: Some("usd".into()),
        }
    }

    #[tokio::test]
    async fn every_documented_error_gives_the_bodys_string_code_and_message() {
        let spec = spec("stripe-shaped");
        let mut checked = 0;
        for (verb, path) in [("post", "/v1/charges"), ("get", "/v1/charges/{charge}")] {
            for (status, example) in error_examples(&spec, path, verb) {
                let server = answering(status, &example).await;
                let client = client(&server, 0);
                let error = match verb {
                    "post" => client.charges().create(&body()).await.unwrap_err(),
                    _ => client.charges().retrieve("ch_1").await.unwrap_err(),
                };
                // Stripe nests the error: `{"error": {"code", "message"}}`.
                assert_eq!(error.status(), Some(status));
                assert_eq!(error.code(), text_at(&example, "/error/code"), "{example}");
                assert_eq!(
                    error.message(),
                    text_at(&example, "/error/message"),
                    "{example}"
                );
                checked += 1;
            }
        }
        // 402 and default of the POST, 404 and default of the GET; one
        // example has no code, and `code()` must say so.
        assert_eq!(checked, 4);
    }

    /// The `Idempotency-Key` of each request the server received.
    async fn keys(server: &MockServer) -> Vec<Vec<String>> {
        let requests: Vec<Request> = server.received_requests().await.unwrap();
        requests
            .iter()
            .map(|r| {
                r.headers
                    .get_all("idempotency-key")
                    .iter()
                    .map(|v| v.to_str().unwrap().to_owned())
                    .collect()
            })
            .collect()
    }

    async fn failing_three_times() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(500)
                    .insert_header("Retry-After", "0")
                    .set_delay(Duration::from_millis(1)),
            )
            .expect(3)
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn a_retried_post_sends_one_generated_key_on_every_attempt() {
        let server = failing_three_times().await;
        client(&server, 2)
            .charges()
            .create(&body())
            .await
            .unwrap_err();
        let keys = keys(&server).await;
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0].len(), 1, "one key an attempt: {keys:?}");
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
    }

    #[tokio::test]
    async fn the_callers_key_in_the_specs_parameter_wins_on_every_attempt() {
        let server = failing_three_times().await;
        client(&server, 2)
            .charges()
            .create(&body())
            .idempotency_key("order-6735")
            .await
            .unwrap_err();
        assert_eq!(keys(&server).await, vec![vec!["order-6735".to_owned()]; 3]);
    }

    /// Stripe's expandable fields: the same property is an id, or the object
    /// it names once expanded. Each example the spec gives for the charge
    /// (read from the spec here) is served, and the client decodes the form
    /// it came in.
    #[tokio::test]
    async fn an_expandable_field_decodes_as_the_id_or_the_expanded_object() {
        use fixture_stripe_shaped::types::ChargeCustomer;
        let spec = spec("stripe-shaped");
        let examples = spec["paths"]["/v1/charges/{charge}"]["get"]["responses"]["200"]["content"]
            ["application/json"]["examples"]
            .as_object()
            .expect("the charge's examples");
        let mut seen = Vec::new();
        for (name, example) in examples {
            let value = &example["value"];
            let server = answering(200, value).await;
            let charge = client(&server, 0).charges().retrieve("ch_1").await.unwrap();
            let customer = &value["customer"];
            match charge.customer {
                Some(Some(ChargeCustomer::String(id))) => assert_eq!(customer, &json!(id)),
                Some(Some(ChargeCustomer::Customer(expanded))) => {
                    assert_eq!(customer["id"], json!(expanded.id));
                    assert!(customer.is_object());
                }
                Some(Some(other)) => panic!("{name}: decoded as {other:?}"),
                Some(None) => assert!(customer.is_null(), "{name}"),
                None => panic!("{name}: the customer was lost"),
            }
            seen.push(name.as_str());
        }
        assert_eq!(seen, ["id", "expanded", "deleted", "none"]);
    }
}

mod spotify {
    use super::*;
    use fixture_spotify_shaped::Client;

    /// Most responses wrap the error (`{"error": {...}}`), so the envelope is
    /// read from inside `error`; the 400 of `PUT /me/library` is the error
    /// object bare, and its message is read at the top.
    #[tokio::test]
    async fn the_message_is_read_wrapped_or_bare_as_each_status_has_it() {
        let spec = spec("spotify-shaped");
        let mut checked = 0;
        for (verb, path) in [("get", "/me/albums"), ("put", "/me/library")] {
            for (status, example) in error_examples(&spec, path, verb) {
                let server = answering(status, &example).await;
                let client = Client::builder()
                    .base_url(server.uri())
                    .max_retries(0)
                    .build()
                    .unwrap();
                let library = client.library();
                let error = match verb {
                    "get" => library.get_users_saved_albums().await.unwrap_err(),
                    _ => library.save_items("spotify:album:1").await.unwrap_err(),
                };
                let message = text_at(&example, "/error/message").or(text_at(&example, "/message"));
                assert!(message.is_some(), "{example}");
                assert_eq!(error.status(), Some(status));
                assert_eq!(
                    error.message(),
                    message,
                    "{verb} {path} {status}: {example}"
                );
                checked += 1;
            }
        }
        // 401 and 404 of the GET, 400 (bare) and 401 of the PUT.
        assert_eq!(checked, 4);
    }
}

mod nexus {
    use super::*;
    use fixture_nexus_shaped::Client;

    #[tokio::test]
    async fn every_documented_error_gives_the_bodys_error_code_and_message() {
        let spec = spec("nexus-shaped");
        let mut checked = 0;
        for verb in ["get", "delete"] {
            for (status, example) in error_examples(&spec, "/v1/instances/{instance}", verb) {
                let server = answering(status, &example).await;
                let client = Client::builder()
                    .base_url(server.uri())
                    .max_retries(0)
                    .build()
                    .unwrap();
                let instances = client.instances();
                let error = match verb {
                    "get" => instances.view("db1").await.unwrap_err(),
                    _ => instances.delete("db1").await.unwrap_err(),
                };
                // dropshot's error: `{"request_id", "error_code", "message"}`.
                assert_eq!(error.code(), text_at(&example, "/error_code"));
                assert_eq!(error.message(), text_at(&example, "/message"));
                assert!(error.code().is_some() && error.message().is_some());
                checked += 1;
            }
        }
        assert_eq!(checked, 4, "4XX and 5XX of two operations");
    }

    #[tokio::test]
    async fn an_error_without_its_optional_code_gives_its_message_alone() {
        let body = json!({"request_id": "r1", "message": "internal error"});
        let server = answering(500, &body).await;
        let client = Client::builder()
            .base_url(server.uri())
            .max_retries(0)
            .build()
            .unwrap();
        let error = client.instances().view("db1").await.unwrap_err();
        assert_eq!(error.code(), None);
        assert_eq!(error.message(), Some("internal error"));
        assert!(error.is_server_error());
    }
}

mod box_shaped {
    use super::*;
    use fixture_box_shaped::Client;

    #[tokio::test]
    async fn a_code_from_a_string_enum_is_its_text_known_or_not() {
        let spec = spec("box-shaped");
        let mut examples = error_examples(&spec, "/files/{file_id}", "get");
        // A code the spec's enum does not list is kept as it came.
        examples.push((
            400,
            json!({"type": "error", "status": 400, "code": "storage_limit_exceeded",
                   "message": "Account storage limit reached"}),
        ));
        assert_eq!(examples.len(), 3);
        for (status, example) in examples {
            let server = answering(status, &example).await;
            let client = Client::builder()
                .base_url(server.uri())
                .max_retries(0)
                .build()
                .unwrap();
            let error = client.files().retrieve("12345").await.unwrap_err();
            assert_eq!(error.code(), text_at(&example, "/code"), "{status}");
            assert_eq!(error.message(), text_at(&example, "/message"), "{status}");
            assert!(error.code().is_some() && error.message().is_some());
        }
    }
}

mod vimeo {
    use super::*;
    use fixture_vimeo_shaped::Client;
    use fixture_vimeo_shaped::types::FollowUsersBody;

    #[tokio::test]
    async fn a_number_code_is_read_as_the_integer_it_is() {
        let spec = spec("vimeo-shaped");
        let examples = error_examples(&spec, "/me/following", "post");
        assert_eq!(examples.len(), 3);
        for (status, example) in examples {
            let server = answering(status, &example).await;
            let client = Client::builder()
                .base_url(server.uri())
                .max_retries(0)
                .build()
                .unwrap();
            let body = FollowUsersBody {
                users: vec!["/users/152184".to_owned()],
            };
            let error = client.users().follow(&body).await.unwrap_err();
            // `type: number`: JSON Schema counts 9006.0 as the integer 9006
            // (a number with a zero fractional part, Core 2020-12, 4.2.1).
            let number = example["error_code"].as_f64().unwrap();
            assert_eq!(error.code(), Some(number as i64), "{status}");
            assert_eq!(error.message(), text_at(&example, "/error"), "{status}");
            assert!(error.message().is_some());
        }
    }

    #[tokio::test]
    async fn a_status_typed_otherwise_than_the_envelope_is_read_from_its_own_type() {
        let spec = spec("vimeo-shaped");
        // The envelope is `legacy-error`, a message alone: its statuses give
        // no code. (The `error` statuses above give theirs.)
        let mut checked = 0;
        for verb in ["get", "delete"] {
            for (status, example) in error_examples(&spec, "/videos/{video_id}", verb) {
                let server = answering(status, &example).await;
                let client = Client::builder()
                    .base_url(server.uri())
                    .max_retries(0)
                    .build()
                    .unwrap();
                let error = match verb {
                    "get" => client.videos().retrieve(152184.0).await.unwrap_err(),
                    _ => client.videos().delete(152184.0).await.unwrap_err(),
                };
                assert_eq!(error.code(), None, "{verb} {status}");
                assert_eq!(
                    error.message(),
                    text_at(&example, "/error"),
                    "{verb} {status}"
                );
                let fixture_vimeo_shaped::Error::Api(api) = &error else {
                    panic!("{verb} {status}: {error:?}");
                };
                assert!(api.envelope().is_some());
                checked += 1;
            }
        }
        assert_eq!(checked, 4);
    }

    #[tokio::test]
    async fn a_code_with_a_fraction_is_no_code() {
        let body = json!({
            "error": "odd", "developer_message": "odd", "error_code": 1.5, "link": "x"
        });
        let server = answering(500, &body).await;
        let client = Client::builder()
            .base_url(server.uri())
            .max_retries(0)
            .build()
            .unwrap();
        let body = FollowUsersBody { users: vec![] };
        let error = client.users().follow(&body).await.unwrap_err();
        assert_eq!(error.code(), None);
        assert_eq!(error.message(), Some("odd"));
    }
}

mod petstore {
    use super::*;
    use fixture_petstore::Client;

    #[tokio::test]
    async fn the_petstore_error_gives_its_integer_code_and_message() {
        // The petstore's `Error`: `{"code": int32, "message": string}`, both
        // required, the body of its `default` response.
        let body = json!({"code": 404, "message": "no pet with that id"});
        let server = answering(404, &body).await;
        let client = Client::builder()
            .api_key("secret")
            .base_url(server.uri())
            .max_retries(0)
            .build()
            .unwrap();
        let error = client.pets().list().await.unwrap_err();
        assert_eq!(error.code(), body["code"].as_i64());
        assert_eq!(error.message(), text_at(&body, "/message"));
    }
}
