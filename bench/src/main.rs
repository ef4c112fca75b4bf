//! `bench`: how fast the generator is, spec by spec and stage by stage, and how
//! much a call through the generated client costs over a bare reqwest call.
//!
//! Run with `cargo run --release -p bench` (see README.md, "Performance").

mod client;
mod compile;
mod download;
mod events;
mod measure;
mod progenitor;
mod report;
mod specs;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

use measure::{Outcome, Stages};
use specs::{Kind, Spec};

/// The repository this binary was built in.
const REPOSITORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[derive(Debug, Parser)]
#[command(about = "Benchmarks of the generator and of the generated client")]
struct Args {
    #[command(subcommand)]
    command: Option<Bench>,
}

#[derive(Debug, Subcommand)]
enum Bench {
    /// Generation: time per stage, whole-process time and peak memory per spec
    /// (the default).
    Generation(GenerationArgs),
    /// One call of the generated client against a bare reqwest call, on loopback.
    Client(client::ClientArgs),
    /// `cargo check` time of generated crates, ours against cargo-progenitor's.
    Compile(compile::CompileArgs),
    /// A large body's peak memory: a download read as a byte stream and
    /// whole, an upload from a file.
    Download(download::DownloadArgs),
    /// The event-stream decoder against a bare reqwest call parsed by hand.
    Events(events::EventsArgs),
    /// Writes the synthetic spec of a given size, to profile the generator on it.
    Synthetic {
        /// How many operations (and schemas).
        #[arg(long, default_value_t = 1_000)]
        operations: usize,
        /// The folder to write `synthetic-<operations>.yaml` into.
        #[arg(long, value_name = "DIR", default_value = ".")]
        out: PathBuf,
    },
}

#[derive(Debug, Default, clap::Args)]
struct GenerationArgs {
    /// Only the typing spec, one run each: a smoke test that the bench works.
    #[arg(long)]
    quick: bool,
    /// Runs per measurement (the median is shown) [default: 5; 3 for specs
    /// over 2 MB]
    #[arg(long)]
    runs: Option<usize>,
    /// Only the specs whose name contains this text.
    #[arg(long)]
    only: Option<String>,
    /// The corpus of third-party specs [default: ../shared/corpus next to the
    /// repository]
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Leave out the synthetic specs.
    #[arg(long)]
    no_synthetic: bool,
    /// The cargo-progenitor binary to time side by side [default: found on PATH]
    #[arg(long, value_name = "PATH")]
    progenitor: Option<PathBuf>,
    /// Do not time cargo-progenitor even when it is installed.
    #[arg(long)]
    no_progenitor: bool,
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().collect();
    if raw.get(1).map(String::as_str) == Some(measure::BARE_PARSE_CHILD) {
        let parsed = raw
            .get(2)
            .map(|path| measure::bare_parse_child(Path::new(path)));
        return match parsed {
            Some(Ok(())) => ExitCode::SUCCESS,
            _ => ExitCode::FAILURE,
        };
    }
    if raw.get(1).map(String::as_str) == Some(measure::MEASURE_CHILD) {
        return match raw.get(2..4) {
            Some([stderr, program]) => {
                match measure::measure_child(Path::new(stderr), program, &raw[4..]) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(err) => {
                        println!("cannot run {program}: {err}");
                        ExitCode::FAILURE
                    }
                }
            }
            _ => ExitCode::FAILURE,
        };
    }
    if raw.get(1).map(String::as_str) == Some(download::DOWNLOAD_CHILD) {
        return match raw
            .get(2..4)
            .map(|args| download::child(&args[0], &args[1]))
        {
            Some(Ok(())) => ExitCode::SUCCESS,
            Some(Err(message)) => {
                eprintln!("{message}");
                ExitCode::FAILURE
            }
            None => ExitCode::FAILURE,
        };
    }
    let args = Args::parse();
    let result = match args.command {
        None => generation(GenerationArgs::default()),
        Some(Bench::Generation(args)) => generation(args),
        Some(Bench::Client(args)) => client::run(&args),
        Some(Bench::Compile(args)) => compile::run(&args),
        Some(Bench::Download(args)) => download::run(&args),
        Some(Bench::Events(args)) => events::run(&args),
        Some(Bench::Synthetic { operations, out }) => specs::synthetic(operations, &out)
            .map(|spec| println!("{}", spec.path.display()))
            .map_err(|err| format!("cannot write the synthetic spec: {err}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn repository() -> &'static Path {
    Path::new(REPOSITORY)
}

/// `explicit`, else `../shared/corpus/` next to the repository.
fn corpus_dir(explicit: Option<&Path>) -> PathBuf {
    explicit.map_or_else(|| repository().join("../shared/corpus"), Path::to_owned)
}

/// The generator binary of the profile this bench was built with, built first
/// when the bench runs under cargo (a no-op when it is up to date).
pub fn generator_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|err| format!("cannot find the bench: {err}"))?;
    let dir = exe.parent().ok_or("the bench binary has no folder")?;
    if let Ok(cargo) = std::env::var("CARGO") {
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", "generator", "--bin", "generator"]);
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let status = build
            .current_dir(repository())
            .status()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if !status.success() {
            return Err("building the generator binary failed".into());
        }
    }
    let binary = dir.join(format!("generator{}", std::env::consts::EXE_SUFFIX));
    if binary.exists() {
        Ok(binary)
    } else {
        Err(format!(
            "no generator binary at {}: run `cargo build --release -p generator` first",
            binary.display()
        ))
    }
}

fn generation(args: GenerationArgs) -> Result<(), String> {
    if cfg!(debug_assertions) && !args.quick {
        eprintln!("note: this is a debug build; figures are only meaningful with --release");
    }
    let generator = generator_binary()?;
    let progenitor = if args.no_progenitor || args.quick {
        None
    } else {
        progenitor::find(args.progenitor.as_deref())
    };
    match &progenitor {
        Some(path) => eprintln!("timing cargo-progenitor too: {}", path.display()),
        None if !args.quick && !args.no_progenitor => {
            eprintln!("cargo-progenitor not found (install it or pass --progenitor): not compared")
        }
        None => {}
    }

    let mut specs = vec![project_spec()?];
    if !args.quick {
        let dir = corpus_dir(args.corpus.as_deref());
        match specs::corpus(&dir) {
            Some(paths) => {
                for path in paths {
                    let spec = Spec::read(&path, Kind::Corpus)
                        .map_err(|err| format!("{}: {err}", path.display()))?;
                    specs.push(spec);
                }
            }
            None => eprintln!(
                "skipping the corpus: {} is absent (it lives next to the repository; or pass --corpus)",
                dir.display()
            ),
        }
        if !args.no_synthetic {
            let dir = measure::scratch("synthetic-specs");
            for operations in [10, 100, 1_000, 10_000] {
                let spec = specs::synthetic(operations, &dir)
                    .map_err(|err| format!("cannot write a synthetic spec: {err}"))?;
                specs.push(spec);
            }
        }
    }
    if let Some(only) = &args.only {
        specs.retain(|s| s.name.contains(only.as_str()));
    }

    let mut rows = Vec::new();
    for spec in &specs {
        let runs = args.runs.unwrap_or(match args.quick {
            true => 1,
            false if spec.text.len() > 2_000_000 => 3,
            false => 5,
        });
        eprintln!("measuring {} ({} runs)", spec.name, runs);
        rows.push(measure_spec(spec, runs, &generator, progenitor.as_deref())?);
    }
    println!();
    report::print_table(&rows, progenitor.is_some());
    report::print_targets(&rows);
    let _ = std::fs::remove_dir_all(measure::scratch(""));
    Ok(())
}

fn project_spec() -> Result<Spec, String> {
    let path = repository().join("spec/openapi.yaml");
    let mut spec = Spec::read(&path, Kind::Project).map_err(|err| format!("{err}"))?;
    spec.name = "spec/openapi.yaml".into();
    Ok(spec)
}

fn measure_spec(
    spec: &Spec,
    runs: usize,
    generator: &Path,
    progenitor: Option<&Path>,
) -> Result<report::Row, String> {
    let scratch = measure::scratch(&spec.name);
    let out = scratch.join("in-process");
    let mut stage_runs: Vec<Stages> = Vec::new();
    let mut outcome = Outcome::Generated { files: 0 };
    for _ in 0..runs {
        let (stages, this) = measure::stages(&spec.text, &spec.name, &out);
        stage_runs.push(stages);
        outcome = this;
    }
    let mut parses = Vec::new();
    for _ in 0..runs {
        match measure::bare_parse(&spec.text, spec.is_json) {
            Some(duration) => parses.push(duration),
            None => break,
        }
    }
    let bare_parse = (!parses.is_empty()).then(|| measure::median(&mut parses));

    let stderr = scratch.join("stderr.txt");
    std::fs::create_dir_all(&scratch).map_err(|err| format!("{}: {err}", scratch.display()))?;
    let bare_parse_memory = measure::bare_parse_memory(&spec.path, &stderr);
    let process = if matches!(outcome, Outcome::Generated { .. }) {
        let out = scratch.join("process");
        let (wall, peak, success) = measure::repeat_process(
            runs,
            || {
                let mut command = Command::new(generator);
                command.arg("--spec").arg(&spec.path).arg("--out").arg(&out);
                command
            },
            || {
                let _ = std::fs::remove_dir_all(&out);
            },
            &stderr,
        )
        .map_err(|err| format!("cannot run {}: {err}", generator.display()))?;
        if !success {
            let message = std::fs::read_to_string(&stderr).unwrap_or_default();
            return Err(format!(
                "{} generates in process but the binary failed:\n{message}",
                spec.name
            ));
        }
        Some((wall, peak))
    } else {
        None
    };

    let progenitor = progenitor.map(|binary| progenitor::time(binary, spec, runs, &scratch));
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(report::Row {
        name: spec.name.clone(),
        kind: spec.kind,
        bytes: spec.text.len(),
        operations: measure::count_operations(&spec.text, spec.is_json),
        bare_parse,
        bare_parse_memory,
        stages: measure::median_stages(&stage_runs),
        outcome,
        process,
        progenitor,
    })
}
