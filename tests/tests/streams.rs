//! Bodies read as they arrive (fixture `tests/fixtures/streams`): server-sent
//! events, downloads as byte streams, and the three timeouts, against real
//! servers on 127.0.0.1. The expected events follow the HTML Standard's
//! event-stream rules (9.2.6: fields, comments, `data` lines joined by a
//! newline, CR / LF / CRLF line ends, `id` kept across events); where a
//! stall or a slow answer matters, the server is a raw TCP socket that
//! writes its bytes with pauses between them.

use std::time::{Duration, Instant};

use fixture_streams::types::{CompletionChunk, CompletionRequest, JobEvent};
use fixture_streams::{Client, Error, Event, TimeoutPhase};
use futures_util::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .max_retries(0)
        .build()
        .unwrap()
}

/// What a timeout error was waiting for.
fn timeout_phase(error: &Error) -> Option<TimeoutPhase> {
    match error {
        Error::Timeout { phase, .. } => Some(*phase),
        _ => None,
    }
}

fn request(prompt: &str) -> CompletionRequest {
    CompletionRequest {
        model: None,
        prompt: prompt.to_owned(),
        stream: None,
    }
}

fn event_stream(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "text/event-stream")
}

/// A server that answers each connection with `head`, then each piece of
/// `body` after its pause, as HTTP/1.1 chunks; the connection stays open
/// `linger` after the last one. Returns its base URL and how many
/// connections it took.
async fn scripted(
    head_after: Duration,
    content_type: &'static str,
    body: Vec<(Duration, Vec<u8>)>,
    linger: Duration,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicU32>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let body = body.clone();
            tokio::spawn(async move {
                // The request's head is read before answering; its body is small.
                let mut request = vec![0; 64 * 1024];
                let _ = socket.read(&mut request).await;
                tokio::time::sleep(head_after).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for (pause, piece) in body {
                    tokio::time::sleep(pause).await;
                    let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
                    chunk.extend_from_slice(&piece);
                    chunk.extend_from_slice(b"\r\n");
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                }
                tokio::time::sleep(linger).await;
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    (url, connections)
}

#[tokio::test]
async fn the_streaming_method_asks_for_the_stream_and_decodes_each_chunk_until_done() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(header("accept", "text/event-stream"))
        .and(body_json(json!({"prompt": "hi", "stream": true})))
        .respond_with(event_stream(
            ": a comment, skipped\n\
             data: {\"id\":\"c1\",\"delta\":\"Hel\"}\n\n\
             data: {\"id\":\"c1\",\n\
             data: \"delta\":\"lo\"}\n\n\
             data: [DONE]\n\n\
             data: {\"id\":\"after\",\"delta\":\"never read\"}\n\n",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let stream = client(&server.uri())
        .completions()
        .create_stream(&request("hi"))
        .await
        .unwrap();
    let chunks: Vec<CompletionChunk> = stream.map(Result::unwrap).collect().await;
    // The second event's two `data` lines join with a newline, which JSON reads as space.
    assert_eq!(
        chunks,
        [
            CompletionChunk {
                id: "c1".into(),
                delta: "Hel".into()
            },
            CompletionChunk {
                id: "c1".into(),
                delta: "lo".into()
            },
        ]
    );
}

#[tokio::test]
async fn the_plain_method_asks_for_one_json_answer_even_if_the_body_says_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .and(header("accept", "application/json"))
        .and(body_json(json!({"prompt": "hi", "stream": false})))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "c1", "text": "Hello"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let mut body = request("hi");
    body.stream = Some(Some(true));
    let completion = client(&server.uri())
        .completions()
        .create(&body)
        .await
        .unwrap();
    assert_eq!(completion.text, "Hello");
}

#[tokio::test]
async fn raw_events_keep_their_fields_across_every_kind_of_line_end() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .respond_with(event_stream(
            "event: line\r\nid: 7\r\ndata: first\r\ndata: second\r\n\r\n\
             retry: 2500\rdata:no space\r\r\
             :keep-alive\n\n\
             event: line\ndata\n\n",
        ))
        .mount(&server)
        .await;
    let events: Vec<Event> = client(&server.uri())
        .logs()
        .tail()
        .level("info")
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let expected = [
        Event {
            event: "line".into(),
            data: "first\nsecond".into(),
            id: Some("7".into()),
            retry: None,
        },
        // No `event` field: the type is `message`; the last `id` holds.
        Event {
            event: "message".into(),
            data: "no space".into(),
            id: Some("7".into()),
            retry: Some(Duration::from_millis(2500)),
        },
        // A `data` field without a colon has the empty string as its value.
        Event {
            event: "line".into(),
            data: String::new(),
            id: Some("7".into()),
            retry: None,
        },
    ];
    assert_eq!(events, expected);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.query(), Some("level=info"));
}

#[tokio::test]
async fn an_error_event_and_an_undecodable_one_are_err_items_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/jobs/j1/progress"))
        .respond_with(event_stream(
            "data: {\"type\":\"progress\",\"percent\":50}\n\n\
             event: error\ndata: {\"error\":{\"code\":\"overloaded\",\"message\":\"try later\"}}\n\n\
             data: not json\n\n\
             data: {\"type\":\"done\",\"result\":\"ok\"}\n\n",
        ))
        .mount(&server)
        .await;
    let items: Vec<Result<JobEvent, Error>> = client(&server.uri())
        .jobs()
        .watch("j1")
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(&items[0], Ok(JobEvent::JobProgress(p)) if p.percent == 50));
    let error = items[1].as_ref().unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.code(), Some("overloaded"));
    assert_eq!(error.message(), Some("try later"));
    let undecodable = items[2].as_ref().unwrap_err();
    assert!(
        matches!(undecodable, Error::UnexpectedResponse(r) if r.body().as_ref() == b"not json"),
        "{undecodable:?}"
    );
    assert!(matches!(&items[3], Ok(JobEvent::JobDone(d)) if d.result.as_deref() == Some("ok")));
}

#[tokio::test]
async fn an_error_status_fails_the_await_before_any_event() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"code": "bad_prompt", "message": "empty"}})),
        )
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .completions()
        .create_stream(&request(""))
        .await
        .unwrap_err();
    assert!(error.is_bad_request(), "{error:?}");
    assert_eq!(error.message(), Some("empty"));
}

#[tokio::test]
async fn events_split_anywhere_across_reads_arrive_whole() {
    // One event cut inside its field name, inside a multi-byte character
    // and between the CR and LF of a line end.
    let text =
        "data: {\"id\":\"é\",\"delta\":\"ü\"}\r\n\r\ndata: {\"id\":\"2\",\"delta\":\"x\"}\n\n";
    let bytes = text.as_bytes();
    let cuts = [3, 16, 17, 30, 31, bytes.len()];
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts {
        pieces.push((Duration::from_millis(20), bytes[start..cut].to_vec()));
        start = cut;
    }
    let (url, _) = scripted(Duration::ZERO, "text/event-stream", pieces, Duration::ZERO).await;
    let chunks: Vec<CompletionChunk> = client(&url)
        .completions()
        .create_stream(&request("hi"))
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = chunks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["é", "2"]);
    assert_eq!(chunks[0].delta, "ü");
}

#[tokio::test]
async fn a_long_stream_is_not_cut_while_events_keep_coming() {
    // Ten events 100 ms apart: a second in all, five times the read timeout.
    let pieces = (0..10)
        .map(|i| {
            let event = format!("data: {{\"id\":\"{i}\",\"delta\":\"\"}}\n\n");
            (Duration::from_millis(100), event.into_bytes())
        })
        .collect();
    let (url, _) = scripted(Duration::ZERO, "text/event-stream", pieces, Duration::ZERO).await;
    let started = Instant::now();
    let chunks: Vec<Result<CompletionChunk, Error>> = client(&url)
        .completions()
        .create_stream(&request("hi"))
        .read_timeout(Duration::from_millis(200))
        .timeout(Duration::from_millis(200))
        .await
        .unwrap()
        .collect()
        .await;
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(chunks.len(), 10, "{chunks:?}");
    assert!(chunks.iter().all(Result::is_ok), "{chunks:?}");
}

#[tokio::test]
async fn a_stream_that_stalls_ends_with_a_read_timeout() {
    let pieces = vec![(
        Duration::ZERO,
        b"data: {\"id\":\"1\",\"delta\":\"\"}\n\n".to_vec(),
    )];
    let (url, _) = scripted(
        Duration::ZERO,
        "text/event-stream",
        pieces,
        Duration::from_secs(5),
    )
    .await;
    let mut stream = client(&url)
        .completions()
        .create_stream(&request("hi"))
        .read_timeout(Duration::from_millis(200))
        .await
        .unwrap();
    assert!(stream.next().await.unwrap().is_ok());
    let started = Instant::now();
    let error = stream.next().await.unwrap().unwrap_err();
    assert_eq!(timeout_phase(&error), Some(TimeoutPhase::Read), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        stream.next().await.is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn headers_that_never_come_time_out_and_each_attempt_is_retried() {
    let (url, connections) = scripted(
        Duration::from_secs(10),
        "application/json",
        Vec::new(),
        Duration::ZERO,
    )
    .await;
    let client = Client::builder()
        .base_url(&url)
        .max_retries(1)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = client.files().content().download("f1").await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Response,
                attempts: 2
            }
        ),
        "{error:?}"
    );
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(
        error.to_string().contains("waiting for the response"),
        "{error}"
    );
}

#[tokio::test]
async fn a_whole_body_that_stalls_times_out_on_its_read_timeout_not_its_length() {
    // The body trickles for 600 ms in all, a piece every 100 ms: it is read
    // whole under a 300 ms read timeout, then a 500 ms stall fails it.
    let trickle: Vec<(Duration, Vec<u8>)> = (0..6)
        .map(|_| (Duration::from_millis(100), b"abc".to_vec()))
        .collect();
    let (url, _) = scripted(
        Duration::ZERO,
        "application/octet-stream",
        trickle.clone(),
        Duration::ZERO,
    )
    .await;
    let client = Client::builder()
        .base_url(&url)
        .max_retries(0)
        .read_timeout(Duration::from_millis(300))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let body = client.files().content().download("f1").await.unwrap();
    assert_eq!(body.as_ref(), b"abcabcabcabcabcabc");

    let mut stalling = trickle;
    stalling.push((Duration::from_millis(500), b"late".to_vec()));
    let (url, _) = scripted(
        Duration::ZERO,
        "application/octet-stream",
        stalling,
        Duration::ZERO,
    )
    .await;
    let client = Client::builder()
        .base_url(&url)
        .max_retries(0)
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client.files().content().download("f1").await.unwrap_err();
    assert_eq!(timeout_phase(&error), Some(TimeoutPhase::Read), "{error:?}");
}

#[tokio::test]
async fn a_download_comes_as_chunks_and_an_error_status_fails_the_await() {
    let pieces: Vec<(Duration, Vec<u8>)> = (0u8..4)
        .map(|i| (Duration::from_millis(20), vec![i; 1000]))
        .collect();
    let (url, _) = scripted(
        Duration::ZERO,
        "application/octet-stream",
        pieces,
        Duration::ZERO,
    )
    .await;
    let response = client(&url)
        .files()
        .content()
        .download("f1")
        .into_byte_stream()
        .with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    let mut received = Vec::new();
    let mut chunks = 0;
    let mut body = response.into_inner();
    while let Some(chunk) = body.next().await {
        received.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    let expected: Vec<u8> = (0u8..4).flat_map(|i| vec![i; 1000]).collect();
    assert_eq!(received, expected);
    assert!(chunks >= 2, "the body came in {chunks} chunk(s)");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/missing/content"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "not_found", "message": "no such file"}})),
        )
        .mount(&server)
        .await;
    let error = client(&server.uri())
        .files()
        .content()
        .download("missing")
        .into_byte_stream()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.code(), Some("not_found"));
}

/// A server that answers `PUT /files/f1/content` with `statuses` in turn.
async fn upload_server(statuses: &[u16]) -> MockServer {
    let server = MockServer::start().await;
    for (i, status) in statuses.iter().enumerate() {
        let mock = Mock::given(method("PUT"))
            .and(path("/files/f1/content"))
            .respond_with(ResponseTemplate::new(*status));
        let mock = match i + 1 < statuses.len() {
            true => mock.up_to_n_times(1),
            false => mock,
        };
        mock.mount(&server).await;
    }
    server
}

#[tokio::test]
async fn a_file_upload_is_read_as_it_is_sent_and_read_again_by_a_retry() {
    let contents: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &contents).unwrap();
    let server = upload_server(&[503, 204]).await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_retries(1)
        .build()
        .unwrap();
    client
        .files()
        .content()
        .upload("f1", fixture_streams::Body::file(file.path()))
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "the 503 is retried");
    for request in &requests {
        assert_eq!(request.headers["content-type"], "application/octet-stream");
        assert_eq!(
            request.headers["content-length"],
            contents.len().to_string().as_str()
        );
        assert!(
            request.body == contents,
            "each attempt sends the whole file"
        );
    }
}

#[tokio::test]
async fn a_streamed_upload_goes_once_and_is_never_retried() {
    let server = upload_server(&[503, 204]).await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_retries(3)
        .build()
        .unwrap();
    let chunks = futures_util::stream::iter(
        ["part one, ", "part two"].map(|chunk| Ok::<_, std::io::Error>(chunk.as_bytes().to_vec())),
    );
    let error = client
        .files()
        .content()
        .upload("f1", fixture_streams::Body::stream(chunks))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), Some(1));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, b"part one, part two");
}

#[tokio::test]
async fn bytes_still_make_a_body_and_a_missing_file_is_an_invalid_request() {
    let server = upload_server(&[204]).await;
    let client = client(&server.uri());
    client
        .files()
        .content()
        .upload("f1", b"raw".to_vec())
        .await
        .unwrap();
    client.files().content().upload("f1", "text").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].body, b"raw");
    assert_eq!(requests[1].body, b"text");

    let error = client
        .files()
        .content()
        .upload("f1", fixture_streams::Body::file("/nonexistent/upload.bin"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest { message } if message.contains("/nonexistent/upload.bin")),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_long_upload_goes_on_while_it_moves_and_fails_when_it_stalls() {
    let server = upload_server(&[204]).await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_retries(0)
        .timeout(Duration::from_millis(200))
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // Ten chunks 100 ms apart: five times the timeout to the headers.
    let moving = futures_util::stream::unfold(0, |i| async move {
        if i == 10 {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        Some((Ok::<_, std::io::Error>(vec![b'a'; 10]), i + 1))
    });
    client
        .files()
        .content()
        .upload("f1", fixture_streams::Body::stream(moving))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap()[0].body.len(), 100);

    let stalled = futures_util::stream::unfold(0, |i| async move {
        if i == 1 {
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        Some((Ok::<_, std::io::Error>(b"chunk".to_vec()), i + 1))
    });
    let started = Instant::now();
    let error = client
        .files()
        .content()
        .upload("f1", fixture_streams::Body::stream(stalled))
        .await
        .unwrap_err();
    assert_eq!(timeout_phase(&error), Some(TimeoutPhase::Send), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_byte_that_is_not_utf8_is_a_replacement_character_and_the_stream_goes_on() {
    let body = b"event: line\ndata: caf\xe9\n\nevent: line\ndata: next\n\n".to_vec();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/logs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let data: Vec<String> = client(&server.uri())
        .logs()
        .tail()
        .await
        .unwrap()
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(data, ["caf\u{FFFD}", "next"]);
}

#[tokio::test]
async fn an_answer_that_is_not_an_event_stream_is_an_error_not_an_empty_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "c1", "text": "Hi"})))
        .mount(&server)
        .await;
    let items: Vec<Result<CompletionChunk, Error>> = client(&server.uri())
        .completions()
        .create_stream(&request("hi"))
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    let error = items[0].as_ref().unwrap_err();
    assert!(
        matches!(error, Error::UnexpectedResponse(r) if r.body().as_ref() == br#"{"id":"c1","text":"Hi"}"#
            && r.reason().contains("not an event stream")),
        "{error:?}"
    );
}

#[tokio::test]
async fn dropping_an_event_stream_closes_its_connection() {
    // The server writes an event every 50 ms until a write fails: the sign
    // that the client closed the connection.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (closed_tx, closed_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 64 * 1024];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let event = b"data: {\"id\":\"1\",\"delta\":\"\"}\n\n";
        let chunk = [format!("{:x}\r\n", event.len()).as_bytes(), event, b"\r\n"].concat();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if socket.write_all(&chunk).await.is_err() || socket.flush().await.is_err() {
                let _ = closed_tx.send(());
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let mut stream = client(&url)
        .completions()
        .create_stream(&request("hi"))
        .await
        .unwrap();
    assert!(stream.next().await.unwrap().is_ok());
    drop(stream);
    tokio::time::timeout(Duration::from_secs(5), closed_rx)
        .await
        .expect("the server saw the connection close within 5 s")
        .unwrap();
}
