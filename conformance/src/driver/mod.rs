//! The generated client's driver: for each spec, the crate the generator
//! makes and a program calling every operation through it
//! ([`program`]), all built in one cargo run; each job's calls go through
//! a relay that records what the client sent and forwards it to Prism (or
//! answers as the recorder), so that Prism's verdict and the recorded bytes
//! are judged exactly as for the reference driver, while the response
//! verdict is the client's own: did it decode what Prism answered.
//!
//! The same program decodes the spec's schema-valid examples into their
//! generated types ([`GeneratedDriver::examples`]).

pub mod program;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use crate::client::{self, Response};
use crate::examples::{Example, Use, Verdict};
use crate::limits::Reach;
use crate::recorder::{RecordedRequest, Recorder, Reply};
use crate::reference::{Judgement, judge};
use crate::runner::{
    self, Driver, Job, Outcome, RequestVerdict, ResponseVerdict, SpecUnderTest, Target,
};
use crate::schema::SchemaValidator;
use program::DecodeTarget;

/// A spec's driver, built.
struct Built {
    binary: PathBuf,
    api: generator::model::Api,
}

/// What became of the spec's examples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleReport {
    /// Examples found in the spec.
    pub found: usize,
    /// Valid against their schema (the only ones that must decode).
    pub valid: usize,
    /// Valid and decoded into their generated type.
    pub decoded: usize,
    /// Valid, and the generated type refused them: `pointer: serde's message`.
    pub failed: Vec<String>,
    /// Valid, with no generated type to decode into (an inline schema of a
    /// parameter, an error response's body), with why.
    pub untyped: Vec<String>,
    /// Invalid against their own schema: the spec's fault, not decoded.
    pub invalid: usize,
}

pub struct GeneratedDriver {
    scratch: PathBuf,
    built: BTreeMap<String, Result<Built, String>>,
    current: Option<String>,
    examples: BTreeMap<String, ExampleReport>,
}

/// A spec to build a driver for.
pub struct SpecSource<'a> {
    pub name: &'a str,
    pub path: &'a Path,
}

impl GeneratedDriver {
    /// Generates every spec's crate and driver under `scratch` and builds
    /// them in one cargo run (dependencies shared with the repository's own
    /// `target/`, through its lock file).
    pub fn build(repository: &Path, scratch: &Path, specs: &[SpecSource<'_>]) -> GeneratedDriver {
        let mut built = BTreeMap::new();
        let mut members = Vec::new();
        for spec in specs {
            let slug = slug(spec.name);
            match write_crates(scratch, &slug, spec) {
                Ok(api) => {
                    members.push(slug.clone());
                    built.insert(spec.name.to_string(), Ok((slug, api)));
                }
                Err(err) => {
                    built.insert(spec.name.to_string(), Err(err));
                }
            }
        }
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repository.join("target"));
        let cargo_output = cargo_build(repository, scratch, &members, &target);
        let built = built
            .into_iter()
            .map(|(name, entry)| {
                let entry = entry.and_then(|(slug, api)| {
                    let binary = target.join("debug").join(format!("{slug}-driver"));
                    if binary.exists() {
                        Ok(Built { binary, api })
                    } else {
                        Err(format!(
                            "the driver did not build: {}",
                            first_error(&cargo_output, &slug)
                        ))
                    }
                });
                (name, entry)
            })
            .collect();
        GeneratedDriver {
            scratch: scratch.to_path_buf(),
            built,
            current: None,
            examples: BTreeMap::new(),
        }
    }

    /// The examples of the spec last prepared, if it was.
    pub fn examples(&self, spec: &str) -> Option<&ExampleReport> {
        self.examples.get(spec)
    }

    fn current(&self) -> Result<&Built, String> {
        match self.current.as_ref().and_then(|name| self.built.get(name)) {
            Some(Ok(built)) => Ok(built),
            Some(Err(err)) => Err(err.clone()),
            None => Err("not prepared".into()),
        }
    }

    /// Decodes every schema-valid example into its generated type.
    fn check_examples(
        &self,
        spec: &SpecUnderTest<'_>,
        built: &Built,
    ) -> Result<ExampleReport, String> {
        let validator = SchemaValidator::new(Arc::new(spec.document.clone()));
        let found = crate::examples::examples(&validator);
        let targets = decode_targets(&built.api);
        let mut report = ExampleReport {
            found: found.len(),
            ..ExampleReport::default()
        };
        let mut inputs = Vec::new();
        let mut pointers = Vec::new();
        for example in &found {
            match &example.verdict {
                Verdict::Invalid(_) => report.invalid += 1,
                Verdict::Unchecked(_) => {}
                Verdict::Valid => {
                    report.valid += 1;
                    let found = target_of(example).map(|keys| {
                        keys.iter()
                            .find(|key| targets.iter().any(|t| &t.key == *key))
                            .cloned()
                            .ok_or_else(|| keys[0].clone())
                    });
                    match found {
                        Ok(Ok(key)) => {
                            inputs.push(json!({
                                "id": pointers.len(),
                                "target": key,
                                "text": example.value.to_string(),
                            }));
                            pointers.push(example.pointer.clone());
                        }
                        Ok(Err(key)) => report.untyped.push(format!(
                            "{}: no generated type for `{key}`",
                            example.pointer
                        )),
                        Err(why) => report.untyped.push(format!("{}: {why}", example.pointer)),
                    }
                }
            }
        }
        let (lines, died) = self.run_program(
            &built.binary,
            spec.name,
            "examples",
            &json!({
                "calls": [],
                "examples": inputs,
            }),
        )?;
        let mut answered = vec![false; pointers.len()];
        for line in lines {
            let Some(id) = line.get("example").and_then(Value::as_u64) else {
                continue;
            };
            if let Some(flag) = answered.get_mut(id as usize) {
                *flag = true;
            }
            let pointer = pointers.get(id as usize).cloned().unwrap_or_default();
            if line.get("ok") == Some(&Value::Bool(true)) {
                report.decoded += 1;
            } else {
                let message = line
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                report.failed.push(format!("{pointer}: {message}"));
            }
        }
        if let Some(died) = died {
            // The examples run in order: the first unanswered one killed it.
            let mut unanswered = pointers.iter().zip(&answered).filter(|(_, a)| !**a);
            if let Some((pointer, _)) = unanswered.next() {
                report
                    .failed
                    .push(format!("{pointer}: decoding it, {died}"));
            }
            for (pointer, _) in unanswered {
                report
                    .failed
                    .push(format!("{pointer}: not decoded, the driver had died"));
            }
        }
        Ok(report)
    }

    /// Runs the driver on `input` and reads the lines it printed. A driver
    /// that dies (a stack overflow, a panic) still gives back what it
    /// printed before, with why it died.
    fn run_program(
        &self,
        binary: &Path,
        spec: &str,
        what: &str,
        input: &Value,
    ) -> Result<(Vec<Value>, Option<String>), String> {
        let path = self
            .scratch
            .join("inputs")
            .join(format!("{}-{what}.json", slug(spec)));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| err.to_string())?;
        }
        std::fs::write(&path, input.to_string()).map_err(|err| err.to_string())?;
        let output = Command::new(binary)
            .arg(&path)
            .output()
            .map_err(|err| format!("cannot run the driver: {err}"))?;
        let lines = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        let died = (!output.status.success()).then(|| {
            format!(
                "the driver failed ({}): {} (its input: {})",
                output.status,
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default(),
                path.display()
            )
        });
        Ok((lines, died))
    }
}

impl Driver for GeneratedDriver {
    fn name(&self) -> &str {
        "generated client"
    }

    fn prepare(&mut self, spec: &SpecUnderTest<'_>) -> Result<(), String> {
        self.current = Some(spec.name.to_string());
        let built = self.current()?;
        let report = self.check_examples(spec, built)?;
        self.examples.insert(spec.name.to_string(), report);
        Ok(())
    }

    fn run(&mut self, job: &Job<'_>) -> Vec<Outcome> {
        let built = match self.current() {
            Ok(built) => built,
            Err(err) => return not_sent_all(job, &err),
        };
        let mut ids = Vec::new();
        let mut inputs = Vec::new();
        for (index, call) in job.calls.iter().enumerate() {
            for (variant_index, variant) in call.variants.iter().enumerate() {
                let id = ids.len();
                ids.push((index, variant_index));
                let arguments: Vec<Value> = call
                    .plan
                    .arguments
                    .iter()
                    .map(|a| json!({ "location": a.location, "name": a.name, "value": a.value }))
                    .collect();
                inputs.push(json!({
                    "id": id,
                    "operation": call.plan.operation.to_string(),
                    "url": "",
                    "prefer": variant.prefer,
                    "arguments": arguments,
                    "body": call.plan.body.as_ref().map(|b| b.value.clone()),
                }));
            }
        }
        let targets: Vec<Target> = ids.iter().map(|(i, _)| job.calls[*i].target).collect();
        let relay = match Relay::start(&job.prism_url, targets) {
            Ok(relay) => relay,
            Err(err) => return not_sent_all(job, &err),
        };
        for input in &mut inputs {
            input["url"] = Value::String(relay.base_url());
        }
        let (lines, died) = match self.run_program(
            &built.binary,
            job.spec.name,
            "calls",
            &json!({ "calls": inputs, "examples": [] }),
        ) {
            Ok(answer) => answer,
            Err(err) => return not_sent_all(job, &err),
        };
        let mut said: BTreeMap<u64, Value> = lines
            .into_iter()
            .filter_map(|line| Some((line.get("id")?.as_u64()?, line)))
            .collect();
        if let Some(died) = died {
            // The calls run in order: the first unanswered one killed it.
            let unanswered: Vec<u64> = (0..ids.len() as u64)
                .filter(|id| !said.contains_key(id))
                .collect();
            let mut unanswered = unanswered.into_iter();
            if let Some(first) = unanswered.next() {
                let message = format!("making this call, {died}");
                said.insert(
                    first,
                    json!({ "id": first, "outcome": "not_sent", "message": message }),
                );
            }
            for id in unanswered {
                let message = "not made: the driver had died on an earlier call";
                said.insert(
                    id,
                    json!({ "id": id, "outcome": "not_sent", "message": message }),
                );
            }
        }
        let exchanges = relay.exchanges();
        // Made for the first body the client cannot decode, if any.
        let validator = std::cell::OnceCell::new();
        ids.iter()
            .enumerate()
            .map(|(id, (index, variant_index))| {
                let call = &job.calls[*index];
                let variant = &call.variants[*variant_index];
                let exchange = exchanges.get(&(id as u64));
                let (request, mut response) = verdicts(call, said.get(&(id as u64)), exchange);
                // A body the schema itself refuses (an example missing a
                // required property) is the spec's fault, not the client's.
                if let (ResponseVerdict::Failed(why), Some(Ok(prism))) =
                    (&response, exchange.map(|e| &e.response))
                {
                    let validator = validator
                        .get_or_init(|| SchemaValidator::new(Arc::new(job.spec.document.clone())));
                    if let ResponseVerdict::Failed(invalid) =
                        crate::reference::against_schema(validator, job.spec.document, call, prism)
                        && invalid.starts_with(crate::reference::INVALID_BODY)
                    {
                        response = ResponseVerdict::NotChecked(format!(
                            "the spec's fault: {invalid} (the client: {why})"
                        ));
                    }
                }
                Outcome::new(call, variant, request, response)
            })
            .collect()
    }
}

/// The verdicts on one call: what the relay saw, what the client said.
fn verdicts(
    call: &runner::Call,
    said: Option<&Value>,
    exchange: Option<&Exchange>,
) -> (RequestVerdict, ResponseVerdict) {
    let text = |key: &str| {
        said.and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let kind = text("outcome");
    let Some(exchange) = exchange else {
        let why = match kind.as_str() {
            "not_sent" => {
                let message = text("message");
                let request = match message.strip_prefix("unjudged: ") {
                    Some(why) => RequestVerdict::Unjudged(why.to_string()),
                    None => RequestVerdict::NotSent(message),
                };
                return (request, ResponseVerdict::NotChecked("not sent".into()));
            }
            "" => "the driver said nothing of this call".to_string(),
            _ => format!(
                "the relay received no request (the client said {kind}: {})",
                text("message")
            ),
        };
        return (
            RequestVerdict::Failed(why),
            ResponseVerdict::NotChecked("no response".into()),
        );
    };
    if call.target == Target::Recorder {
        let request = match &call.expected {
            Err(err) => {
                RequestVerdict::Unjudged(format!("no reference encoding to compare with: {err}"))
            }
            Ok(expected) => {
                let differences = runner::differences(expected, &exchange.request);
                if differences.is_empty() {
                    RequestVerdict::MatchesReference
                } else {
                    RequestVerdict::DiffersFromReference(differences)
                }
            }
        };
        return (
            request,
            ResponseVerdict::NotChecked("the recorder's reply".into()),
        );
    }
    let response = match &exchange.response {
        Ok(response) => response,
        Err(err) => {
            return (
                RequestVerdict::Failed(err.clone()),
                ResponseVerdict::NotChecked("no response".into()),
            );
        }
    };
    // Prism judges the values of these, and lets wrong shapes through: the
    // bytes it was sent are held to the reference as well.
    if call.limits.iter().any(|l| l.reach == Reach::AlsoRecorder)
        && let Ok(expected) = &call.expected
    {
        let differences = runner::differences(expected, &exchange.request);
        if !differences.is_empty() {
            return (
                RequestVerdict::DiffersFromReference(differences),
                ResponseVerdict::NotChecked("the request differs from the reference".into()),
            );
        }
    }
    let status = match judge(response) {
        // Prism's own body contradicts the spec: no client is to decode it.
        Judgement::Final(request, ResponseVerdict::Failed(why)) => {
            return (
                request,
                ResponseVerdict::NotChecked(format!("the spec's fault: {why}")),
            );
        }
        Judgement::Final(request, response) => return (request, response),
        Judgement::Accepted { status } => status,
    };
    // The client follows a redirect (README: "Redirects"); one leaving the
    // loopback (GitHub's 302 to `https://api.github.com/...`) cannot be
    // reached from here, which says nothing of the client.
    let offsite = response
        .header("location")
        .filter(|l| l.starts_with("http://") || l.starts_with("https://"))
        .filter(|l| !l.contains("://127.0.0.1") && !l.contains("://localhost"));
    if let Some(location) = offsite
        && (300..400).contains(&status)
        && kind == "failed"
    {
        return (
            RequestVerdict::Accepted { status },
            ResponseVerdict::NotChecked(format!(
                "the client followed the {status} redirect to {location}, off the loopback: not reachable here"
            )),
        );
    }
    let verdict = match kind.as_str() {
        "ok" => ResponseVerdict::Decoded,
        // An error status the spec documents is the client's `Error::Api`,
        // its status and body kept: what the client is asked to do with it.
        "status" => match envelope_read(said, &response.body) {
            Ok(false) => ResponseVerdict::Decoded,
            Ok(true) => ResponseVerdict::ErrorRead,
            Err(why) => ResponseVerdict::Failed(why),
        },
        // A status that is neither a success nor an error (a 3xx; Prism
        // answers only the statuses the spec documents) is the client's
        // `UnexpectedResponse`, its status and body kept.
        "unexpected" if (300..400).contains(&status) => ResponseVerdict::Decoded,
        "unexpected" | "failed" => ResponseVerdict::Failed(text("message")),
        other => ResponseVerdict::Failed(format!("the driver said `{other}`")),
    };
    (RequestVerdict::Accepted { status }, verdict)
}

/// Where an error body keeps its code and its message, as people name
/// them: at the top (petstore's `{code, message}`, nexus's `error_code`) or
/// nested under `error` (Stripe, Linq). Written here from the bodies, not
/// from the generator, so that the two can disagree.
const BODY_CODES: &[&str] = &["/code", "/error_code", "/errorCode", "/error/code"];
const BODY_MESSAGES: &[&str] = &[
    "/message",
    "/error_message",
    "/errorMessage",
    "/detail",
    "/error_description",
    "/error/message",
];

/// Whether the client's `code()` and `message()` gave the error body's own
/// code and message (the first scalar at [`BODY_CODES`] and string at
/// [`BODY_MESSAGES`]): `Ok(false)` where the body has neither, `Err` with
/// how they differ.
fn envelope_read(said: Option<&Value>, body: &[u8]) -> Result<bool, String> {
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return Ok(false);
    };
    let first = |pointers: &[&'static str], scalar: fn(&Value) -> bool| {
        pointers.iter().find_map(|p| {
            body.pointer(p)
                .filter(|v| scalar(v))
                .map(|v| (*p, v.clone()))
        })
    };
    let mut differences = Vec::new();
    let mut read = false;
    let checks = [
        ("code", first(BODY_CODES, |v| v.is_string() || v.is_i64())),
        ("message", first(BODY_MESSAGES, Value::is_string)),
    ];
    for (accessor, expected) in checks {
        let Some((pointer, expected)) = expected else {
            continue;
        };
        let got = said
            .and_then(|s| s.get(accessor))
            .cloned()
            .unwrap_or(Value::Null);
        if got == expected {
            read = true;
        } else {
            differences.push(format!(
                "`{accessor}()` gave {got}, the body's {pointer} is {expected}"
            ));
        }
    }
    match differences.is_empty() {
        true => Ok(read),
        false => Err(differences.join("; ")),
    }
}

fn not_sent_all(job: &Job<'_>, why: &str) -> Vec<Outcome> {
    job.calls
        .iter()
        .flat_map(|call| {
            call.variants.iter().map(|variant| {
                Outcome::new(
                    call,
                    variant,
                    RequestVerdict::NotSent(why.to_string()),
                    ResponseVerdict::NotChecked("not sent".into()),
                )
            })
        })
        .collect()
}

/// One request the relay received, and Prism's answer to it.
#[derive(Debug, Clone)]
struct Exchange {
    request: RecordedRequest,
    response: Result<Response, String>,
}

/// A loopback server between the client and Prism: it records each request
/// (by the call id the driver sends in `X-Conformance-Call`), forwards it to
/// Prism as it came, and hands Prism's answer back; a call for the recorder
/// is answered `200 {}`.
struct Relay {
    recorder: Recorder,
    exchanges: Arc<Mutex<BTreeMap<u64, Exchange>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Relay {
    fn start(prism_url: &str, targets: Vec<Target>) -> Result<Relay, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|err| format!("cannot start the relay's runtime: {err}"))?;
        let prism = prism_url
            .trim_start_matches("http://")
            .parse()
            .map_err(|err| format!("bad Prism address {prism_url}: {err}"))?;
        let exchanges: Arc<Mutex<BTreeMap<u64, Exchange>>> = Arc::default();
        let kept = exchanges.clone();
        let handler: crate::recorder::Handler = Arc::new(move |request: &RecordedRequest| {
            let id = request
                .header("x-conformance-call")
                .and_then(|id| id.trim().parse::<u64>().ok());
            let Some(id) = id else {
                return Reply::new(400);
            };
            let to_prism = targets.get(id as usize) == Some(&Target::Prism);
            let (response, reply) = if to_prism {
                let headers: Vec<(String, String)> = request
                    .headers
                    .iter()
                    .filter(|(name, _)| !is_hop_by_hop(name))
                    .map(|(name, value)| {
                        (name.clone(), String::from_utf8_lossy(value).into_owned())
                    })
                    .collect();
                let headers: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                let response = client::send(
                    prism,
                    &request.method,
                    &request.target,
                    &headers,
                    &request.body,
                );
                let reply = match &response {
                    Ok(response) => Reply {
                        status: response.status,
                        headers: response
                            .headers
                            .iter()
                            .filter(|(name, _)| !is_hop_by_hop(name))
                            .cloned()
                            .collect(),
                        body: response.body.clone(),
                    },
                    Err(_) => Reply::new(502),
                };
                (response, reply)
            } else {
                let reply = Reply::json(200, &json!({}));
                (Err("sent to the recorder".into()), reply)
            };
            let mut exchanges = kept.lock().unwrap_or_else(|e| e.into_inner());
            // A retried call keeps its first exchange.
            exchanges.entry(id).or_insert(Exchange {
                request: request.clone(),
                response,
            });
            reply
        });
        let recorder = runtime
            .block_on(Recorder::start_with(handler))
            .map_err(|err| format!("cannot start the relay: {err}"))?;
        Ok(Relay {
            recorder,
            exchanges,
            _runtime: runtime,
        })
    }

    fn base_url(&self) -> String {
        self.recorder.base_url()
    }

    fn exchanges(&self) -> BTreeMap<u64, Exchange> {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

fn is_hop_by_hop(name: &str) -> bool {
    [
        "host",
        "connection",
        "content-length",
        "transfer-encoding",
        "keep-alive",
    ]
    .iter()
    .any(|h| name.eq_ignore_ascii_case(h))
}

/// A file-system and package-name safe form of a spec's name.
fn slug(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    format!("conf-{}", out.trim_matches('-'))
}

/// Writes `<slug>-client` (the generated crate, renamed) and `<slug>-driver`.
fn write_crates(
    scratch: &Path,
    slug: &str,
    spec: &SpecSource<'_>,
) -> Result<generator::model::Api, String> {
    let bytes = std::fs::read(spec.path)
        .map_err(|err| format!("cannot read {}: {err}", spec.path.display()))?;
    let generated = generator::generate_bytes(&bytes, spec.name).map_err(|failure| {
        format!(
            "the generator refused the spec: {}",
            first_line(&failure.to_string())
        )
    })?;
    let api = generated.api;

    let client = scratch.join("crates").join(format!("{slug}-client"));
    let _ = std::fs::remove_dir_all(&client);
    for file in &generated.files {
        let path = client.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|err| err.to_string())?;
        }
        let contents = if file.path == "Cargo.toml" {
            rename_package(&file.contents, &format!("{slug}-client"))
        } else {
            file.contents.clone()
        };
        std::fs::write(&path, contents).map_err(|err| err.to_string())?;
    }

    let targets = decode_targets(&api);
    let driver = scratch.join("crates").join(format!("{slug}-driver"));
    std::fs::create_dir_all(driver.join("src")).map_err(|err| err.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{slug}-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nclient = {{ package = \"{slug}-client\", path = \"../{slug}-client\" }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    );
    std::fs::write(driver.join("Cargo.toml"), manifest).map_err(|err| err.to_string())?;
    std::fs::write(driver.join("src/main.rs"), program::main_rs(&api, &targets))
        .map_err(|err| err.to_string())?;
    Ok(api)
}

fn rename_package(manifest: &str, name: &str) -> String {
    let mut done = false;
    manifest
        .lines()
        .map(|line| {
            if !done && line.starts_with("name = ") {
                done = true;
                format!("name = \"{name}\"")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Builds every driver in one scratch workspace; returns cargo's messages.
fn cargo_build(repository: &Path, scratch: &Path, members: &[String], target: &Path) -> String {
    let mut manifest = String::from(
        "# Scratch workspace of the conformance runner (conformance/src/driver/mod.rs); rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in members {
        manifest.push_str(&format!(
            "    \"crates/{member}-client\",\n    \"crates/{member}-driver\",\n"
        ));
    }
    manifest.push_str("]\n");
    if std::fs::create_dir_all(scratch).is_err()
        || std::fs::write(scratch.join("Cargo.toml"), manifest).is_err()
    {
        return "cannot write the scratch workspace".into();
    }
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(repository.join("Cargo.lock"), &lock);
    }
    for member in members {
        let _ = std::fs::remove_file(target.join("debug").join(format!("{member}-driver")));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    match Command::new(cargo)
        .args([
            "build",
            "--workspace",
            "--bins",
            "--keep-going",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .output()
    {
        Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
        Err(err) => format!("cannot run cargo: {err}"),
    }
}

fn first_error(output: &str, slug: &str) -> String {
    output
        .lines()
        .find(|line| line.contains(slug) && line.contains("error"))
        .or_else(|| output.lines().find(|line| line.contains("error")))
        .unwrap_or("no binary, and cargo said no error")
        .to_string()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// Every type an example may be decoded into: each component schema's, each
/// operation's request body and JSON success responses.
fn decode_targets(api: &generator::model::Api) -> Vec<DecodeTarget> {
    use generator::model::{BodyKind, Success, TypeRef};
    let mut out: Vec<DecodeTarget> = api
        .schemas
        .iter()
        .filter(|(_, rust_name)| program::decodable(api, rust_name))
        .map(|(name, rust_name)| DecodeTarget {
            key: format!("schema {name}"),
            ty: TypeRef::Named(rust_name.clone()),
        })
        .collect();
    let mut stack: Vec<&generator::model::Resource> = api.resources.iter().collect();
    while let Some(resource) = stack.pop() {
        stack.extend(resource.children.iter());
        for op in &resource.operations {
            let key = format!("{} {}", op.http_method, op.path);
            if let Some(body) = &op.body
                && let BodyKind::Json(ty) = &body.kind
            {
                out.push(DecodeTarget {
                    key: format!("request {key}"),
                    ty: ty.clone(),
                });
            }
            for (status, variant) in &op.error_bodies {
                let Some(ty) = variant.as_ref().and_then(|name| {
                    api.error_bodies
                        .iter()
                        .find(|v| &v.rust_name == name)
                        .map(|v| v.ty.clone())
                }) else {
                    continue;
                };
                out.push(DecodeTarget {
                    key: format!("error {key} {}", status_text(status)),
                    ty,
                });
            }
            let options = op.options.iter().flat_map(|o| o.params.iter());
            for param in op.params.iter().chain(options) {
                if decodable_ref(api, &param.ty) {
                    out.push(DecodeTarget {
                        key: format!("parameter {key} {}", param.name),
                        ty: param.ty.clone(),
                    });
                }
            }
            let mut push = |status: String, success: &Success| {
                // Each JSON media type of several has its own type (GitHub's
                // `application/vnd.github.v3.star+json` beside `application/json`).
                if let Success::Media { variants, .. } = success {
                    for variant in variants {
                        if let Success::Json(ty) = &variant.body {
                            for media in &variant.media {
                                out.push(DecodeTarget {
                                    key: format!("response {key} {status} {media}"),
                                    ty: ty.clone(),
                                });
                            }
                        }
                    }
                }
                let json = match success {
                    Success::Json(ty) => Some(ty.clone()),
                    Success::Media { variants, .. } => {
                        variants.iter().find_map(|v| match &v.body {
                            Success::Json(ty) => Some(ty.clone()),
                            _ => None,
                        })
                    }
                    _ => None,
                };
                if let Some(ty) = json {
                    out.push(DecodeTarget {
                        key: format!("response {key} {status}"),
                        ty,
                    });
                }
            };
            match &op.success {
                Success::Several { variants, .. } => {
                    for variant in variants {
                        push(status_text(&variant.status), &variant.body);
                    }
                }
                other => push("any".into(), other),
            }
        }
    }
    for webhook in &api.webhooks {
        out.push(DecodeTarget {
            key: format!("webhook {}", webhook.name),
            ty: webhook.payload.clone(),
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out.dedup_by(|a, b| a.key == b.key);
    out
}

/// A status as the spec writes it: `404`, `4XX`, `default`.
fn status_text(status: &generator::model::StatusMatch) -> String {
    match status {
        generator::model::StatusMatch::Code(code) => code.to_string(),
        generator::model::StatusMatch::Range(digit) => format!("{digit}XX"),
        generator::model::StatusMatch::Default => "default".into(),
    }
}

/// Whether every named type `ty` holds can take an example (a parameter's
/// type may be an operation's own, such as its parameter set, which the
/// generator does not make decodable).
fn decodable_ref(api: &generator::model::Api, ty: &generator::model::TypeRef) -> bool {
    use generator::model::TypeRef;
    match ty {
        TypeRef::Named(name) => program::decodable(api, name),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            decodable_ref(api, inner)
        }
        TypeRef::File => false,
        _ => true,
    }
}

/// The decode target an example belongs to: its component's type, else the
/// type of the body, response or parameter its media type describes in the
/// operation it was found through (a shared component response's example
/// is under none). Candidates, best first.
fn target_of(example: &Example) -> Result<Vec<String>, String> {
    // A webhook's payload is read through the event enum, which must tell
    // it apart as that webhook's.
    let own: Vec<String> = example
        .pointer
        .split('/')
        .skip(1)
        .map(crate::document::unescape)
        .collect();
    if let [root, name, ..] = own.as_slice()
        && (root == "webhooks" || root == "x-webhooks")
    {
        return Ok(vec![format!("webhook {name}")]);
    }
    if let Some(component) = &example.component {
        return Ok(vec![format!("schema {component}")]);
    }
    match &example.used_by {
        Some(Use::Request(operation)) => Ok(vec![format!("request {operation}")]),
        Some(Use::Parameter(operation, name)) => Ok(vec![format!("parameter {operation} {name}")]),
        Some(Use::Response(operation, status, media))
            if status.starts_with('2') || status == "default" =>
        {
            // The media type it was found under: an example shared through
            // `components/examples` says nothing of it (GitHub's star+json).
            let mut keys = vec![
                format!("response {operation} {status} {media}"),
                format!("response {operation} any {media}"),
            ];
            keys.push(format!("response {operation} {status}"));
            keys.push(format!("response {operation} any"));
            if status == "default" {
                keys.push(format!("error {operation} default"));
            }
            Ok(keys)
        }
        // An error status's body: the type the client's `error_body()`
        // decodes it into, by the status as the spec writes it (a status
        // documented without a type has none, and no range or `default`
        // claims it).
        Some(Use::Response(operation, status, _)) => {
            Ok(vec![format!("error {operation} {status}")])
        }
        None => Err(format!("an example at `{}` with no type", example.pointer)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::OperationRef;
    use crate::schema::Direction;

    fn example(pointer: &str, used_by: Option<Use>) -> Example {
        Example {
            pointer: pointer.into(),
            schema_pointer: None,
            component: None,
            direction: Direction::Any,
            value: Value::Null,
            verdict: Verdict::Valid,
            used_by,
        }
    }

    #[test]
    fn an_example_of_a_shared_component_decodes_as_the_operation_it_was_found_through() {
        let op = OperationRef::new("/incidents", "get");
        let body = example(
            "/components/requestBodies/New/content/application~1json/example",
            Some(Use::Request(op.clone())),
        );
        assert_eq!(target_of(&body).unwrap(), ["request GET /incidents"]);
        let error = example(
            "/components/responses/Unauthorized/content/application~1json/example",
            Some(Use::Response(
                op.clone(),
                "401".into(),
                "application/json".into(),
            )),
        );
        assert_eq!(target_of(&error).unwrap(), ["error GET /incidents 401"]);
        let ok = example(
            "/components/examples/starred/value",
            Some(Use::Response(
                op.clone(),
                "200".into(),
                "application/vnd.github.star+json".into(),
            )),
        );
        assert_eq!(
            target_of(&ok).unwrap()[0],
            "response GET /incidents 200 application/vnd.github.star+json"
        );
        let parameter = example(
            "/components/parameters/Filter/content/application~1json/example",
            Some(Use::Parameter(op, "filter".into())),
        );
        assert_eq!(
            target_of(&parameter).unwrap(),
            ["parameter GET /incidents filter"]
        );
        assert!(target_of(&example("/x-other/example", None)).is_err());
    }
}
