//! Write: the emitted files → the output folder. Compares (for `--check` and the
//! golden tests) or writes atomically: every changed file is staged first, then
//! all are renamed into place; unchanged files are not touched, so their mtimes
//! stay and cargo does not rebuild.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::File;

/// Marks a file as the generator's; a file without it is never overwritten or
/// deleted unless forced.
pub const MARKER: &str = "@generated";

/// Suffix of staged files, next to their final place.
const STAGING_SUFFIX: &str = ".generator-staging";

/// How one file on disk differs from what the spec produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The file is not on disk.
    Missing { path: String },
    /// The file differs; `diff` is a unified diff from disk to expected.
    Stale { path: String, diff: String },
    /// The file is on disk but not produced.
    Extra { path: String },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Missing { path } => writeln!(f, "missing: {path}"),
            Difference::Extra { path } => writeln!(f, "extra (no longer generated): {path}"),
            Difference::Stale { path, diff } => {
                writeln!(f, "stale: {path}")?;
                f.write_str(diff)
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `action` says what was being done: `create the folder`, `read`, …
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    #[error(
        "refusing to write into {}: it holds files the generator did not write ({}); \
         pass --force to overwrite and delete them",
        dir.display(),
        files.join(", ")
    )]
    Foreign { dir: PathBuf, files: Vec<String> },
    #[error("{} exists and is not a folder", .0.display())]
    NotADirectory(PathBuf),
}

/// What a write changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub written: Vec<String>,
    pub unchanged: usize,
    pub removed: Vec<String>,
}

/// Compares `dir` with `files`: empty when it is up to date.
pub fn check(dir: &Path, files: &[File]) -> Result<Vec<Difference>, WriteError> {
    let on_disk = existing_files(dir)?;
    let mut differences = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        match fs::read(&path) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(bytes) => differences.push(Difference::Stale {
                path: file.path.clone(),
                diff: unified_diff(&String::from_utf8_lossy(&bytes), &file.contents, &file.path),
            }),
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                differences.push(Difference::Missing {
                    path: file.path.clone(),
                });
            }
            Err(source) => {
                return Err(WriteError::Io {
                    action: "read",
                    path,
                    source,
                });
            }
        }
    }
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in on_disk {
        if !expected.contains(path.as_str()) {
            differences.push(Difference::Extra { path });
        }
    }
    Ok(differences)
}

fn unified_diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{path} (on disk)"),
            &format!("b/{path} (from the spec)"),
        )
        .to_string()
}

/// Writes `files` into `dir`, removing the files it generated before and no
/// longer generates. On error, `dir` is left as it was.
pub fn write(dir: &Path, files: &[File], force: bool) -> Result<Summary, WriteError> {
    if dir.exists() && !dir.is_dir() {
        return Err(WriteError::NotADirectory(dir.to_owned()));
    }
    let on_disk = existing_files(dir)?;
    let foreign: Vec<String> = on_disk
        .iter()
        .filter(|path| !is_generated(&dir.join(path)))
        .cloned()
        .collect();
    if !foreign.is_empty() && !force {
        return Err(WriteError::Foreign {
            dir: dir.to_owned(),
            files: foreign,
        });
    }

    let mut summary = Summary::default();
    let mut changed = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        match fs::read(&path) {
            Ok(bytes) if bytes == file.contents.as_bytes() => summary.unchanged += 1,
            _ => changed.push(file),
        }
    }

    let mut staging = Staging::default();
    for file in &changed {
        if let Err(err) = staging.stage(dir, file) {
            staging.roll_back();
            return Err(err);
        }
    }
    staging.commit()?;
    summary.written = changed.iter().map(|f| f.path.clone()).collect();

    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in on_disk {
        if !expected.contains(path.as_str()) {
            let full = dir.join(&path);
            fs::remove_file(&full).map_err(|source| WriteError::Io {
                action: "remove",
                path: full.clone(),
                source,
            })?;
            remove_empty_parents(dir, &full);
            summary.removed.push(path);
        }
    }
    Ok(summary)
}

/// Files staged next to their final place, and the folders made for them.
#[derive(Default)]
struct Staging {
    staged: Vec<(PathBuf, PathBuf)>,
    created_dirs: Vec<PathBuf>,
}

impl Staging {
    fn stage(&mut self, dir: &Path, file: &File) -> Result<(), WriteError> {
        let target = dir.join(&file.path);
        let parent = target.parent().unwrap_or(dir).to_owned();
        let mut missing = Vec::new();
        let mut ancestor = parent.as_path();
        // A relative `dir` ends in the empty path (the current folder), which
        // `exists()` denies.
        while !ancestor.as_os_str().is_empty() && !ancestor.exists() {
            missing.push(ancestor.to_owned());
            match ancestor.parent() {
                Some(up) => ancestor = up,
                None => break,
            }
        }
        for created in missing.into_iter().rev() {
            fs::create_dir(&created).map_err(|source| WriteError::Io {
                action: "create the folder",
                path: created.clone(),
                source,
            })?;
            self.created_dirs.push(created);
        }
        let mut staged = target.clone().into_os_string();
        staged.push(STAGING_SUFFIX);
        let staged = PathBuf::from(staged);
        fs::write(&staged, &file.contents).map_err(|source| WriteError::Io {
            action: "write",
            path: staged.clone(),
            source,
        })?;
        self.staged.push((staged, target));
        Ok(())
    }

    fn commit(self) -> Result<(), WriteError> {
        for (staged, target) in &self.staged {
            fs::rename(staged, target).map_err(|source| WriteError::Io {
                action: "move the new file into place at",
                path: target.clone(),
                source,
            })?;
        }
        Ok(())
    }

    fn roll_back(self) {
        for (staged, _) in &self.staged {
            let _ = fs::remove_file(staged);
        }
        for dir in self.created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut current = file.parent();
    while let Some(dir) = current {
        if dir == root || fs::remove_dir(dir).is_err() {
            break;
        }
        current = dir.parent();
    }
}

/// Whether the file's first line carries the generator's marker.
fn is_generated(path: &Path) -> bool {
    use io::BufRead;
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    io::BufReader::new(file).read_line(&mut first).is_ok() && first.contains(MARKER)
}

/// The files under `dir`, relative, with `/` separators, sorted. A missing
/// folder has none.
fn existing_files(dir: &Path) -> Result<Vec<String>, WriteError> {
    let mut found = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut found)?;
    }
    found.sort();
    Ok(found)
}

fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result<(), WriteError> {
    let io_error = |source| WriteError::Io {
        action: "list the folder",
        path: dir.to_owned(),
        source,
    };
    for entry in fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let path = entry.path();
        if entry.file_type().map_err(io_error)?.is_dir() {
            walk(root, &path, found)?;
        } else {
            let relative = path.strip_prefix(root).expect("walked below the root");
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            found.push(parts.join("/"));
        }
    }
    Ok(())
}
