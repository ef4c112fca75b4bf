//! Every combination of the runtime's optional parts, one small spec each.
//!
//! The runtime templates leave out what no operation needs: the multipart
//! writer, raw uploads, pagination, event streams, redirects returned as
//! answers, cookie parameters, each kind of credential, typed error bodies.
//! Each part is a `{% if %}` in several templates, so a combination nobody
//! generated could ship with an unused import or a missing item. Here every
//! combination of those switches is generated, and the test checks that each
//! switch really is on or off in the output (else a combination would check
//! nothing).
//!
//! Where `RUNTIME_COMBINATIONS_DIR` names a folder, every combination is also
//! written there to be compiled with clippy, as CI does:
//!
//! ```text
//! RUNTIME_COMBINATIONS_DIR=$PWD/target/runtime-combinations \
//!   cargo test -p generator --test runtime_combinations
//! cargo clippy --manifest-path target/runtime-combinations/Cargo.toml --workspace -- -D warnings
//! ```
//!
//! A crate apiece would spend most of its check loading the same
//! dependencies, so combinations whose crates declare the same dependencies
//! and features are modules of one crate (up to [`PER_CRATE`]), its
//! `Cargo.toml` theirs: a dependency a combination needs and does not
//! declare still fails to compile. Each spec is kept beside them, as
//! `specs/<name>.yaml`.
//!
//! Two settings touch only files of their own and so are not multiplied in:
//! the base URL (present in every other combination) and webhook signatures
//! (`webhooks.rs`, covered by the `webhooks` and `webhooks-standard` fixtures).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The most combinations compiled as modules of one crate: enough to share
/// the dependencies' loading, few enough that two crates check side by side.
const PER_CRATE: usize = 48;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Upload {
    None,
    /// An `application/octet-stream` body.
    Raw,
    /// A `multipart/form-data` body with a file part (which is read as a raw
    /// body is, so it brings the raw upload code too).
    Multipart,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Auth {
    None,
    Bearer,
    Query,
    Cookie,
    Basic,
    /// A bearer token, a query key and a cookie sent together, or basic.
    All,
}

#[derive(Clone, Copy, Debug)]
struct Combination {
    upload: Upload,
    redirects: bool,
    events: bool,
    pagination: bool,
    cookie_params: bool,
    auth: Auth,
    typed_errors: bool,
    base_url: bool,
}

fn combinations() -> Vec<Combination> {
    let mut all = Vec::new();
    for upload in [Upload::None, Upload::Raw, Upload::Multipart] {
        for redirects in [false, true] {
            for events in [false, true] {
                for pagination in [false, true] {
                    for cookie_params in [false, true] {
                        for auth in [
                            Auth::None,
                            Auth::Bearer,
                            Auth::Query,
                            Auth::Cookie,
                            Auth::Basic,
                            Auth::All,
                        ] {
                            for typed_errors in [false, true] {
                                let base_url = all.len() % 2 == 0;
                                all.push(Combination {
                                    upload,
                                    redirects,
                                    events,
                                    pagination,
                                    cookie_params,
                                    auth,
                                    typed_errors,
                                    base_url,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    all
}

impl Combination {
    /// `raw-redirect-sse-pages-cookies-bearer-errors`, `plain` for none.
    fn name(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        match self.upload {
            Upload::None => {}
            Upload::Raw => parts.push("raw"),
            Upload::Multipart => parts.push("multipart"),
        }
        let flags = [
            (self.redirects, "redirect"),
            (self.events, "sse"),
            (self.pagination, "pages"),
            (self.cookie_params, "cookies"),
        ];
        parts.extend(flags.iter().filter(|(on, _)| *on).map(|(_, name)| *name));
        match self.auth {
            Auth::None => {}
            Auth::Bearer => parts.push("bearer"),
            Auth::Query => parts.push("query"),
            Auth::Cookie => parts.push("cookie"),
            Auth::Basic => parts.push("basic"),
            Auth::All => parts.push("all"),
        }
        if self.typed_errors {
            parts.push("errors");
        }
        if parts.is_empty() {
            parts.push("plain");
        }
        parts.join("-")
    }

    fn spec(&self) -> String {
        let name = self.name();
        let mut spec = format!(
            "openapi: 3.0.3\ninfo:\n  title: Runtime combination {name}\n  version: 1.0.0\n\
             x-rust-client:\n  crate: rt-{name}\n"
        );
        if self.base_url {
            spec.push_str("servers:\n  - url: https://combination.example.com/v1\n");
        }
        let errors = if self.typed_errors {
            "        '404':\n          description: Not found.\n          content:\n            \
             application/json:\n              schema: {$ref: '#/components/schemas/Error'}\n"
        } else {
            "        '404':\n          description: Not found.\n"
        };
        spec.push_str("paths:\n");
        // Always there: a JSON answer with a path and an optional query parameter.
        write!(
            spec,
            "  /things/{{thingId}}:\n    get:\n      operationId: getThing\n      tags: [things]\n      \
             parameters:\n        - {{name: thingId, in: path, required: true, schema: {{type: string}}}}\n        \
             - {{name: verbose, in: query, schema: {{type: boolean}}}}\n      responses:\n        \
             '200':\n          description: The thing.\n          content:\n            application/json:\n              \
             schema: {{$ref: '#/components/schemas/Thing'}}\n{errors}"
        )
        .unwrap();
        match self.upload {
            Upload::None => {}
            Upload::Raw => write!(
                spec,
                "  /uploads:\n    post:\n      operationId: upload\n      tags: [uploads]\n      \
                 requestBody:\n        required: true\n        content:\n          application/octet-stream:\n            \
                 schema: {{type: string, format: binary}}\n      responses:\n        '204':\n          \
                 description: Stored.\n{errors}"
            )
            .unwrap(),
            Upload::Multipart => write!(
                spec,
                "  /files:\n    post:\n      operationId: uploadFile\n      tags: [files]\n      \
                 requestBody:\n        required: true\n        content:\n          multipart/form-data:\n            \
                 schema:\n              type: object\n              required: [file]\n              properties:\n                \
                 file: {{type: string, format: binary}}\n                purpose: {{type: string}}\n      \
                 responses:\n        '204':\n          description: Stored.\n{errors}"
            )
            .unwrap(),
        }
        if self.redirects {
            write!(
                spec,
                "  /login:\n    get:\n      operationId: login\n      tags: [session]\n      \
                 responses:\n        '302':\n          description: To the identity provider.\n          \
                 headers:\n            Location: {{schema: {{type: string}}}}\n{errors}"
            )
            .unwrap();
        }
        if self.events {
            write!(
                spec,
                "  /events:\n    get:\n      operationId: followEvents\n      tags: [events]\n      \
                 responses:\n        '200':\n          description: Events as they happen.\n          \
                 content:\n            text/event-stream:\n              schema: {{$ref: '#/components/schemas/Thing'}}\n{errors}"
            )
            .unwrap();
        }
        if self.pagination {
            write!(
                spec,
                "  /things:\n    get:\n      operationId: listThings\n      tags: [things]\n      \
                 parameters:\n        - {{name: cursor, in: query, schema: {{type: string}}}}\n      \
                 responses:\n        '200':\n          description: A page of things.\n          \
                 content:\n            application/json:\n              schema:\n                \
                 type: object\n                required: [things]\n                properties:\n                  \
                 things:\n                    type: array\n                    items: {{$ref: '#/components/schemas/Thing'}}\n                  \
                 next_cursor: {{type: string, nullable: true}}\n{errors}"
            )
            .unwrap();
        }
        if self.cookie_params {
            write!(
                spec,
                "  /preferences:\n    get:\n      operationId: getPreferences\n      tags: [preferences]\n      \
                 parameters:\n        - {{name: theme, in: cookie, schema: {{type: string}}}}\n      \
                 responses:\n        '204':\n          description: Read.\n{errors}"
            )
            .unwrap();
        }
        spec.push_str(
            "components:\n  schemas:\n    Thing:\n      type: object\n      required: [id]\n      \
             properties:\n        id: {type: string}\n        label: {type: string}\n",
        );
        if self.typed_errors {
            spec.push_str(
                "    Error:\n      type: object\n      required: [code, message]\n      \
                 properties:\n        code: {type: string}\n        message: {type: string}\n",
            );
        }
        let schemes: &[(&str, &str)] = match self.auth {
            Auth::None => &[],
            Auth::Bearer => &[("bearer", "{type: http, scheme: bearer}")],
            Auth::Query => &[("queryKey", "{type: apiKey, in: query, name: api_key}")],
            Auth::Cookie => &[("cookieKey", "{type: apiKey, in: cookie, name: session}")],
            Auth::Basic => &[("basic", "{type: http, scheme: basic}")],
            Auth::All => &[
                ("bearer", "{type: http, scheme: bearer}"),
                ("queryKey", "{type: apiKey, in: query, name: api_key}"),
                ("cookieKey", "{type: apiKey, in: cookie, name: session}"),
                ("basic", "{type: http, scheme: basic}"),
            ],
        };
        if !schemes.is_empty() {
            spec.push_str("  securitySchemes:\n");
            for (name, scheme) in schemes {
                writeln!(spec, "    {name}: {scheme}").unwrap();
            }
            let requirement = match self.auth {
                Auth::All => {
                    "  - {bearer: [], queryKey: [], cookieKey: []}\n  - {basic: []}\n".to_owned()
                }
                _ => format!("  - {{{}: []}}\n", schemes[0].0),
            };
            spec.push_str("security:\n");
            spec.push_str(&requirement);
        }
        spec
    }
}

fn file<'a>(generated: &'a generator::Generated, path: &str) -> Option<&'a str> {
    generated
        .files
        .iter()
        .find(|file| file.path == path)
        .map(|file| file.contents.as_str())
}

/// Each switch of `combination` is on in the generated runtime exactly when
/// the combination asks for it.
fn check_switches(combination: &Combination, generated: &generator::Generated) {
    let name = combination.name();
    let lib = file(generated, "src/lib.rs").expect("a lib.rs");
    let client = file(generated, "src/client.rs").expect("a client.rs");
    let send = file(generated, "src/request/send.rs").expect("a request/send.rs");
    let error = file(generated, "src/error.rs").expect("an error.rs");
    let has = |on: bool, found: bool, what: &str| {
        assert_eq!(
            found,
            on,
            "{name}: {what} is {}",
            if found { "there" } else { "missing" }
        );
    };
    has(
        combination.upload == Upload::Multipart,
        file(generated, "src/multipart.rs").is_some(),
        "multipart.rs",
    );
    has(
        combination.upload != Upload::None,
        lib.contains("pub use stream::{Body, ByteStream};"),
        "the raw upload body",
    );
    has(
        combination.redirects,
        lib.contains("pub use request::Redirect;"),
        "Redirect",
    );
    has(
        combination.events,
        lib.contains("pub use stream::{Event, EventStream};"),
        "the event stream",
    );
    has(
        combination.pagination,
        file(generated, "src/request/pages.rs").is_some(),
        "request/pages.rs",
    );
    has(
        combination.cookie_params,
        send.contains("self.parts.cookies.is_empty()"),
        "cookie parameters",
    );
    let kinds = |kind: &str| client.contains(&format!("Credential::{kind}("));
    let auth = combination.auth;
    has(
        matches!(auth, Auth::Bearer | Auth::Basic | Auth::All),
        kinds("Header"),
        "header credentials",
    );
    has(
        matches!(auth, Auth::Query | Auth::All),
        kinds("Query"),
        "query credentials",
    );
    has(
        matches!(auth, Auth::Cookie | Auth::All),
        kinds("Cookie"),
        "cookie credentials",
    );
    has(
        combination.typed_errors,
        error.contains("pub fn envelope(&self)") && error.contains("pub fn error_body(&self)"),
        "the typed error envelope and bodies",
    );
    has(
        combination.base_url,
        lib.contains("DEFAULT_BASE_URL"),
        "the default base URL",
    );
}

#[test]
fn every_combination_of_runtime_parts_generates_with_its_parts() {
    let all = combinations();
    assert_eq!(all.len(), 3 * 2 * 2 * 2 * 2 * 6 * 2);
    let names: std::collections::BTreeSet<String> = all.iter().map(Combination::name).collect();
    assert_eq!(names.len(), all.len(), "two combinations share a name");
    let out = std::env::var_os("RUNTIME_COMBINATIONS_DIR");
    let out = out.as_deref().map(Path::new);
    if let Some(dir) = out {
        let _ = std::fs::remove_dir_all(dir);
    }
    // Generated on every core: a few hundred specs in a debug build.
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let modules: Vec<Option<(String, String, generator::Generated)>> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = all
                .chunks(all.len().div_ceil(threads))
                .map(|chunk| {
                    scope.spawn(move || chunk.iter().map(|c| generate(c, out)).collect::<Vec<_>>())
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
    if let Some(dir) = out {
        // The modules of each combination, by the `Cargo.toml` (from
        // `[features]` on) its crate would have.
        let mut by_manifest: BTreeMap<String, Vec<(String, generator::Generated)>> =
            BTreeMap::new();
        for (manifest, module, generated) in modules.into_iter().flatten() {
            by_manifest
                .entry(manifest)
                .or_default()
                .push((module, generated));
        }
        write_workspace(dir, &by_manifest);
    }
}

/// Generates a combination and checks its switches; with `out`, writes its
/// spec there and gives its crate's manifest (from `[features]` on) and the
/// combination generated as a module.
fn generate(
    combination: &Combination,
    out: Option<&Path>,
) -> Option<(String, String, generator::Generated)> {
    let name = combination.name();
    let spec = combination.spec();
    let spec_name = format!("{name}.yaml");
    let generated = generator::generate(&spec, &spec_name)
        .unwrap_or_else(|failure| panic!("{name} does not generate:\n{failure}\n{spec}"));
    assert!(
        generated.warnings.is_empty(),
        "{name} warns:\n{}",
        generated
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<String>()
    );
    check_switches(combination, &generated);
    let dir = out?;
    write(&dir.join("specs").join(&spec_name), &spec);
    let manifest = file(&generated, "Cargo.toml").expect("a Cargo.toml");
    let tail = &manifest[manifest.find("[features]").expect("a [features] table")..];
    let module = format!("rt_{}", name.replace('-', "_"));
    let settings = generator::Settings {
        module: Some(module.clone()),
        ..Default::default()
    };
    let as_module = generator::generate_with(&spec, &spec_name, &settings)
        .unwrap_or_else(|failure| panic!("{name} as a module:\n{failure}"));
    Some((tail.to_owned(), module, as_module))
}

fn write(path: &Path, contents: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
}

/// A workspace of crates, each holding up to [`PER_CRATE`] combinations of
/// one manifest as modules, under `dir`.
fn write_workspace(
    dir: &Path,
    by_manifest: &BTreeMap<String, Vec<(String, generator::Generated)>>,
) {
    let mut members = Vec::new();
    for (group, (manifest, modules)) in by_manifest.iter().enumerate() {
        for (chunk, modules) in modules.chunks(PER_CRATE).enumerate() {
            let package = format!("runtime-combinations-{group}-{chunk}");
            let root = dir.join("crates").join(&package);
            write(
                &root.join("Cargo.toml"),
                &format!(
                    "# Written by generator/tests/runtime_combinations.rs.\n\n[package]\n\
                     name = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
                     publish = false\n\n{manifest}"
                ),
            );
            let mut lib = String::from(
                "//! Combinations of the runtime's optional parts, a module each.\n\n",
            );
            for (module, generated) in modules {
                writeln!(lib, "#[path = \"{module}/lib.rs\"]\npub mod {module};").unwrap();
                for file in &generated.files {
                    write(
                        &root.join("src").join(module).join(&file.path),
                        &file.contents,
                    );
                }
            }
            write(&root.join("src/lib.rs"), &lib);
            members.push(format!("    \"crates/{package}\",\n"));
        }
    }
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "# Written by generator/tests/runtime_combinations.rs.\n\n[workspace]\n\
             resolver = \"2\"\nmembers = [\n{}]\n",
            members.concat()
        ),
    );
    // The versions this repository is built and tested with.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).expect("the repository's Cargo.lock");
}
