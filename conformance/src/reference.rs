//! The reference driver: sends each call's reference encoding itself, with
//! no generated code, and checks Prism's responses against their schemas.
//!
//! It measures what the runner's other parts give the generated client's
//! driver: whether the synthesized arguments are valid to Prism, whether
//! every slice loads, and whether Prism's mocked responses (examples,
//! generated bodies, error statuses) are valid against the spec, which they
//! must be before a decode failure can be the client's fault.

use std::net::SocketAddr;

use serde_json::Value;

use crate::client::{self, Response};
use crate::document;
use crate::runner::{Call, Driver, Job, Outcome, RequestVerdict, ResponseVerdict, Target};
use crate::schema::{Direction, SchemaValidator};

#[derive(Default)]
pub struct ReferenceDriver {
    validator: Option<SchemaValidator>,
}

impl ReferenceDriver {
    pub fn new() -> ReferenceDriver {
        ReferenceDriver::default()
    }
}

impl Driver for ReferenceDriver {
    fn name(&self) -> &str {
        "reference"
    }

    fn prepare(&mut self, spec: &crate::runner::SpecUnderTest<'_>) -> Result<(), String> {
        self.validator = Some(SchemaValidator::new(std::sync::Arc::new(
            spec.document.clone(),
        )));
        Ok(())
    }

    fn run(&mut self, job: &Job<'_>) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        for call in job.calls {
            let url = match call.target {
                Target::Prism => &job.prism_url,
                Target::Recorder => &job.recorder_url,
            };
            for variant in &call.variants {
                let outcome = |request, response| Outcome::new(call, variant, request, response);
                let expected = match &call.expected {
                    Ok(expected) => expected,
                    Err(err) => {
                        outcomes.push(outcome(
                            RequestVerdict::NotSent(err.clone()),
                            ResponseVerdict::NotChecked("not sent".into()),
                        ));
                        continue;
                    }
                };
                let mut headers: Vec<(&str, &str)> = expected
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                if let Some(prefer) = &variant.prefer {
                    headers.push(("Prefer", prefer));
                }
                let sent = address(url).and_then(|address| {
                    client::send(
                        address,
                        &expected.method,
                        &expected.target,
                        &headers,
                        &expected.body,
                    )
                });
                let response = match sent {
                    Ok(response) => response,
                    Err(err) => {
                        outcomes.push(outcome(
                            RequestVerdict::Failed(err),
                            ResponseVerdict::NotChecked("no response".into()),
                        ));
                        continue;
                    }
                };
                if call.target == Target::Recorder {
                    outcomes.push(outcome(
                        RequestVerdict::Recorded,
                        ResponseVerdict::NotChecked("the recorder's reply".into()),
                    ));
                    continue;
                }
                if let Judgement::Final(request, response) = judge(&response) {
                    outcomes.push(outcome(request, response));
                    continue;
                }
                let verdict = self.check_response(job, call, &response);
                outcomes.push(outcome(
                    RequestVerdict::Accepted {
                        status: response.status,
                    },
                    verdict,
                ));
            }
        }
        outcomes
    }
}

impl ReferenceDriver {
    /// The response against its documented schema.
    fn check_response(&self, job: &Job<'_>, call: &Call, response: &Response) -> ResponseVerdict {
        let Some(validator) = &self.validator else {
            return ResponseVerdict::NotChecked("not prepared".into());
        };
        against_schema(validator, job.spec.document, call, response)
    }
}

/// What Prism says of its own body, when the validator finds it invalid
/// against the documented schema.
pub const INVALID_BODY: &str = "Prism's body is not valid against the schema";

/// The response against the schema its status and media type document.
pub fn against_schema(
    validator: &SchemaValidator,
    doc: &Value,
    call: &Call,
    response: &Response,
) -> ResponseVerdict {
    let responses = doc.pointer(&format!("{}/responses", call.plan.operation.pointer()));
    let status = response.status.to_string();
    let range = format!("{}XX", &status[..1]);
    let documented = responses.and_then(|r| {
        r.get(&status)
            .or_else(|| r.get(&range))
            .or_else(|| r.get("default"))
    });
    let Some(documented) = documented.and_then(|d| document::follow(doc, d).ok()) else {
        return ResponseVerdict::Failed(format!("status {status} is not documented"));
    };
    let content_type = response.header("content-type").unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let Some(content) = documented.get("content").and_then(Value::as_object) else {
        return if response.body.is_empty() {
            ResponseVerdict::Decoded
        } else {
            ResponseVerdict::NotChecked("a body where none is documented".into())
        };
    };
    let media = content.get(essence).or_else(|| {
        content
            .iter()
            .find(|(k, _)| k.starts_with(essence))
            .map(|(_, v)| v)
    });
    let Some(media) = media else {
        return ResponseVerdict::Failed(format!(
            "Content-Type `{content_type}` is not documented for status {status}"
        ));
    };
    if !document::is_json_media_type(essence) {
        return ResponseVerdict::NotChecked(format!("{essence} is not JSON"));
    }
    let Some(schema) = media.get("schema") else {
        return ResponseVerdict::Decoded;
    };
    let body: Value = match serde_json::from_slice(&response.body) {
        Ok(body) => body,
        Err(err) => return ResponseVerdict::Failed(format!("the body is not JSON: {err}")),
    };
    match validator.validate(schema, &body, Direction::Response) {
        Ok(()) => ResponseVerdict::Decoded,
        Err(messages) => {
            ResponseVerdict::Failed(format!("{INVALID_BODY}: {}", messages.join("; ")))
        }
    }
}

/// What Prism's answer says before the body is looked at.
pub enum Judgement {
    /// The verdicts are final: Prism refused the request, or its own answer
    /// is not one the client can be judged on.
    Final(RequestVerdict, ResponseVerdict),
    /// Prism accepted the request and answered as the spec says it may.
    Accepted { status: u16 },
}

/// Reads Prism's answer: its verdict on the request, and whether the
/// response is one a client must decode.
pub fn judge(response: &Response) -> Judgement {
    let (on_response, on_request): (Vec<String>, Vec<String>) = response
        .prism_violations()
        .into_iter()
        .partition(|v| v.starts_with("response"));
    if !on_response.is_empty()
        && on_response
            .iter()
            .all(|v| v.contains("exactly one schema in oneOf"))
    {
        return Judgement::Final(
            RequestVerdict::Accepted {
                status: response.status,
            },
            ResponseVerdict::NotChecked(format!(
                "Prism reads oneOf without the discriminator and refuses its own mocked body: {}",
                on_response.join("; ")
            )),
        );
    }
    if !on_response.is_empty() {
        // With --errors Prism validates its own mocked response too,
        // and answers 500 when the spec's example contradicts the schema.
        return Judgement::Final(
            RequestVerdict::Accepted {
                status: response.status,
            },
            ResponseVerdict::Failed(format!(
                "Prism's mocked response violates the spec: {}",
                on_response.join("; ")
            )),
        );
    }
    let prism_error = is_prism_error(response);
    if prism_error && response.status >= 500 && on_request.is_empty() {
        // Validation comes first: a 500 of Prism's own is past it.
        return Judgement::Final(
            RequestVerdict::Accepted {
                status: response.status,
            },
            ResponseVerdict::NotChecked(format!(
                "Prism could not mock a response: {}",
                problem_title(response)
            )),
        );
    }
    if !on_request.is_empty() || prism_error {
        let said = if on_request.is_empty() {
            vec![problem_title(response)]
        } else {
            on_request
        };
        return Judgement::Final(
            RequestVerdict::Refused {
                status: response.status,
                violations: said,
            },
            ResponseVerdict::NotChecked("the request was refused".into()),
        );
    }
    Judgement::Accepted {
        status: response.status,
    }
}

fn address(url: &str) -> Result<SocketAddr, String> {
    url.trim_start_matches("http://")
        .parse()
        .map_err(|err| format!("bad address {url}: {err}"))
}

/// A problem+json answer of Prism's own (no path, no method, 406, 415, 422).
fn is_prism_error(response: &Response) -> bool {
    serde_json::from_slice::<Value>(&response.body)
        .ok()
        .and_then(|body| {
            body.get("type")
                .and_then(Value::as_str)
                .map(|t| t.starts_with("https://stoplight.io/prism/errors#"))
        })
        .unwrap_or(false)
}

fn problem_title(response: &Response) -> String {
    serde_json::from_slice::<Value>(&response.body)
        .ok()
        .and_then(|body| {
            let title = body.get("title")?.as_str()?.to_string();
            let detail = body
                .get("detail")
                .and_then(Value::as_str)
                .unwrap_or_default();
            Some(format!("{title}: {detail}"))
        })
        .unwrap_or_else(|| format!("status {}", response.status))
}
