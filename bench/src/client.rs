//! The generated client's overhead: `client.chats().typing().start(id)` against
//! the same POST sent with a bare `reqwest::Client`, on 127.0.0.1, call by call.

use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, USER_AGENT};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::measure::median;

#[derive(Debug, clap::Args)]
pub struct ClientArgs {
    /// Timed calls on each side.
    #[arg(long, default_value_t = 20_000)]
    calls: usize,
    /// Calls on each side before timing starts (connections, allocator, caches).
    #[arg(long, default_value_t = 1_000)]
    warm_up: usize,
    /// Run one side alone (no ratio), to profile it, e.g. under
    /// `valgrind --tool=callgrind`.
    #[arg(long, value_enum)]
    only: Option<Side>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Side {
    /// The bare reqwest call.
    Bare,
    /// The generated client's call.
    Generated,
}

const API_KEY: &str = "bench-key";
const CHAT_ID: &str = "550e8400-e29b-41d4-a716-446655440000";
/// The generated client's `User-Agent`, sent by the bare call too.
const CLIENT_USER_AGENT: &str = "linq-api-v3/3.0.0";
/// Calls per side in a row before switching: alternating in short blocks
/// spreads the machine's drift over both sides alike.
const BLOCK: usize = 100;

pub fn run(args: &ClientArgs) -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; figures are only meaningful with --release");
    }
    let address = start_server()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start a runtime: {err}"))?;
    runtime.block_on(compare(args, &format!("http://{address}")))
}

async fn compare(args: &ClientArgs, base_url: &str) -> Result<(), String> {
    // The generated client's own default: connect timeout 5 s, nothing else.
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|err| err.to_string())?;
    let client = linq_api_v3::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .http_client(http.clone())
        .build()
        .map_err(|err| err.to_string())?;
    let chat_id: uuid::Uuid = CHAT_ID.parse().map_err(|err| format!("{err}"))?;
    let url = format!("{base_url}/v3/chats/{CHAT_ID}/typing");
    let authorization = format!("Bearer {API_KEY}");

    let bare = async || -> Result<(), String> {
        let response = http
            .post(&url)
            .timeout(Duration::from_secs(60))
            .header(USER_AGENT, CLIENT_USER_AGENT)
            .header(AUTHORIZATION, &authorization)
            .send()
            .await
            .map_err(|err| err.to_string())?;
        let status = response.status();
        response.bytes().await.map_err(|err| err.to_string())?;
        match status.as_u16() {
            204 => Ok(()),
            other => Err(format!("bare call: status {other}")),
        }
    };
    let generated = async || -> Result<(), String> {
        client
            .chats()
            .typing()
            .start(chat_id)
            .await
            .map_err(|err| err.to_string())
    };

    if let Some(side) = args.only {
        let mut times = Vec::with_capacity(args.calls);
        for i in 0..args.warm_up + args.calls {
            let started = Instant::now();
            match side {
                Side::Bare => bare().await?,
                Side::Generated => generated().await?,
            }
            if i >= args.warm_up {
                times.push(started.elapsed());
            }
        }
        println!(
            "{side:?} alone: {} calls after {} to warm up, median {:.1} µs",
            args.calls,
            args.warm_up,
            median(&mut times).as_secs_f64() * 1e6
        );
        if side == Side::Generated {
            // What a call moves around and boxes: the future `send` returns.
            let future = client.chats().typing().start(chat_id).send();
            println!(
                "the request's future: {} bytes",
                std::mem::size_of_val(&future)
            );
        }
        return Ok(());
    }
    for _ in 0..args.warm_up {
        bare().await?;
        generated().await?;
    }
    let mut bare_times = Vec::with_capacity(args.calls);
    let mut generated_times = Vec::with_capacity(args.calls);
    while bare_times.len() < args.calls {
        for _ in 0..BLOCK.min(args.calls - bare_times.len()) {
            let started = Instant::now();
            bare().await?;
            bare_times.push(started.elapsed());
        }
        for _ in 0..BLOCK.min(args.calls - generated_times.len()) {
            let started = Instant::now();
            generated().await?;
            generated_times.push(started.elapsed());
        }
    }

    let us = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1e6);
    let percentile = |times: &mut [Duration], p: f64| {
        times.sort_unstable();
        times[((times.len() - 1) as f64 * p) as usize]
    };
    let bare_median = median(&mut bare_times);
    let generated_median = median(&mut generated_times);
    let ratio = generated_median.as_secs_f64() / bare_median.as_secs_f64();
    println!(
        "{} calls a side on 127.0.0.1, alternating in blocks of {BLOCK}\n",
        args.calls
    );
    println!("| call | median µs | p90 µs | p99 µs |");
    println!("|---|---|---|---|");
    for (name, times) in [
        ("bare reqwest POST", &mut bare_times),
        ("client.chats().typing().start(id)", &mut generated_times),
    ] {
        println!(
            "| {name} | {} | {} | {} |",
            us(median(times)),
            us(percentile(times, 0.9)),
            us(percentile(times, 0.99))
        );
    }
    let verdict = if ratio <= 1.05 { "met" } else { "NOT met" };
    println!("\noverhead: {ratio:.3}x the bare call's median (target <= 1.05x: {verdict})");
    Ok(())
}

/// A minimal HTTP/1.1 server on its own thread: every request gets
/// `204 No Content` on a kept-alive connection. It does only what the
/// benchmark needs, so both sides see the same, small server cost.
fn start_server() -> Result<std::net::SocketAddr, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|err| format!("cannot listen on 127.0.0.1: {err}"))?;
    let address = listener.local_addr().map_err(|err| err.to_string())?;
    listener
        .set_nonblocking(true)
        .map_err(|err| err.to_string())?;
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the server");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("a tokio listener");
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
    });
    Ok(address)
}

async fn serve(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(at) = find(&buffer, b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let request_end = head_end + content_length(&buffer[..head_end]);
        while buffer.len() < request_end {
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        buffer.drain(..request_end);
        let response = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
        if stream.write_all(response).await.is_err() {
            return;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}
