//! `generator`: the command line of the OpenAPI client generator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// The repository this binary was built in: the defaults are relative to it, so
/// `cargo run -p generator` works from any folder of the checkout.
const REPOSITORY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const DEFAULT_SPEC: &str = "spec/openapi.yaml";
const DEFAULT_OUT: &str = "generated";

/// Generates a Rust client crate from an OpenAPI 3.0 or 3.1 document.
///
/// With no arguments, reads spec/openapi.yaml and writes the crate into
/// generated/ (both in this repository). Only changed files are rewritten, all
/// at once: a failed run leaves the output folder as it was.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The OpenAPI document, YAML or JSON (told apart by content); `-` reads
    /// standard input [default: spec/openapi.yaml]
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,

    /// The folder of the generated crate [default: generated]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Write nothing; exit 1 with a diff if the output folder is not what the
    /// spec produces (stale, missing or extra files), 0 if it is
    #[arg(long)]
    check: bool,

    /// Overwrite or delete files in the output folder that the generator did
    /// not write
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let repository = Path::new(REPOSITORY);
    let (spec_path, spec_name) = match &args.spec {
        Some(path) => (path.clone(), path.display().to_string()),
        None => (repository.join(DEFAULT_SPEC), DEFAULT_SPEC.to_owned()),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| repository.join(DEFAULT_OUT));

    let read = if spec_path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin().lock())
    } else {
        std::fs::read_to_string(&spec_path)
    };
    let spec_name = if spec_path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        spec_name
    };
    let text = match read {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read the spec {spec_name}: {err}");
            return ExitCode::from(2);
        }
    };
    let generated = match generator::generate(&text, &spec_name) {
        Ok(generated) => generated,
        Err(failure) => {
            eprintln!("{failure}");
            return ExitCode::from(2);
        }
    };
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }

    if args.check {
        return match generator::write::check(&out, &generated.files) {
            Ok(differences) if differences.is_empty() => {
                eprintln!("{} is up to date with {spec_name}", out.display());
                ExitCode::SUCCESS
            }
            Ok(differences) => {
                for difference in &differences {
                    print!("{difference}");
                }
                eprintln!(
                    "{} is stale: {} file(s) differ from what {spec_name} produces; run `cargo run -p generator` to update it",
                    out.display(),
                    differences.len()
                );
                ExitCode::from(1)
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(2)
            }
        };
    }

    match generator::write::write(&out, &generated.files, args.force) {
        Ok(summary) => {
            for path in &summary.written {
                eprintln!("wrote {path}");
            }
            for path in &summary.removed {
                eprintln!("removed {path}");
            }
            eprintln!(
                "{}: {} file(s) written, {} unchanged, {} removed",
                out.display(),
                summary.written.len(),
                summary.unchanged,
                summary.removed.len()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
