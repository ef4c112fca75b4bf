//! How long the generated code takes to compile: `cargo check` of the crate we
//! generate and of cargo-progenitor's, for the same specs. Three figures a
//! crate, the first two with its dependencies already built: the crate checked
//! from scratch (rustc's incremental cache off, as after a changed spec), the
//! crate checked again after a touch (with the cache), and a full check from an
//! empty target folder (the dependencies included, what a user's first build
//! costs). The two crates take turns run by run, so that a machine busy with
//! something else slows both alike; CPU time (user + system of cargo and the
//! rustc it starts) is shown beside wall time, since it moves less with the
//! machine's load.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::measure::median;
use crate::{corpus_dir, generator_binary, progenitor};

#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// Timed checks of each generated crate, dependencies built (the median is
    /// shown): each round checks the crate from scratch, then again incrementally.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Timed full checks of each crate from an empty target folder (0: none).
    #[arg(long, default_value_t = 2)]
    full_runs: usize,
    /// Corpus documents to compare.
    #[arg(long, default_values_t = ["apisguru-bunq.yaml".to_owned(), "progenitor-nexus.json".to_owned()])]
    specs: Vec<String>,
    /// The corpus of third-party specs [default: ../shared/corpus next to the
    /// repository]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// The cargo-progenitor binary [default: found on PATH]
    #[arg(long, value_name = "PATH")]
    progenitor: Option<PathBuf>,
    /// Our crate's TLS features to time it with, each a candidate of its own
    /// (`none`: no TLS feature at all; `tracing` stays on in each).
    #[arg(long, value_delimiter = ',', default_values_t = ["rustls-ring".to_owned(), "rustls".to_owned(), "native-tls".to_owned(), "none".to_owned()])]
    tls: Vec<String>,
}

/// One generated crate being timed.
struct Candidate {
    label: String,
    dir: PathBuf,
    /// `cargo check`'s feature arguments.
    features: Vec<String>,
    /// The crate checked from scratch (no incremental cache), dependencies built.
    check: Vec<Timing>,
    /// The crate checked again after a touch, with its incremental cache.
    recheck: Vec<Timing>,
    full: Vec<Timing>,
    failure: Option<String>,
}

/// One `cargo check`: wall time, and the CPU time of cargo and its children.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Duration,
}

pub fn run(args: &CompileArgs) -> Result<(), String> {
    let generator = generator_binary()?;
    let progenitor = progenitor::find(args.progenitor.as_deref());
    if progenitor.is_none() {
        eprintln!("cargo-progenitor not found (install it or pass --progenitor): ours only");
    }
    // Kept between runs (outside the repository, whose workspace would claim
    // the crates): the dependencies of the re-checks are built once.
    let root = std::env::temp_dir().join("generator-bench-compile");
    let target = root.join("target");
    println!(
        "| spec | generator | check ms (crate only) | check CPU ms | incremental re-check ms | re-check CPU ms | full check ms | full check CPU ms | generated lines |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for name in &args.specs {
        let corpus = corpus_dir(args.corpus.as_deref());
        let spec = corpus.join(name);
        if !spec.exists() {
            eprintln!("skipping {name}: not in {}", corpus.display());
            continue;
        }
        let ours = root.join(format!("ours-{name}"));
        let mut command = Command::new(&generator);
        command.arg("--spec").arg(&spec).arg("--out").arg(&ours);
        // One crate of ours, checked with each TLS choice.
        let ours_features: Vec<(String, Vec<String>)> = args
            .tls
            .iter()
            .map(|tls| {
                let features = match tls.as_str() {
                    "none" => "tracing".to_owned(),
                    tls => format!("{tls},tracing"),
                };
                let arguments = vec![
                    "--no-default-features".to_owned(),
                    "--features".to_owned(),
                    features,
                ];
                (format!("ours ({tls})"), arguments)
            })
            .collect();
        let mut commands = vec![(ours_features, ours, command)];
        if let Some(binary) = &progenitor {
            let theirs = root.join(format!("progenitor-{name}"));
            let command = progenitor::command(binary, &spec, &theirs);
            commands.push((
                vec![("cargo-progenitor".to_owned(), Vec::new())],
                theirs,
                command,
            ));
        }
        let mut candidates = Vec::new();
        for (labels, dir, mut command) in commands {
            let _ = fs::remove_dir_all(&dir);
            let output = command
                .output()
                .map_err(|err| format!("cannot run {}: {err}", labels[0].0))?;
            let failure = (!output.status.success()).then(|| {
                let message = String::from_utf8_lossy(&output.stderr);
                format!(
                    "does not generate: {}",
                    message.lines().next().unwrap_or("failed")
                )
            });
            for (label, features) in labels {
                candidates.push(Candidate {
                    label,
                    dir: dir.clone(),
                    features,
                    check: Vec::new(),
                    recheck: Vec::new(),
                    full: Vec::new(),
                    failure: failure.clone(),
                });
            }
        }
        time_all(&mut candidates, &target, &root, args);
        for candidate in &candidates {
            let cells = match &candidate.failure {
                Some(failure) => format!("{failure} | - | - | - | - | -"),
                None => format!(
                    "{} | {} | {}",
                    cells(&candidate.check),
                    cells(&candidate.recheck),
                    cells(&candidate.full)
                ),
            };
            println!(
                "| {name} | {} | {cells} | {} |",
                candidate.label,
                rust_lines(&candidate.dir.join("src"))
            );
        }
    }
    Ok(())
}

/// Times every candidate that generated, taking turns: in each round every
/// crate runs once, the first of the round changing from round to round.
fn time_all(candidates: &mut [Candidate], target: &Path, root: &Path, args: &CompileArgs) {
    // A first check of each builds the shared dependencies (and writes Cargo.lock).
    for candidate in candidates.iter_mut() {
        if candidate.failure.is_none()
            && let Err(err) = check(candidate, target, Run::Setup)
        {
            candidate.failure = Some(format!("fails: {err}"));
        }
    }
    let count = candidates.len();
    for round in 0..args.runs.max(1) {
        for turn in 0..count {
            let candidate = &mut candidates[(round + turn) % count];
            if candidate.failure.is_some() {
                continue;
            }
            let lib = candidate.dir.join("src/lib.rs");
            // From scratch first: the incremental run after it finds the
            // cache of the previous incremental run, which the scratch
            // check does not touch.
            let timed = touch(&lib)
                .and_then(|()| check(candidate, target, Run::Scratch))
                .and_then(|scratch| {
                    touch(&lib)?;
                    Ok((scratch, check(candidate, target, Run::Incremental)?))
                });
            match timed {
                Ok((scratch, incremental)) => {
                    candidate.check.push(scratch);
                    candidate.recheck.push(incremental);
                }
                Err(err) => candidate.failure = Some(format!("fails: {err}")),
            }
        }
    }
    for round in 0..args.full_runs {
        for turn in 0..count {
            let candidate = &mut candidates[(round + turn) % count];
            if candidate.failure.is_some() {
                continue;
            }
            // A target folder of its own, emptied before every run.
            let fresh = root.join("target-full");
            let _ = fs::remove_dir_all(&fresh);
            match check(candidate, &fresh, Run::Incremental) {
                Ok(timing) => candidate.full.push(timing),
                Err(err) => candidate.failure = Some(format!("fails: {err}")),
            }
            let _ = fs::remove_dir_all(&fresh);
        }
    }
}

/// Marks the crate's root as edited, the way a change would.
fn touch(lib: &Path) -> Result<(), String> {
    fs::File::options()
        .append(true)
        .open(lib)
        .and_then(|file| file.set_modified(SystemTime::now()))
        .map_err(|err| format!("{}: {err}", lib.display()))
}

/// How a `cargo check` runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    /// The first, untimed: fetches and builds what the crate needs.
    Setup,
    /// The crate's code checked in full: rustc's incremental cache is off,
    /// as for a crate just generated from a changed spec.
    Scratch,
    /// cargo's default for a path crate: rustc reuses what did not change.
    Incremental,
}

/// One `cargo check` of the crate in `dir` into `target`. Timed runs are
/// offline: the setup run has fetched what the crate needs.
fn check(candidate: &Candidate, target: &Path, run: Run) -> Result<Timing, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["check", "--quiet"])
        .args(&candidate.features)
        .env("CARGO_TARGET_DIR", target)
        .current_dir(&candidate.dir);
    if run != Run::Setup {
        command.arg("--offline");
    }
    if run == Run::Scratch {
        // Applies to the crate itself only: cargo never builds registry
        // dependencies incrementally, so they stay built.
        command.env("CARGO_INCREMENTAL", "0");
    }
    let cpu_before = children_cpu();
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let wall = started.elapsed();
    // The bench runs one child at a time: the growth of its children's CPU
    // time is this cargo's, with every rustc it waited for.
    let cpu = children_cpu().saturating_sub(cpu_before);
    if output.status.success() {
        Ok(Timing { wall, cpu })
    } else {
        let message = String::from_utf8_lossy(&output.stderr);
        let first = message
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("cargo check failed");
        Err(first.to_owned())
    }
}

/// User + system CPU time of every child process waited for so far
/// (`getrusage(RUSAGE_CHILDREN)`: a child's time counts its own waited-for children).
fn children_cpu() -> Duration {
    // SAFETY: an all-zero `rusage` is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable local.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return Duration::ZERO;
    }
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// The median wall and CPU milliseconds, `-` when nothing was timed.
fn cells(timings: &[Timing]) -> String {
    if timings.is_empty() {
        return "- | -".to_owned();
    }
    let ms = |pick: fn(&Timing) -> Duration| {
        let mut values: Vec<Duration> = timings.iter().map(pick).collect();
        format!("{:.0}", median(&mut values).as_secs_f64() * 1e3)
    };
    format!("{} | {}", ms(|t| t.wall), ms(|t| t.cpu))
}

fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .map(|path| match path.is_dir() {
            true => rust_lines(&path),
            false if path.extension().is_some_and(|e| e == "rs") => {
                fs::read_to_string(&path).map_or(0, |text| text.lines().count())
            }
            false => 0,
        })
        .sum()
}
