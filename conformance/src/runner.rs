//! The conformance run of one spec, and the seam where a driver plugs in.
//!
//! The runner does what does not depend on the client under test: it cuts
//! the spec into slices, starts Prism on each, plans every call (required
//! arguments only, then every optional one) with the reference encoding of
//! each and the limits of Prism that apply, starts the loopback recorder,
//! hands all of it to a [`Driver`], and judges what comes back: Prism's
//! verdict for the calls it can judge, the recorded bytes against the
//! reference encoding for the calls it cannot.
//!
//! The generated client's driver (generate the crate and a program calling
//! every operation, build it, run it against the job's URLs) implements
//! [`Driver`]; [`crate::reference::ReferenceDriver`] sends the reference
//! encoding itself, which proves the plumbing, the synthesized values and the
//! slices against Prism without any generated code.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::document::{self, OperationRef};
use crate::encode::{self, EncodedRequest};
use crate::limits::{self, Limit, Reach};
use crate::plan::{self, OperationPlan};
use crate::prism::{Prism, PrismOptions};
use crate::recorder::{RecordedRequest, Recorder, Reply};
use crate::schema::{Direction, SchemaValidator};
use crate::slice::{self, Slice};
use crate::synth::{Mode, Synth};

/// A spec under test.
pub struct SpecUnderTest<'a> {
    pub name: &'a str,
    pub path: &'a std::path::Path,
    pub document: &'a Value,
}

/// Where a call is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Prism,
    Recorder,
}

/// A response variant Prism is asked for, by `Prefer` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// `example`, `dynamic`, `status 404`.
    pub label: String,
    /// The `Prefer` header's value (`dynamic=true`, `code=404`), if any.
    pub prefer: Option<String>,
}

/// One call a driver makes.
#[derive(Debug, Clone)]
pub struct Call {
    pub plan: OperationPlan,
    /// The request by the OpenAPI rules (an error when the reference encoder
    /// cannot write it).
    pub expected: Result<EncodedRequest, String>,
    /// The `Accept` header the reference sends.
    pub accept: String,
    pub limits: Vec<Limit>,
    pub target: Target,
    /// The responses to ask Prism for (on the recorder, one: its reply).
    pub variants: Vec<Variant>,
}

/// What a driver is handed for one slice.
pub struct Job<'a> {
    pub spec: &'a SpecUnderTest<'a>,
    pub slice: &'a Slice,
    pub prism_url: String,
    pub recorder_url: String,
    pub calls: &'a [Call],
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestVerdict {
    /// Prism accepted it (any status but its 4xx validation refusals).
    Accepted { status: u16 },
    /// Prism refused it: the status and its violations.
    Refused {
        status: u16,
        violations: Vec<String>,
    },
    /// Sent to the recorder; the runner compares it with the reference.
    Recorded,
    /// The recorded bytes equal the reference encoding.
    MatchesReference,
    /// The recorded bytes differ from the reference encoding: how.
    DiffersFromReference(Vec<String>),
    /// Not sent, and why (no code for it, a build error, a plan gap).
    NotSent(String),
    /// Sent to the recorder, with no reference encoding to judge it by: the
    /// OpenAPI rules do not define how the value is written (a `deepObject`
    /// array, say), and why.
    Unjudged(String),
    /// The connection failed (Prism may have exited on the request).
    Failed(String),
}

/// What became of the response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseVerdict {
    /// Decoded (the generated client), or valid against its schema (the reference).
    Decoded,
    /// An error status decoded, its body's code or message (or both) given
    /// back by the client's `code()` and `message()`.
    ErrorRead,
    Failed(String),
    NotChecked(String),
}

/// One call's result, for one response variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub operation: OperationRef,
    pub mode: Mode,
    pub variant: String,
    pub judged_by: Target,
    pub request: RequestVerdict,
    pub response: ResponseVerdict,
}

impl Outcome {
    /// The outcome of `call` for one of its response variants.
    pub fn new(
        call: &Call,
        variant: &Variant,
        request: RequestVerdict,
        response: ResponseVerdict,
    ) -> Outcome {
        Outcome {
            operation: call.plan.operation.clone(),
            mode: call.plan.mode,
            variant: variant.label.clone(),
            judged_by: call.target,
            request,
            response,
        }
    }
}

/// The client under test.
pub trait Driver {
    /// A short name for the report.
    fn name(&self) -> &str;
    /// Once per spec, before any job: generate and build what the calls need.
    fn prepare(&mut self, spec: &SpecUnderTest<'_>) -> Result<(), String> {
        let _ = spec;
        Ok(())
    }
    /// Makes every call of the job, each variant of each, and says what
    /// happened, in the order of `job.calls`. Calls to the recorder must be
    /// made in that order (the runner pairs recorded requests with them).
    fn run(&mut self, job: &Job<'_>) -> Vec<Outcome>;
}

/// How a spec is run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Operations per slice (one Prism process each, in sequence).
    pub per_slice: usize,
    pub prism: PrismOptions,
    /// Where slices are written for Prism to read.
    pub scratch: PathBuf,
    /// The synthesizer's seed.
    pub seed: u64,
}

/// Everything a spec's run found.
#[derive(Debug, Clone, Default)]
pub struct SpecReport {
    pub operations: usize,
    pub outcomes: Vec<Outcome>,
    /// Operations that could not be run (a slice Prism did not load, a plan
    /// without a required value), with why.
    pub not_run: Vec<(OperationRef, String)>,
    /// Prism's load time per slice.
    pub load_times: Vec<Duration>,
    /// Events worth a line: Prism exiting during a job, with its last words.
    pub notes: Vec<String>,
}

/// The calls of some operations: both modes, reference encodings, limits.
/// `strict` reads `oneOf` as Prism does (no discriminator): a body it
/// refuses goes to the recorder.
pub fn calls(
    synth: &Synth,
    strict: &SchemaValidator,
    operations: &[OperationRef],
) -> (Vec<Call>, Vec<(OperationRef, String)>) {
    let doc = synth.validator().document();
    let mut calls = Vec::new();
    let mut not_run = Vec::new();
    for operation in operations {
        if let Some(name) = path_parameter_outside_template(doc, operation) {
            not_run.push((
                operation.clone(),
                format!(
                    "the spec's fault: its path parameter `{name}` is not in the template `{}`, so no request carries it (Prism requires it of every one)",
                    operation.path
                ),
            ));
            continue;
        }
        for mode in [Mode::Required, Mode::Full] {
            let plan = plan::plan(synth, operation, mode);
            if !plan.complete() {
                let gaps: Vec<String> = plan
                    .gaps
                    .iter()
                    .filter(|g| g.required)
                    .map(|g| format!("{}: {}", g.what, g.error))
                    .collect();
                not_run.push((
                    operation.clone(),
                    format!("{mode:?}: no value for {}", gaps.join("; ")),
                ));
                continue;
            }
            let accept = accept_for(doc, operation);
            let expected = encode::request(&plan, Some(&accept));
            let mut limits = limits::limits(doc, &plan);
            if let Some(body) = &plan.body
                && let Some(schema) = &body.schema
                && strict
                    .validate(schema, &body.value, Direction::Request)
                    .is_err()
            {
                limits.push(Limit {
                    what: format!("body {}", body.media_type),
                    why: "Prism reads oneOf without the discriminator: the value (valid by its tag) matches several branches",
                    reach: Reach::RecorderOnly,
                });
            }
            let target = match limits::reach(&limits) {
                Some(Reach::RecorderOnly) => Target::Recorder,
                _ => Target::Prism,
            };
            let variants = if target == Target::Recorder {
                vec![Variant {
                    label: "recorder".into(),
                    prefer: None,
                }]
            } else {
                variants_for(doc, operation, mode)
            };
            calls.push(Call {
                plan,
                expected,
                accept,
                limits,
                target,
                variants,
            });
        }
    }
    (calls, not_run)
}

/// A path parameter the operation declares whose `{name}` its path template
/// does not hold (openai-3.0's `cert_id` of `/organization/certificates/
/// {certificate_id}`): OpenAPI requires every path parameter to be in the
/// template, and a request cannot carry one that is not.
fn path_parameter_outside_template(doc: &Value, operation: &OperationRef) -> Option<String> {
    plan::parameters(doc, operation)
        .into_iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|(_, p)| p.get("name").and_then(Value::as_str))
        .find(|name| !operation.path.contains(&format!("{{{name}}}")))
        .map(str::to_owned)
}

/// The media types of the operation's success responses, JSON first, as an
/// `Accept` list; `*/*` when none is documented.
fn accept_for(doc: &Value, operation: &OperationRef) -> String {
    let mut types: Vec<String> = Vec::new();
    if let Some(responses) = doc
        .pointer(&format!("{}/responses", operation.pointer()))
        .and_then(Value::as_object)
    {
        for (status, response) in responses {
            if !status.starts_with('2') {
                continue;
            }
            let content = document::follow(doc, response)
                .ok()
                .and_then(|r| r.get("content"))
                .and_then(Value::as_object);
            for media_type in content.into_iter().flat_map(|c| c.keys()) {
                if !types.contains(media_type) {
                    types.push(media_type.clone());
                }
            }
        }
    }
    types.sort_by_key(|t| !document::is_json_media_type(t));
    if types.is_empty() {
        "*/*".into()
    } else {
        types.join(", ")
    }
}

/// The example, a generated body, and every documented error status (full
/// mode only: one set of arguments is enough to ask for them).
fn variants_for(doc: &Value, operation: &OperationRef, mode: Mode) -> Vec<Variant> {
    let mut out = vec![Variant {
        label: "example".into(),
        prefer: None,
    }];
    if mode == Mode::Full {
        out.push(Variant {
            label: "dynamic".into(),
            prefer: Some("dynamic=true".into()),
        });
        if let Some(responses) = doc
            .pointer(&format!("{}/responses", operation.pointer()))
            .and_then(Value::as_object)
        {
            for status in responses.keys().filter(|s| {
                s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('2')
            }) {
                out.push(Variant {
                    label: format!("status {status}"),
                    prefer: Some(format!("code={status}")),
                });
            }
        }
    }
    out
}

/// Runs every operation of a spec through `driver`.
pub fn run_spec(
    spec: &SpecUnderTest<'_>,
    driver: &mut dyn Driver,
    options: &RunOptions,
) -> SpecReport {
    let mut report = SpecReport {
        operations: document::operations(spec.document).len(),
        ..SpecReport::default()
    };
    if let Err(err) = driver.prepare(spec) {
        for operation in document::operations(spec.document) {
            report
                .not_run
                .push((operation, format!("{}: {err}", driver.name())));
        }
        return report;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            report
                .notes
                .push(format!("cannot start the recorder's runtime: {err}"));
            return report;
        }
    };
    let recorder = match runtime.block_on(Recorder::start(Reply::json(200, &serde_json::json!({}))))
    {
        Ok(recorder) => recorder,
        Err(err) => {
            report
                .notes
                .push(format!("cannot start the recorder: {err}"));
            return report;
        }
    };
    let synth = Synth::new(spec.document).with_seed(options.seed);
    let strict =
        SchemaValidator::ignoring_discriminators(std::sync::Arc::new(spec.document.clone()));
    let slices = match slice::slices(spec.document, options.per_slice) {
        Ok(slices) => slices,
        Err(err) => {
            report.notes.push(format!("cannot slice: {err}"));
            return report;
        }
    };
    for (index, slice) in slices.iter().enumerate() {
        let (calls, not_run) = calls(&synth, &strict, &slice.operations);
        report.not_run.extend(not_run);
        let path = match crate::prism::write_spec(
            &options.scratch,
            &format!("{}-{index}", spec.name),
            &slice.document,
        ) {
            Ok(path) => path,
            Err(err) => {
                report
                    .notes
                    .push(format!("cannot write slice {index}: {err}"));
                continue;
            }
        };
        let prism = match Prism::start(&path, &options.prism) {
            Ok(prism) => prism,
            Err(err) => {
                for operation in &slice.operations {
                    report.not_run.push((
                        operation.clone(),
                        format!(
                            "Prism did not load its slice: {}",
                            first_line(&err.to_string())
                        ),
                    ));
                }
                continue;
            }
        };
        report.load_times.push(prism.load_time());
        let job = Job {
            spec,
            slice,
            prism_url: prism.base_url(),
            recorder_url: recorder.base_url(),
            calls: &calls,
        };
        let mut outcomes = driver.run(&job);
        compare_recorded(&calls, recorder.take_requests(), &mut outcomes);
        if let Some(status) = prism_exit(&prism) {
            report.notes.push(format!(
                "Prism exited during slice {index} ({status}): {}",
                last_error_line(&prism.output())
            ));
        }
        report.outcomes.extend(outcomes);
    }
    report
}

fn prism_exit(prism: &Prism) -> Option<String> {
    crate::client::send(prism.address(), "GET", "/", &[], b"").err()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn last_error_line(output: &str) -> String {
    output
        .lines()
        .rev()
        .find(|l| l.contains("Error") || l.contains("fatal"))
        .unwrap_or("(no error line)")
        .trim()
        .to_string()
}

/// Pairs the recorded requests with the calls sent to the recorder, in
/// order, and judges each against its reference encoding.
fn compare_recorded(calls: &[Call], recorded: Vec<RecordedRequest>, outcomes: &mut [Outcome]) {
    let mut recorded = recorded.into_iter();
    // A driver gives an outcome per call and variant, in order; a call to
    // the recorder has one variant. Only those it sent were recorded.
    let slots = calls
        .iter()
        .flat_map(|call| call.variants.iter().map(move |_| call));
    for (call, outcome) in slots.zip(outcomes.iter_mut()) {
        if call.target != Target::Recorder || outcome.request != RequestVerdict::Recorded {
            continue;
        }
        outcome.request = match (&call.expected, recorded.next()) {
            (_, None) => {
                RequestVerdict::Failed("the recorder received no request for this call".into())
            }
            (Err(err), Some(_)) => {
                RequestVerdict::Unjudged(format!("no reference encoding to compare with: {err}"))
            }
            (Ok(expected), Some(request)) => {
                let differences = differences(expected, &request);
                if differences.is_empty() {
                    RequestVerdict::MatchesReference
                } else {
                    RequestVerdict::DiffersFromReference(differences)
                }
            }
        };
    }
}

/// How a recorded request departs from the reference: method, target, body,
/// and each reference header (others the client adds are its own business).
pub fn differences(expected: &EncodedRequest, request: &RecordedRequest) -> Vec<String> {
    let mut out = Vec::new();
    if expected.method != request.method {
        out.push(format!(
            "method {} instead of {}",
            request.method, expected.method
        ));
    }
    if !same_target(&expected.target, &request.target) {
        out.push(format!(
            "target `{}` instead of `{}`",
            request.target, expected.target
        ));
    }
    let expected_type = expected
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.as_str());
    if let (Some(expected_boundary), Some(sent_boundary)) = (
        expected_type.and_then(boundary),
        request.header("content-type").and_then(boundary),
    ) {
        // Boundaries are the client's choice: parts are compared, not bytes.
        let expected_parts = parts(&expected.body, expected_boundary);
        let sent_parts = parts(&request.body, sent_boundary);
        if expected_parts != sent_parts {
            out.push(format!(
                "multipart parts {sent_parts:?} instead of {expected_parts:?}"
            ));
        }
        return out;
    }
    for (name, value) in &expected.headers {
        if name.eq_ignore_ascii_case("accept") {
            continue;
        }
        match request.header(name) {
            Some(sent) if sent == value => {}
            Some(sent) if name.eq_ignore_ascii_case("cookie") && same_cookies(value, sent) => {}
            Some(sent) => out.push(format!("header {name}: `{sent}` instead of `{value}`")),
            None => out.push(format!("header {name} missing (expected `{value}`)")),
        }
    }
    let json = expected_type.is_some_and(crate::document::is_json_media_type);
    // A form body's pairs, like a query's: in any order between names, in
    // order within one (a struct writes its fields in its own order).
    let form = expected_type.is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let same_form = || {
        let text = |body: &[u8]| format!("?{}", String::from_utf8_lossy(body));
        same_target(&text(&expected.body), &text(&request.body))
    };
    if expected.body != request.body
        && !(json && same_json_text(&expected.body, &request.body))
        && !(form && same_form())
    {
        out.push(format!(
            "body `{}` instead of `{}`",
            String::from_utf8_lossy(&request.body),
            String::from_utf8_lossy(&expected.body)
        ));
    }
    out
}

/// Whether two JSON texts hold the same value (RFC 8259): members in any
/// order, numbers by their value, so `50.0` is `50`.
fn same_json_text(expected: &[u8], sent: &[u8]) -> bool {
    match (
        serde_json::from_slice::<serde_json::Value>(expected),
        serde_json::from_slice::<serde_json::Value>(sent),
    ) {
        (Ok(expected), Ok(sent)) => same_json(&expected, &sent),
        _ => false,
    }
}

fn same_json(expected: &serde_json::Value, sent: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (expected, sent) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => a.as_f64() == b.as_f64(),
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same_json(a, b)))
        }
        (a, b) => a == b,
    }
}

/// Whether two `Cookie` headers hold the same pairs: in any order between
/// names, in the same order within one (RFC 6265, 5.4: only cookies of one
/// name are ordered).
fn same_cookies(expected: &str, sent: &str) -> bool {
    cookie_pairs(expected) == cookie_pairs(sent)
}

fn cookie_pairs(header: &str) -> Vec<&str> {
    let mut pairs: Vec<&str> = header.split("; ").filter(|p| !p.is_empty()).collect();
    // Stable: the pairs of one name keep their order.
    pairs.sort_by_key(|pair| pair.split('=').next().unwrap_or_default());
    pairs
}

/// Whether two request targets are the same: the path byte for byte, the
/// query's pairs in any order between parameters (OpenAPI orders none), in
/// the same order within one (`a=1&a=2`).
fn same_target(expected: &str, sent: &str) -> bool {
    let split = |target: &str| {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
        pairs.sort_by_key(|pair| pair.split('=').next().unwrap_or_default());
        (path.to_string(), pairs.join("&"))
    };
    split(expected) == split(sent)
}

fn boundary(content_type: &str) -> Option<&str> {
    content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
}

/// The parts of a multipart body, each as its header lines (names lower
/// case) and its content, sorted by header: their order is not meaningful
/// across properties the client may reorder. A file part's `filename` is
/// compared for presence only: its value is the caller's choice (RFC 7578
/// §4.2 asks for one, and names none).
fn parts(body: &[u8], boundary: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut out: Vec<String> = text
        .split(delimiter.as_str())
        .skip(1)
        .filter(|part| !part.starts_with("--"))
        .map(|part| {
            let part = part.strip_prefix("\r\n").unwrap_or(part);
            let part = part.strip_suffix("\r\n").unwrap_or(part);
            match part.split_once("\r\n\r\n") {
                Some((head, content)) => {
                    let mut lines: Vec<String> = head
                        .split("\r\n")
                        .map(|line| match line.split_once(':') {
                            Some((name, value)) => {
                                format!(
                                    "{}:{}",
                                    name.to_ascii_lowercase(),
                                    without_file_name(value.trim())
                                )
                            }
                            None => line.to_string(),
                        })
                        .collect();
                    lines.sort();
                    format!("{}\n\n{}", lines.join("\n"), canonical_json(content))
                }
                None => part.to_string(),
            }
        })
        .collect();
    out.sort();
    out
}

/// A JSON object or array with its keys sorted, at every level: the order
/// of an object's properties is not meaningful (RFC 8259 §4). Other text
/// as it is.
fn canonical_json(content: &str) -> String {
    fn sorted(value: Value) -> Value {
        match value {
            Value::Object(object) => {
                let mut entries: Vec<(String, Value)> = object.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    match serde_json::from_str::<Value>(content) {
        Ok(value @ (Value::Object(_) | Value::Array(_))) => sorted(value).to_string(),
        _ => content.to_string(),
    }
}

/// `form-data; name="a"; filename="x.png"` → `form-data; name="a"; filename=…`.
fn without_file_name(value: &str) -> String {
    value
        .split(';')
        .map(|param| {
            let param = param.trim();
            if param.starts_with("filename=") {
                "filename=…".to_string()
            } else {
                param.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_compare_in_any_order_between_names_only() {
        assert!(same_cookies(
            "theme=dark; SESSION=k",
            "SESSION=k; theme=dark"
        ));
        assert!(same_cookies("a=1; a=2; b=3", "b=3; a=1; a=2"));
        assert!(!same_cookies("a=1; a=2", "a=2; a=1"));
        assert!(!same_cookies("a=1", "a=1; b=2"));
    }

    #[test]
    fn json_bodies_compare_by_value() {
        assert!(same_json_text(
            br#"{"a":{"v":50},"b":[1,2]}"#,
            br#"{"b":[1.0,2],"a":{"v":50.0}}"#
        ));
        assert!(!same_json_text(br#"{"v":50}"#, br#"{"v":50.5}"#));
        assert!(!same_json_text(br#"{"v":[1,2]}"#, br#"{"v":[2,1]}"#));
        assert!(!same_json_text(br#"{"v":1}"#, br#"{"v":1,"w":null}"#));
        assert!(!same_json_text(br#"{"v":"1"}"#, br#"{"v":1}"#));
    }

    #[test]
    fn query_pairs_compare_in_any_order_between_parameters_only() {
        assert!(same_target("/p?a=1&b=2", "/p?b=2&a=1"));
        assert!(same_target("/p?a=1&a=2&b=3", "/p?b=3&a=1&a=2"));
        // The order within one exploded parameter is its value's order.
        assert!(!same_target("/p?a=1&a=2", "/p?a=2&a=1"));
        assert!(!same_target("/p/x?a=1", "/p/y?a=1"));
        assert!(!same_target("/p?a=1", "/p?a=1&b=2"));
    }

    #[test]
    fn form_bodies_compare_in_any_order_between_names_only() {
        let form = |body: &str| EncodedRequest {
            method: "POST".into(),
            target: "/revoke".into(),
            headers: vec![(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            body: body.as_bytes().to_vec(),
        };
        let sent = |body: &str| RecordedRequest {
            method: "POST".into(),
            target: "/revoke".into(),
            headers: vec![(
                "content-type".into(),
                b"application/x-www-form-urlencoded".to_vec(),
            )],
            body: body.as_bytes().to_vec(),
            chunked: false,
        };
        let expected = form("grant_type=x&token=t&tags=1&tags=2");
        assert!(differences(&expected, &sent("token=t&tags=1&tags=2&grant_type=x")).is_empty());
        assert!(!differences(&expected, &sent("token=t&tags=2&tags=1&grant_type=x")).is_empty());
        assert!(!differences(&expected, &sent("token=t&grant_type=x")).is_empty());
    }

    #[test]
    fn multipart_parts_ignore_part_order_json_key_order_and_file_names() {
        let body = |parts: &[(&str, &str)]| {
            let mut out = String::new();
            for (head, content) in parts {
                out.push_str(&format!("--b\r\n{head}\r\n\r\n{content}\r\n"));
            }
            out.push_str("--b--\r\n");
            out.into_bytes()
        };
        let one = body(&[
            (
                "Content-Disposition: form-data; name=\"f\"; filename=\"f.bin\"",
                "x",
            ),
            (
                "Content-Type: application/json\r\nContent-Disposition: form-data; name=\"j\"",
                "{\"a\":1,\"b\":2}",
            ),
        ]);
        let other = body(&[
            (
                "content-disposition: form-data; name=\"j\"\r\ncontent-type: application/json",
                "{\"b\":2,\"a\":1}",
            ),
            (
                "content-disposition: form-data; name=\"f\"; filename=\"f\"",
                "x",
            ),
        ]);
        assert_eq!(parts(&one, "b"), parts(&other, "b"));
        let different = body(&[
            (
                "content-disposition: form-data; name=\"j\"\r\ncontent-type: application/json",
                "{\"b\":3,\"a\":1}",
            ),
            (
                "content-disposition: form-data; name=\"f\"; filename=\"f\"",
                "x",
            ),
        ]);
        assert_ne!(parts(&one, "b"), parts(&different, "b"));
        // A file part keeps its need of a file name.
        let nameless = body(&[
            ("content-disposition: form-data; name=\"f\"", "x"),
            (
                "content-disposition: form-data; name=\"j\"\r\ncontent-type: application/json",
                "{\"a\":1,\"b\":2}",
            ),
        ]);
        assert_ne!(parts(&one, "b"), parts(&nameless, "b"));
    }

    #[test]
    fn an_operation_whose_path_parameter_is_not_in_its_template_is_the_specs_fault() {
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/certificates/{certificate_id}": {"get": {
                "parameters": [{"name": "cert_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}}
            }}}
        });
        let synth = Synth::new(&doc);
        let strict = SchemaValidator::ignoring_discriminators(std::sync::Arc::new(doc.clone()));
        let operation = OperationRef::new("/certificates/{certificate_id}", "get");
        let (calls, not_run) = calls(&synth, &strict, std::slice::from_ref(&operation));
        assert!(calls.is_empty());
        assert_eq!(not_run.len(), 1);
        assert!(
            not_run[0].1.starts_with("the spec's fault"),
            "{}",
            not_run[0].1
        );
    }
}
