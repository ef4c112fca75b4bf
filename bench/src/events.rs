//! The event-stream decoder's cost: one long `text/event-stream` answer on
//! 127.0.0.1, read by the generated client (the streams fixture's
//! `completions().create_stream(..)`, typed chunks) and by a bare reqwest
//! call that splits events at blank lines and decodes each `data` line into
//! the same type by hand, in the same run.

use std::time::Instant;

use fixture_streams::types::{CompletionChunk, CompletionRequest};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Debug, clap::Args)]
pub struct EventsArgs {
    /// Events in the stream.
    #[arg(long, default_value_t = 200_000)]
    events: usize,
    /// Runs of each side (the best is shown).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

const EVENT: &[u8] = b"data: {\"id\":\"chatcmpl-123\",\"delta\":\"Hello\"}\n\n";

pub fn run(args: &EventsArgs) -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; figures are only meaningful with --release");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| err.to_string())?;
    runtime.block_on(async move {
        let mut generated = Vec::new();
        let mut bare = Vec::new();
        for _ in 0..args.runs {
            generated.push(time(args.events, Side::Generated).await?);
            bare.push(time(args.events, Side::Bare).await?);
        }
        let best = |times: &[f64]| times.iter().cloned().fold(f64::INFINITY, f64::min);
        let (generated, bare) = (best(&generated), best(&bare));
        let rate = |seconds: f64| args.events as f64 / seconds;
        println!(
            "| reader | events | best of {} | events/s | ns/event |",
            args.runs
        );
        println!("|---|---:|---:|---:|---:|");
        for (name, seconds) in [
            ("generated client", generated),
            ("bare reqwest + hand parse", bare),
        ] {
            println!(
                "| {name} | {} | {:.3} s | {:.0} | {:.0} |",
                args.events,
                seconds,
                rate(seconds),
                seconds * 1e9 / args.events as f64
            );
        }
        println!(
            "\nthe generated client's time over the bare call's: {:.2}x",
            generated / bare
        );
        Ok(())
    })
}

#[derive(Clone, Copy)]
enum Side {
    Generated,
    Bare,
}

/// Seconds to read the whole stream and decode every event.
async fn time(events: usize, side: Side) -> Result<f64, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|err| err.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|err| err.to_string())?
    );
    tokio::spawn(serve(listener, events));
    let started = Instant::now();
    let decoded = match side {
        Side::Generated => {
            let client = fixture_streams::Client::builder()
                .base_url(&url)
                .max_retries(0)
                .build()
                .map_err(|err| err.to_string())?;
            let body = CompletionRequest {
                model: None,
                prompt: "hi".into(),
                stream: None,
            };
            let mut stream = client
                .completions()
                .create_stream(&body)
                .await
                .map_err(|err| err.to_string())?;
            let mut count = 0;
            while let Some(chunk) = stream.next().await {
                let chunk: CompletionChunk = chunk.map_err(|err| err.to_string())?;
                count += usize::from(!chunk.delta.is_empty());
            }
            count
        }
        Side::Bare => bare(&url).await?,
    };
    if decoded != events {
        return Err(format!("decoded {decoded} events of {events}"));
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The baseline: reqwest's byte stream, events cut at `\n\n`, each `data:`
/// line decoded with serde_json.
async fn bare(url: &str) -> Result<usize, String> {
    let response = reqwest::Client::new()
        .post(format!("{url}/chat/completions"))
        .header("accept", "text/event-stream")
        .body(r#"{"prompt":"hi","stream":true}"#)
        .send()
        .await
        .map_err(|err| err.to_string())?;
    let mut body = response.bytes_stream();
    let mut pending: Vec<u8> = Vec::new();
    let mut count = 0;
    while let Some(chunk) = body.next().await {
        pending.extend_from_slice(&chunk.map_err(|err| err.to_string())?);
        let mut start = 0;
        while let Some(end) = pending[start..].windows(2).position(|w| w == b"\n\n") {
            let event = &pending[start..start + end];
            for line in event.split(|&b| b == b'\n') {
                if let Some(data) = line.strip_prefix(b"data: ") {
                    let chunk: CompletionChunk =
                        serde_json::from_slice(data).map_err(|err| err.to_string())?;
                    count += usize::from(!chunk.delta.is_empty());
                }
            }
            start += end + 2;
        }
        pending.drain(..start);
    }
    Ok(count)
}

/// Answers one request with `events` events, in 64 KiB writes.
async fn serve(listener: TcpListener, events: usize) {
    let Ok((mut socket, _)) = listener.accept().await else {
        return;
    };
    let mut request = vec![0; 16 * 1024];
    let _ = socket.read(&mut request).await;
    let length = EVENT.len() * events;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {length}\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let per_write = (64 * 1024) / EVENT.len();
    let block: Vec<u8> = EVENT.repeat(per_write);
    let mut left = events;
    while left > 0 {
        let n = left.min(per_write);
        if socket.write_all(&block[..n * EVENT.len()]).await.is_err() {
            return;
        }
        left -= n;
    }
}
