//! cargo-progenitor, the anchor: found on PATH or given, and timed on the same
//! specs in the same run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::measure;
use crate::specs::Spec;

/// The cargo-progenitor binary: `explicit`, else the first on PATH.
pub fn find(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_owned());
    }
    let name = format!("cargo-progenitor{}", std::env::consts::EXE_SUFFIX);
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(&name))
        .find(|candidate| candidate.is_file())
}

/// The command that generates a crate from `spec` into `out`. Run directly,
/// a cargo subcommand takes its own name as first argument.
pub fn command(binary: &Path, spec: &Path, out: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("progenitor")
        .arg("--input")
        .arg(spec)
        .arg("--output")
        .arg(out)
        .args(["--name", "bench-client", "--version", "0.1.0"]);
    command
}

/// cargo-progenitor's median wall time on `spec`, or its first error line.
pub fn time(binary: &Path, spec: &Spec, runs: usize, scratch: &Path) -> Result<Duration, String> {
    let out = scratch.join("progenitor");
    let stderr = scratch.join("progenitor-stderr.txt");
    let (wall, _, success) = measure::repeat_process(
        runs,
        || command(binary, &spec.path, &out),
        || {
            let _ = std::fs::remove_dir_all(&out);
        },
        &stderr,
    )
    .map_err(|err| format!("cannot run {}: {err}", binary.display()))?;
    if success {
        Ok(wall)
    } else {
        let text = std::fs::read_to_string(&stderr).unwrap_or_default();
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("failed");
        Err(first.to_owned())
    }
}
