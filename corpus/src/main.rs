//! `corpus`: generates a client for every OpenAPI document of `../shared/corpus/`,
//! checks all of them with one `cargo clippy` run, and prints a table.
//!
//! The generated crates are members of one scratch workspace under
//! `target/corpus/`, built into the repository's own target folder: their
//! dependencies (reqwest, tokio, serde, …) are built once, and are the very
//! builds `cargo clippy --workspace` of this repository already made.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

mod names;

const REPOSITORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// Generates and checks a client crate for every document of the corpus.
///
/// Exits 1 when an OpenAPI 3.0 document fails to generate, or when the crate of
/// any document that was generated (3.0, 3.1 or other) has a compile error or
/// a warning (clippy's included); documents of other versions may be refused
/// with a clear error.
#[derive(Debug, Parser)]
struct Args {
    /// The corpus folder [default: ../shared/corpus, relative to the repository]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,

    /// Skip documents larger than this many bytes
    #[arg(long, value_name = "BYTES")]
    max_bytes: Option<u64>,

    /// Only documents whose file name contains one of these
    #[arg(value_name = "NAME")]
    only: Vec<String>,

    /// More spec folders whose documents are taken too (the fixtures of tests/)
    #[arg(long, value_name = "DIR")]
    also: Vec<PathBuf>,

    /// Run `cargo check` instead of `cargo clippy` (faster; lints not counted)
    #[arg(long)]
    no_clippy: bool,

    /// Print every generator warning and compiler message
    #[arg(long, short)]
    verbose: bool,

    /// Print how each client reads instead of building it: methods, resources,
    /// and the methods whose name repeats their resource (with -v, every call)
    #[arg(long)]
    names: bool,
}

/// One document and what became of it.
struct Row {
    spec: String,
    bytes: u64,
    version: String,
    operations: usize,
    generation: Duration,
    generated: Result<usize, String>,
    /// The scratch package, when the crate was generated.
    package: Option<String>,
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Row {
    /// Whether this document fails the run: an OpenAPI 3.0 document must be
    /// generated, and every document the generator accepts, whatever its
    /// version, must give a crate without an error or a warning.
    fn failed(&self) -> bool {
        match self.generated {
            Ok(_) => !self.errors.is_empty() || !self.warnings.is_empty(),
            Err(_) => self.version.starts_with("3.0"),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let repository = Path::new(REPOSITORY)
        .canonicalize()
        .expect("the repository of this binary exists");
    let corpus = args
        .corpus
        .clone()
        .unwrap_or_else(|| repository.join("../shared/corpus"));
    let mut specs = Vec::new();
    if corpus.is_dir() {
        specs.extend(documents(&corpus));
    } else {
        eprintln!(
            "corpus: {} is absent; skipping the corpus (pass --corpus DIR to point at it)",
            corpus.display()
        );
    }
    for dir in &args.also {
        specs.extend(fixture_documents(dir));
    }
    specs.retain(|path| {
        let name = file_name(path);
        let small = args
            .max_bytes
            .is_none_or(|max| path.metadata().map(|m| m.len()).unwrap_or(0) <= max);
        small && (args.only.is_empty() || args.only.iter().any(|o| name.contains(o.as_str())))
    });
    if specs.is_empty() {
        eprintln!("corpus: no documents to check");
        return ExitCode::SUCCESS;
    }

    if args.names {
        let rows: Vec<_> = specs
            .iter()
            .map(|path| {
                let spec = file_name(path);
                names::names(path, &spec).map_err(|error| (spec, error))
            })
            .collect();
        print!("{}", names::table(&rows, args.verbose));
        return ExitCode::SUCCESS;
    }

    let scratch = repository.join("target/corpus");
    let crates = scratch.join("crates");
    let mut rows: Vec<Row> = specs
        .iter()
        .map(|path| generate(path, &crates, args.verbose))
        .collect();
    let packages: Vec<String> = rows.iter().filter_map(|r| r.package.clone()).collect();
    if !packages.is_empty() {
        let started = Instant::now();
        match check(&repository, &scratch, &packages, !args.no_clippy) {
            Ok(messages) => {
                for row in &mut rows {
                    if let Some(found) = row.package.as_ref().and_then(|p| messages.get(p)) {
                        row.errors = found.errors.clone();
                        row.warnings = found.warnings.clone();
                    }
                }
            }
            Err(err) => {
                eprintln!("corpus: {err}");
                return ExitCode::from(2);
            }
        }
        eprintln!(
            "corpus: {} of {} crates checked in {:.1} s",
            if args.no_clippy {
                "cargo check"
            } else {
                "cargo clippy"
            },
            packages.len(),
            started.elapsed().as_secs_f64()
        );
    }
    if args.verbose {
        for row in &rows {
            for message in row.errors.iter().chain(&row.warnings) {
                eprintln!("--- {}\n{message}", row.spec);
            }
        }
    }
    print!("{}", table(&rows));
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.failed())
        .map(|r| r.spec.as_str())
        .collect();
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "corpus: {} document(s) failed (a 3.0 one refused, or an accepted one's crate not clean): {}",
            failed.len(),
            failed.join(", ")
        );
        ExitCode::from(1)
    }
}

fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    found.sort();
    found
}

/// `DIR/<name>/spec.yaml` (or `.json`) of every fixture.
fn fixture_documents(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|entry| {
            ["spec.yaml", "spec.json"]
                .map(|name| entry.path().join(name))
                .into_iter()
                .filter(|path| path.is_file())
        })
        .collect();
    found.sort();
    found
}

fn file_name(path: &Path) -> String {
    if path.file_stem().and_then(|s| s.to_str()) == Some("spec") {
        // A fixture: named by its folder.
        let folder = path.parent().and_then(Path::file_name);
        return format!(
            "fixture:{}",
            folder.map(|f| f.to_string_lossy()).unwrap_or_default()
        );
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Generates the crate of one document into `crates/<package>/`.
fn generate(path: &Path, crates: &Path, verbose: bool) -> Row {
    let spec = file_name(path);
    let mut row = Row {
        spec: spec.clone(),
        bytes: path.metadata().map(|m| m.len()).unwrap_or(0),
        version: String::from("?"),
        operations: 0,
        generation: Duration::ZERO,
        generated: Err(String::new()),
        package: None,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            row.generated = Err(format!("cannot read: {err}"));
            return row;
        }
    };
    (row.version, row.operations) = version_and_operations(&text);
    let started = Instant::now();
    let outcome = generator::generate(&text, &spec);
    row.generation = started.elapsed();
    let generated = match outcome {
        Ok(generated) => generated,
        Err(failure) => {
            let first = failure
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.to_string())
                .unwrap_or_default();
            if verbose {
                eprintln!("{failure}");
            }
            row.generated = Err(first);
            return row;
        }
    };
    if verbose {
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
    }
    let package = package_name(&spec);
    let mut files = generated.files;
    // Two specs may share a title, hence a crate name: the scratch workspace
    // names each package after its spec file instead.
    for file in &mut files {
        if file.path == "Cargo.toml" {
            file.contents = rename_package(&file.contents, &package);
        }
    }
    let dir = crates.join(&package);
    if let Err(err) = generator::write::write(&dir, &files, true) {
        row.generated = Err(format!("cannot write {}: {err}", dir.display()));
        return row;
    }
    row.generated = Ok(generated.warnings.len());
    row.package = Some(package);
    row
}

fn package_name(spec: &str) -> String {
    let stem = spec
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .trim_end_matches(".json");
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let suffix = if spec.ends_with(".json") { "-json" } else { "" };
    format!("corpus-{name}{suffix}")
}

fn rename_package(manifest: &str, package: &str) -> String {
    let mut out = String::with_capacity(manifest.len());
    let mut renamed = false;
    for line in manifest.lines() {
        if !renamed && line.starts_with("name = ") {
            let _ = writeln!(out, "name = \"{package}\"");
            renamed = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The `openapi` (or `swagger`) version and the number of operations.
fn version_and_operations(text: &str) -> (String, usize) {
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        // Unreadable for the YAML parser: its version is still worth knowing,
        // as a 3.0 document that fails to load must fail the run.
        return (scanned_version(text), 0);
    };
    let version = ["openapi", "swagger"]
        .iter()
        .find_map(|key| value.get(*key))
        .map(|v| match v {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            _ => "?".into(),
        })
        .unwrap_or_else(|| "?".into());
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let operations = value
        .get("paths")
        .and_then(serde_yaml::Value::as_mapping)
        .map(|paths| {
            paths
                .values()
                .filter_map(serde_yaml::Value::as_mapping)
                .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                .sum()
        })
        .unwrap_or(0);
    (version, operations)
}

/// The version in `openapi: 3.0.0` or `"openapi": "3.0.0"`, found in the text.
fn scanned_version(text: &str) -> String {
    let Some(at) = text.find("openapi") else {
        return "?".into();
    };
    let version: String = text[at + "openapi".len()..]
        .trim_start_matches(|c: char| c == '"' || c == '\'' || c == ':' || c.is_whitespace())
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if version.is_empty() {
        "?".into()
    } else {
        version
    }
}

#[derive(Default)]
struct Messages {
    errors: Vec<String>,
    warnings: Vec<String>,
}

/// Checks every package in one cargo run and sorts the diagnostics by package.
fn check(
    repository: &Path,
    scratch: &Path,
    packages: &[String],
    clippy: bool,
) -> Result<BTreeMap<String, Messages>, String> {
    let mut manifest = String::from(
        "# Scratch workspace of the corpus runner (corpus/src/main.rs); rewritten on every run.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for package in packages {
        let _ = writeln!(manifest, "    \"crates/{package}\",");
    }
    manifest.push_str("]\n");
    std::fs::write(scratch.join("Cargo.toml"), manifest)
        .map_err(|err| format!("cannot write the scratch workspace: {err}"))?;
    // The repository's lock file pins the versions its own build uses, so the
    // dependencies built for it are reused.
    let lock = scratch.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(repository.join("Cargo.lock"), &lock);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository.join("target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg(if clippy { "clippy" } else { "check" })
        .args([
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut found: BTreeMap<String, Messages> = BTreeMap::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let package_id = message["package_id"].as_str().unwrap_or_default();
        let Some(package) = packages
            .iter()
            .find(|p| package_id.contains(&format!("/crates/{p}#")))
        else {
            continue;
        };
        let diagnostic = &message["message"];
        // "aborting due to …" and "N warnings emitted" summaries carry no span.
        if diagnostic["spans"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        let rendered = diagnostic["rendered"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let entry = found.entry((*package).to_owned()).or_default();
        match diagnostic["level"].as_str() {
            Some("error") => entry.errors.push(rendered),
            Some("warning") => entry.warnings.push(rendered),
            _ => {}
        }
    }
    child
        .wait()
        .map_err(|err| format!("cargo did not finish: {err}"))?;
    Ok(found)
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | bytes | OpenAPI | ops | generate ms | generate | check | warnings |\n\
         |---|---:|---|---:|---:|---|---|---:|\n",
    );
    for row in rows {
        let generate = match &row.generated {
            Ok(0) => "OK".to_owned(),
            Ok(warnings) => format!("OK ({warnings} spec warnings)"),
            Err(error) => format!("error: {}", first_line(error.trim_start_matches("error: "))),
        };
        let check = match (&row.generated, row.errors.first()) {
            (Err(_), _) => "-".to_owned(),
            (Ok(_), None) => "OK".to_owned(),
            (Ok(_), Some(error)) => {
                format!("{} errors; first: {}", row.errors.len(), first_line(error))
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.1} | {} | {} | {} |",
            row.spec,
            row.bytes,
            row.version,
            row.operations,
            row.generation.as_secs_f64() * 1000.0,
            generate.replace('|', "\\|"),
            check.replace('|', "\\|"),
            if row.generated.is_ok() {
                row.warnings.len().to_string()
            } else {
                "-".to_owned()
            },
        );
    }
    out
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut cut: String = line.chars().take(110).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    cut
}
