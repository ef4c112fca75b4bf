//! Write: the emitted files → the output folder. Compares (for `--check` and the
//! golden tests) or writes as one transaction: every place is checked for a
//! collision first; then files no longer generated are moved aside, every
//! changed file is staged beside its place, and each is renamed into place
//! (the file it replaces moved aside first). A failure at any step moves
//! everything back, so a failed run leaves the folder byte for byte as it
//! was. Unchanged files are not touched, so their mtimes stay and cargo does
//! not rebuild.

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
    /// Found before anything is written: nothing was changed.
    #[error("cannot write {path}: {reason}; nothing was written")]
    Collision { path: String, reason: String },
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
/// longer generates. On error, `dir` is left as it was, byte for byte.
pub fn write(dir: &Path, files: &[File], force: bool) -> Result<Summary, WriteError> {
    write_through(&RealDisk, dir, files, force)
}

/// [`write`] through `disk`, which tests make fail at a chosen step.
fn write_through(
    disk: &dyn Disk,
    dir: &Path,
    files: &[File],
    force: bool,
) -> Result<Summary, WriteError> {
    if dir.exists() && !dir.is_dir() {
        return Err(WriteError::NotADirectory(dir.to_owned()));
    }
    check_paths(files)?;
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
    let expected: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let removed: Vec<String> = on_disk
        .into_iter()
        .filter(|path| !expected.contains(path.as_str()))
        .collect();
    // Every place the write will take is checked before the first change.
    for file in &changed {
        check_target(dir, &file.path)?;
    }

    let mut transaction = Transaction::new(disk);
    let outcome = (|| {
        for path in &removed {
            transaction.set_aside(&dir.join(path))?;
        }
        let mut staged = Vec::new();
        for file in &changed {
            staged.push(transaction.stage(dir, file)?);
        }
        for (staged, file) in staged.into_iter().zip(&changed) {
            transaction.put_in_place(staged, dir.join(&file.path))?;
        }
        Ok(())
    })();
    match outcome {
        Ok(()) => transaction.finish(dir),
        Err(err) => {
            transaction.roll_back();
            return Err(err);
        }
    }
    summary.written = changed.iter().map(|f| f.path.clone()).collect();
    summary.removed = removed;
    Ok(summary)
}

/// The emitted paths are relative, plain and distinct, and none is inside
/// another (a resource named `mod` once made two files `resources/mod.rs`).
fn check_paths(files: &[File]) -> Result<(), WriteError> {
    let mut seen = BTreeSet::new();
    for file in files {
        let path = Path::new(&file.path);
        let plain = !file.path.is_empty()
            && path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            return Err(WriteError::Collision {
                path: file.path.clone(),
                reason: "it is not a plain relative path".into(),
            });
        }
        if !seen.insert(file.path.as_str()) {
            return Err(WriteError::Collision {
                path: file.path.clone(),
                reason: "two generated files have this path".into(),
            });
        }
    }
    for file in files {
        let mut folder = Path::new(&file.path).parent();
        while let Some(parent) = folder.filter(|p| !p.as_os_str().is_empty()) {
            if let Some(parent) = parent.to_str().filter(|p| seen.contains(p)) {
                return Err(WriteError::Collision {
                    path: file.path.clone(),
                    reason: format!("{parent} is a generated file, not a folder"),
                });
            }
            folder = parent.parent();
        }
    }
    Ok(())
}

/// A file can be put at `relative` below `dir`: no folder is there, and its
/// folders are folders (or missing, and made).
fn check_target(dir: &Path, relative: &str) -> Result<(), WriteError> {
    let target = dir.join(relative);
    if fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
        return Err(WriteError::Collision {
            path: relative.to_owned(),
            reason: "a folder is there".into(),
        });
    }
    let mut folder = target.parent();
    while let Some(parent) = folder.filter(|p| *p != dir && !p.as_os_str().is_empty()) {
        if fs::metadata(parent).is_ok_and(|m| !m.is_dir()) {
            return Err(WriteError::Collision {
                path: relative.to_owned(),
                reason: format!("{} is a file, not a folder", parent.display()),
            });
        }
        folder = parent.parent();
    }
    Ok(())
}

/// The file system operations a write makes, so that tests can fail any one.
trait Disk {
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    fn remove_dir(&self, path: &Path) -> io::Result<()>;
}

struct RealDisk;

impl Disk for RealDisk {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        fs::create_dir(path)
    }
    fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
        fs::write(path, contents)
    }
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }
    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }
    fn remove_dir(&self, path: &Path) -> io::Result<()> {
        fs::remove_dir(path)
    }
}

/// One change made, and how to take it back.
enum Step {
    CreatedDir(PathBuf),
    /// A new file written beside its place, not yet in it.
    Staged(PathBuf),
    /// A file moved out of the way: `(where it was, where it is)`.
    SetAside(PathBuf, PathBuf),
    /// A staged file moved into its place: `(staged, target)`.
    Placed(PathBuf, PathBuf),
}

/// The changes of one write, in order. Until [`Transaction::finish`] every
/// one can be undone: files are only written beside their place and moved,
/// never overwritten or deleted, so undoing is moving them back.
struct Transaction<'d> {
    disk: &'d dyn Disk,
    steps: Vec<Step>,
}

impl<'d> Transaction<'d> {
    fn new(disk: &'d dyn Disk) -> Self {
        Self {
            disk,
            steps: Vec::new(),
        }
    }

    /// Moves a file to a free name beside it (a rename, so that it can come back).
    fn set_aside(&mut self, path: &Path) -> Result<(), WriteError> {
        let aside = free_name(path, BACKUP_SUFFIX, &self.steps);
        self.disk
            .rename(path, &aside)
            .map_err(|source| WriteError::Io {
                action: "move aside",
                path: path.to_owned(),
                source,
            })?;
        self.steps.push(Step::SetAside(path.to_owned(), aside));
        Ok(())
    }

    /// Writes a file beside its place, making its folders; returns where.
    fn stage(&mut self, dir: &Path, file: &File) -> Result<PathBuf, WriteError> {
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
            self.disk
                .create_dir(&created)
                .map_err(|source| WriteError::Io {
                    action: "create the folder",
                    path: created.clone(),
                    source,
                })?;
            self.steps.push(Step::CreatedDir(created));
        }
        let staged = free_name(&target, STAGING_SUFFIX, &self.steps);
        // Recorded first: a write that fails half-way leaves a file to remove.
        self.steps.push(Step::Staged(staged.clone()));
        self.disk
            .write(&staged, file.contents.as_bytes())
            .map_err(|source| WriteError::Io {
                action: "write",
                path: staged.clone(),
                source,
            })?;
        Ok(staged)
    }

    /// Moves the file at `target` aside, if there is one, then the staged file in.
    fn put_in_place(&mut self, staged: PathBuf, target: PathBuf) -> Result<(), WriteError> {
        if fs::symlink_metadata(&target).is_ok() {
            self.set_aside(&target)?;
        }
        self.disk
            .rename(&staged, &target)
            .map_err(|source| WriteError::Io {
                action: "move the new file into place at",
                path: target.clone(),
                source,
            })?;
        self.steps.push(Step::Placed(staged, target));
        Ok(())
    }

    /// Undoes every step, the last first. Each undo is a move back or the
    /// removal of something this write made.
    fn roll_back(self) {
        for step in self.steps.into_iter().rev() {
            let _ = match step {
                Step::Placed(staged, target) => self.disk.rename(&target, &staged),
                Step::SetAside(original, aside) => self.disk.rename(&aside, &original),
                Step::Staged(staged) => match self.disk.remove_file(&staged) {
                    Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
                    other => other,
                },
                Step::CreatedDir(dir) => self.disk.remove_dir(&dir),
            };
        }
    }

    /// Deletes what was set aside, and the folders that emptied.
    fn finish(self, root: &Path) {
        for step in &self.steps {
            if let Step::SetAside(original, aside) = step {
                // The write has happened; a backup that cannot be removed is
                // left, marked as generated, and removed by the next run.
                let _ = self.disk.remove_file(aside);
                remove_empty_parents(self.disk, root, original);
            }
        }
    }
}

/// Suffix of a file moved aside until the write is complete.
const BACKUP_SUFFIX: &str = ".generator-backup";

/// `path` with `suffix`, or with `suffix` and a number when that is taken on
/// disk or by an earlier step.
fn free_name(path: &Path, suffix: &str, steps: &[Step]) -> PathBuf {
    let taken = |candidate: &Path| {
        fs::symlink_metadata(candidate).is_ok()
            || steps.iter().any(|step| match step {
                Step::Staged(p) | Step::SetAside(_, p) => p == candidate,
                _ => false,
            })
    };
    (1..)
        .map(|n| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            if n > 1 {
                name.push(format!(".{n}"));
            }
            PathBuf::from(name)
        })
        .find(|candidate| !taken(candidate))
        .expect("an unbounded range always yields a free name")
}

fn remove_empty_parents(disk: &dyn Disk, root: &Path, file: &Path) {
    let mut current = file.parent();
    while let Some(dir) = current {
        if dir == root || disk.remove_dir(dir).is_err() {
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::collections::BTreeMap;

    use super::*;

    /// Fails the `fail_at`-th operation (from 0) and no other.
    struct FailingDisk {
        fail_at: usize,
        count: Cell<usize>,
    }

    impl FailingDisk {
        fn step(&self) -> io::Result<()> {
            let n = self.count.get();
            self.count.set(n + 1);
            if n == self.fail_at {
                Err(io::Error::other(format!("injected failure at step {n}")))
            } else {
                Ok(())
            }
        }
    }

    impl Disk for FailingDisk {
        fn create_dir(&self, path: &Path) -> io::Result<()> {
            self.step()?;
            fs::create_dir(path)
        }
        fn write(&self, path: &Path, contents: &[u8]) -> io::Result<()> {
            self.step()?;
            // A write cut short leaves part of the file behind.
            fs::write(path, &contents[..contents.len() / 2])?;
            self.step()?;
            fs::write(path, contents)
        }
        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            self.step()?;
            fs::rename(from, to)
        }
        fn remove_file(&self, path: &Path) -> io::Result<()> {
            self.step()?;
            fs::remove_file(path)
        }
        fn remove_dir(&self, path: &Path) -> io::Result<()> {
            self.step()?;
            fs::remove_dir(path)
        }
    }

    fn file(path: &str, body: &str) -> File {
        File {
            path: path.to_owned(),
            contents: format!("// {MARKER}\n{body}\n"),
        }
    }

    /// Every file and folder below `dir`, with the files' bytes.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
        let mut found = BTreeMap::new();
        let mut pending = vec![dir.to_owned()];
        while let Some(folder) = pending.pop() {
            for entry in fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                let relative = path.strip_prefix(dir).unwrap().to_owned();
                if path.is_dir() {
                    found.insert(relative, None);
                    pending.push(path);
                } else {
                    found.insert(relative, Some(fs::read(&path).unwrap()));
                }
            }
        }
        found
    }

    #[test]
    fn a_failure_at_any_step_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let old = [
            file("Cargo.toml", "old"),
            file("src/lib.rs", "old"),
            file("src/same.rs", "same"),
            file("src/gone/only.rs", "removed"),
        ];
        write(dir.path(), &old, false).unwrap();
        // A file left by a run that was killed, marked as generated.
        fs::write(
            dir.path().join("src/lib.rs.generator-staging"),
            format!("// {MARKER}\nstray\n"),
        )
        .unwrap();
        let new = [
            file("Cargo.toml", "new"),
            file("src/lib.rs", "new"),
            file("src/same.rs", "same"),
            file("src/resources/fresh/deep.rs", "added"),
        ];
        let before = snapshot(dir.path());
        let mut failures = 0;
        for fail_at in 0.. {
            let disk = FailingDisk {
                fail_at,
                count: Cell::new(0),
            };
            match write_through(&disk, dir.path(), &new, false) {
                Err(err) => {
                    assert!(err.to_string().contains("injected failure"), "{err}");
                    assert_eq!(
                        snapshot(dir.path()),
                        before,
                        "after a failure at step {fail_at}"
                    );
                    failures += 1;
                }
                Ok(summary) => {
                    assert_eq!(summary.unchanged, 1);
                    break;
                }
            }
        }
        // Moves aside (the stray and the removed file), folders (2), staged
        // writes (3, each of two steps), moves into place (2 files aside, 3 in).
        assert_eq!(failures, 2 + 2 + 3 * 2 + 2 + 3);
        let differences = check(dir.path(), &new).unwrap();
        assert!(
            differences
                .iter()
                .all(|d| matches!(d, Difference::Extra { path } if path.ends_with(BACKUP_SUFFIX))),
            "{differences:?}"
        );
    }

    #[test]
    fn a_completed_write_leaves_no_staged_or_set_aside_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[file("a.rs", "1"), file("b/c.rs", "1")], false).unwrap();
        let summary = write(dir.path(), &[file("a.rs", "2"), file("d.rs", "1")], false).unwrap();
        assert_eq!(summary.written, ["a.rs", "d.rs"]);
        assert_eq!(summary.removed, ["b/c.rs"]);
        let names: Vec<PathBuf> = snapshot(dir.path()).into_keys().collect();
        assert_eq!(names, [PathBuf::from("a.rs"), PathBuf::from("d.rs")]);
    }

    #[test]
    fn collisions_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &[file("src/lib.rs", "old")], false).unwrap();
        fs::create_dir_all(dir.path().join("src/types.rs")).unwrap();
        fs::write(
            dir.path().join("src/types.rs/keep"),
            format!("// {MARKER}\n"),
        )
        .unwrap();
        let before = snapshot(dir.path());
        let cases: [(&[File], &str); 4] = [
            (
                &[
                    file("src/resources/mod.rs", "index"),
                    file("src/resources/mod.rs", "tag"),
                ],
                "two generated files have this path",
            ),
            (
                &[file("src/lib.rs", "new"), file("src/types.rs", "new")],
                "a folder is there",
            ),
            (
                &[file("src/lib.rs/inner.rs", "new"), file("src/lib.rs", "x")],
                "is a generated file, not a folder",
            ),
            (&[file("../outside.rs", "new")], "not a plain relative path"),
        ];
        for (files, reason) in cases {
            let err = write(dir.path(), files, true).unwrap_err();
            assert!(matches!(err, WriteError::Collision { .. }), "{err}");
            assert!(err.to_string().contains(reason), "{err}");
            assert_eq!(snapshot(dir.path()), before);
        }
        let err = write(&dir.path().join("src/lib.rs"), &[file("a.rs", "")], false).unwrap_err();
        assert!(matches!(err, WriteError::NotADirectory(_)), "{err}");
        let err = write(dir.path(), &[file("src/lib.rs/a.rs", "")], true).unwrap_err();
        assert!(err.to_string().contains("is a file, not a folder"), "{err}");
        assert_eq!(snapshot(dir.path()), before);
    }
}
