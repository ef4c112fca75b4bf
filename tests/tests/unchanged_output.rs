//! An unchanged spec must not make cargo rebuild the generated crate: writing
//! the same files again leaves every file's bytes and modification time as
//! they were, and a change rewrites only the files it changes.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn typing_spec_files() -> Vec<generator::File> {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");
    let text = fs::read_to_string(spec).expect("the typing spec is readable");
    generator::generate(&text, "spec/openapi.yaml")
        .expect("the typing spec generates")
        .files
}

/// Sets every file's modification time an hour back, so that a rewrite,
/// however quick, shows.
fn back_date(dir: &Path, files: &[generator::File]) -> SystemTime {
    let past = SystemTime::now() - Duration::from_secs(3600);
    for file in files {
        fs::File::options()
            .append(true)
            .open(dir.join(&file.path))
            .and_then(|handle| handle.set_modified(past))
            .expect("the file's mtime can be set");
    }
    past
}

fn modified(dir: &Path, file: &generator::File) -> SystemTime {
    fs::metadata(dir.join(&file.path))
        .and_then(|m| m.modified())
        .expect("the file has an mtime")
}

#[test]
fn writing_the_same_files_again_touches_none() {
    let files = typing_spec_files();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let first = generator::write::write(dir.path(), &files, false).expect("first write");
    assert_eq!(first.written.len(), files.len());
    let past = back_date(dir.path(), &files);

    let second = generator::write::write(dir.path(), &files, false).expect("second write");

    assert!(second.written.is_empty(), "rewrote {:?}", second.written);
    assert!(second.removed.is_empty(), "removed {:?}", second.removed);
    assert_eq!(second.unchanged, files.len());
    for file in &files {
        assert_eq!(
            modified(dir.path(), file),
            past,
            "{} was touched",
            file.path
        );
    }
}

#[test]
fn a_change_rewrites_only_the_changed_file() {
    let mut files = typing_spec_files();
    let dir = tempfile::tempdir().expect("a temporary folder");
    generator::write::write(dir.path(), &files, false).expect("first write");
    let past = back_date(dir.path(), &files);
    let changed = files
        .iter()
        .position(|f| f.path == "src/types.rs")
        .expect("a types module");
    files[changed].contents.push_str("\n// changed\n");

    let summary = generator::write::write(dir.path(), &files, false).expect("second write");

    assert_eq!(summary.written, vec!["src/types.rs".to_owned()]);
    for (index, file) in files.iter().enumerate() {
        let kept = modified(dir.path(), file) == past;
        assert_eq!(kept, index != changed, "{}", file.path);
    }
}
