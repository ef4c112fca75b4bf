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

    /// A TOML file of settings (its keys are the flags below, `include-tags`
    /// and so on for the lists) [default: generator.toml beside the spec, if
    /// there is one]
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,

    /// Read no config file, not even the one beside the spec
    #[arg(long, conflicts_with = "config")]
    no_config: bool,

    /// The generated package's name, over the spec's `x-rust-client.crate`
    #[arg(long, value_name = "NAME")]
    crate_name: Option<String>,

    /// The generated package's version, over `x-rust-client.version`
    #[arg(long, value_name = "SEMVER")]
    crate_version: Option<String>,

    /// The prefix of the environment variables the client reads, over
    /// `x-rust-client.env-prefix`
    #[arg(long, value_name = "PREFIX")]
    env_prefix: Option<String>,

    /// The TLS feature the generated crate has on by default: rustls,
    /// rustls-ring, rustls-no-provider, native-tls or none [default: rustls-ring]
    #[arg(long, value_name = "TLS")]
    tls: Option<String>,

    /// Write a module of another crate, `crate::NAME`, instead of a crate:
    /// the Rust files only, `lib.rs` its root, to declare with
    /// `#[path = "<out>/lib.rs"] mod NAME;`
    #[arg(long, value_name = "NAME")]
    module: Option<String>,

    /// Generate only the operations with this tag (repeatable; with the other
    /// includes, an operation that matches any is generated)
    #[arg(long, value_name = "TAG")]
    include_tag: Vec<String>,

    /// Leave out the operations with this tag (repeatable)
    #[arg(long, value_name = "TAG")]
    exclude_tag: Vec<String>,

    /// Generate only the operation with this operationId (repeatable)
    #[arg(long, value_name = "ID")]
    include_operation: Vec<String>,

    /// Leave out the operation with this operationId (repeatable)
    #[arg(long, value_name = "ID")]
    exclude_operation: Vec<String>,

    /// Generate only the operations of this path template; a trailing `*`
    /// matches every path it starts (repeatable)
    #[arg(long, value_name = "PATH")]
    include_path: Vec<String>,

    /// Leave out the operations of this path template, or of every path a
    /// trailing `*` starts (repeatable)
    #[arg(long, value_name = "PATH")]
    exclude_path: Vec<String>,

    /// An OpenAPI Overlay 1.0 document applied to the spec before it is
    /// read, after the config file's (repeatable; applied in order)
    #[arg(long, value_name = "PATH")]
    overlay: Vec<PathBuf>,
}

impl Args {
    /// The settings the flags give.
    fn settings(&self) -> generator::Settings {
        generator::Settings {
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            env_prefix: self.env_prefix.clone(),
            tls: self.tls.clone(),
            module: self.module.clone(),
            selection: generator::Selection {
                include_tags: self.include_tag.clone(),
                exclude_tags: self.exclude_tag.clone(),
                include_operations: self.include_operation.clone(),
                exclude_operations: self.exclude_operation.clone(),
                include_paths: self.include_path.clone(),
                exclude_paths: self.exclude_path.clone(),
            },
            overlay_files: self.overlay.clone(),
            overlays: Vec::new(),
        }
    }
}

/// The config file's settings (given, else beside the spec), or `None` and
/// its problems printed.
fn config_settings(args: &Args, spec_path: &Path) -> Option<generator::Settings> {
    let beside = spec_path
        .parent()
        .map(|dir| dir.join(generator::settings::CONFIG_FILE))
        .filter(|path| spec_path.as_os_str() != "-" && path.is_file());
    let path = match (&args.config, args.no_config) {
        (_, true) => return Some(generator::Settings::default()),
        (Some(path), _) => path.clone(),
        (None, _) => match beside {
            Some(path) => path,
            None => return Some(generator::Settings::default()),
        },
    };
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read the config file {name}: {err}");
            return None;
        }
    };
    match generator::Settings::from_toml(&text, &name) {
        Ok(settings) => Some(settings),
        Err(problems) => {
            for problem in problems {
                eprintln!("{problem}");
            }
            None
        }
    }
}

/// Whether the current folder is in `repository` and the repository holds
/// its spec: where the defaults mean this repository's files.
fn in_repository(repository: &Path) -> bool {
    let (Ok(root), Ok(here)) = (
        repository.canonicalize(),
        std::env::current_dir().and_then(|dir| dir.canonicalize()),
    ) else {
        return false;
    };
    here.starts_with(&root) && root.join(DEFAULT_SPEC).is_file()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let repository = Path::new(REPOSITORY);
    let (spec_path, spec_name) = match &args.spec {
        Some(path) => (path.clone(), path.display().to_string()),
        None => (repository.join(DEFAULT_SPEC), DEFAULT_SPEC.to_owned()),
    };
    // The defaults name this repository's own spec and crate: a generator run
    // away from it (installed, say) must be told what to read and where to
    // write, rather than rewrite a checkout that happens to be on the disk.
    if (args.spec.is_none() || args.out.is_none()) && !in_repository(repository) {
        eprintln!(
            "error: no --spec and --out given, and the current folder is not in the generator's \
             repository ({}); run `generator --spec openapi.yaml --out my-client`",
            repository.display()
        );
        return ExitCode::from(2);
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| repository.join(DEFAULT_OUT));

    let read = if spec_path.as_os_str() == "-" {
        generator::load::text::read_bounded(std::io::stdin().lock())
    } else {
        std::fs::File::open(&spec_path).and_then(generator::load::text::read_bounded)
    };
    let spec_name = if spec_path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        spec_name
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: cannot read the spec {spec_name}: {err}");
            return ExitCode::from(2);
        }
    };
    huge_pages_for(bytes.len());
    // Flags over the config file; both over the spec's extension (in the library).
    let Some(config) = config_settings(&args, &spec_path) else {
        return ExitCode::from(2);
    };
    let mut settings = config.overridden_by(args.settings());
    if let Err(problem) = settings.read_overlays() {
        eprintln!("{problem}");
        return ExitCode::from(2);
    }
    let generated = match generator::generate_bytes_with(&bytes, &spec_name, &settings) {
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

/// Specs below this size are generated without transparent huge pages: up to
/// here the time is the same either way and the memory about half; above it,
/// huge pages save some time (k8s-core-v1.json, 1.1 MiB: 125 against 129 ms).
const HUGE_PAGES_FROM_BYTES: usize = 512 * 1024;

/// mimalloc asks the kernel for transparent huge pages, whose first touch zeroes
/// 2 MiB at a time: that pays on a large spec, but on a small one the zeroing
/// is most of the kernel's share of the run and doubles the resident set
/// (apisguru-vehicle-enquiry.yaml: 20 MiB with them, 9 MiB without). The
/// allocations made before this point are few and stay as they are.
fn huge_pages_for(spec_bytes: usize) {
    #[cfg(target_os = "linux")]
    if spec_bytes < HUGE_PAGES_FROM_BYTES {
        // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only
        // changes how this process's future page faults are served.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = spec_bytes;
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn a_small_spec_turns_huge_pages_off_for_the_process() {
        let status = || std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        super::huge_pages_for(super::HUGE_PAGES_FROM_BYTES);
        let before = status();
        super::huge_pages_for(1);
        let after = status();
        // Kernels before 5.0 do not report the flag, and a parent may have
        // turned it off for its children already: then there is nothing to see.
        if before.contains("THP_enabled:\t1") {
            assert!(after.contains("THP_enabled:\t0"), "{after}");
        }
    }
}
