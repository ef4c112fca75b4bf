//! Prism on a probe spec: it loads, a valid request passes, an invalid one is
//! refused with 422 and its violation. Skips (and says so) where Prism is not
//! installed; `.ci/run` installs it first, so CI runs it.

use std::path::Path;

use conformance::client;
use conformance::prism::{self, Prism, PrismError, PrismOptions};

fn installed() -> bool {
    match prism::locate() {
        Ok(_) => true,
        Err(err @ (PrismError::NotInstalled(_) | PrismError::NodeMissing)) => {
            eprintln!("skipping: {err}");
            false
        }
        Err(err) => panic!("{err}"),
    }
}

#[test]
fn prism_refuses_an_invalid_request_with_422_and_names_the_violation() {
    if !installed() {
        return;
    }
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("probes/bodies.yaml");
    let prism = Prism::start(&spec, &PrismOptions::default()).unwrap_or_else(|err| panic!("{err}"));
    let valid = client::send(prism.address(), "GET", "/no-default?n=5", &[], b"").unwrap();
    assert_eq!(valid.status, 200, "{valid:?}");
    let invalid = client::send(prism.address(), "GET", "/no-default?n=five", &[], b"").unwrap();
    assert_eq!(invalid.status, 422, "{invalid:?}");
    assert_eq!(
        invalid.prism_violations(),
        ["query.n: Request query parameter n must be integer"]
    );
    let body = client::send(
        prism.address(),
        "POST",
        "/required-body",
        &[("Content-Type", "application/json")],
        br#"{"x": 0, "y": 2}"#,
    )
    .unwrap();
    assert_eq!(body.status, 422);
    assert_eq!(
        body.prism_violations(),
        ["body.x: Request body property x must be >= 1"]
    );
}

#[test]
fn a_spec_prism_cannot_load_is_an_error_with_its_output() {
    if !installed() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("conformance-prism-test-{}", std::process::id()));
    let spec = prism::write_spec(
        &dir,
        "no-operations",
        &serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}
        }),
    )
    .unwrap();
    let err = match Prism::start(&spec, &PrismOptions::default()) {
        Ok(_) => panic!("Prism started on a spec without operations"),
        Err(err) => err.to_string(),
    };
    assert!(
        err.contains("exited") && err.contains("No operations found"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
