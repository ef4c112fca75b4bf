//! A minimal blocking HTTP/1.1 client that sends a request exactly as given
//! (target, headers, body bytes): for probing Prism, and for tests, where a
//! full client would normalise what is being checked.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A response: status, headers in order, body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Prism's violations for a refused request: the `validation` list of its
    /// problem+json body, else its `sl-violations` header (sent when the
    /// operation has an error response of its own, whose body is then the
    /// spec's), as `location: message` lines. Only errors count: Prism's
    /// warnings (a deprecated parameter, which a client may still send) do
    /// not make a request wrong.
    pub fn prism_violations(&self) -> Vec<String> {
        let from_body = serde_json::from_slice::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|body| body.get("validation").cloned());
        let from_header = self
            .header("sl-violations")
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
        let Some(serde_json::Value::Array(list)) = from_body.or(from_header) else {
            return Vec::new();
        };
        list.iter()
            .filter(|violation| {
                violation
                    .get("severity")
                    .and_then(|s| s.as_str())
                    .is_none_or(|severity| severity.eq_ignore_ascii_case("error"))
            })
            .map(|violation| {
                let location: Vec<String> = violation
                    .get("location")
                    .and_then(|l| l.as_array())
                    .map(|l| {
                        l.iter()
                            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                let message = violation
                    .get("message")
                    .and_then(|m| m.as_str())
                    .unwrap_or_default();
                format!("{}: {message}", location.join("."))
            })
            .collect()
    }
}

/// Sends one request with `Connection: close` and reads the whole response.
pub fn send(
    address: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Response, String> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
        .map_err(|err| format!("cannot connect to {address}: {err}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|err| err.to_string())?;
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    stream
        .write_all(&bytes)
        .map_err(|err| format!("cannot send to {address}: {err}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|err| format!("no response from {address}: {err}"))?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let mut slots = [httparse::EMPTY_HEADER; 128];
    let mut parsed = httparse::Response::new(&mut slots);
    let head_len = match parsed.parse(raw) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Err("the response ended inside its head".into()),
        Err(err) => return Err(format!("not an HTTP response: {err}")),
    };
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let status = parsed.code.unwrap_or_default();
    let mut body = raw[head_len..].to_vec();
    if let Some((_, length)) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        && let Ok(length) = length.trim().parse::<usize>()
    {
        body.truncate(length);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}
