//! Bodies, responses and properties on the wire, by the client of
//! `tests/fixtures/wire` against a real HTTP server on 127.0.0.1. The
//! expected bytes follow the rules the spec's constructs point to: the
//! Encoding Object and the style table for form bodies (OpenAPI 3.0.3
//! sections 4.7.15 and 4.7.12), RFC 7578 for multipart bodies, RFC 3986 for
//! percent-encoding, and JSON's `null` for nullable properties.

use fixture_wire::{
    Address, AttachmentBody, ChargeParams, ChargeParamsShipping, Chat, Client, Closed,
    CreateBundleBody, FilePart, Orchestration, OrchestrationPath, OrchestrationPathSetsItem, Page,
    UploadBody,
};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn content_type(request: &Request) -> Option<&str> {
    request
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn form_bodies_follow_their_encoding_map() {
    let server = server().await;
    let params = ChargeParams {
        amount: 2000,
        description: Some("Tea & cake".into()),
        metadata: Some(
            [("order", "6735"), ("note", "a b")]
                .map(|(k, v)| (k.into(), v.into()))
                .into(),
        ),
        shipping: Some(ChargeParamsShipping {
            name: Some("Ann".into()),
            address: Some(Address {
                city: Some("Paris".into()),
                line1: Some("1 Rue".into()),
            }),
        }),
        expand: Some(vec!["customer".into(), "invoice.lines".into()]),
        ids: Some(vec!["a".into(), "b".into()]),
        tags: Some(vec!["x".into(), "y".into()]),
        billing: Some(Address {
            city: Some("Oslo".into()),
            line1: None,
        }),
    };
    client(&server).charges().create(&params).await.unwrap();
    let request = &requests(&server).await[0];
    assert_eq!(
        content_type(request),
        Some("application/x-www-form-urlencoded")
    );
    let expected = [
        // No encoding entry: a form field.
        "amount=2000",
        "description=Tea%20%26%20cake",
        // deepObject: a bracket per level, as Stripe declares and reads them,
        // percent-encoded as the form media type encodes every `[` and `]`.
        "metadata%5Bnote%5D=a%20b",
        "metadata%5Border%5D=6735",
        "shipping%5Bname%5D=Ann",
        "shipping%5Baddress%5D%5Bcity%5D=Paris",
        "shipping%5Baddress%5D%5Bline1%5D=1%20Rue",
        "expand%5B0%5D=customer",
        "expand%5B1%5D=invoice.lines",
        // explode: false (style form by default): comma-separated.
        "ids=a,b",
        // Nothing said: form, exploded.
        "tags=x",
        "tags=y",
        // Nothing said of an object: the Encoding Object's default for
        // objects is `application/json`.
        "billing=%7B%22city%22%3A%22Oslo%22%7D",
    ]
    .join("&");
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

#[tokio::test]
async fn an_optional_body_that_can_hold_nothing_is_no_argument_and_sends_nothing() {
    let server = server().await;
    client(&server).charges().list().await.unwrap();
    let request = &requests(&server).await[0];
    assert!(request.body.is_empty());
    assert_eq!(content_type(request), None);
}

#[tokio::test]
async fn an_optional_body_left_out_sends_no_body_and_no_content_type() {
    let server = server().await;
    let notes = client(&server);
    notes.notes().create(None).await.unwrap();
    let address = Address {
        city: Some("Paris".into()),
        line1: None,
    };
    notes.notes().create(Some(&address)).await.unwrap();
    let requests = requests(&server).await;
    assert!(requests[0].body.is_empty());
    assert_eq!(content_type(&requests[0]), None);
    assert_eq!(requests[1].body, br#"{"city":"Paris"}"#);
    assert_eq!(content_type(&requests[1]), Some("application/json"));
}

/// The upload body's two files, the rest of its fields fixed.
fn upload(avatar: FilePart, document: FilePart) -> UploadBody {
    UploadBody {
        avatar,
        document: Some(document),
        profile: Address {
            city: Some("Paris".into()),
            line1: None,
        },
        labels: Some(vec!["a".into(), "b".into()]),
        note: Some("hi".into()),
    }
}

/// The bytes RFC 7578 gives [`upload`]'s body with these files (the avatar
/// named by `avatar_name`, the document `cv.pdf`, `application/pdf`),
/// between the boundary the request's `Content-Type` names.
fn upload_bytes(request: &Request, avatar_name: &str, avatar: &[u8], document: &[u8]) -> Vec<u8> {
    let content_type = content_type(request).unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("no boundary: {content_type}"));
    assert!(!boundary.is_empty());
    let part = |headers: &str, content: &[u8]| {
        let mut part = format!("--{boundary}\r\n{headers}\r\n\r\n").into_bytes();
        part.extend_from_slice(content);
        part.extend_from_slice(b"\r\n");
        part
    };
    [
        // The spec's `encoding.avatar.contentType`.
        part(
            &format!("Content-Disposition: form-data; name=\"avatar\"; filename=\"{avatar_name}\"\r\nContent-Type: image/png"),
            avatar,
        ),
        // The caller's file name and media type.
        part(
            "Content-Disposition: form-data; name=\"document\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf",
            document,
        ),
        // An object: JSON (the Encoding Object's default for objects).
        part(
            "Content-Disposition: form-data; name=\"profile\"\r\nContent-Type: application/json",
            br#"{"city":"Paris"}"#,
        ),
        // An array of strings: a text part per item.
        part("Content-Disposition: form-data; name=\"labels\"", b"a"),
        part("Content-Disposition: form-data; name=\"labels\"", b"b"),
        part("Content-Disposition: form-data; name=\"note\"", b"hi"),
        format!("--{boundary}--\r\n").into_bytes(),
    ]
    .concat()
}

fn cv(content: FilePart) -> FilePart {
    content.file_name("cv.pdf").content_type("application/pdf")
}

#[tokio::test]
async fn multipart_parts_carry_file_names_media_types_and_json() {
    let server = server().await;
    // The field's name is the file name where the caller gives none.
    let body = upload(
        FilePart::new(b"\x89PNG".to_vec()),
        cv(FilePart::new("%PDF")),
    );
    client(&server).uploads().create(&body).await.unwrap();
    let request = &requests(&server).await[0];
    let expected = upload_bytes(request, "avatar", b"\x89PNG", b"%PDF");
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
}

/// A multipart body as RFC 7578 writes it, from `(headers, content)` parts,
/// between the boundary the request's `Content-Type` names.
fn multipart_bytes(request: &Request, parts: &[(&str, &[u8])]) -> String {
    let content_type = content_type(request).unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart, or no boundary: {content_type}"));
    let mut body = Vec::new();
    for (headers, content) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    String::from_utf8_lossy(&body).into_owned()
}

#[tokio::test]
async fn a_body_with_a_file_offered_as_json_and_multipart_goes_as_multipart() {
    // JSON has no form for bytes; a multipart file part carries them as they are.
    let server = server().await;
    let body = AttachmentBody {
        file: FilePart::new(b"\x00\x01raw".to_vec()),
        purpose: Some("evals".into()),
    };
    client(&server)
        .uploads()
        .create_attachment(&body)
        .await
        .unwrap();
    let request = &requests(&server).await[0];
    let expected = multipart_bytes(
        request,
        &[
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream",
                b"\x00\x01raw",
            ),
            ("Content-Disposition: form-data; name=\"purpose\"", b"evals"),
        ],
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
}

#[tokio::test]
async fn one_file_or_several_are_file_parts_of_one_name() {
    // `oneOf: [array of binary, binary]`: one file is the same single part
    // an array of one makes.
    for names in [vec!["skill.zip"], vec!["a.md", "b.md"]] {
        let server = server().await;
        let files = names
            .iter()
            .map(|name| FilePart::new(name.as_bytes().to_vec()).file_name(*name))
            .collect();
        let body = CreateBundleBody { files };
        client(&server)
            .uploads()
            .create_bundle(&body)
            .await
            .unwrap();
        let request = &requests(&server).await[0];
        let headers: Vec<String> = names
            .iter()
            .map(|name| format!("Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"))
            .collect();
        let parts: Vec<(&str, &[u8])> = headers
            .iter()
            .zip(&names)
            .map(|(headers, name)| (headers.as_str(), name.as_bytes()))
            .collect();
        assert_eq!(
            String::from_utf8_lossy(&request.body),
            multipart_bytes(request, &parts)
        );
    }
}

#[test]
fn one_file_or_several_both_read_into_the_list_of_files() {
    // Either branch of `oneOf: [array of binary, binary]` is a valid body.
    let one: CreateBundleBody = serde_json::from_value(json!({"files": "skill"})).unwrap();
    assert_eq!(one.files, [FilePart::new(b"skill".to_vec())]);
    let several: CreateBundleBody = serde_json::from_value(json!({"files": ["a", "b"]})).unwrap();
    assert_eq!(
        several.files,
        [FilePart::new(b"a".to_vec()), FilePart::new(b"b".to_vec())]
    );
    assert!(serde_json::from_value::<CreateBundleBody>(json!({"files": 5})).is_err());
}

#[test]
fn an_optional_list_of_files_reads_one_file_several_or_null() {
    use fixture_bodies::{FilePart, types::UploadFileBody};
    let read = |attachments: serde_json::Value| {
        serde_json::from_value::<UploadFileBody>(
            json!({"file": "f", "purpose": "p", "attachments": attachments}),
        )
        .unwrap()
        .attachments
    };
    assert_eq!(read(json!("a")), Some(vec![FilePart::new(b"a".to_vec())]));
    assert_eq!(read(json!(["a"])), Some(vec![FilePart::new(b"a".to_vec())]));
    assert_eq!(read(json!(null)), None);
}

#[tokio::test]
async fn file_parts_from_disk_and_from_a_stream_are_read_as_they_are_sent() {
    // Larger than the 256 KiB the client reads at a time, and not a multiple of it.
    let avatar: Vec<u8> = (0..600_000u32).map(|i| (i % 251) as u8).collect();
    let dir = tempfile::tempdir().unwrap();
    let on_disk = dir.path().join("me.png");
    std::fs::write(&on_disk, &avatar).unwrap();

    // Files: the file's own name, its bytes, and a length known up front.
    let server = server().await;
    let from_disk = FilePart::file(&on_disk);
    assert_eq!(from_disk.content(), None, "not read into memory");
    let body = upload(from_disk, cv(FilePart::file(&on_disk)));
    client(&server).uploads().create(&body).await.unwrap();
    let request = &requests(&server).await[0];
    let expected = upload_bytes(request, "me.png", &avatar, &avatar);
    assert!(request.body == expected, "the body differs from RFC 7578's");
    let length = request
        .headers
        .get("content-length")
        .map(|v| v.to_str().unwrap());
    assert_eq!(length, Some(expected.len().to_string().as_str()));

    // A stream: its chunks in order, sent chunked (no length to give).
    let server = self::server().await;
    let chunks = ["%PD", "F-1", ".7"].map(|c| Ok::<_, std::io::Error>(c.as_bytes().to_vec()));
    let document = cv(FilePart::stream(futures_util::stream::iter(chunks)));
    let body = upload(FilePart::new(b"\x89PNG".to_vec()), document);
    client(&server).uploads().create(&body).await.unwrap();
    let request = &requests(&server).await[0];
    assert!(request.headers.get("content-length").is_none());
    let expected = upload_bytes(request, "avatar", b"\x89PNG", b"%PDF-1.7");
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
}

#[tokio::test]
async fn a_retry_reads_the_file_parts_again_and_a_missing_file_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let on_disk = dir.path().join("me.png");
    std::fs::write(&on_disk, b"\x89PNG").unwrap();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_retries(1)
        .build()
        .unwrap();
    let body = upload(FilePart::file(&on_disk), cv(FilePart::new("%PDF")));
    client.uploads().create(&body).await.unwrap();
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[1].body,
        upload_bytes(&sent[1], "me.png", b"\x89PNG", b"%PDF")
    );

    let gone = upload(
        FilePart::file(dir.path().join("gone.png")),
        cv(FilePart::new("%PDF")),
    );
    let err = client.uploads().create(&gone).await.unwrap_err();
    assert!(err.to_string().contains("gone.png"), "{err}");
    assert_eq!(requests(&server).await.len(), 2, "nothing more was sent");
}

#[tokio::test]
async fn optional_nullable_properties_have_three_states_on_the_wire() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id":"c1","name":"n","archived_at":null,"created_at":"t","nickname":null}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let update = |nickname| Chat {
        id: None,
        name: "n".into(),
        nickname,
        archived_at: None,
        created_at: None,
        password: Some("pw".into()),
    };
    let client = client(&server);
    let chats = client.chats();
    chats.update("c1", &update(None)).await.unwrap();
    chats.update("c1", &update(Some(None))).await.unwrap();
    let answer = chats
        .update("c1", &update(Some(Some("Nic".into()))))
        .await
        .unwrap();
    let bodies: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    // Left out; `null`; a value. `archived_at` is required and nullable:
    // always sent, `null` when `None`. Read-only `id` and `created_at` are
    // not required in a request, and left out.
    assert_eq!(
        bodies,
        [
            r#"{"name":"n","archived_at":null,"password":"pw"}"#,
            r#"{"name":"n","nickname":null,"archived_at":null,"password":"pw"}"#,
            r#"{"name":"n","nickname":"Nic","archived_at":null,"password":"pw"}"#,
        ]
    );
    // Decoding tells `null` apart from a property left out.
    assert_eq!(answer.nickname, Some(None));
    assert_eq!(answer.archived_at, None);
    assert_eq!(answer.id.as_deref(), Some("c1"));
    let absent: Chat = serde_json::from_str(r#"{"name":"n","archived_at":"2024"}"#).unwrap();
    assert_eq!(absent.nickname, None);
    assert_eq!(absent.archived_at.as_deref(), Some("2024"));
    let given: Chat =
        serde_json::from_str(r#"{"name":"n","archived_at":null,"nickname":"x"}"#).unwrap();
    assert_eq!(given.nickname, Some(Some("x".into())));
}

#[tokio::test]
async fn a_required_nullable_property_of_an_all_of_part_decodes_null() {
    let server = MockServer::start().await;
    Mock::given(path("/pages"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"next_cursor":null,"items":["a"],"incomplete":null}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let page: Page = client(&server).pages().list().await.unwrap();
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.incomplete, None);
    assert_eq!(page.items, ["a"]);
}

#[tokio::test]
async fn a_closed_object_has_no_map_of_other_properties() {
    let server = server().await;
    // `Closed` has no `additional_properties` field: this literal names every field.
    let closed = Closed {
        name: Some("x".into()),
    };
    client(&server).closed().send(&closed).await.unwrap();
    assert_eq!(requests(&server).await[0].body, br#"{"name":"x"}"#);
}

#[tokio::test]
async fn audio_or_an_event_stream_each_have_their_method_and_accept() {
    let server = MockServer::start().await;
    // MP3 bytes: not UTF-8.
    let mp3: &[u8] = b"\xff\xfb\x90\x64\x00";
    Mock::given(path("/audio/speech"))
        .and(wiremock::matchers::header(
            "accept",
            "application/octet-stream",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_raw(mp3, "application/octet-stream"))
        .mount(&server)
        .await;
    Mock::given(path("/audio/speech"))
        .and(wiremock::matchers::header("accept", "text/event-stream"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("data: {\"delta\":\"a\"}\n\n", "text/event-stream"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let audio = client.audio().create_speech().await.unwrap();
    assert_eq!(audio.as_ref(), mp3);
    let events: Vec<_> =
        futures_util::StreamExt::collect(client.audio().create_speech_stream().await.unwrap())
            .await;
    let events: Vec<String> = events.into_iter().map(|e| e.unwrap().data).collect();
    assert_eq!(events, ["{\"delta\":\"a\"}"]);
}

#[tokio::test]
async fn binary_media_types_are_bytes_never_text() {
    let server = MockServer::start().await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\xff";
    Mock::given(path("/images/i1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png, "image/png"))
        .mount(&server)
        .await;
    let bytes = client(&server).images().retrieve("i1").await.unwrap();
    assert_eq!(bytes.as_ref(), png);
}

#[tokio::test]
async fn json_under_a_text_media_type_is_json_and_xml_is_not_asked_for() {
    let server = MockServer::start().await;
    Mock::given(path("/reports/r1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"city":"Rome"}"#, "text/plain"))
        .mount(&server)
        .await;
    let report = client(&server).reports().retrieve("r1").await.unwrap();
    assert_eq!(report.city.as_deref(), Some("Rome"));
    let accept = requests(&server).await[0].headers["accept"].clone();
    assert_eq!(accept, "text/plain, application/json");
}

#[tokio::test]
async fn a_204_is_empty_whatever_content_the_spec_gives_it() {
    // RFC 9110, 15.3.5: a 204 ends at its headers.
    let server = MockServer::start().await;
    Mock::given(path("/tags/blue"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let () = client(&server).tags().add("blue").await.unwrap();
}

#[tokio::test]
async fn a_redirect_the_spec_gives_as_the_answer_is_returned_not_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/login/okta"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", "https://idp.example/sso?x=1"),
        )
        .mount(&server)
        .await;
    let redirect = client(&server).login().retrieve("okta").await.unwrap();
    assert_eq!(redirect.status, 302);
    assert_eq!(
        redirect.location.as_deref(),
        Some("https://idp.example/sso?x=1")
    );
    assert_eq!(requests(&server).await.len(), 1, "not followed");
}

#[tokio::test]
async fn a_redirect_of_an_operation_with_a_2xx_is_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/reports/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/reports/new"))
        .mount(&server)
        .await;
    Mock::given(path("/reports/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"city": "Oslo"})))
        .mount(&server)
        .await;
    let report = client(&server).reports().retrieve("old").await.unwrap();
    assert_eq!(report.city.as_deref(), Some("Oslo"));
}

#[tokio::test]
async fn path_parameters_are_positional_in_path_order() {
    let server = server().await;
    client(&server)
        .instances()
        .view("o", "p", "i")
        .await
        .unwrap();
    assert_eq!(
        requests(&server).await[0].url.path(),
        "/organizations/o/projects/p/instances/i"
    );
}

#[tokio::test]
async fn a_text_error_code_nested_in_the_envelope_is_found_by_name() {
    // Stripe's envelope: `{"error": {"code": "card_declined", ...}}`.
    let server = MockServer::start().await;
    Mock::given(path("/v1/charges"))
        .respond_with(ResponseTemplate::new(402).set_body_json(serde_json::json!({
            "error": {"code": "card_declined", "message": "Your card was declined.", "type": "card_error"}
        })))
        .mount(&server)
        .await;
    let params = ChargeParams {
        amount: 100,
        description: None,
        metadata: None,
        shipping: None,
        expand: None,
        ids: None,
        tags: None,
        billing: None,
    };
    let err = client(&server).charges().create(&params).await.unwrap_err();
    assert_eq!(err.status(), Some(402));
    assert_eq!(err.code(), Some("card_declined"));
    assert_eq!(err.message(), Some("Your card was declined."));
}

#[tokio::test]
async fn nullable_items_and_map_values_decode_null_and_a_typed_string_stays_a_string() {
    // `additionalProperties: {nullable: true, ...}` and `items: {nullable:
    // true}` admit `null` per value (OpenAPI 3.0.3 4.7.24: `nullable`); a
    // `type: string` schema is a string whatever object keywords sit beside it
    // (JSON Schema: `additionalProperties` constrains objects only).
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "files": {"a.txt": null, "b.txt": {"size": 3}},
        "tags": ["x", null],
        "payload": "ok",
        "revision": null,
        "owner": null,
    });
    Mock::given(method("GET"))
        .and(path("/gists/g1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let gist = client(&server).gists().retrieve("g1").await.unwrap();
    assert_eq!(gist.files["a.txt"], None);
    assert_eq!(gist.files["b.txt"].as_ref().and_then(|f| f.size), Some(3));
    assert_eq!(gist.tags, [Some("x".to_string()), None]);
    assert_eq!(gist.payload.as_deref(), Some("ok"));
    // `allOf: [{type: string, nullable: true}]` and `allOf: [{$ref}, {nullable: true}]`.
    assert_eq!((&gist.revision, &gist.owner), (&None, &None));
    // And back: each `null` is written again.
    assert_eq!(serde_json::to_value(&gist).unwrap(), body);
}

#[tokio::test]
async fn an_object_two_all_of_parts_define_has_the_properties_of_both() {
    // JSON Schema's `allOf`: a value fits every part, so `path` (defined by
    // the base and by the second part) has `sets[].id` and `sets[].route_to`.
    let server = server().await;
    let body = Orchestration {
        path: Some(OrchestrationPath {
            sets: Some(vec![OrchestrationPathSetsItem {
                id: Some("start".into()),
                route_to: Some("next".into()),
            }]),
        }),
    };
    client(&server)
        .orchestrations()
        .update(&body)
        .await
        .unwrap();
    let request = &requests(&server).await[0];
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({"path": {"sets": [{"id": "start", "route_to": "next"}]}})
    );
}
