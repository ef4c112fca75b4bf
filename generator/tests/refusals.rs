//! Every refusal says where, and none takes long: input that once lost its
//! line (bytes that are not UTF-8, a second YAML document, an alias bomb, a
//! JSON file with surrogate-pair escapes), that once hung (a wrong node deep
//! in nested schemas), or that was read without a bound (`/dev/zero`). Each
//! run must exit with code 2, name the place, and leave the output folder as
//! it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const SPEC: &str = include_str!("../../spec/openapi.yaml");

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Runs the generator on `spec` (a path, or bytes written to a file) over a
/// crate generated before; returns its message after checking the exit code,
/// the time taken and the folder.
fn refused(spec: Result<&str, &[u8]>, within: Duration, expected: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let good = dir.path().join("good.yaml");
    fs::write(&good, SPEC).unwrap();
    let generator = env!("CARGO_BIN_EXE_generator");
    let made = Command::new(generator)
        .args([
            "--spec".as_ref(),
            good.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap();
    assert!(made.status.success());
    let before = snapshot(&out);
    let spec = match spec {
        Ok(path) => path.into(),
        Err(bytes) => {
            let path = dir.path().join("spec.yaml");
            fs::write(&path, bytes).unwrap();
            path
        }
    };
    let started = Instant::now();
    let run = Command::new(generator)
        .args([
            "--spec".as_ref(),
            spec.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let message = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(2), "{message}");
    assert!(elapsed < within, "took {elapsed:?}:\n{message}");
    for needle in expected {
        assert!(message.contains(needle), "no {needle:?} in:\n{message}");
    }
    assert_eq!(snapshot(&out), before, "the output folder changed");
    message
}

const QUICK: Duration = Duration::from_secs(10);

#[test]
fn an_endless_file_is_read_no_further_than_the_limit() {
    refused(
        Ok("/dev/zero"),
        QUICK,
        &["larger than the 64 MiB", "/dev/zero:1:"],
    );
}

#[test]
fn bytes_that_are_not_utf8_are_refused_at_their_offset_line_and_column() {
    let mut bytes = b"openapi: 3.0.3\ninfo:\n  title: caf".to_vec();
    bytes.extend(b"\xe9\n  version: 1.0.0\npaths: {}\n");
    refused(
        Err(&bytes),
        QUICK,
        &[
            "byte 0xE9 at offset 33 is not valid UTF-8",
            "spec.yaml:3:13",
            "3 |   title: caf",
        ],
    );
}

#[test]
fn a_second_yaml_document_is_refused_at_its_start() {
    let spec = format!("{SPEC}---\nopenapi: 3.0.3\n");
    let line = SPEC.lines().count() + 1;
    refused(
        Err(spec.as_bytes()),
        QUICK,
        &[
            "more than one YAML document",
            &format!("spec.yaml:{line}:1"),
        ],
    );
}

#[test]
fn an_alias_bomb_is_refused_at_the_anchor_that_expands_most() {
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths: {}\n");
    spec.push_str("x-a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        spec.push_str(&format!("x-a{level}: &a{level} [{items}]\n"));
    }
    refused(
        Err(spec.as_bytes()),
        QUICK,
        &["expands to more than", "spec.yaml:11:"],
    );
}

#[test]
fn a_json_spec_with_surrogate_pair_escapes_keeps_the_line_of_its_errors() {
    let spec = "{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"Emoji \\ud83d\\ude00\", \"version\": \"1.0.0\"},\n \"paths\": {},\n \"components\": {\"schemas\": {\"A\": {\"$ref\": \"#/components/schemas/B\"}}}}\n";
    refused(
        Err(spec.as_bytes()),
        QUICK,
        &["#/components/schemas/B", "spec.yaml:4:"],
    );
}

#[test]
fn a_wrong_node_deep_in_nested_schemas_is_refused_fast_and_located() {
    let mut schema = String::from(r#"{"type": "object", "required": "notalist"}"#);
    // 22 levels once took over 25 s; 28 is close to the nesting limit.
    for level in 0..28 {
        schema = format!(r#"{{"type": "object", "properties": {{"p{level}": {schema}}}}}"#);
    }
    let spec = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}},\n\"components\": {{\"schemas\": {{\"D\": {schema}}}}}}}"
    );
    refused(
        Err(spec.as_bytes()),
        Duration::from_secs(5),
        &[
            "expected a sequence",
            "spec.yaml:2:",
            "/components/schemas/D/properties/p27",
        ],
    );
}

#[test]
fn crate_names_and_versions_cargo_refuses_are_refused_in_the_extension() {
    for (value, problem) in [
        ("crate: A", "`A` is not a valid crate name"),
        ("crate: 1password", "`1password` is not a valid crate name"),
        ("crate: fn", "`fn` is not a valid crate name"),
        ("version: 1.0.0-", "`1.0.0-` is not a semver version"),
        ("version: 01.0.0", "`01.0.0` is not a semver version"),
        ("version: 1.0.0-01", "`1.0.0-01` is not a semver version"),
    ] {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: 1.0.0}}\nx-rust-client:\n  {value}\npaths: {{}}\n"
        );
        refused(Err(spec.as_bytes()), QUICK, &[problem, "spec.yaml:4:"]);
    }
}

/// `HeaderName::from_static` panics at run time on a name that is not an
/// HTTP token: such an API key header is refused, where the name is written.
#[test]
fn an_api_key_header_name_that_is_no_http_header_name_is_refused_at_it() {
    for name in ["X API Key", "'x-key:'", "\"\"", "'x\\nkey'", "ключ"] {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: 1.0.0}}\nsecurity:\n  - key: []\npaths: {{}}\ncomponents:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: {name}\n"
        );
        refused(
            Err(spec.as_bytes()),
            QUICK,
            &[
                "is not an HTTP header name",
                "spec.yaml:11:",
                "/components/securitySchemes/key/name",
                "hint: a header name is",
            ],
        );
    }
    // A query or cookie key of the same name is no header: it is accepted.
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\nsecurity:\n  - key: []\npaths: {}\ncomponents:\n  securitySchemes:\n    key:\n      type: apiKey\n      in: query\n      name: X API Key\n";
    assert!(generator::generate(spec, "spec.yaml").is_ok());
}
