//! Golden tests of the fixture specs: `tests/fixtures/<name>/spec.yaml` must
//! generate exactly the crate committed in `tests/fixtures/<name>/expected/`.
//! Each fixture exercises one construct (a discriminated `oneOf`, keyword
//! names, several success types, multipart bodies, optional parameters, …);
//! the corpus runner (`cargo run -p corpus -- --also tests/fixtures`) checks
//! that every expected crate compiles cleanly under clippy.

use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.join("spec.yaml").is_file())
        .collect();
    found.sort();
    found
}

/// Generates a fixture the way `cargo run -p generator -- --spec tests/fixtures/<name>/spec.yaml` does.
fn generate(dir: &Path) -> generator::Generated {
    let name = dir.file_name().unwrap().to_string_lossy();
    let spec_name = format!("tests/fixtures/{name}/spec.yaml");
    let text = std::fs::read_to_string(dir.join("spec.yaml")).unwrap();
    generator::generate(&text, &spec_name)
        .unwrap_or_else(|failure| panic!("{spec_name} does not generate:\n{failure}"))
}

#[test]
fn every_fixture_generates_its_expected_crate() {
    let dirs = fixtures();
    assert!(dirs.len() >= 14, "only {} fixtures found", dirs.len());
    let mut stale = Vec::new();
    for dir in &dirs {
        let generated = generate(dir);
        let differences = generator::write::check(&dir.join("expected"), &generated.files)
            .expect("the expected folder is readable");
        if !differences.is_empty() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let diff: String = differences.iter().map(ToString::to_string).collect();
            stale.push(format!(
                "{name}: {} file(s) differ\n{diff}\nupdate with: cargo run -p generator -- \
                 --spec tests/fixtures/{name}/spec.yaml --out tests/fixtures/{name}/expected",
                differences.len()
            ));
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}

fn warnings_of(fixture: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(fixture);
    generate(&dir)
        .warnings
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn unsupported_constructs_are_skipped_with_located_warnings() {
    let warnings = warnings_of("unsupported");
    let find = |needle: &str| {
        warnings
            .iter()
            .find(|w| w.contains(needle))
            .unwrap_or_else(|| panic!("no warning about {needle} in {warnings:#?}"))
    };
    let callback = find("callbacks are not supported");
    assert!(
        callback.contains("/paths/~1subscriptions/post/callbacks/onEvent"),
        "{callback}"
    );
    assert!(
        callback.contains("tests/fixtures/unsupported/spec.yaml:"),
        "{callback}"
    );
    let link = find("links are not supported");
    assert!(link.contains("/responses/201/links/unsubscribe"), "{link}");
    let xml = find("application/xml");
    assert!(
        xml.contains("requestBody/content/application~1xml"),
        "{xml}"
    );
    let nested =
        find("the `form` style does not say how to write an array or object inside another");
    assert!(nested.contains("parameter `filters`"), "{nested}");
    assert!(
        nested.contains("/paths/~1subscriptions~1{id}/delete/parameters/1"),
        "{nested}"
    );
}

#[test]
fn name_collisions_are_reported() {
    let warnings = warnings_of("identifiers");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("has the name of a child resource; it is `children_2`")),
        "{warnings:#?}"
    );
}

#[test]
fn fixtures_without_unsupported_constructs_generate_without_warnings() {
    for fixture in [
        "discriminator",
        "all-of",
        "maps",
        "formats",
        "recursive",
        "petstore",
    ] {
        let warnings = warnings_of(fixture);
        assert!(warnings.is_empty(), "{fixture}: {warnings:#?}");
    }
}

#[test]
fn exploded_cookies_are_the_only_warnings_of_the_style_table() {
    // OpenAPI 3.0 and 3.1 write them `a=1&a=2` in one cookie, which servers
    // splitting at `; ` misread: the spec's author hears of it.
    let warnings = warnings_of("styles");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    for name in ["a", "o"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("cookie `{name}`: an exploded array or object"))),
            "{warnings:#?}"
        );
    }
}

#[test]
fn content_on_a_204_is_ignored_with_a_warning_at_it() {
    // The wire fixture's only warning: the rest of it is supported.
    let warnings = warnings_of("wire");
    let found: Vec<&String> = warnings
        .iter()
        .filter(|w| w.contains("a 204 response has no content"))
        .collect();
    assert_eq!((found.len(), warnings.len()), (1, 1), "{warnings:#?}");
    assert!(
        found[0].contains("/paths/~1tags~1{word}/put/responses/204/content"),
        "{}",
        found[0]
    );
}
