//! A large body's peak memory on 127.0.0.1, through the generated client
//! (the streams fixture): a download read as a byte stream and, for
//! contrast, whole (`files().content().download(id)`), and an upload from a
//! file (`upload(id, Body::file(..))`). Each way runs in a process of its
//! own, so that each maximum resident set (`getrusage`) is its own.

use std::process::Command;
use std::time::Instant;

use fixture_streams::Client;
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The hidden first argument of a child process that runs one way.
pub const DOWNLOAD_CHILD: &str = "__download-child";

#[derive(Debug, clap::Args)]
pub struct DownloadArgs {
    /// The body's size in MiB.
    #[arg(long, default_value_t = 1024)]
    mib: u64,
    /// Leave out reading the body whole (which holds all of it in memory).
    #[arg(long)]
    stream_only: bool,
}

pub fn run(args: &DownloadArgs) -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; figures are only meaningful with --release");
    }
    let me = std::env::current_exe().map_err(|err| err.to_string())?;
    println!("| body | size | peak RSS | time | throughput |");
    println!("|---|---:|---:|---:|---:|");
    let ways: &[&str] = if args.stream_only {
        &["stream"]
    } else {
        &["stream", "whole", "upload"]
    };
    for way in ways {
        let output = Command::new(&me)
            .args([DOWNLOAD_CHILD, way, &args.mib.to_string()])
            .output()
            .map_err(|err| format!("cannot run the download child: {err}"))?;
        if !output.status.success() {
            return Err(format!(
                "the {way} download failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        print!("{}", String::from_utf8_lossy(&output.stdout));
    }
    Ok(())
}

/// One download, `way` being `stream` or `whole`: prints its table row.
pub fn child(way: &str, mib: &str) -> Result<(), String> {
    let bytes: u64 = mib.parse::<u64>().map_err(|err| err.to_string())? * 1024 * 1024;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| err.to_string())?;
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|err| err.to_string())?;
        let address = listener.local_addr().map_err(|err| err.to_string())?;
        // A sparse file: its bytes are read from disk as zeros, never all held.
        let file = std::env::temp_dir().join(format!("bench-upload-{}.bin", std::process::id()));
        if way == "upload" {
            let created = std::fs::File::create(&file).map_err(|err| err.to_string())?;
            created.set_len(bytes).map_err(|err| err.to_string())?;
            tokio::spawn(absorb(listener));
        } else {
            tokio::spawn(serve(listener, bytes));
        }
        let client = Client::builder()
            .base_url(format!("http://{address}"))
            .max_retries(0)
            .build()
            .map_err(|err| err.to_string())?;
        let started = Instant::now();
        let received = match way {
            "upload" => {
                let sent = client
                    .files()
                    .content()
                    .upload("big", fixture_streams::Body::file(&file))
                    .await;
                let _ = std::fs::remove_file(&file);
                sent.map_err(|err| err.to_string())?;
                bytes
            }
            "stream" => {
                let mut body = client
                    .files()
                    .content()
                    .download("big")
                    .into_byte_stream()
                    .await
                    .map_err(|err| err.to_string())?;
                let mut received = 0u64;
                while let Some(chunk) = body.next().await {
                    received += chunk.map_err(|err| err.to_string())?.len() as u64;
                }
                received
            }
            _ => {
                let body = client
                    .files()
                    .content()
                    .download("big")
                    .await
                    .map_err(|err| err.to_string())?;
                body.len() as u64
            }
        };
        let elapsed = started.elapsed();
        if received != bytes {
            return Err(format!("received {received} bytes of {bytes}"));
        }
        let peak_mib = peak_rss_kib() as f64 / 1024.0;
        let mib = bytes as f64 / (1024.0 * 1024.0);
        let way = match way {
            "stream" => "download, `into_byte_stream()`",
            "whole" => "download, awaited whole",
            _ => "upload, `Body::file`",
        };
        println!(
            "| {way} | {mib:.0} MiB | {peak_mib:.1} MiB | {:.2} s | {:.0} MiB/s |",
            elapsed.as_secs_f64(),
            mib / elapsed.as_secs_f64()
        );
        Ok(())
    })
}

/// Answers one request with `bytes` bytes, written from one 64 KiB buffer.
async fn serve(listener: TcpListener, bytes: u64) {
    let Ok((mut socket, _)) = listener.accept().await else {
        return;
    };
    let mut request = vec![0; 16 * 1024];
    let _ = socket.read(&mut request).await;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {bytes}\r\n\r\n"
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let buffer = vec![0x5a; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(buffer.len() as u64) as usize;
        if socket.write_all(&buffer[..n]).await.is_err() {
            return;
        }
        left -= n as u64;
    }
}

/// Reads one request whole, discarding its body, and answers 204.
async fn absorb(listener: TcpListener) {
    let Ok((mut socket, _)) = listener.accept().await else {
        return;
    };
    let mut buffer = vec![0; 64 * 1024];
    let mut seen = Vec::new();
    let (head_end, length) = loop {
        let Ok(n) = socket.read(&mut buffer).await else {
            return;
        };
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buffer[..n]);
        if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&seen[..at]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse::<u64>().ok())
                .unwrap_or(0);
            break (at + 4, length);
        }
    };
    let mut left = length.saturating_sub((seen.len() - head_end) as u64);
    while left > 0 {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n as u64),
        }
    }
    let _ = socket
        .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
        .await;
}

/// This process's maximum resident set, in KiB (Linux reports KiB).
fn peak_rss_kib() -> i64 {
    // SAFETY: getrusage writes into the zeroed struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    usage.ru_maxrss
}
