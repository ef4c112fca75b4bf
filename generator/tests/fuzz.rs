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
//! PROPTEST_CASES=125000 nice cargo test --release -p generator --test fuzz
//! ```
//!
//! Real specs come from spec/openapi.yaml and, when it is present, the small
//! documents of ../shared/corpus/ (or of `$CORPUS_DIR`).

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{Map, Value};

/// The longest a case may take: the pipeline's work is about linear in the
/// text, and no fuzzed text comes near a size that needs this long.
const HANG: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs the whole pipeline: it returns within [`HANG`], `Ok` or `Err`, and
/// every refusal it makes says where (a line of the text). Returns what was
/// generated, when the spec was accepted.
fn survive(text: &str) -> Option<generator::Generated> {
    survive_bytes(text.as_bytes())
}

fn survive_bytes(bytes: &[u8]) -> Option<generator::Generated> {
    let started = std::time::Instant::now();
    let result = generator::generate_bytes(bytes, "fuzz.yaml");
    let elapsed = started.elapsed();
    assert!(elapsed < HANG, "took {elapsed:?}");
    match result {
        Ok(generated) => Some(generated),
        Err(failure) => {
            for diagnostic in failure.diagnostics.iter().filter(|d| d.is_error()) {
                assert!(
                    diagnostic.position.is_some(),
                    "a refusal without a line:\n{diagnostic}"
                );
            }
            None
        }
    }
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

/// Text that must be escaped or renamed on its way into a generated file:
/// every kind of line break, control and text-direction code points, quotes,
/// comment and Markdown syntax, names of files and keywords, odd versions.
const HOSTILE: &[&str] = &[
    "\r",
    "\r\n",
    "\n",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\u{b}",
    "\u{c}",
    "\u{0}",
    "\u{7}",
    "\u{7f}",
    "\u{9b}",
    "\u{202a}",
    "\u{202b}",
    "\u{202c}",
    "\u{202d}",
    "\u{202e}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200e}",
    "\u{200f}",
    "\u{61c}",
    "\"",
    "\\",
    "'",
    "*/",
    "/*",
    "//",
    "```",
    "`",
    "|",
    "<b>",
    "[x]",
    "#",
    "{",
    "}",
    "{{",
    "}}",
    "${",
    "%",
    "\t",
    "mod",
    "lib",
    "main",
    "self",
    "Self",
    "crate",
    "super",
    "Error",
    "Client",
    "Request",
    "Result",
    "1abc",
    "0",
    "_",
    "-",
    "1.0.0-",
    "1.0.0+",
    "01.0.0",
    "1.0.0-01",
    "1.0",
    "v1",
    "\u{1F600}",
    "ü",
    "日本",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        1 => (1..400usize).prop_map(|n| "t".repeat(n)),
        1 => any::<String>(),
    ]
}

/// One hostile change to a text field: which string (by index, modulo how
/// many there are), what to put in it, and whether to replace it whole.
#[derive(Debug, Clone)]
struct Prose {
    index: usize,
    at: usize,
    text: String,
    replace: bool,
    key: bool,
}

fn prose() -> impl Strategy<Value = Prose> {
    (
        any::<usize>(),
        any::<usize>(),
        hostile(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(index, at, text, replace, key)| Prose {
            index,
            at,
            text,
            replace,
            key,
        })
}

/// How many string values `value` holds.
fn count_strings(value: &Value) -> usize {
    match value {
        Value::String(_) => 1,
        Value::Array(items) => items.iter().map(count_strings).sum(),
        Value::Object(map) => map.values().map(count_strings).sum(),
        _ => 0,
    }
}

/// The `n`-th string value of `value`, in document order (`n` counts down).
fn nth_string<'v>(value: &'v mut Value, n: &mut usize) -> Option<&'v mut String> {
    match value {
        Value::String(s) if *n == 0 => Some(s),
        Value::String(_) => {
            *n -= 1;
            None
        }
        Value::Array(items) => items.iter_mut().find_map(|v| nth_string(v, n)),
        Value::Object(map) => map.values_mut().find_map(|v| nth_string(v, n)),
        _ => None,
    }
}

fn key_paths(value: &Value, path: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
    if let Value::Object(map) = value {
        for (key, child) in map {
            path.push(key.clone());
            found.push(path.clone());
            key_paths(child, path, found);
            path.pop();
        }
    }
}

fn apply_prose(document: &mut Value, edit: &Prose) {
    let change = |old: &str| -> String {
        if edit.replace {
            edit.text.clone()
        } else {
            let mut new = old.to_owned();
            let at = char_boundary(&new, edit.at);
            new.insert_str(at, &edit.text);
            new
        }
    };
    if edit.key {
        let mut paths = Vec::new();
        key_paths(document, &mut Vec::new(), &mut paths);
        let Some(path) = (!paths.is_empty()).then(|| &paths[edit.index % paths.len()]) else {
            return;
        };
        let (last, parents) = path.split_last().expect("a key path is not empty");
        let mut node = &mut *document;
        for key in parents {
            node = node.get_mut(key).expect("the path was just walked");
        }
        if let Value::Object(map) = node {
            let new_key = change(last);
            if !map.contains_key(&new_key)
                && let Some(value) = map.shift_remove(last)
            {
                map.insert(new_key, value);
            }
        }
        return;
    }
    let count = count_strings(document);
    if count > 0
        && let Some(string) = nth_string(document, &mut (edit.index % count))
    {
        *string = change(string);
    }
}

/// A document with a hostile title, version and prose, the kind a spec
/// writer does not expect to matter.
fn hostile_document() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            plausible_document(),
            prop::sample::select(seed_values()).prop_map(|v| v.clone())
        ],
        prop::option::of(hostile()),
        prop::option::of(hostile()),
        prop::collection::vec(prose(), 1..12),
    )
        .prop_map(|(mut document, title, version, edits)| {
            if let Some(info) = document.get_mut("info").and_then(Value::as_object_mut) {
                if let Some(title) = title {
                    info.insert("title".into(), title.into());
                }
                if let Some(version) = version {
                    info.insert("version".into(), version.into());
                }
            }
            for edit in &edits {
                apply_prose(&mut document, edit);
            }
            document
        })
}

/// JSON as Python's `json.dumps` writes it: every non-ASCII character as
/// `\uXXXX`, a surrogate pair for those past the Basic Multilingual Plane.
fn ascii_json(value: &Value) -> String {
    let text = serde_json::to_string(value).expect("JSON text");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A schema nested `depth` levels deep through one keyword each level, with a
/// node of the wrong shape at the bottom: serde's untagged enums once made
/// this take exponential time.
fn deep_wrong_document() -> impl Strategy<Value = Value> {
    use serde_json::json;
    let wrong = prop::sample::select(
        &[
            r#"{"type": "object", "required": "notalist"}"#,
            r#"{"type": 5}"#,
            r#"{"type": "object", "properties": []}"#,
            r#"{"enum": {}}"#,
            r#"{"type": "array", "items": 7}"#,
            r#"{"allOf": {"a": 1}}"#,
            r#"{"nullable": "yes"}"#,
            r#"7"#,
        ][..],
    );
    let level = prop::sample::select(
        &[
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "additionalProperties",
        ][..],
    );
    (wrong, prop::collection::vec(level, 1..31), prop::sample::select(&["3.0.3", "3.1.0"][..]))
        .prop_map(|(wrong, levels, version)| {
            let mut schema: Value = serde_json::from_str(wrong).expect("a JSON node");
            for keyword in levels {
                schema = match keyword {
                    "properties" => json!({"type": "object", "properties": {"p": schema}}),
                    "items" => json!({"type": "array", "items": schema}),
                    "additionalProperties" => json!({"type": "object", "additionalProperties": schema}),
                    "not" => json!({"not": schema}),
                    list => json!({ list: [{"type": "string"}, schema] }),
                };
            }
            json!({
                "openapi": version,
                "info": {"title": "Deep", "version": "1.0.0"},
                "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/D"}}}}}}}},
                "components": {"schemas": {"D": schema}},
            })
        })
}

/// Bytes that are not UTF-8, put into a real spec's text.
const BAD_BYTES: &[&[u8]] = &[
    b"\xff",
    b"\xc3",
    b"\xe9t\xe9",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc0\xaf",
    b"\xff\xfe",
    b"\x80",
];

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
    fn hostile_prose_and_names_are_escaped_or_refused_with_a_line(document in hostile_document(), as_json in any::<bool>()) {
        let text = if as_json {
            ascii_json(&document)
        } else {
            serde_yaml::to_string(&document).expect("YAML text")
        };
        if let Some(generated) = survive(&text) {
            assert_no_raw_hostile_text(&generated);
        }
    }

    #[test]
    fn deep_schemas_with_a_wrong_node_at_the_bottom_are_refused_fast(document in deep_wrong_document(), as_json in any::<bool>()) {
        let text = if as_json {
            serde_json::to_string(&document).expect("JSON text")
        } else {
            serde_yaml::to_string(&document).expect("YAML text")
        };
        prop_assert!(survive(&text).is_none(), "accepted a wrong node");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_at_their_line(seed in any::<usize>(), at in any::<usize>(), bad in prop::sample::select(BAD_BYTES)) {
        let seeds = seeds();
        let mut bytes = seeds[seed % seeds.len()].clone().into_bytes();
        let at = at % (bytes.len() + 1);
        bytes.splice(at..at, bad.iter().copied());
        prop_assert!(survive_bytes(&bytes).is_none(), "accepted bytes that are not UTF-8");
    }

    #[test]
    fn surrogate_escapes_keep_the_lines_of_every_refusal(seed in any::<usize>(), edits in prop::collection::vec(edit(), 0..4), emoji in prop::collection::vec(prose(), 1..4)) {
        let values = seed_values();
        let mut document = values[seed % values.len()].clone();
        for mut edit in emoji {
            edit.text = "\u{1F600}".into();
            apply_prose(&mut document, &edit);
        }
        for edit in &edits {
            apply(&mut document, edit);
        }
        survive(&ascii_json(&document));
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

/// No code point that rustc refuses in a comment, and no lone CR, reaches a
/// generated file; the crate's `Cargo.toml` is TOML that cargo can read.
fn assert_no_raw_hostile_text(generated: &generator::Generated) {
    for file in &generated.files {
        let bad = file.contents.chars().find(|&c| {
            matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
                || (c.is_control() && c != '\n')
        });
        assert!(bad.is_none(), "{} holds {bad:?}", file.path);
        if file.path == "Cargo.toml" {
            let manifest: toml::Table = file.contents.parse().expect("Cargo.toml is TOML");
            let package = &manifest["package"];
            let name = package["name"].as_str().expect("a package name");
            assert!(
                name.starts_with(|c: char| c.is_ascii_lowercase()) && name.len() <= 64,
                "{name}"
            );
            let version = package["version"].as_str().expect("a version");
            semver::Version::parse(version).expect("a semver version");
        }
        if file.path.starts_with("src/resources/") {
            let stem = file
                .path
                .trim_start_matches("src/resources/")
                .trim_end_matches(".rs");
            assert!(file.path == "src/resources/mod.rs" || !["mod", "lib", "main"].contains(&stem));
            assert!(file.path.len() < 100, "{}", file.path);
        }
    }
}

/// Where `FUZZ_ACCEPTED_DIR` names a folder, accepted hostile and plausible
/// specs are written there as `<n>/spec.yaml`, for the corpus runner to
/// compile with clippy (`cargo run -p corpus -- --also <dir>`): the property
/// that a spec the generator accepts gives a crate that compiles without a
/// warning. `FUZZ_ACCEPTED` (default 8) is how many.
#[test]
fn accepted_specs_are_kept_for_the_compile_check() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let Some(dir) = std::env::var_os("FUZZ_ACCEPTED_DIR") else {
        return;
    };
    let dir = Path::new(&dir);
    let wanted: usize = std::env::var("FUZZ_ACCEPTED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(8);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let _ = std::fs::remove_dir_all(dir);
    let strategy = prop_oneof![hostile_document(), plausible_document()];
    let (mut kept, mut tried) = (0, 0);
    while kept < wanted {
        tried += 1;
        assert!(
            tried < wanted * 100,
            "only {kept} of {tried} specs were accepted"
        );
        let document = strategy
            .new_tree(&mut runner)
            .expect("a document")
            .current();
        let text = serde_yaml::to_string(&document).expect("YAML text");
        if survive(&text).is_some() {
            let folder = dir.join(format!("fuzz-{kept:04}"));
            std::fs::create_dir_all(&folder).expect("a folder for the spec");
            std::fs::write(folder.join("spec.yaml"), text).expect("the spec is written");
            kept += 1;
        }
    }
    eprintln!(
        "fuzz: {kept} accepted specs of {tried} in {}",
        dir.display()
    );
}

/// Found by `mangled_spec_text_never_crashes` (a long run, shrunk): a corpus
/// JSON spec cut down until its text starts with the scalar `"info"` and
/// words that cannot follow it. serde_yaml called it "more than one document"
/// and gave no position; the second document was looked for with yaml-rust2,
/// which found none. It is libyaml's syntax error, at the word after the quote.
#[test]
fn text_after_a_whole_scalar_document_is_refused_at_its_line() {
    let text = "\n  \"info\"meter overrides\",\n    \"title\": \"Parameter override test\",\n    \"version\": \"v1\"\n  },\n  \"paths\": {\n    \"/key\": {\n      \"get\": {\n ";
    assert!(survive(text).is_none(), "accepted");
    let failure = generator::generate(text, "fuzz.yaml").expect_err("refused");
    let shown = failure.to_string();
    assert!(shown.contains("fuzz.yaml:2:9"), "{shown}");
    assert!(shown.contains("not valid YAML"), "{shown}");
}
