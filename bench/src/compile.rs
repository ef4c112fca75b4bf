//! How long the generated code takes to compile: `cargo check` of the crate we
//! generate and of cargo-progenitor's, for the same specs, with every
//! dependency already built, so that only the generated crate is checked.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::measure::median;
use crate::{corpus_dir, generator_binary, progenitor};

#[derive(Debug, clap::Args)]
pub struct CompileArgs {
    /// Timed `cargo check` runs per crate (the median is shown).
    #[arg(long, default_value_t = 3)]
    runs: usize,
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
}

pub fn run(args: &CompileArgs) -> Result<(), String> {
    let generator = generator_binary()?;
    let progenitor = progenitor::find(args.progenitor.as_deref());
    if progenitor.is_none() {
        eprintln!("cargo-progenitor not found (install it or pass --progenitor): ours only");
    }
    // Kept between runs (outside the repository, whose workspace would claim
    // the crates): the dependencies are built once.
    let root = std::env::temp_dir().join("generator-bench-compile");
    let target = root.join("target");
    println!("| spec | generator | `cargo check` ms (crate only) | generated lines |");
    println!("|---|---|---|---|");
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
        let mut candidates = vec![("ours", ours, command)];
        if let Some(binary) = &progenitor {
            let theirs = root.join(format!("progenitor-{name}"));
            let command = progenitor::command(binary, &spec, &theirs);
            candidates.push(("cargo-progenitor", theirs, command));
        }
        for (label, dir, mut command) in candidates {
            let _ = fs::remove_dir_all(&dir);
            let output = command
                .output()
                .map_err(|err| format!("cannot run {label}: {err}"))?;
            if !output.status.success() {
                let message = String::from_utf8_lossy(&output.stderr);
                let first = message.lines().next().unwrap_or("failed");
                println!("| {name} | {label} | does not generate: {first} | - |");
                continue;
            }
            let cell = match check_time(&dir, &target, args.runs) {
                Ok(time) => format!("{:.0}", time.as_secs_f64() * 1e3),
                Err(err) => format!("fails: {err}"),
            };
            println!(
                "| {name} | {label} | {cell} | {} |",
                rust_lines(&dir.join("src"))
            );
        }
    }
    Ok(())
}

/// Builds the dependencies with a first check, then times checks after
/// touching the crate's root, the way an edit would.
fn check_time(dir: &Path, target: &Path, runs: usize) -> Result<Duration, String> {
    let check = || -> Result<Duration, String> {
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--quiet"])
            .env("CARGO_TARGET_DIR", target)
            .current_dir(dir)
            .output()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        let elapsed = started.elapsed();
        if output.status.success() {
            Ok(elapsed)
        } else {
            let message = String::from_utf8_lossy(&output.stderr);
            let first = message
                .lines()
                .find(|l| l.starts_with("error"))
                .unwrap_or("cargo check failed");
            Err(first.to_owned())
        }
    };
    check()?;
    let lib = dir.join("src/lib.rs");
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        fs::File::options()
            .append(true)
            .open(&lib)
            .and_then(|file| file.set_modified(SystemTime::now()))
            .map_err(|err| format!("{}: {err}", lib.display()))?;
        times.push(check()?);
    }
    Ok(median(&mut times))
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
