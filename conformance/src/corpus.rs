//! Which spec documents a run takes: the corpus folder (`../shared/corpus`
//! relative to the repository, never copied into it), fixture folders, a
//! size limit and name filters.

use std::path::{Path, PathBuf};

/// A spec document to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// The file name (`stripe.yaml`), or `fixture:<folder>` for a fixture.
    pub name: String,
    pub path: PathBuf,
    pub bytes: u64,
}

/// The repository this crate is in.
pub fn repository() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    path.canonicalize().unwrap_or(path)
}

/// What to take.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The corpus folder; `None` for `../shared/corpus` beside the repository.
    pub corpus: Option<PathBuf>,
    /// Fixture folders: `DIR/<name>/spec.yaml` (or `.json`) each.
    pub also: Vec<PathBuf>,
    pub max_bytes: Option<u64>,
    /// Corpus documents taken whatever their size (exact names).
    pub whatever_size: Vec<String>,
    /// Keep only names containing one of these (all when empty).
    pub only: Vec<String>,
}

/// The documents selected, sorted by name within each folder, and notes
/// (a corpus folder that is absent is skipped with one).
pub fn select(selection: &Selection) -> (Vec<SpecFile>, Vec<String>) {
    let mut notes = Vec::new();
    let corpus = selection
        .corpus
        .clone()
        .unwrap_or_else(|| repository().join("../shared/corpus"));
    let mut paths = Vec::new();
    if corpus.is_dir() {
        paths.extend(documents(&corpus));
    } else {
        notes.push(format!(
            "the corpus folder {} is absent: skipping the corpus (pass --corpus DIR to point at it)",
            corpus.display()
        ));
    }
    for dir in &selection.also {
        let dir = if dir.is_relative() && !dir.exists() {
            repository().join(dir)
        } else {
            dir.clone()
        };
        paths.extend(fixture_documents(&dir));
    }
    let files = paths
        .into_iter()
        .map(|path| SpecFile {
            name: name_of(&path),
            bytes: path.metadata().map(|m| m.len()).unwrap_or(0),
            path,
        })
        .filter(|file| {
            selection.max_bytes.is_none_or(|max| file.bytes <= max)
                || selection.whatever_size.contains(&file.name)
        })
        .filter(|file| {
            selection.only.is_empty()
                || selection
                    .only
                    .iter()
                    .any(|o| file.name.contains(o.as_str()))
        })
        .collect();
    (files, notes)
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

fn fixture_documents(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|entry| ["spec.yaml", "spec.json"].map(|name| entry.path().join(name)))
        .filter(|path| path.is_file())
        .collect();
    found.sort();
    found
}

fn name_of(path: &Path) -> String {
    if path.file_stem().and_then(|s| s.to_str()) == Some("spec") {
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
