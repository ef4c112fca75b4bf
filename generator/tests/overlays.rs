//! OpenAPI Overlays (Overlay Specification 1.0.0) applied before the spec is
//! read: each action (`update` merged into objects, appended to arrays,
//! `remove`), their order, the config's and the flags', and problems located
//! in the overlay's own text.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::{Overlay, Settings};

fn corpus(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(name);
    match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("skipped: {} is absent (the shared corpus)", path.display());
            None
        }
    }
}

fn overlay(text: &str) -> Overlay {
    Overlay {
        name: "names.overlay.yaml".into(),
        text: text.into(),
    }
}

fn with(overlays: Vec<Overlay>) -> Settings {
    Settings {
        overlays,
        ..Settings::default()
    }
}

/// Every resource path (`animals`) and the methods on it, in order.
fn methods(generated: &generator::Generated) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut pending: Vec<&generator::model::Resource> = generated.api.resources.iter().collect();
    while let Some(resource) = pending.pop() {
        for op in &resource.operations {
            found.push((resource.path.join("."), op.method_name.clone()));
        }
        pending.extend(&resource.children);
    }
    found.sort();
    found
}

/// A small spec of our own, for what the corpus specs do not hold.
const SHOP: &str = r#"openapi: 3.0.3
info: {title: Shop, version: 1.0.0}
tags:
  - name: orders
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      responses:
        '204': {description: ok}
  /internal/sync:
    post:
      operationId: syncEverything
      tags: [orders]
      responses:
        '204': {description: ok}
"#;

#[test]
fn an_overlay_names_the_resources_and_methods_of_a_corpus_spec() {
    let Some(spec) = corpus("oai-petstore.yaml") else {
        return;
    };
    let before = generator::generate(&spec, "oai-petstore.yaml").unwrap();
    assert!(
        methods(&before).contains(&("pets".into(), "list".into())),
        "{:?}",
        methods(&before)
    );
    let names = overlay(
        r#"overlay: 1.0.0
info: {title: Names for the petstore, version: 1.0.0}
actions:
  - target: $.paths['/pets'].get
    update:
      x-rust-resource: animals
      x-rust-method: browse
  - target: $.paths['/pets/{petId}'].get
    update:
      x-rust-resource: animals
      x-rust-method: fetch
"#,
    );
    let after = generator::generate_with(&spec, "oai-petstore.yaml", &with(vec![names])).unwrap();
    let methods = methods(&after);
    assert!(
        methods.contains(&("animals".into(), "browse".into())),
        "{methods:?}"
    );
    assert!(
        methods.contains(&("animals".into(), "fetch".into())),
        "{methods:?}"
    );
    assert!(!methods.iter().any(|(_, m)| m == "list"), "{methods:?}");
    assert!(
        after
            .warnings
            .iter()
            .all(|w| w.file.as_deref() != Some("names.overlay.yaml"))
    );
}

#[test]
fn update_merges_into_objects_appends_to_arrays_and_remove_takes_away() {
    let changes = overlay(
        r#"overlay: 1.0.0
info: {title: Changes, version: 1.0.0}
actions:
  - description: the crate's name, merged into the document's root
    target: $
    update:
      x-rust-client: {crate: shop-client}
      info: {description: Overlaid.}
  - target: $.tags
    update: {name: admin, description: Appended to the list.}
  - target: $.paths['/internal/sync']
    remove: true
"#,
    );
    let generated = generator::generate_with(SHOP, "shop.yaml", &with(vec![changes])).unwrap();
    assert_eq!(generated.api.crate_name, "shop-client");
    // A merge keeps what it does not name: the title stays.
    assert_eq!(generated.api.title, "Shop");
    assert_eq!(generated.api.description.as_deref(), Some("Overlaid."));
    assert_eq!(methods(&generated), [("orders".into(), "list".into())]);
}

#[test]
fn actions_apply_in_order_each_on_the_result_of_the_last() {
    let first = overlay(
        r#"overlay: 1.0.0
info: {title: First, version: 1.0.0}
actions:
  - target: $.paths['/orders'].get
    update: {x-rust-method: first}
"#,
    );
    let second = Overlay {
        name: "second.yaml".into(),
        text: first.text.replace("first", "second"),
    };
    let generated =
        generator::generate_with(SHOP, "shop.yaml", &with(vec![first, second])).unwrap();
    assert!(methods(&generated).contains(&("orders".into(), "second".into())));
}

#[test]
fn a_target_that_matches_nothing_is_a_warning_located_in_the_overlay() {
    let stale = overlay(
        r#"overlay: 1.0.0
info: {title: Stale, version: 1.0.0}
actions:
  - target: $.paths['/gone'].get
    update: {x-rust-method: vanished}
"#,
    );
    let generated = generator::generate_with(SHOP, "shop.yaml", &with(vec![stale])).unwrap();
    let warning = generated
        .warnings
        .iter()
        .find(|w| w.message.contains("matches nothing"))
        .expect("a warning");
    assert_eq!(warning.file.as_deref(), Some("names.overlay.yaml"));
    assert_eq!(warning.position.map(|p| p.line), Some(4), "{warning}");
}

/// The errors of an overlay that cannot apply, with their lines in it.
fn errors_of(text: &str) -> Vec<(usize, String)> {
    let failure = generator::generate_with(SHOP, "shop.yaml", &with(vec![overlay(text)]))
        .expect_err("the overlay is refused");
    failure
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            assert_eq!(d.file.as_deref(), Some("names.overlay.yaml"), "{d}");
            (d.position.map_or(0, |p| p.line), d.message.clone())
        })
        .collect()
}

#[test]
fn a_bad_overlay_is_refused_with_each_problem_at_its_line() {
    let errors = errors_of(
        r#"overlay: 1.0.0
info: {title: Broken, version: 1.0.0}
actions:
  - target: paths.orders
    update: {x-rust-method: list}
  - target: $.info
    updat: {title: Typo}
  - target: $.paths['/orders'].get
    remove: yes please
"#,
    );
    let lines: Vec<usize> = errors.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [4, 7, 9], "{errors:?}");
    assert!(
        errors[0].1.contains("not an RFC 9535 JSONPath"),
        "{errors:?}"
    );
    assert!(
        errors[1].1.contains("unknown action field `updat`"),
        "{errors:?}"
    );
    assert!(errors[2].1.contains("`remove` must be"), "{errors:?}");

    let primitive = errors_of(
        r#"overlay: 1.0.0
info: {title: Primitive, version: 1.0.0}
actions:
  - target: $.info.title
    update: New title
"#,
    );
    assert_eq!(primitive.len(), 1, "{primitive:?}");
    assert_eq!(primitive[0].0, 4);
    assert!(primitive[0].1.contains("selects a string"), "{primitive:?}");

    let no_actions = errors_of("overlay: 2.0.0\ninfo: {title: T}\n");
    assert!(
        no_actions
            .iter()
            .any(|(line, m)| *line == 1 && m.contains("Overlay Specification 1.0"))
    );
    assert!(no_actions.iter().any(|(_, m)| m.contains("no `version`")));
    assert!(no_actions.iter().any(|(_, m)| m.contains("no `actions`")));
}

const GENERATOR: &str = env!("CARGO_BIN_EXE_generator");

fn method_overlay(dir: &Path, file: &str, method: &str) -> PathBuf {
    let path = dir.join(file);
    let text = format!(
        "overlay: 1.0.0\ninfo: {{title: {method}, version: 1.0.0}}\nactions:\n  - target: $.paths['/orders'].get\n    update: {{x-rust-method: {method}}}\n"
    );
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_binary_applies_the_configs_overlays_then_each_flags() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("shop.yaml");
    fs::write(&spec, SHOP).unwrap();
    fs::create_dir(dir.path().join("overlays")).unwrap();
    method_overlay(&dir.path().join("overlays"), "config.yaml", "from_config");
    // Relative to the config file's folder.
    fs::write(
        dir.path().join("generator.toml"),
        "overlays = [\"overlays/config.yaml\"]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = |extra: &[&Path]| {
        let mut command = Command::new(GENERATOR);
        command.arg("--spec").arg(&spec).arg("--out").arg(&out);
        for path in extra {
            command.arg("--overlay").arg(path);
        }
        command.output().unwrap()
    };
    let resource = || fs::read_to_string(out.join("src/resources/orders.rs")).unwrap();

    let output = run(&[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(resource().contains("pub fn from_config("));

    let flag = method_overlay(dir.path(), "flag.yaml", "from_flag");
    let output = run(&[&flag]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        resource().contains("pub fn from_flag("),
        "the flag's applies last"
    );

    let missing = dir.path().join("missing.yaml");
    let output = run(&[&missing]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read the overlay") && stderr.contains("missing.yaml"),
        "{stderr}"
    );
    assert!(
        resource().contains("pub fn from_flag("),
        "the output is as it was"
    );
}
