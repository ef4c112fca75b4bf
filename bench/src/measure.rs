//! Measurements of one spec: the pipeline's stages in this process, the bare
//! parse it is compared with, and whole runs of a generator process.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The time of each stage of one in-process generation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stages {
    pub load: Duration,
    pub model: Duration,
    pub emit: Duration,
    pub format: Duration,
    pub write: Duration,
}

/// How far a spec gets through the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Generated {
        files: usize,
    },
    /// The stage that failed and its first error.
    Failed {
        stage: &'static str,
        error: String,
    },
}

/// Runs the pipeline stage by stage, writing into `out` (emptied first so the
/// write stage writes every file), then writes again to check that an
/// unchanged spec leaves every file untouched.
pub fn stages(text: &str, spec_name: &str, out: &Path) -> (Stages, Outcome) {
    let mut stages = Stages::default();
    let failed = |stage, diagnostics: Vec<generator::Diagnostic>| Outcome::Failed {
        stage,
        error: first_error(&diagnostics),
    };

    let started = Instant::now();
    let document = generator::load::load(text);
    stages.load = started.elapsed();
    let document = match document {
        Ok(document) => document,
        Err(diagnostics) => return (stages, failed("load", diagnostics)),
    };

    let started = Instant::now();
    let built = generator::model::build(&document.document);
    stages.model = started.elapsed();
    let (api, _warnings) = match built {
        Ok(built) => built,
        Err(diagnostics) => return (stages, failed("model", diagnostics)),
    };

    // emit: the templates, and every module's tokens built once on one
    // thread (a cost figure: `format` builds them again, in parallel with
    // printing, as the generator does).
    let started = Instant::now();
    let unformatted = generator::emit::unformatted(&api, spec_name);
    let unformatted = match unformatted {
        Ok(unformatted) => unformatted,
        Err(diagnostics) => return (stages, failed("emit", diagnostics)),
    };
    std::hint::black_box(unformatted.count_tokens());
    stages.emit = started.elapsed();

    let started = Instant::now();
    let files = unformatted.format();
    stages.format = started.elapsed();
    let files = match files {
        Ok(files) => files,
        Err(diagnostics) => return (stages, failed("format", diagnostics)),
    };

    let _ = fs::remove_dir_all(out);
    let started = Instant::now();
    let written = generator::write::write(out, &files, false);
    stages.write = started.elapsed();
    if let Err(err) = written {
        let error = err.to_string();
        return (
            stages,
            Outcome::Failed {
                stage: "write",
                error,
            },
        );
    }
    if let Err(error) = unchanged_run_touches_nothing(out, &files) {
        return (
            stages,
            Outcome::Failed {
                stage: "rewrite",
                error,
            },
        );
    }
    let files = files.len();
    (stages, Outcome::Generated { files })
}

/// Writing the same files again must report them all unchanged and keep every
/// modification time, or cargo would rebuild the generated crate for nothing.
fn unchanged_run_touches_nothing(out: &Path, files: &[generator::File]) -> Result<(), String> {
    let mtimes = |files: &[generator::File]| -> Result<Vec<_>, String> {
        files
            .iter()
            .map(|f| {
                fs::metadata(out.join(&f.path))
                    .and_then(|m| m.modified())
                    .map_err(|err| format!("{}: {err}", f.path))
            })
            .collect()
    };
    let before = mtimes(files)?;
    let summary = generator::write::write(out, files, false).map_err(|err| err.to_string())?;
    if !summary.written.is_empty() || summary.unchanged != files.len() {
        return Err(format!("a second write rewrote {:?}", summary.written));
    }
    if mtimes(files)? != before {
        return Err("a second write changed modification times".into());
    }
    Ok(())
}

fn first_error(diagnostics: &[generator::Diagnostic]) -> String {
    let first = diagnostics.iter().find(|d| d.is_error());
    let message = first.map_or("(no message)", |d| d.message.as_str());
    let others = diagnostics.iter().filter(|d| d.is_error()).count();
    match others {
        0 | 1 => message.to_owned(),
        n => format!("{message} (+{} more)", n - 1),
    }
}

/// The time to parse the spec straight into `openapiv3::OpenAPI`, with no
/// checks and no diagnostics: the floor a generator is compared with. `None`
/// when openapiv3 rejects the document.
pub fn bare_parse(text: &str, is_json: bool) -> Option<Duration> {
    let started = Instant::now();
    let parsed = if is_json {
        serde_json::from_str::<openapiv3::OpenAPI>(text).is_ok()
    } else {
        serde_yaml::from_str::<openapiv3::OpenAPI>(text).is_ok()
    };
    parsed.then(|| started.elapsed())
}

/// The hidden first argument that makes this binary parse one spec straight
/// into openapiv3 and exit: the process whose peak memory is the floor.
pub const BARE_PARSE_CHILD: &str = "__bare-parse";

/// The bare-parse process: reads the spec at `path` into `openapiv3::OpenAPI`.
pub fn bare_parse_child(path: &Path) -> io::Result<()> {
    let text = fs::read_to_string(path)?;
    let is_json = text.trim_start().starts_with('{');
    let parsed = if is_json {
        serde_json::from_str::<openapiv3::OpenAPI>(&text).map_err(io::Error::other)?
    } else {
        serde_yaml::from_str::<openapiv3::OpenAPI>(&text).map_err(io::Error::other)?
    };
    std::hint::black_box(&parsed);
    Ok(())
}

/// The peak memory of a process that only parses the spec into openapiv3
/// (this binary, with the system allocator): what any generator built on
/// these crates needs before it does anything. `None` when openapiv3 rejects it.
pub fn bare_parse_memory(spec: &Path, stderr_file: &Path) -> Option<u64> {
    let mut command = Command::new(std::env::current_exe().ok()?);
    command.arg(BARE_PARSE_CHILD).arg(spec);
    let run = run_process(&command, stderr_file).ok()?;
    run.success.then_some(run.max_rss_bytes)
}

/// Operations in the document (method entries under `paths`), read from a
/// plain parse so that documents the generator rejects are counted too.
pub fn count_operations(text: &str, is_json: bool) -> Option<usize> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let value: serde_json::Value = if is_json {
        serde_json::from_str(text).ok()?
    } else {
        serde_yaml::from_str(text).ok()?
    };
    let paths = value.get("paths")?.as_object()?;
    let count = paths
        .values()
        .filter_map(|item| item.as_object())
        .map(|item| {
            item.keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count()
        })
        .sum();
    Some(count)
}

/// One run of a process: wall time from spawn to exit, and its peak memory.
#[derive(Debug, Clone, Copy)]
pub struct ProcessRun {
    pub wall: Duration,
    pub max_rss_bytes: u64,
    pub success: bool,
}

/// Runs `command` to completion with its output discarded (stderr is kept in
/// `stderr_file` for the report), and measures it.
///
/// The command is started by a fresh, small copy of this binary
/// ([`measure_child`]): a process's peak memory counts the image it was
/// forked from, and this benchmark's own is large.
pub fn run_process(command: &Command, stderr_file: &Path) -> io::Result<ProcessRun> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe)
        .arg(MEASURE_CHILD)
        .arg(stderr_file)
        .arg(command.get_program())
        .args(command.get_args())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<u64> = text
        .split_whitespace()
        .filter_map(|field| field.parse().ok())
        .collect();
    match (output.status.success(), fields.as_slice()) {
        (true, [wall_ns, max_rss_bytes, success]) => Ok(ProcessRun {
            wall: Duration::from_nanos(*wall_ns),
            max_rss_bytes: *max_rss_bytes,
            success: *success == 1,
        }),
        _ => Err(io::Error::other(format!(
            "the measuring process failed: {}",
            text.trim()
        ))),
    }
}

/// The hidden first argument that makes this binary measure one command.
pub const MEASURE_CHILD: &str = "__measure-child";

/// The measuring process: runs `program` with `args`, stderr to `stderr_file`,
/// and prints its wall time (ns), peak memory (bytes) and success (1 or 0).
/// `wait4` reports the resources of exactly that child.
pub fn measure_child(stderr_file: &Path, program: &str, args: &[String]) -> io::Result<()> {
    let stderr = fs::File::create(stderr_file)?;
    let started = Instant::now();
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()?;
    let pid = libc::pid_t::try_from(child.id()).map_err(io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of that plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet reaped (the `Child` handle is
    // dropped below without waiting); both out-pointers are valid locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    drop(child);
    if reaped != pid {
        return Err(io::Error::last_os_error());
    }
    let max_rss_kib = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    println!(
        "{} {} {}",
        wall.as_nanos(),
        max_rss_kib * 1024,
        u8::from(success)
    );
    Ok(())
}

/// Runs a command `runs` times, after `prepare` resets its output; the median
/// wall time and the largest peak memory.
pub fn repeat_process(
    runs: usize,
    mut command: impl FnMut() -> Command,
    mut prepare: impl FnMut(),
    stderr_file: &Path,
) -> io::Result<(Duration, u64, bool)> {
    let mut walls = Vec::with_capacity(runs);
    let mut peak = 0;
    let mut success = true;
    for _ in 0..runs.max(1) {
        prepare();
        let run = run_process(&command(), stderr_file)?;
        walls.push(run.wall);
        peak = peak.max(run.max_rss_bytes);
        success &= run.success;
    }
    Ok((median(&mut walls), peak, success))
}

/// The median of the measured durations (the lower middle one of an even count).
pub fn median(values: &mut [Duration]) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    values.sort_unstable();
    values[(values.len() - 1) / 2]
}

/// The per-stage median over several in-process runs.
pub fn median_stages(runs: &[Stages]) -> Stages {
    let stage = |pick: fn(&Stages) -> Duration| {
        let mut values: Vec<Duration> = runs.iter().map(pick).collect();
        median(&mut values)
    };
    Stages {
        load: stage(|s| s.load),
        model: stage(|s| s.model),
        emit: stage(|s| s.emit),
        format: stage(|s| s.format),
        write: stage(|s| s.write),
    }
}

/// A scratch folder under the system's temporary folder, emptied.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("generator-bench-{}", std::process::id()))
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    dir
}
