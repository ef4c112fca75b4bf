//! The client's `tracing` span: one per request, with method, path template,
//! attempt, status and elapsed time, and never the API key.

use std::io::Write;
use std::sync::{Arc, Mutex};

use linq_api_v3::{Client, Uuid};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "secret-key-in-a-span";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_request_has_a_span_with_its_fields() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "5"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    client.chats().typing().start(Uuid::nil()).await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let close = output
        .lines()
        .find(|l| l.contains("close"))
        .unwrap_or_else(|| panic!("no span closed:\n{output}"));
    for field in [
        "request{",
        "method=POST",
        "path=\"/v3/chats/{chatId}/typing\"",
        "attempt=2",
        "status=204",
        "elapsed_ms=",
    ] {
        assert!(close.contains(field), "the span lacks {field}: {close}");
    }
    assert!(output.contains("retrying"), "no retry event:\n{output}");
    assert!(
        !output.contains(KEY),
        "the key leaked into traces:\n{output}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn the_elapsed_time_starts_when_the_request_runs_not_when_it_is_made() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap();

    let pending = client.chats().typing().start(Uuid::nil()).send();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    pending.await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let elapsed: u64 = output
        .split("elapsed_ms=")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or_else(|| panic!("no elapsed_ms:\n{output}"));
    assert!(
        elapsed < 400,
        "the wait before the first poll was counted: {elapsed} ms"
    );
}
