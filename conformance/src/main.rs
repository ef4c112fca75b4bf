//! `conformance`: the pieces of the conformance runner, over the corpus.
//!
//! ```text
//! cargo run -p conformance -- [--corpus DIR] [--max-bytes N] [--also tests/fixtures] [NAMES...]
//!     [--examples] [--synth] [--prism-load] [--run]
//! ```
//!
//! Without a command it checks the examples and the synthesizer. Each
//! command prints a Markdown table, one row per spec.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::Value;

use conformance::corpus::{self, Selection, SpecFile};
use conformance::document::{self, Version};
use conformance::driver::{GeneratedDriver, SpecSource};
use conformance::examples::{self, Tally, Verdict};
use conformance::prism::{self, Prism, PrismOptions};
use conformance::reference::ReferenceDriver;
use conformance::runner::{
    self, Driver, RequestVerdict, ResponseVerdict, RunOptions, SpecUnderTest, Target,
};
use conformance::schema::SchemaValidator;
use conformance::slice;
use conformance::synth::Synth;

/// Checks specs' examples, synthesizes values, measures Prism, runs calls.
#[derive(Debug, Parser)]
struct Args {
    /// The corpus folder [default: ../shared/corpus, relative to the repository]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,

    /// Skip documents larger than this many bytes
    #[arg(long, value_name = "BYTES")]
    max_bytes: Option<u64>,

    /// A corpus document taken whatever --max-bytes says (its file name;
    /// repeatable)
    #[arg(long, value_name = "NAME")]
    whatever_size: Vec<String>,

    /// Fixture folders whose `<name>/spec.yaml` are taken too (tests/fixtures)
    #[arg(long, value_name = "DIR")]
    also: Vec<PathBuf>,

    /// Only documents whose name contains one of these
    #[arg(value_name = "NAME")]
    only: Vec<String>,

    /// Examples of component schemas and JSON media types: found, valid, invalid
    #[arg(long)]
    examples: bool,

    /// Synthesizer coverage: parameters, bodies and responses with a valid value
    #[arg(long)]
    synth: bool,

    /// Prism's load time on the whole (neutralised) spec and on slices
    #[arg(long)]
    prism_load: bool,

    /// Every operation through the reference driver against Prism and the recorder
    #[arg(long)]
    run: bool,

    /// Every operation through each spec's generated client (its crate and a
    /// driver program, built first), and every valid example decoded into
    /// its generated type
    #[arg(long)]
    client: bool,

    /// Operations per slice: for --run, and the sizes --prism-load measures
    #[arg(long, value_name = "N", value_delimiter = ',', default_values_t = vec![1, 20])]
    per_slice: Vec<usize>,

    /// --prism-load: how many slices of each size to load per spec
    #[arg(long, value_name = "K", default_value_t = 3)]
    sample: usize,

    /// Seconds Prism may take to load a document
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    timeout: u64,

    /// The synthesizer's seed
    #[arg(long, default_value_t = 0)]
    seed: u64,

    /// With --client: a file of failures known and accepted for now, one
    /// `<spec> <METHOD> <path> -- why` a line (`#` comments); the run fails
    /// on any other failure, and on an entry that no longer fails
    #[arg(long, value_name = "FILE")]
    known: Option<PathBuf>,

    /// List every invalid example and every failure
    #[arg(long, short)]
    verbose: bool,
}

fn main() -> ExitCode {
    let mut args = Args::parse();
    if !(args.examples || args.synth || args.prism_load || args.run || args.client) {
        args.examples = true;
        args.synth = true;
    }
    let (files, notes) = corpus::select(&Selection {
        corpus: args.corpus.clone(),
        also: args.also.clone(),
        max_bytes: args.max_bytes,
        whatever_size: args.whatever_size.clone(),
        only: args.only.clone(),
    });
    for note in notes {
        eprintln!("conformance: {note}");
    }
    if files.is_empty() {
        eprintln!("conformance: no documents to check");
        return ExitCode::SUCCESS;
    }
    if (args.prism_load || args.run || args.client)
        && let Err(err) = prism::locate()
    {
        eprintln!("conformance: {err}");
        return ExitCode::from(2);
    }
    let mut specs = Vec::new();
    let mut failed = false;
    for file in files {
        match document::load(&file.path) {
            Ok(doc) if Version::of(&doc).is_some() => specs.push((file, doc)),
            Ok(_) => eprintln!(
                "conformance: {}: not OpenAPI 3.0 or 3.1; skipped",
                file.name
            ),
            Err(err) => {
                eprintln!("conformance: {err}");
                failed = true;
            }
        }
    }
    if args.examples {
        print!("{}", examples_table(&specs, args.verbose));
    }
    if args.synth {
        print!("{}", synth_table(&specs, args.seed, args.verbose));
    }
    if args.prism_load {
        print!("{}", prism_load_table(&specs, &args));
    }
    if args.run || args.client {
        let (table, clean) = run_table(&specs, &args);
        print!("{table}");
        if !clean {
            eprintln!(
                "conformance: a reference request was refused by Prism, differed on the recorder, or a slice did not load (run with -v for each)"
            );
            failed = true;
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn examples_table(specs: &[(SpecFile, Value)], verbose: bool) -> String {
    let mut out = String::from(
        "\n### Examples\n\n| spec | found | valid | invalid (the spec's fault) | not checked |\n|---|---|---|---|---|\n",
    );
    let mut total = Tally::default();
    let mut listed = String::new();
    for (file, doc) in specs {
        let validator = SchemaValidator::new(Arc::new(doc.clone()));
        let found = examples::examples(&validator);
        let tally = Tally::of(&found);
        total.found += tally.found;
        total.valid += tally.valid;
        total.invalid += tally.invalid;
        total.unchecked += tally.unchecked;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            file.name, tally.found, tally.valid, tally.invalid, tally.unchecked
        );
        if verbose {
            for example in &found {
                let said = match &example.verdict {
                    Verdict::Valid => continue,
                    Verdict::Invalid(messages) => messages.join("; "),
                    Verdict::Unchecked(why) => format!("not checked: {why}"),
                };
                let _ = writeln!(
                    listed,
                    "- {} `{}`: {}",
                    file.name,
                    example.pointer,
                    truncate(&said, 300)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "| **all** | {} | {} | {} | {} |",
        total.found, total.valid, total.invalid, total.unchecked
    );
    if !listed.is_empty() {
        out.push_str("\nInvalid or unchecked examples:\n\n");
        out.push_str(&listed);
    }
    out
}

fn synth_table(specs: &[(SpecFile, Value)], seed: u64, verbose: bool) -> String {
    let mut out = String::from(
        "\n### Synthesizer coverage (a value the validator accepts)\n\n| spec | parameters | request bodies | responses | failures by kind | ms |\n|---|---|---|---|---|---|\n",
    );
    let mut listed = String::new();
    for (file, doc) in specs {
        let started = Instant::now();
        let synth = Synth::new(doc).with_seed(seed);
        let coverage = conformance::coverage::coverage(&synth);
        let cell = |c: conformance::coverage::Count| format!("{}/{}", c.ok, c.ok + c.failed);
        let kinds: Vec<String> = coverage
            .by_kind
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            file.name,
            cell(coverage.parameters),
            cell(coverage.bodies),
            cell(coverage.responses),
            if kinds.is_empty() {
                "-".into()
            } else {
                kinds.join("; ")
            },
            started.elapsed().as_millis()
        );
        if verbose {
            for failure in &coverage.failures {
                let _ = writeln!(listed, "- {}: {}", file.name, truncate(failure, 400));
            }
        }
    }
    if !listed.is_empty() {
        out.push_str("\nFailures:\n\n");
        out.push_str(&listed);
    }
    out
}

fn prism_load_table(specs: &[(SpecFile, Value)], args: &Args) -> String {
    let scratch = corpus::repository().join("target/conformance/prism-load");
    let options = PrismOptions {
        ready_timeout: Duration::from_secs(args.timeout),
        ..PrismOptions::default()
    };
    let mut out = String::from(
        "\n### Prism load time\n\n| spec | KiB | operations | whole spec | example data dropped, expandable fields narrowed |",
    );
    for size in &args.per_slice {
        let _ = write!(out, " slices of {size} (each) |");
    }
    out.push_str("\n|---|---|---|---|---|");
    out.push_str(&"---|".repeat(args.per_slice.len()));
    out.push('\n');
    for (file, doc) in specs {
        let operations = document::operations(doc).len();
        let (whole, dropped) = slice::neutralize(doc);
        let whole_time = load(&scratch, &format!("{}-whole", file.name), &whole, &options);
        let _ = write!(
            out,
            "| {} | {} | {operations} | {whole_time} | {} |",
            file.name,
            file.bytes / 1024,
            dropped.len()
        );
        for size in &args.per_slice {
            let cell = match slice::slices(doc, *size) {
                Err(err) => format!("cannot slice: {}", truncate(&err, 80)),
                Ok(slices) => {
                    let picked = spread(&slices, args.sample);
                    let times: Vec<String> = picked
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            load(
                                &scratch,
                                &format!("{}-{size}-{i}", file.name),
                                &s.document,
                                &options,
                            )
                        })
                        .collect();
                    format!("{} of {}: {}", picked.len(), slices.len(), times.join(", "))
                }
            };
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
        eprintln!("conformance: Prism load measured on {}", file.name);
    }
    out
}

/// `k` slices spread over the list: first, middle, last.
fn spread(slices: &[slice::Slice], k: usize) -> Vec<&slice::Slice> {
    if slices.len() <= k {
        return slices.iter().collect();
    }
    (0..k)
        .map(|i| &slices[i * (slices.len() - 1) / (k.max(2) - 1)])
        .collect()
}

fn load(scratch: &std::path::Path, name: &str, doc: &Value, options: &PrismOptions) -> String {
    let path = match prism::write_spec(scratch, name, doc) {
        Ok(path) => path,
        Err(err) => return format!("cannot write: {err}"),
    };
    match Prism::start(&path, options) {
        Ok(prism) => format!("{:.1} s", prism.load_time().as_secs_f64()),
        Err(prism::PrismError::Timeout { after, .. }) => {
            format!("**not loaded in {} s**", after.as_secs())
        }
        Err(err) => {
            let text = err.to_string();
            let why = text
                .lines()
                .rev()
                .find(|l| l.contains("Error") || l.contains("fatal"))
                .unwrap_or("exited");
            format!(
                "**exits**: {}",
                truncate(why.trim(), 100).replace('|', "\\|")
            )
        }
    }
}

/// The reference run's table, and whether every request to Prism was
/// accepted, every recorded one matched, and every slice loaded.
fn run_table(specs: &[(SpecFile, Value)], args: &Args) -> (String, bool) {
    let mut clean = true;
    let per_slice = args.per_slice.last().copied().unwrap_or(20);
    let options = RunOptions {
        per_slice,
        prism: PrismOptions {
            ready_timeout: Duration::from_secs(args.timeout),
            seed: Some(args.seed.to_string()),
            ..PrismOptions::default()
        },
        scratch: corpus::repository().join("target/conformance/slices"),
        seed: args.seed,
    };
    let mut out = if args.client {
        String::from(
            "\n### The generated client against Prism (judged by Prism) and the recorder (what Prism cannot judge)\n\n| spec | operations | not run | requests to Prism | accepted | refused | not sent | to the recorder | match the reference | unjudged | responses decoded | of which errors read by code() and message() | decode failures | examples found | invalid (the spec's fault) | valid | decoded | not decoded | untyped | slices | Prism load s (max) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
        )
    } else {
        String::from(
            "\n### Reference driver against Prism (judged by Prism) and the recorder (what Prism cannot judge)\n\n| spec | operations | not run | requests to Prism | accepted | refused | to the recorder | match the reference | responses valid | responses invalid | slices | Prism load s (max) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
        )
    };
    let mut generated = args.client.then(|| {
        let sources: Vec<SpecSource<'_>> = specs
            .iter()
            .map(|(file, _)| SpecSource {
                name: &file.name,
                path: &file.path,
            })
            .collect();
        eprintln!(
            "conformance: generating and building {} drivers",
            sources.len()
        );
        GeneratedDriver::build(
            &corpus::repository(),
            &corpus::repository().join("target/conformance/drivers"),
            &sources,
        )
    });
    let mut listed = String::new();
    let mut failures: Vec<String> = Vec::new();
    for (file, doc) in specs {
        let spec = SpecUnderTest {
            name: &file.name,
            path: &file.path,
            document: doc,
        };
        let mut reference = ReferenceDriver::new();
        let driver: &mut dyn Driver = match generated.as_mut() {
            Some(generated) => generated,
            None => &mut reference,
        };
        let report = runner::run_spec(&spec, driver, &options);
        let to_prism = report
            .outcomes
            .iter()
            .filter(|o| o.judged_by == Target::Prism)
            .count();
        let accepted = report
            .outcomes
            .iter()
            .filter(|o| matches!(o.request, RequestVerdict::Accepted { .. }))
            .count();
        let refused = report
            .outcomes
            .iter()
            .filter(|o| matches!(o.request, RequestVerdict::Refused { .. }))
            .count();
        let to_recorder = report
            .outcomes
            .iter()
            .filter(|o| o.judged_by == Target::Recorder)
            .count();
        let matching = report
            .outcomes
            .iter()
            .filter(|o| o.request == RequestVerdict::MatchesReference)
            .count();
        let valid = report
            .outcomes
            .iter()
            .filter(|o| {
                matches!(
                    o.response,
                    ResponseVerdict::Decoded | ResponseVerdict::ErrorRead
                )
            })
            .count();
        let errors_read = report
            .outcomes
            .iter()
            .filter(|o| o.response == ResponseVerdict::ErrorRead)
            .count();
        let invalid = report
            .outcomes
            .iter()
            .filter(|o| matches!(o.response, ResponseVerdict::Failed(_)))
            .count();
        let max_load = report
            .load_times
            .iter()
            .max()
            .map_or(0.0, Duration::as_secs_f64);
        let differing = report
            .outcomes
            .iter()
            .filter(|o| {
                matches!(
                    o.request,
                    RequestVerdict::DiffersFromReference(_) | RequestVerdict::Failed(_)
                )
            })
            .count();
        let unloaded = report
            .not_run
            .iter()
            .filter(|(_, why)| why.starts_with("Prism"))
            .count();
        clean &= refused == 0 && differing == 0 && unloaded == 0 && report.notes.is_empty();
        if let Some(generated) = &generated {
            let not_sent = report
                .outcomes
                .iter()
                .filter(|o| matches!(o.request, RequestVerdict::NotSent(_)))
                .count();
            let unjudged = report
                .outcomes
                .iter()
                .filter(|o| matches!(o.request, RequestVerdict::Unjudged(_)))
                .count();
            let examples = generated.examples(&file.name).cloned().unwrap_or_default();
            clean &= not_sent == 0 && invalid == 0 && examples.failed.is_empty();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {to_prism} | {accepted} | {refused} | {not_sent} | {to_recorder} | {matching} | {unjudged} | {valid} | {errors_read} | {invalid} | {} | {} | {} | {} | {} | {} | {} | {max_load:.1} |",
                file.name,
                report.operations,
                report.not_run.len(),
                examples.found,
                examples.invalid,
                examples.valid,
                examples.decoded,
                examples.failed.len(),
                examples.untyped.len(),
                report.load_times.len()
            );
            if args.verbose {
                for failed in &examples.failed {
                    let _ = writeln!(listed, "- {} example {}", file.name, truncate(failed, 300));
                }
                for untyped in &examples.untyped {
                    let _ = writeln!(
                        listed,
                        "- {} example not typed: {}",
                        file.name,
                        truncate(untyped, 300)
                    );
                }
            }
        } else {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {to_prism} | {accepted} | {refused} | {to_recorder} | {matching} | {valid} | {invalid} | {} | {max_load:.1} |",
                file.name,
                report.operations,
                report.not_run.len(),
                report.load_times.len()
            );
        }
        if args.verbose {
            for (operation, why) in &report.not_run {
                let _ = writeln!(
                    listed,
                    "- {} {operation}: not run: {}",
                    file.name,
                    truncate(why, 300)
                );
            }
            for outcome in &report.outcomes {
                let line = match (&outcome.request, &outcome.response) {
                    (RequestVerdict::Refused { status, violations }, _) => {
                        format!("refused {status}: {}", violations.join("; "))
                    }
                    (RequestVerdict::DiffersFromReference(how), _) => {
                        format!("differs: {}", how.join("; "))
                    }
                    (RequestVerdict::Failed(why) | RequestVerdict::NotSent(why), _) => why.clone(),
                    (RequestVerdict::Unjudged(why), _) => format!("unjudged: {why}"),
                    (_, ResponseVerdict::Failed(why)) => format!("response: {why}"),
                    _ => continue,
                };
                let _ = writeln!(
                    listed,
                    "- {} {} {:?} {}: {}",
                    file.name,
                    outcome.operation,
                    outcome.mode,
                    outcome.variant,
                    truncate(&line, 3000)
                );
            }
            for note in &report.notes {
                let _ = writeln!(listed, "- {}: {}", file.name, truncate(note, 300));
            }
        }
        if let Some(generated) = &generated {
            failures.extend(client_failures(&file.name, &report, generated));
        }
        eprintln!("conformance: ran {}", file.name);
    }
    if !listed.is_empty() {
        out.push_str("\nDetails:\n\n");
        out.push_str(&listed);
    }
    if args.client {
        let known = args.known.as_deref().map(read_known).unwrap_or_default();
        let run: Vec<&str> = specs.iter().map(|(file, _)| file.name.as_str()).collect();
        let unknown: Vec<&String> = failures
            .iter()
            .filter(|line| !known.iter().any(|entry| is_known(line, entry)))
            .collect();
        let stale: Vec<&String> = known
            .iter()
            .filter(|k| run.iter().any(|spec| k.starts_with(&format!("{spec} "))))
            .filter(|entry| !failures.iter().any(|line| is_known(line, entry)))
            .collect();
        let _ = writeln!(
            out,
            "\n{} failure(s): {} known (listed in the --known file), {} not known; {} known entr(ies) no longer failing.",
            failures.len(),
            failures.len() - unknown.len(),
            unknown.len(),
            stale.len()
        );
        for line in &unknown {
            let _ = writeln!(out, "- not known: {}", truncate(line, 600));
        }
        for entry in &stale {
            let _ = writeln!(
                out,
                "- no longer failing (remove it from the --known file): {entry}"
            );
        }
        clean = unknown.is_empty() && stale.is_empty();
    }
    (out, clean)
}

/// Every failure of the generated client in a spec's report, one line each,
/// starting `<spec> <METHOD> <path>`.
fn client_failures(
    spec: &str,
    report: &runner::SpecReport,
    generated: &GeneratedDriver,
) -> Vec<String> {
    let mut out = Vec::new();
    for outcome in &report.outcomes {
        let why = match (&outcome.request, &outcome.response) {
            (RequestVerdict::Refused { status, violations }, _) => {
                format!("refused {status}: {}", violations.join("; "))
            }
            (RequestVerdict::DiffersFromReference(how), _) => {
                format!("differs: {}", how.join("; "))
            }
            (RequestVerdict::Failed(why), _) => format!("failed: {why}"),
            (RequestVerdict::NotSent(why), _) => format!("not sent: {why}"),
            (_, ResponseVerdict::Failed(why)) => format!("response: {why}"),
            _ => continue,
        };
        out.push(format!(
            "{spec} {} ({:?}, {}): {why}",
            outcome.operation, outcome.mode, outcome.variant
        ));
    }
    for (operation, why) in &report.not_run {
        if why.starts_with("Prism") || why.contains("generated client") {
            out.push(format!("{spec} {operation} (not run): {why}"));
        }
    }
    for note in &report.notes {
        out.push(format!("{spec} (note): {note}"));
    }
    if let Some(examples) = generated.examples(spec) {
        for failed in &examples.failed {
            out.push(format!("{spec} example {failed}"));
        }
    }
    out
}

/// Whether a failure line is the known entry's (`<spec> <METHOD> <path>`,
/// whole: `GET /a` is not `GET /a/{id}`).
fn is_known(line: &str, entry: &str) -> bool {
    line.strip_prefix(entry)
        .is_some_and(|rest| rest.starts_with(' ') || rest.starts_with(':'))
}

/// The entries of a known-failures file: `<spec> <METHOD> <path>`, the text
/// before ` -- `, blank lines and `#` comments left out.
fn read_known(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|err| {
        eprintln!("conformance: cannot read {}: {err}", path.display());
        String::new()
    });
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split(" -- ").next().unwrap_or(line).trim().to_string())
        .collect()
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}
