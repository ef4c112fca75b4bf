//! The `generator` binary: exit codes, `--check`, and refusals that point at
//! the spec and leave the output folder exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const SPEC: &str = include_str!("../../spec/openapi.yaml");

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the generator runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` with its contents and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                files.insert(
                    path.strip_prefix(dir).unwrap().display().to_string(),
                    (fs::read(&path).unwrap(), modified),
                );
            }
        }
    }
    files
}

/// A scratch folder with the spec and a crate generated from it.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("openapi.yaml"), SPEC).unwrap();
    let out = run(&[
        "--spec",
        &path(&dir, "openapi.yaml"),
        "--out",
        &path(&dir, "out"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

fn path(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn help_names_every_flag() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for flag in [
        "--spec",
        "--out",
        "--check",
        "--force",
        "spec/openapi.yaml",
        "generated",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn check_reports_missing_stale_and_fresh_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("openapi.yaml"), SPEC).unwrap();
    let spec = path(&dir, "openapi.yaml");
    let out_dir = path(&dir, "out");

    let missing = run(&["--spec", &spec, "--out", &out_dir, "--check"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stdout).contains("missing: src/lib.rs"),
        "{}",
        text(&missing.stdout)
    );
    assert!(!dir.path().join("out").exists(), "--check wrote files");

    assert!(run(&["--spec", &spec, "--out", &out_dir]).status.success());
    let fresh = run(&["--spec", &spec, "--out", &out_dir, "--check"]);
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stdout));

    let lib = dir.path().join("out/src/lib.rs");
    let changed = fs::read_to_string(&lib)
        .unwrap()
        .replacen("mod client;", "mod clients;", 1);
    fs::write(&lib, changed).unwrap();
    let stale = run(&["--spec", &spec, "--out", &out_dir, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let diff = text(&stale.stdout);
    assert!(
        diff.contains("stale: src/lib.rs")
            && diff.contains("-mod clients;")
            && diff.contains("+mod client;"),
        "{diff}"
    );
    assert!(
        text(&stale.stderr).contains("cargo run -p generator"),
        "{}",
        text(&stale.stderr)
    );
}

#[test]
fn an_unchanged_spec_rewrites_nothing() {
    let dir = workspace();
    let before = snapshot(&dir.path().join("out"));
    let again = run(&[
        "--spec",
        &path(&dir, "openapi.yaml"),
        "--out",
        &path(&dir, "out"),
    ]);
    assert!(again.status.success());
    assert!(
        text(&again.stderr).contains("0 file(s) written"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(snapshot(&dir.path().join("out")), before);
}

#[test]
fn files_the_generator_did_not_write_are_kept_unless_forced() {
    let dir = workspace();
    fs::write(dir.path().join("out/NOTES.md"), "mine").unwrap();
    let refused = run(&[
        "--spec",
        &path(&dir, "openapi.yaml"),
        "--out",
        &path(&dir, "out"),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("NOTES.md"),
        "{}",
        text(&refused.stderr)
    );
    assert!(dir.path().join("out/NOTES.md").exists());
    let forced = run(&[
        "--spec",
        &path(&dir, "openapi.yaml"),
        "--out",
        &path(&dir, "out"),
        "--force",
    ]);
    assert!(forced.status.success());
    assert!(!dir.path().join("out/NOTES.md").exists());
}

/// Runs the generator on `spec` over an existing output folder: it must fail
/// with exit code 2, name `expected` in its message, and leave the folder as it was.
fn refused(spec: &str, expected: &[&str]) -> String {
    let dir = workspace();
    let before = snapshot(&dir.path().join("out"));
    fs::write(dir.path().join("broken.yaml"), spec).unwrap();
    let out = run(&[
        "--spec",
        &path(&dir, "broken.yaml"),
        "--out",
        &path(&dir, "out"),
    ]);
    let message = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{message}");
    for needle in expected {
        assert!(
            message.contains(needle),
            "the message lacks {needle:?}:\n{message}"
        );
    }
    assert!(message.contains("no files were written"), "{message}");
    assert_eq!(
        snapshot(&dir.path().join("out")),
        before,
        "the output folder changed"
    );
    message
}

#[test]
fn a_file_that_is_not_yaml_is_refused_at_its_line() {
    refused(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n",
        &["error: the spec is not valid YAML", "broken.yaml:3:"],
    );
}

#[test]
fn swagger_2_is_refused() {
    refused(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &[
            "this is Swagger 2.0",
            "broken.yaml:1:1",
            "swagger: '2.0'",
            "= at: /swagger",
            "hint:",
        ],
    );
}

#[test]
fn an_unknown_openapi_version_is_refused() {
    refused(
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &[
            "unknown OpenAPI version `4.0.0`",
            "broken.yaml:1:1",
            "= at: /openapi",
        ],
    );
}

#[test]
fn a_dangling_ref_is_refused_where_it_is_used() {
    let spec = SPEC.replace(
        "$ref: '#/components/schemas/ErrorDetail'",
        "$ref: '#/components/schemas/ErrorDetails'",
    );
    let line = spec
        .lines()
        .position(|l| l.contains("ErrorDetails"))
        .unwrap()
        + 1;
    refused(
        &spec,
        &[
            "`$ref: #/components/schemas/ErrorDetails` points to nothing: the document has no `/components/schemas/ErrorDetails`",
            &format!("broken.yaml:{line}:"),
            "= at: /components/schemas/ErrorResponse/properties/error/$ref",
            "did you mean `#/components/schemas/ErrorDetail`?",
        ],
    );
}

#[test]
fn a_reference_to_nothing_is_refused_where_it_is() {
    // Constructs the client cannot express (XML bodies, callbacks, links) are
    // skipped with located warnings (see tests/tests/fixtures.rs); a reference
    // that leads nowhere cannot be generated.
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /notes:\n    $ref: '#/components/pathItems/Notes'\n";
    refused(
        spec,
        &[
            "`$ref: #/components/pathItems/Notes` points to nothing",
            "broken.yaml:5:5",
            "= at: /paths/~1notes/$ref",
        ],
    );
}

#[test]
fn several_problems_are_reported_in_one_run() {
    let spec = SPEC
        .replace(
            "$ref: '#/components/schemas/ErrorDetail'",
            "$ref: '#/components/schemas/Nope'",
        )
        .replace(
            "$ref: '#/components/responses/NotFound'",
            "$ref: '#/components/responses/Gone'",
        );
    let message = refused(
        &spec,
        &[
            "`$ref: #/components/schemas/Nope`",
            "`$ref: #/components/responses/Gone`",
        ],
    );
    assert!(message.contains("error(s): no files were written"));
}

#[test]
fn a_missing_spec_file_is_an_error() {
    let out = run(&[
        "--spec",
        "/nonexistent/openapi.yaml",
        "--out",
        "/nonexistent/out",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the spec /nonexistent/openapi.yaml"));
}

#[test]
fn openapi_3_1_is_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("openapi.yaml"),
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks: {}\n",
    )
    .unwrap();
    let out = run(&[
        "--spec",
        &path(&dir, "openapi.yaml"),
        "--out",
        &path(&dir, "out"),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("out/src/lib.rs").exists());
}

#[test]
fn a_relative_out_folder_is_made_below_the_current_folder() {
    let dir = workspace();
    // Two folders to make, neither there yet: `nested` and `nested/client`.
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["--spec", "openapi.yaml", "--out", "nested/client"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = dir.path().join("nested/client");
    assert!(written.join("Cargo.toml").is_file());
    assert!(written.join("src/lib.rs").is_file());
}

#[test]
fn a_folder_that_cannot_be_made_is_named_with_what_was_tried() {
    let dir = workspace();
    // A file where a folder of the output path should be.
    fs::write(dir.path().join("blocker"), "").unwrap();
    let out = run(&[
        "--spec",
        &path(&dir, "openapi.yaml"),
        "--out",
        &path(&dir, "blocker/client"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    let expected = format!(
        "error: cannot create the folder {}",
        path(&dir, "blocker/client")
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
}

#[test]
fn the_defaults_hold_only_inside_the_repository() {
    // From a folder of the checkout, no flags mean its spec and generated/.
    let inside = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--check")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .output()
        .expect("the generator runs");
    assert_eq!(inside.status.code(), Some(0), "{}", text(&inside.stderr));

    // Elsewhere (an installed binary, run in the user's project), they mean
    // nothing: the checkout on the same disk is not touched.
    let away = tempfile::tempdir().unwrap();
    let before = snapshot(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated"));
    for args in [
        &[][..],
        &["--spec", "openapi.yaml"][..],
        &["--out", "client"][..],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_generator"))
            .args(args)
            .current_dir(away.path())
            .output()
            .expect("the generator runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("no --spec and --out given"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("--spec openapi.yaml --out my-client"),
            "{stderr}"
        );
    }
    assert!(
        fs::read_dir(away.path()).unwrap().next().is_none(),
        "nothing is written away from the repository"
    );
    let after = snapshot(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated"));
    assert_eq!(before, after, "generated/ is untouched");
}
