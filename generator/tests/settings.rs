//! Settings without editing the spec: the binary's flags, its config file
//! (given, or found beside the spec) and their precedence, flag over config
//! over the spec's `x-rust-client` over the default; located errors for a
//! bad config file or value, with the output folder left as it was.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Three operations under two tags, and the extension's own names.
const SPEC: &str = r#"openapi: 3.0.3
info:
  title: Shop
  version: 1.0.0
x-rust-client:
  crate: shop-from-spec
  env-prefix: SPEC
servers:
  - url: https://shop.example.com
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      responses:
        '204': {description: ok}
    post:
      operationId: createOrder
      tags: [orders]
      responses:
        '204': {description: ok}
  /internal/sync:
    post:
      operationId: syncEverything
      tags: [admin]
      responses:
        '204': {description: ok}
"#;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg("--spec")
        .arg(dir.join("openapi.yaml"))
        .arg("--out")
        .arg(dir.join("out"))
        .args(args)
        .output()
        .expect("the generator runs")
}

fn scratch(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("openapi.yaml"), spec).unwrap();
    dir
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn generated(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join("out").join(file)).unwrap_or_default()
}

fn package_name(dir: &Path) -> String {
    let manifest = generated(dir, "Cargo.toml");
    let line = manifest.lines().find(|l| l.starts_with("name = ")).unwrap();
    line.trim_start_matches("name = ")
        .trim_matches('"')
        .to_owned()
}

/// The operations the crate holds, by their path in the generated resources.
fn has_method(dir: &Path, resource: &str, method: &str) -> bool {
    generated(dir, &format!("src/resources/{resource}.rs")).contains(&format!("pub fn {method}("))
}

#[test]
fn a_flag_wins_over_the_config_which_wins_over_the_spec_which_wins_over_the_default() {
    let dir = scratch(SPEC);
    let ok = |out: Output| assert!(out.status.success(), "{}", stderr(&out));

    ok(run(dir.path(), &[]));
    assert_eq!(package_name(dir.path()), "shop-from-spec");

    fs::write(
        dir.path().join("generator.toml"),
        "crate-name = \"shop-from-config\"\nenv-prefix = \"CONFIG\"\n",
    )
    .unwrap();
    ok(run(dir.path(), &[]));
    assert_eq!(
        package_name(dir.path()),
        "shop-from-config",
        "the config beside the spec is read"
    );
    assert!(generated(dir.path(), "src/client.rs").contains("\"CONFIG_BASE_URL\""));

    ok(run(dir.path(), &["--crate-name", "shop-from-flag"]));
    assert_eq!(package_name(dir.path()), "shop-from-flag");
    // Key by key: the config's prefix stays where no flag replaces it.
    assert!(generated(dir.path(), "src/client.rs").contains("\"CONFIG_BASE_URL\""));

    ok(run(dir.path(), &["--no-config"]));
    assert_eq!(package_name(dir.path()), "shop-from-spec");
    assert!(generated(dir.path(), "src/client.rs").contains("\"SPEC_BASE_URL\""));

    let bare = scratch(&SPEC.replace(
        "x-rust-client:\n  crate: shop-from-spec\n  env-prefix: SPEC\n",
        "",
    ));
    ok(run(bare.path(), &[]));
    assert_eq!(package_name(bare.path()), "shop", "the default: the title");
}

#[test]
fn version_and_prefix_flags_reach_the_crate() {
    let dir = scratch(SPEC);
    let out = run(
        dir.path(),
        &["--crate-version", "2.1.0-beta.1", "--env-prefix", "ACME"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(generated(dir.path(), "Cargo.toml").contains("version = \"2.1.0-beta.1\""));
    let client = generated(dir.path(), "src/client.rs");
    assert!(client.contains("\"ACME_BASE_URL\""), "{client}");
}

#[test]
fn includes_and_excludes_choose_the_operations() {
    let cases: &[(&[&str], [bool; 3])] = &[
        (&[], [true, true, true]),
        (&["--include-tag", "orders"], [true, true, false]),
        (&["--exclude-tag", "admin"], [true, true, false]),
        (&["--include-operation", "listOrders"], [true, false, false]),
        (&["--exclude-operation", "createOrder"], [true, false, true]),
        (&["--include-path", "/internal/*"], [false, false, true]),
        (&["--exclude-path", "/orders"], [false, false, true]),
        // Includes of different kinds add up; an exclude wins over them.
        (
            &[
                "--include-tag",
                "admin",
                "--include-operation",
                "listOrders",
                "--exclude-path",
                "/internal/sync",
            ],
            [true, false, false],
        ),
    ];
    for (flags, [list, create, sync]) in cases {
        let dir = scratch(SPEC);
        let out = run(dir.path(), flags);
        assert!(out.status.success(), "{flags:?}: {}", stderr(&out));
        let found = [
            has_method(dir.path(), "orders", "list"),
            has_method(dir.path(), "orders", "create"),
            has_method(dir.path(), "admin", "sync_everything"),
        ];
        assert_eq!(found, [*list, *create, *sync], "{flags:?}");
    }
}

#[test]
fn a_config_file_given_by_path_sets_lists_too() {
    let dir = scratch(SPEC);
    let config = dir.path().join("elsewhere.toml");
    fs::write(
        &config,
        "exclude-tags = [\"orders\"]\ncrate-version = \"3.0.0\"\n",
    )
    .unwrap();
    let out = run(dir.path(), &["--config", config.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!has_method(dir.path(), "orders", "list"));
    assert!(has_method(dir.path(), "admin", "sync_everything"));
    assert!(generated(dir.path(), "Cargo.toml").contains("version = \"3.0.0\""));
}

#[test]
fn a_bad_config_is_refused_where_it_is_wrong_and_nothing_is_written() {
    for (config, expected) in [
        (
            "crate-name = \"shop\"\ncrate_nmae = \"x\"\n",
            "generator.toml:2:1",
        ),
        ("crate-name = \"Shop Client\"\n", "generator.toml:1:14"),
        ("include-tags = \"orders\"\n", "generator.toml:1:16"),
    ] {
        let dir = scratch(SPEC);
        fs::write(dir.path().join("generator.toml"), config).unwrap();
        let out = run(dir.path(), &[]);
        let shown = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{config}: {shown}");
        assert!(shown.contains(expected), "{config}: {shown}");
        assert!(
            !dir.path().join("out").exists(),
            "{config}: something was written"
        );
    }
}

#[test]
fn a_bad_flag_value_is_refused_by_its_name() {
    let dir = scratch(SPEC);
    let out = run(dir.path(), &["--crate-version", "1.0"]);
    let shown = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("`crate-version`: `1.0` is not a semver version"),
        "{shown}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_selection_that_names_nothing_of_the_spec_is_a_warning() {
    let dir = scratch(SPEC);
    let out = run(dir.path(), &["--exclude-tag", "odrers"]);
    let shown = stderr(&out);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("`exclude-tag` names `odrers`, which no operation of the spec has"),
        "{shown}"
    );
}

/// The generated crate's default features.
fn default_features(dir: &Path) -> String {
    let manifest = generated(dir, "Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("default = "))
        .unwrap();
    line.trim_start_matches("default = ").to_owned()
}

#[test]
fn the_tls_default_comes_from_the_flag_or_the_config() {
    let dir = scratch(SPEC);
    assert!(run(dir.path(), &[]).status.success());
    assert_eq!(
        default_features(dir.path()),
        r#"["rustls-ring", "tracing"]"#
    );
    assert!(run(dir.path(), &["--tls", "native-tls"]).status.success());
    assert_eq!(default_features(dir.path()), r#"["native-tls", "tracing"]"#);
    fs::write(dir.path().join("generator.toml"), "tls = \"none\"\n").unwrap();
    assert!(run(dir.path(), &[]).status.success());
    assert_eq!(default_features(dir.path()), r#"["tracing"]"#);
    // Every choice is a feature of the crate, whatever the default.
    let manifest = generated(dir.path(), "Cargo.toml");
    for feature in [
        "rustls = ",
        "rustls-ring = ",
        "rustls-no-provider = ",
        "native-tls = ",
    ] {
        assert!(manifest.contains(feature), "{feature} in {manifest}");
    }

    let out = run(dir.path(), &["--tls", "openssl"]);
    let shown = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("`tls`: `openssl` is not a TLS choice"),
        "{shown}"
    );
    assert_eq!(
        default_features(dir.path()),
        r#"["tracing"]"#,
        "left as it was"
    );
}

#[test]
fn module_output_is_the_rust_files_with_their_crate_paths_under_the_module() {
    let dir = scratch(SPEC);
    let out = run(dir.path(), &["--module", "shop"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let root = dir.path().join("out");
    assert!(root.join("lib.rs").is_file());
    assert!(root.join("resources/orders.rs").is_file());
    assert!(!root.join("Cargo.toml").exists() && !root.join("README.md").exists());
    let request = generated(dir.path(), "request.rs");
    assert!(request.contains("crate::shop::"), "{request}");
    assert!(
        !request.replace("crate::shop::", "").contains("crate::"),
        "every crate:: path is the module's"
    );

    let out = run(dir.path(), &["--module", "Shop"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`module`: `Shop` is not a module name"));
}
