//! The generated fixture client `fixture-petstore` (tests/fixtures/petstore)
//! against a real HTTP server on 127.0.0.1: optional parameters, a union
//! tagged by a discriminator, several success types, multipart and form bodies,
//! text responses.

use fixture_petstore::{
    Bytes, Cat, Client, CreatePetResponse, Dog, ListPetsParams, LoginBody, Pet, UploadPhotoBody,
};
use serde_json::json;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("secret")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn optional_parameters_are_sent_only_when_set_and_arrays_are_exploded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"kind": "cat", "name": "Tom", "lives": 9},
            {"kind": "dog", "name": "Rex", "parent": {"kind": "dog", "name": "Max"}},
            {"kind": "parrot", "name": "Polly"}
        ])))
        .mount(&server)
        .await;
    let client = client(&server);

    let pets = client
        .pets()
        .list()
        .limit(2)
        .tag(vec!["small".into(), "brown".into()])
        .x_trace("trace-1")
        .await
        .unwrap();
    assert_eq!(
        pets[0],
        Pet::Cat(Cat {
            kind: "cat".into(),
            name: "Tom".into(),
            lives: Some(9)
        })
    );
    let Pet::Dog(rex) = &pets[1] else {
        panic!("not a dog: {:?}", pets[1]);
    };
    assert_eq!(rex.parent.as_ref().unwrap().name, "Max");
    assert!(
        matches!(&pets[2], Pet::Unknown(value) if value["name"] == "Polly"),
        "{:?}",
        pets[2]
    );
    client.pets().list().await.unwrap();
    // All at once, as a struct: the same request.
    let params = ListPetsParams {
        limit: Some(2),
        tag: Some(vec!["small".into(), "brown".into()]),
        x_trace: Some("trace-1".into()),
    };
    client.pets().list().params(params).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("limit=2&tag=small&tag=brown"));
    assert_eq!(requests[0].headers["x-trace"], "trace-1");
    assert_eq!(requests[0].headers["authorization"], "Bearer secret");
    assert_eq!(requests[1].url.query(), None);
    assert!(!requests[1].headers.contains_key("x-trace"));
}

#[tokio::test]
async fn each_success_status_decodes_to_its_own_variant() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(wiremock::matchers::body_partial_json(
            json!({"name": "Rex"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p1"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .and(wiremock::matchers::body_partial_json(
            json!({"name": "Tom"}),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"kind": "cat", "name": "Tom"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let dog = Pet::Dog(Dog {
        kind: "dog".into(),
        name: "Rex".into(),
        parent: None,
    });
    match client.pets().create(&dog).await.unwrap() {
        CreatePetResponse::Ok(existing) => assert_eq!(existing.id, "p1"),
        other => panic!("expected the 200 variant, got {other:?}"),
    }
    let cat = Pet::Cat(Cat {
        kind: "cat".into(),
        name: "Tom".into(),
        lives: None,
    });
    match client.pets().create(&cat).await.unwrap() {
        CreatePetResponse::Created(pet) => assert_eq!(pet, cat),
        other => panic!("expected the 201 variant, got {other:?}"),
    }
    // The tag is written by the variant's own field; nothing else is added.
    let sent: serde_json::Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent, json!({"kind": "dog", "name": "Rex"}));
}

#[tokio::test]
async fn an_error_status_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets"))
        .respond_with(ResponseTemplate::new(409).set_body_string("taken"))
        .mount(&server)
        .await;
    let cat = Pet::Cat(Cat {
        kind: "cat".into(),
        name: "Tom".into(),
        lives: None,
    });
    let error = client(&server).pets().create(&cat).await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.body().unwrap().as_ref(), b"taken");
}

#[tokio::test]
async fn multipart_bodies_carry_a_file_part_and_text_parts() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/pets/p%2F1/photo"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server)
        .pets()
        .upload_photo(
            "p/1",
            &UploadPhotoBody {
                photo: Bytes::from_static(b"\x89PNG...").into(),
                caption: Some("Rex asleep".into()),
            },
        )
        .await
        .unwrap();
    let request: &Request = &server.received_requests().await.unwrap()[0];
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let body = String::from_utf8_lossy(&request.body);
    assert_eq!(
        body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\u{FFFD}PNG...\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nRex asleep\r\n\
             --{boundary}--\r\n"
        )
    );
}

#[tokio::test]
async fn form_bodies_are_url_encoded_and_text_responses_are_strings() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("user=ann%20lee&scope=read&scope=write"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": "t"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/pets/p1/notes"))
        .respond_with(ResponseTemplate::new(200).set_body_string("Likes naps."))
        .mount(&server)
        .await;
    let client = client(&server);
    let session = client
        .session()
        .login(&LoginBody {
            user: "ann lee".into(),
            scope: Some(vec!["read".into(), "write".into()]),
        })
        .await
        .unwrap();
    assert_eq!(session.token, "t");
    let notes = client.pets().get_notes("p1").await.unwrap();
    assert_eq!(notes, "Likes naps.");
}

#[tokio::test]
async fn a_query_written_into_the_path_is_sent_as_the_query_beside_the_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/pets/search"))
        .respond_with(|request: &Request| {
            ResponseTemplate::new(200).set_body_string(request.url.query().unwrap_or_default())
        })
        .mount(&server)
        .await;
    // Behind a base path too: the prefix and the path join, the query stays the query.
    let prefixed = Client::builder()
        .api_key("secret")
        .base_url(format!("{}/v2/", server.uri()))
        .max_retries(0)
        .build()
        .unwrap();
    Mock::given(method("GET"))
        .and(path("/v2/pets/search"))
        .respond_with(ResponseTemplate::new(200).set_body_string("prefixed"))
        .mount(&server)
        .await;

    let query = client(&server).pets().search("a b").await.unwrap();
    // RFC 3986 percent-encoding: a space is `%20` (`+` is form encoding's, not a URL's).
    assert_eq!(query, "mode=fuzzy&q=a%20b");
    let answer = prefixed.pets().search("x").await.unwrap();
    assert_eq!(answer, "prefixed");
}

#[tokio::test]
async fn a_path_parameter_of_dots_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("reached"))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["..", "."] {
        let err = client.pets().get_notes(id).await.unwrap_err();
        assert!(
            matches!(&err, fixture_petstore::Error::InvalidRequest { message } if message.contains("`..`")),
            "{err:?}"
        );
    }
    // Dots inside a value are a name like any other.
    assert_eq!(client.pets().get_notes("v1..2").await.unwrap(), "reached");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].url.path(), "/pets/v1..2/notes");
}

#[tokio::test]
async fn the_schema_every_error_shares_is_the_envelope_without_an_extension() {
    let server = MockServer::start().await;
    Mock::given(path("/pets"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"code": 4, "message": "no pets here"})),
        )
        .mount(&server)
        .await;
    let err = client(&server).pets().list().await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some(4));
    assert_eq!(err.message(), Some("no pets here"));
    let fixture_petstore::Error::Api(api) = &err else {
        panic!("not an API error: {err:?}");
    };
    assert_eq!(api.envelope().map(|e| e.code), Some(4));

    // A body that is not the envelope: no code, no message, the body kept.
    server.reset().await;
    Mock::given(path("/pets"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream down"))
        .mount(&server)
        .await;
    let err = client(&server).pets().list().await.unwrap_err();
    assert_eq!((err.code(), err.message()), (None, None));
    assert_eq!(err.body().map(|b| b.as_ref()), Some(&b"upstream down"[..]));
}
