//! Golden files: the committed `generated/` is exactly what the generator makes
//! of `spec/openapi.yaml`, byte for byte, file for file.

use std::fs;
use std::path::{Path, PathBuf};

use generator::write::{self, Difference};

const SPEC_NAME: &str = "spec/openapi.yaml";
const UPDATE: &str = "cargo run -p generator";

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generate() -> Vec<generator::File> {
    let text = fs::read_to_string(repository().join(SPEC_NAME)).expect("the spec is readable");
    match generator::generate(&text, SPEC_NAME) {
        Ok(generated) => {
            assert!(
                generated.warnings.is_empty(),
                "the spec has warnings: {:?}",
                generated.warnings
            );
            generated.files
        }
        Err(failure) => panic!("the spec does not generate:\n{failure}"),
    }
}

fn report(differences: &[Difference]) -> String {
    differences.iter().map(ToString::to_string).collect()
}

#[test]
fn generated_crate_matches_the_spec() {
    let files = generate();
    let differences =
        write::check(&repository().join("generated"), &files).expect("generated/ is readable");
    assert!(
        differences.is_empty(),
        "generated/ is stale: {} file(s) differ from what {SPEC_NAME} produces.\n\n{}\nTo update it, run: {UPDATE}",
        differences.len(),
        report(&differences)
    );
}

#[test]
fn two_runs_give_identical_bytes() {
    assert_eq!(generate(), generate());
}

#[test]
fn every_generated_file_carries_the_do_not_edit_header() {
    for file in generate() {
        let first_line = file.contents.lines().next().unwrap_or_default();
        assert!(
            first_line.contains(write::MARKER),
            "{} starts with {first_line:?}",
            file.path
        );
        assert!(
            first_line.contains(SPEC_NAME) && first_line.contains("Do not edit"),
            "{}",
            file.path
        );
    }
}

/// A copy of `generated/` in a scratch folder, so that it can be damaged.
fn scratch_copy(files: &[generator::File]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a scratch folder");
    write::write(dir.path(), files, false).expect("the scratch copy is written");
    dir
}

#[test]
fn one_changed_byte_in_any_file_is_reported_with_a_diff() {
    let files = generate();
    let dir = scratch_copy(&files);
    for file in &files {
        let path = dir.path().join(&file.path);
        let mut bytes = fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        let original = bytes[middle];
        bytes[middle] = if original == b'x' { b'y' } else { b'x' };
        fs::write(&path, &bytes).unwrap();

        let differences = write::check(dir.path(), &files).unwrap();
        assert_eq!(differences.len(), 1, "{}: {differences:?}", file.path);
        match &differences[0] {
            Difference::Stale { path, diff } => {
                assert_eq!(path, &file.path);
                assert!(
                    diff.contains("@@") && diff.contains(&format!("a/{}", file.path)),
                    "{diff}"
                );
            }
            other => panic!("{}: expected a stale file, got {other:?}", file.path),
        }

        bytes[middle] = original;
        fs::write(&path, &bytes).unwrap();
    }
    assert!(write::check(dir.path(), &files).unwrap().is_empty());
}

#[test]
fn missing_and_extra_files_are_reported() {
    let files = generate();
    let dir = scratch_copy(&files);
    fs::remove_file(dir.path().join("src/types.rs")).unwrap();
    fs::write(dir.path().join("src/old.rs"), "// @generated\n").unwrap();
    let differences = write::check(dir.path(), &files).unwrap();
    assert_eq!(
        differences,
        vec![
            Difference::Missing {
                path: "src/types.rs".into()
            },
            Difference::Extra {
                path: "src/old.rs".into()
            },
        ]
    );
}

#[test]
fn writing_keeps_unchanged_files_and_removes_stale_generated_ones() {
    let files = generate();
    let dir = scratch_copy(&files);
    let lib = dir.path().join("src/lib.rs");
    let before = fs::metadata(&lib).unwrap().modified().unwrap();
    fs::write(dir.path().join("src/old.rs"), "// @generated earlier\n").unwrap();
    fs::write(dir.path().join("src/types.rs"), "// @generated but stale\n").unwrap();

    let summary = write::write(dir.path(), &files, false).unwrap();
    assert_eq!(summary.written, vec!["src/types.rs".to_owned()]);
    assert_eq!(summary.removed, vec!["src/old.rs".to_owned()]);
    assert_eq!(
        fs::metadata(&lib).unwrap().modified().unwrap(),
        before,
        "an unchanged file was rewritten"
    );
    assert!(write::check(dir.path(), &files).unwrap().is_empty());
}

#[test]
fn writing_refuses_a_folder_with_files_it_did_not_write() {
    let files = generate();
    let dir = scratch_copy(&files);
    fs::write(dir.path().join("notes.txt"), "mine\n").unwrap();
    let err = write::write(dir.path(), &files, false).unwrap_err();
    assert!(
        err.to_string().contains("notes.txt") && err.to_string().contains("--force"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine\n"
    );

    write::write(dir.path(), &files, true).unwrap();
    assert!(!dir.path().join("notes.txt").exists());
}
