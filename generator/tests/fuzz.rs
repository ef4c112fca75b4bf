//! Fuzzing: no input makes the generator panic, overflow its stack or hang.
//!
//! Four generators of hostile input, each run through the whole pipeline
//! (load → model → emit): documents shaped like real specs (every schema
//! construct, hard names, so that most reach the model and the emitters),
//! random trees built from OpenAPI's vocabulary, structural mutations of real
//! specs, and byte-level mutations of real specs' text. The property is only "returns": `Ok` or `Err`, never a
//! panic. Every crash found becomes a named regression test at the bottom.
//!
//! CI runs a few hundred cases per generator. For a long run (see README.md,
//! "Fuzzing"):
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release -p generator --test fuzz
//! ```
//!
//! Real specs come from spec/openapi.yaml and, when it is present, the small
//! documents of ../shared/corpus/ (or of `$CORPUS_DIR`).

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{Map, Value};

/// Runs the whole pipeline; the result does not matter, returning does.
fn survive(text: &str) {
    let _ = generator::generate(text, "fuzz.yaml");
}

/// Real specs to mutate: the repository's own, plus the corpus's small ones.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut seeds = vec![
            std::fs::read_to_string(root.join("spec/openapi.yaml")).expect("the repository's spec"),
        ];
        // CORPUS_DIR points elsewhere, e.g. from a git worktree outside the checkout.
        let corpus = std::env::var_os("CORPUS_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| root.join("../shared/corpus"));
        match std::fs::read_dir(&corpus) {
            Ok(entries) => {
                let mut paths: Vec<_> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| {
                        let small = std::fs::metadata(p).is_ok_and(|m| m.len() < 120_000);
                        let spec = p.extension().is_some_and(|e| e == "yaml" || e == "json");
                        small && spec
                    })
                    .collect();
                paths.sort();
                seeds.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
            }
            Err(_) => eprintln!(
                "fuzz: {} is absent; mutating spec/openapi.yaml only",
                corpus.display()
            ),
        }
        seeds
    })
}

fn seed_values() -> &'static [Value] {
    static VALUES: OnceLock<Vec<Value>> = OnceLock::new();
    VALUES.get_or_init(|| {
        seeds()
            .iter()
            .filter_map(|text| serde_yaml::from_str::<Value>(text).ok())
            .collect()
    })
}

/// Keys OpenAPI gives meaning to, so that random documents reach deep stages.
const KEYS: &[&str] = &[
    "openapi",
    "info",
    "title",
    "version",
    "paths",
    "/a",
    "/a/{id}",
    "/{x}/b",
    "get",
    "post",
    "delete",
    "parameters",
    "name",
    "in",
    "required",
    "schema",
    "responses",
    "200",
    "201",
    "default",
    "4XX",
    "content",
    "application/json",
    "text/plain",
    "requestBody",
    "components",
    "schemas",
    "A",
    "B",
    "Self",
    "type",
    "properties",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "enum",
    "const",
    "nullable",
    "format",
    "$ref",
    "operationId",
    "tags",
    "description",
    "summary",
    "servers",
    "url",
    "security",
    "securitySchemes",
    "scheme",
    "bearerFormat",
    "x-rust-client",
    "x-rust-resource",
    "x-rust-method",
    "x-enum-varnames",
    "x-enum-open",
    "crate",
    "error",
    "code",
    "message",
    "examples",
    "example",
    "webhooks",
    "discriminator",
    "mapping",
    "propertyName",
    "minimum",
    "exclusiveMinimum",
    "id",
    "type_",
    "self",
    "r#type",
    "",
    "ünïcödé",
    "123",
    "crate",
    "Self",
    "fn",
];

/// Scalars OpenAPI gives meaning to.
const WORDS: &[&str] = &[
    "3.0.3",
    "3.1.0",
    "2.0",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "object",
    "null",
    "strin",
    "uuid",
    "int32",
    "float",
    "date-time",
    "binary",
    "path",
    "query",
    "header",
    "cookie",
    "#/components/schemas/A",
    "#/components/schemas/B",
    "#/components/schemas/Self",
    "#/components/schemas/A/properties/A",
    "#/components/responses/A",
    "#/components/parameters/A",
    "#/paths/~1a/get",
    "#",
    "#/",
    "other.yaml#/A",
    "http",
    "bearer",
    "chats.typing",
    "a..b",
    ".",
    "-",
    "_",
    "0",
    "ÿ",
    "type",
    "Self",
    "super",
    "/error/code",
    "/error/message",
    "/nope",
    "{id}",
    "{",
    "}",
    "\u{0}",
    "a b-c_d.e",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(|w| Value::String(w.to_owned())),
        1 => any::<String>().prop_map(Value::String),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        1 => Just(Value::Null),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9_ /{}$#.-]{0,12}",
    ]
}

fn document_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(8, 256, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A random document with an OpenAPI head, so that it passes the version check.
fn random_document() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["3.0.3", "3.1.0"][..]),
        document_value(),
        document_value(),
        document_value(),
    )
        .prop_map(|(version, paths, components, extra)| {
            let mut root = Map::new();
            root.insert("openapi".into(), version.into());
            root.insert(
                "info".into(),
                serde_json::json!({"title": "Fuzz", "version": "1.0.0"}),
            );
            root.insert("paths".into(), paths);
            root.insert("components".into(), components);
            if let Value::Object(extra) = extra {
                for (k, v) in extra {
                    root.entry(k).or_insert(v);
                }
            }
            Value::Object(root)
        })
}

/// Names that are hard to turn into Rust: keywords, digits, symbols, clashes.
const NAMES: &[&str] = &[
    "Pet", "pet", "PET", "type", "Self", "self", "crate", "super", "fn", "r#type", "3ds", "_", "",
    "a-b", "a_b", "aB", "Unknown", "Error", "Client", "Request", "Result", "Option", "String",
    "Vec", "Box", "std", "serde", "ünï", "value", "id", "Id", "ID",
];

/// Names of component schemas: few, so that references often find them.
const SCHEMA_NAMES: &[&str] = &[
    "Pet", "pet", "type", "Self", "3ds", "a-b", "Unknown", "Error",
];

fn schema_name() -> impl Strategy<Value = String> {
    prop::sample::select(SCHEMA_NAMES).prop_map(str::to_owned)
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(NAMES).prop_map(str::to_owned),
        1 => "[a-zA-Z0-9_ .$-]{0,10}",
    ]
}

/// A schema as real specs write them, with every construct the model knows.
fn schema() -> impl Strategy<Value = Value> {
    use serde_json::json;
    let leaf = prop_oneof![
        prop::sample::select(
            &[
                "string", "integer", "number", "boolean", "null", "object", "array"
            ][..]
        )
        .prop_map(|t| json!({"type": t})),
        (
            prop::sample::select(
                &[
                    "uuid",
                    "int32",
                    "int64",
                    "float",
                    "date-time",
                    "byte",
                    "binary"
                ][..]
            ),
            prop::sample::select(&["string", "integer", "number"][..])
        )
            .prop_map(|(f, t)| json!({"type": t, "format": f})),
        prop::collection::vec(name(), 0..4)
            .prop_map(|values| json!({"type": "string", "enum": values})),
        prop::collection::vec(any::<i64>(), 0..4)
            .prop_map(|values| json!({"type": "integer", "enum": values})),
        schema_name().prop_map(|n| json!({"$ref": format!("#/components/schemas/{n}")})),
        prop::sample::select(&["string", "integer", "object"][..])
            .prop_map(|t| json!({"type": [t, "null"]})),
        name().prop_map(|n| json!({"const": n})),
        Just(json!({})),
        Just(json!(true)),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            (
                prop::collection::vec((name(), inner.clone()), 0..5),
                prop::collection::vec(name(), 0..3),
                any::<bool>()
            )
                .prop_map(|(properties, required, nullable)| json!({
                    "type": "object",
                    "properties": properties.into_iter().collect::<Map<_, _>>(),
                    "required": required,
                    "nullable": nullable,
                })),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            inner
                .clone()
                .prop_map(|value| json!({"type": "object", "additionalProperties": value})),
            (
                prop::sample::select(&["allOf", "oneOf", "anyOf"][..]),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(keyword, parts)| json!({ keyword: parts })),
            inner
                .clone()
                .prop_map(|s| json!({"anyOf": [s, {"type": "null"}]})),
            inner.prop_map(|s| json!({"not": s})),
        ]
    })
}

fn operation() -> impl Strategy<Value = Value> {
    use serde_json::json;
    let parameter_name = prop_oneof![
        3 => prop::sample::select(&["id", "a", "b"][..]).prop_map(str::to_owned),
        1 => name(),
    ];
    let parameter = (parameter_name, prop::sample::select(&["path", "query", "header", "cookie"][..]), any::<bool>(), schema())
        .prop_map(|(name, location, required, schema)| json!({"name": name, "in": location, "required": required, "schema": schema}));
    let media = prop::sample::select(
        &[
            "application/json",
            "text/plain",
            "application/octet-stream",
            "application/merge-patch+json",
            "multipart/form-data",
        ][..],
    );
    (
        prop::option::of(name()),
        prop::collection::vec(name(), 0..2),
        prop::collection::vec(parameter, 0..4),
        prop::option::of((media.clone(), schema())),
        prop::collection::vec(
            (
                prop::sample::select(&["200", "201", "204", "2XX", "404", "default"][..]),
                prop::option::of((media, schema())),
            ),
            0..3,
        ),
    )
        .prop_map(|(id, tags, parameters, body, responses)| {
            let mut operation = json!({"tags": tags, "parameters": parameters});
            if let Some(id) = id {
                operation["operationId"] = id.into();
            }
            if let Some((media, schema)) = body {
                operation["requestBody"] = json!({"content": {media: {"schema": schema}}});
            }
            let responses: Map<String, Value> = responses
                .into_iter()
                .map(|(status, content)| {
                    let response = match content {
                        Some((media, schema)) => {
                            json!({"description": "r", "content": {media: {"schema": schema}}})
                        }
                        None => json!({"description": "r"}),
                    };
                    (status.to_owned(), response)
                })
                .collect();
            operation["responses"] = Value::Object(responses);
            operation
        })
}

/// A document shaped like a real spec, built from [`schema`] and [`operation`].
fn plausible_document() -> impl Strategy<Value = Value> {
    use serde_json::json;
    let path = prop::sample::select(
        &[
            "/pets",
            "/pets/{id}",
            "/v1/{a}/{b}",
            "/",
            "/{id}",
            "/a-b/c_d",
            "/pets/{id}/{id}",
        ][..],
    );
    let method = prop::sample::select(&["get", "post", "put", "delete", "patch"][..]);
    (
        prop::sample::select(&["3.0.3", "3.1.0"][..]),
        prop::collection::vec(
            (path, prop::collection::vec((method, operation()), 1..3)),
            0..4,
        ),
        prop::collection::vec(schema(), SCHEMA_NAMES.len()),
    )
        .prop_map(|(version, paths, schemas)| {
            let paths: Map<String, Value> = paths
                .into_iter()
                .map(|(path, operations)| {
                    let item: Map<String, Value> = operations
                        .into_iter()
                        .map(|(m, o)| (m.to_owned(), o))
                        .collect();
                    (path.to_owned(), Value::Object(item))
                })
                .collect();
            json!({
                "openapi": version,
                "info": {"title": "Fuzz", "version": "1.0.0"},
                "paths": paths,
                "components": {"schemas": SCHEMA_NAMES
                    .iter()
                    .map(|name| (*name).to_owned())
                    .zip(schemas)
                    .collect::<Map<_, _>>()},
            })
        })
}

/// One structural change to a document: the node is picked by a walk that
/// takes the `n`-th child at each level.
#[derive(Debug, Clone)]
enum Edit {
    Replace(Vec<usize>, Value),
    Remove(Vec<usize>),
    /// Copies one node over another: makes duplicates, self-references, cycles.
    Copy(Vec<usize>, Vec<usize>),
}

fn edit() -> impl Strategy<Value = Edit> {
    let path = prop::collection::vec(any::<usize>(), 0..10);
    prop_oneof![
        3 => (path.clone(), scalar()).prop_map(|(p, v)| Edit::Replace(p, v)),
        1 => (path.clone(), document_value()).prop_map(|(p, v)| Edit::Replace(p, v)),
        2 => path.clone().prop_map(Edit::Remove),
        2 => (path.clone(), path).prop_map(|(a, b)| Edit::Copy(a, b)),
    ]
}

/// Follows `path` down `value` as far as it goes; returns the node reached.
fn node_mut<'v>(value: &'v mut Value, path: &[usize]) -> &'v mut Value {
    let Some((first, rest)) = path.split_first() else {
        return value;
    };
    let len = match value {
        Value::Object(m) => m.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if len == 0 {
        return value;
    }
    match value {
        Value::Object(m) => {
            let (_, child) = m.iter_mut().nth(first % len).expect("in range");
            node_mut(child, rest)
        }
        Value::Array(a) => node_mut(&mut a[first % len], rest),
        _ => unreachable!("only collections have children"),
    }
}

fn apply(document: &mut Value, edit: &Edit) {
    match edit {
        Edit::Replace(path, value) => *node_mut(document, path) = value.clone(),
        Edit::Remove(path) => {
            if let Some((last, parent)) = path.split_last() {
                match node_mut(document, parent) {
                    Value::Object(m) if !m.is_empty() => {
                        let key = m.keys().nth(last % m.len()).cloned().expect("in range");
                        m.remove(&key);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        let len = a.len();
                        a.remove(last % len);
                    }
                    _ => {}
                }
            }
        }
        Edit::Copy(from, to) => {
            let copied = node_mut(document, from).clone();
            *node_mut(document, to) = copied;
        }
    }
}

/// One change to a text, at byte offsets taken modulo its length.
#[derive(Debug, Clone)]
enum TextEdit {
    Delete(usize, usize),
    Insert(usize, String),
    DuplicateLine(usize),
    Truncate(usize),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| TextEdit::Delete(at, n)),
        (
            any::<usize>(),
            prop_oneof![
                prop::sample::select(
                    &[
                        "{",
                        "}",
                        "[",
                        "]",
                        ":",
                        "- ",
                        "\n",
                        "\t",
                        "'",
                        "\"",
                        "&a ",
                        "*a",
                        "!!binary ",
                        "<<: ",
                        "? ",
                        "#",
                        "|\n",
                        "  ",
                        "$ref: '#/components/schemas/A'\n",
                        "\u{feff}",
                        "type: [string, 'null']\n",
                    ][..]
                )
                .prop_map(str::to_owned),
                any::<String>(),
            ]
        )
            .prop_map(|(at, s)| TextEdit::Insert(at, s)),
        any::<usize>().prop_map(TextEdit::DuplicateLine),
        any::<usize>().prop_map(TextEdit::Truncate),
    ]
}

fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply_text(text: &mut String, edit: &TextEdit) {
    match edit {
        TextEdit::Delete(at, n) => {
            let start = char_boundary(text, *at);
            let end = char_boundary(text, (start + n).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        TextEdit::Insert(at, s) => {
            let at = char_boundary(text, *at);
            text.insert_str(at, s);
        }
        TextEdit::DuplicateLine(n) => {
            let lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = n % lines.len();
                let mut out = lines[..=i].join("\n");
                out.push('\n');
                out.push_str(&lines[i..].join("\n"));
                *text = out;
            }
        }
        TextEdit::Truncate(at) => {
            let at = char_boundary(text, *at);
            text.truncate(at);
        }
    }
}

fn config() -> ProptestConfig {
    // PROPTEST_CASES overrides the count: small for CI, large for a real run.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_openapi_documents_never_crash(document in random_document(), as_json in any::<bool>()) {
        let text = if as_json {
            serde_json::to_string(&document).expect("JSON text")
        } else {
            serde_yaml::to_string(&document).expect("YAML text")
        };
        survive(&text);
    }

    #[test]
    fn plausible_documents_never_crash(document in plausible_document()) {
        survive(&serde_yaml::to_string(&document).expect("YAML text"));
    }

    #[test]
    fn mutated_real_specs_never_crash(seed in any::<usize>(), edits in prop::collection::vec(edit(), 1..6), as_json in any::<bool>()) {
        let values = seed_values();
        let mut document = values[seed % values.len()].clone();
        for edit in &edits {
            apply(&mut document, edit);
        }
        let text = if as_json {
            serde_json::to_string(&document).expect("JSON text")
        } else {
            serde_yaml::to_string(&document).expect("YAML text")
        };
        survive(&text);
    }

    #[test]
    fn mangled_spec_text_never_crashes(seed in any::<usize>(), edits in prop::collection::vec(text_edit(), 1..8)) {
        let seeds = seeds();
        let mut text = seeds[seed % seeds.len()].clone();
        for edit in &edits {
            apply_text(&mut text, edit);
        }
        survive(&text);
    }
}

/// The deepest document the loader accepts goes through the model's and the
/// emitters' recursive walks on a test thread's small stack.
#[test]
fn schemas_nested_to_the_depth_limit_do_not_overflow_the_stack() {
    let mut schema = serde_json::json!({"type": "string"});
    // Each level adds two (`properties`, the property); the root adds four.
    for level in 0..29 {
        schema = serde_json::json!({
            "type": "object",
            "properties": {format!("level{level}"): schema},
        });
    }
    let document = serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "Deep", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": {"Deep": schema}},
    });
    let text = serde_json::to_string(&document).expect("JSON text");
    let generated = generator::generate(&text, "deep.json").expect("64 levels are allowed");
    let types = generated
        .files
        .iter()
        .find(|f| f.path == "src/types.rs")
        .expect("the types module");
    assert!(
        types.contents.contains("pub struct DeepLevel28"),
        "the nested types are generated"
    );
}
