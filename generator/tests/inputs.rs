//! The command line: a refused spec leaves the output folder exactly as it
//! was, and the spec can come from standard input in either format.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

const GENERATOR: &str = env!("CARGO_BIN_EXE_generator");

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(GENERATOR)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the generator binary runs");
    let mut input = child.stdin.take().expect("piped stdin");
    if let Some(text) = stdin {
        input
            .write_all(text.as_bytes())
            .expect("stdin accepts the spec");
    }
    drop(input);
    child.wait_with_output().expect("the generator finishes")
}

/// Every file under `dir` with its contents and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable folder") {
            let entry = entry.expect("readable entry");
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let metadata = entry.metadata().expect("metadata");
                let contents = std::fs::read(&path).expect("readable file");
                files.insert(
                    path,
                    (contents, metadata.modified().expect("modification time")),
                );
            }
        }
    }
    files
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\n";

/// (what is broken, the spec, the `line:column` its error is reported at)
fn broken_specs() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "Swagger 2.0",
            "swagger: '2.0'\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n".to_owned(),
            "1:1",
        ),
        (
            "an unknown version",
            "openapi: 4.0.0\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n".to_owned(),
            "1:1",
        ),
        (
            "a YAML syntax error",
            format!("{HEAD}paths: {{\n  /pets: {{}}\n\n"),
            "4:12",
        ),
        (
            "a JSON syntax error",
            "{\"openapi\": \"3.1.0\",\n \"info\": {\"title\": \"Pets\" \"version\": \"1\"}}"
                .to_owned(),
            "2:27",
        ),
        (
            "a dangling $ref",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n"
            ),
            "6:9",
        ),
        (
            "an external $ref",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'b.yaml#/B'}}\n"),
            "6:9",
        ),
        (
            "a $ref cycle",
            format!(
                "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/A'}}\n"
            ),
            "6:9",
        ),
        (
            "a misspelt type",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: strng}}\n"),
            "6:9",
        ),
        (
            "nesting too deep",
            format!(
                "{HEAD}paths: {{}}\nx-deep: {}{}\n",
                "[".repeat(5000),
                "]".repeat(5000)
            ),
            "4:",
        ),
    ]
}

#[test]
fn a_refused_spec_leaves_the_previous_output_untouched() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let out = scratch.path().join("out");
    let out_arg = out.to_str().expect("a UTF-8 path");
    let good_spec = repository().join("spec/openapi.yaml");
    let first = run(
        &[
            "--spec",
            good_spec.to_str().expect("a UTF-8 path"),
            "--out",
            out_arg,
        ],
        None,
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot(&out);
    assert!(before.len() > 5, "the crate was written: {before:?}");

    for (what, spec, location) in broken_specs() {
        let spec_path = scratch.path().join("broken.yaml");
        std::fs::write(&spec_path, &spec).expect("the spec is written");
        let spec_arg = spec_path.to_str().expect("a UTF-8 path");
        let result = run(&["--spec", spec_arg, "--out", out_arg], None);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(&format!("--> {spec_arg}:{location}")),
            "{what}: expected the error at {location}: {stderr}"
        );
        assert!(stderr.contains("no files were written"), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert_eq!(snapshot(&out), before, "{what}: the output folder changed");
    }
}

#[test]
fn the_spec_can_be_piped_in_as_yaml_or_json() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let out = scratch.path().join("out");
    let out_arg = out.to_str().expect("a UTF-8 path");
    let yaml = std::fs::read_to_string(repository().join("spec/openapi.yaml"))
        .expect("the repository's spec");
    let written = run(&["--spec", "-", "--out", out_arg], Some(&yaml));
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );

    // The same document as JSON produces the same crate.
    let document: serde_json::Value = serde_yaml::from_str(&yaml).expect("the spec is YAML");
    let json = serde_json::to_string_pretty(&document).expect("JSON text");
    let checked = run(&["--spec", "-", "--out", out_arg, "--check"], Some(&json));
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(checked.status.success(), "{stderr}");
    assert!(stderr.contains("is up to date with <stdin>"), "{stderr}");
}
