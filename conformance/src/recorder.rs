//! A loopback HTTP/1.1 server that records every request as it was sent and
//! answers with a configurable response: the check for what no validator
//! judges (label and matrix paths, cookies, multipart parts, `explode`).
//!
//! Built on tokio's sockets and `httparse` rather than hyper: hyper hands a
//! server the request already interpreted (header names lower-cased and
//! grouped by name, chunked framing decoded away), while the point here is
//! the bytes the client chose. `httparse` is the parser hyper itself uses,
//! and keeps the head exactly as sent.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// The largest request head read, in bytes.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body read, in bytes.
const MAX_BODY: usize = 64 * 1024 * 1024;
/// How many headers a request may have.
const MAX_HEADERS: usize = 128;

/// One request, as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// The request target exactly as sent: path and query, percent-encoding untouched.
    pub target: String,
    /// Headers in the order sent, names in the case sent.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body, with chunked framing (if any) removed.
    pub body: Vec<u8>,
    /// Whether the body came chunked.
    pub chunked: bool,
}

impl RecordedRequest {
    /// The part of the target before `?`.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&self.target, |(path, _)| path)
    }

    /// The part after `?`, if there is one.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// Every value of a header, names compared without case.
    pub fn header_values(&self, name: &str) -> Vec<&[u8]> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
            .collect()
    }

    /// The first value of a header as text, if it is UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name)
            .first()
            .and_then(|v| std::str::from_utf8(v).ok())
    }
}

/// What the recorder answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
}

/// Answers a request in place of the fixed reply (a relay to another server).
/// It runs on tokio's blocking pool: it may block.
pub type Handler = Arc<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

struct Shared {
    requests: Vec<RecordedRequest>,
    reply: Reply,
    handler: Option<Handler>,
}

/// A running recorder; it stops when dropped.
pub struct Recorder {
    address: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    stop: Option<oneshot::Sender<()>>,
}

impl Recorder {
    /// Listens on a free port of 127.0.0.1, on the current tokio runtime.
    pub async fn start(reply: Reply) -> std::io::Result<Recorder> {
        Recorder::listen(reply, None).await
    }

    /// Like [`Recorder::start`], answering each request with `handler`.
    pub async fn start_with(handler: Handler) -> std::io::Result<Recorder> {
        Recorder::listen(Reply::new(500), Some(handler)).await
    }

    async fn listen(reply: Reply, handler: Option<Handler>) -> std::io::Result<Recorder> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(Shared {
            requests: Vec::new(),
            reply,
            handler,
        }));
        let (stop, mut stopped) = oneshot::channel();
        let accepting = shared.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        tokio::spawn(serve(stream, accepting.clone()));
                    }
                }
            }
        });
        Ok(Recorder {
            address,
            shared,
            stop: Some(stop),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every request recorded so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// The requests recorded so far, forgetting them.
    pub fn take_requests(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut self.lock().requests)
    }

    /// What later requests are answered with.
    pub fn set_reply(&self, reply: Reply) {
        self.lock().reply = reply;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Serves one connection: requests in a row (keep-alive) until the client
/// closes it or sends something that is not HTTP/1.1.
async fn serve(mut stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let mut buffer = Vec::new();
    loop {
        let request = match read_request(&mut stream, &mut buffer).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(message) => {
                let _ = stream
                    .write_all(&response_bytes(&Reply {
                        status: 400,
                        headers: vec![("Content-Type".into(), "text/plain".into())],
                        body: message.into_bytes(),
                    }))
                    .await;
                return;
            }
        };
        let close = request
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let (reply, handler) = {
            let mut shared = shared.lock().unwrap_or_else(|e| e.into_inner());
            shared.requests.push(request.clone());
            (shared.reply.clone(), shared.handler.clone())
        };
        let reply = match handler {
            None => reply,
            Some(handler) => tokio::task::spawn_blocking(move || handler(&request))
                .await
                .unwrap_or_else(|_| Reply::new(500)),
        };
        if stream.write_all(&response_bytes(&reply)).await.is_err() || close {
            return;
        }
    }
}

async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<bool, String> {
    let mut chunk = [0u8; 16 * 1024];
    match tokio::time::timeout(Duration::from_secs(30), stream.read(&mut chunk)).await {
        Ok(Ok(0)) => Ok(false),
        Ok(Ok(n)) => {
            buffer.extend_from_slice(&chunk[..n]);
            Ok(true)
        }
        Ok(Err(err)) => Err(format!("read failed: {err}")),
        Err(_) => Err("the client sent nothing for 30 s".into()),
    }
}

/// Reads one request; `None` when the connection closed between requests.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> Result<Option<RecordedRequest>, String> {
    let (head_len, method, target, headers) = loop {
        let mut slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut slots);
        match parsed.parse(buffer) {
            Ok(httparse::Status::Complete(len)) => {
                let headers: Vec<(String, Vec<u8>)> = parsed
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), h.value.to_vec()))
                    .collect();
                break (
                    len,
                    parsed.method.unwrap_or_default().to_string(),
                    parsed.path.unwrap_or_default().to_string(),
                    headers,
                );
            }
            Ok(httparse::Status::Partial) => {
                if buffer.len() > MAX_HEAD {
                    return Err(format!("the request head is over {MAX_HEAD} bytes"));
                }
                if !fill(stream, buffer).await? {
                    return if buffer.is_empty() {
                        Ok(None)
                    } else {
                        Err("the connection closed inside a request head".into())
                    };
                }
            }
            Err(err) => return Err(format!("not an HTTP/1.1 request: {err}")),
        }
    };
    buffer.drain(..head_len);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).trim().to_ascii_lowercase())
    };
    let chunked = header("transfer-encoding").is_some_and(|v| v.contains("chunked"));
    let body = if chunked {
        read_chunked(stream, buffer).await?
    } else {
        let length: usize = match header("content-length") {
            Some(text) => text
                .parse()
                .map_err(|_| format!("bad Content-Length `{text}`"))?,
            None => 0,
        };
        if length > MAX_BODY {
            return Err(format!("the body is over {MAX_BODY} bytes"));
        }
        while buffer.len() < length {
            if !fill(stream, buffer).await? {
                return Err("the connection closed inside a body".into());
            }
        }
        buffer.drain(..length).collect()
    };
    Ok(Some(RecordedRequest {
        method,
        target,
        headers,
        body,
        chunked,
    }))
}

async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = buffer.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            if !fill(stream, buffer).await? {
                return Err("the connection closed inside a chunk size".into());
            }
        };
        let size_text = String::from_utf8_lossy(&buffer[..line_end]).to_string();
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size `{size_text}`"))?;
        buffer.drain(..line_end + 2);
        if size == 0 {
            // Trailers (none expected) end with an empty line.
            loop {
                if let Some(i) = buffer.windows(2).position(|w| w == b"\r\n") {
                    let empty = i == 0;
                    buffer.drain(..i + 2);
                    if empty {
                        return Ok(body);
                    }
                } else if !fill(stream, buffer).await? {
                    return Ok(body);
                }
            }
        }
        if body.len() + size > MAX_BODY {
            return Err(format!("the body is over {MAX_BODY} bytes"));
        }
        while buffer.len() < size + 2 {
            if !fill(stream, buffer).await? {
                return Err("the connection closed inside a chunk".into());
            }
        }
        body.extend_from_slice(&buffer[..size]);
        buffer.drain(..size + 2);
    }
}

fn response_bytes(reply: &Reply) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status)).into_bytes();
    for (name, value) in &reply.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", reply.body.len()).as_bytes());
    out.extend_from_slice(&reply.body);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn send(address: SocketAddr, raw: &[u8]) -> Vec<u8> {
        let mut stream = TcpStream::connect(address).await.unwrap();
        stream.write_all(raw).await.unwrap();
        // The request says `Connection: close` (or is not HTTP): the
        // response ends where the stream does.
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn requests_are_recorded_as_sent_and_answered_as_configured() {
        let recorder = Recorder::start(Reply::json(201, &serde_json::json!({"ok": true})))
            .await
            .unwrap();
        let raw = b"POST /a%2Fb;x=1?ids=1,2&q=a+b HTTP/1.1\r\nHost: h\r\nX-Case: One\r\ncookie: a=1\r\nCookie: b=2\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        let response = send(recorder.address(), raw).await;
        let response = String::from_utf8_lossy(&response);
        assert!(
            response.starts_with("HTTP/1.1 201 Created\r\n"),
            "{response}"
        );
        assert!(response.ends_with("{\"ok\":true}"), "{response}");
        let recorded = recorder.requests();
        assert_eq!(recorded.len(), 1);
        let request = &recorded[0];
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/a%2Fb;x=1?ids=1,2&q=a+b");
        assert_eq!(request.path(), "/a%2Fb;x=1");
        assert_eq!(request.query(), Some("ids=1,2&q=a+b"));
        let names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Host",
                "X-Case",
                "cookie",
                "Cookie",
                "Content-Length",
                "Connection"
            ]
        );
        assert_eq!(
            request.header_values("COOKIE"),
            [b"a=1".as_slice(), b"b=2".as_slice()]
        );
        assert_eq!(request.body, b"hello");
        assert!(!request.chunked);
    }

    #[tokio::test]
    async fn chunked_bodies_are_decoded_and_keep_alive_requests_all_recorded() {
        let recorder = Recorder::start(Reply::new(204)).await.unwrap();
        let mut stream = TcpStream::connect(recorder.address()).await.unwrap();
        stream
            .write_all(b"PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\nGET /y HTTP/1.1\r\n\r\n")
            .await
            .unwrap();
        let mut seen = Vec::new();
        let mut chunk = [0u8; 1024];
        while seen.windows(12).filter(|w| w == b"HTTP/1.1 204").count() < 2 {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&chunk[..n]);
        }
        let recorded = recorder.take_requests();
        assert_eq!(recorded.len(), 2);
        assert_eq!(recorded[0].body, b"abcde");
        assert!(recorded[0].chunked);
        assert_eq!(recorded[1].target, "/y");
        assert!(recorder.requests().is_empty());
    }

    #[tokio::test]
    async fn garbage_gets_a_400_not_a_crash() {
        let recorder = Recorder::start(Reply::new(200)).await.unwrap();
        let response = send(recorder.address(), b"\x00\x01 not http\r\n\r\n").await;
        assert!(
            response.starts_with(b"HTTP/1.1 400"),
            "{}",
            String::from_utf8_lossy(&response)
        );
        assert!(recorder.requests().is_empty());
    }
}
