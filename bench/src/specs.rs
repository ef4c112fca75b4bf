//! The specs the benchmark runs: the project's own, the corpus's, and synthetic
//! ones of a chosen size.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// One spec to measure.
pub struct Spec {
    /// How the table names it.
    pub name: String,
    /// Where it is on disk (synthetic specs are written out for the process runs).
    pub path: PathBuf,
    pub text: String,
    pub is_json: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Project,
    Corpus,
    /// Built by the benchmark, with this many operations.
    Synthetic(usize),
}

impl Spec {
    pub fn read(path: &Path, kind: Kind) -> std::io::Result<Spec> {
        let text = fs::read_to_string(path)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        Ok(Spec {
            is_json: name.ends_with(".json"),
            name,
            path: path.to_owned(),
            text,
            kind,
        })
    }
}

/// The corpus's documents, smallest first; `None` when the folder is absent.
pub fn corpus(dir: &Path) -> Option<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).ok()?;
    let mut found: Vec<(u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .map(|p| (fs::metadata(&p).map_or(0, |m| m.len()), p))
        .collect();
    found.sort();
    Some(found.into_iter().map(|(_, p)| p).collect())
}

/// Operations per resource (tag) in a synthetic spec.
const OPERATIONS_PER_RESOURCE: usize = 10;

/// A YAML spec with `operations` operations spread over resources of ten, each
/// with a schema of its own (scalars, an array, a map, an inline enum and a
/// reference to the previous operation's schema) and the shared error envelope.
/// A third of the operations read (path + query parameter), a third create
/// (JSON body), a third delete.
pub fn synthetic(operations: usize, dir: &Path) -> std::io::Result<Spec> {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert("Error".into(), error_schema());
    for i in 0..operations {
        let group = i / OPERATIONS_PER_RESOURCE;
        let path = format!("/v1/group{group}/things{i}/{{thingId}}");
        let (method, operation) = operation(i, group);
        paths.insert(path, json!({ method: operation }));
        schemas.insert(format!("Thing{i}"), thing_schema(i));
    }
    let document = json!({
        "openapi": "3.0.3",
        "info": {
            "title": format!("Synthetic API of {operations} operations"),
            "version": "1.0.0",
            "description": "Built by the benchmark to measure how generation grows with size.",
        },
        "servers": [{ "url": "https://api.example.com" }],
        "security": [{ "bearerAuth": [] }],
        "x-rust-client": {
            "crate": "synthetic-api",
            "error": { "schema": "Error", "code": "/code", "message": "/message" },
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearerAuth": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas,
        },
    });
    let text = serde_yaml::to_string(&document).map_err(std::io::Error::other)?;
    fs::create_dir_all(dir)?;
    let name = format!("synthetic-{operations}.yaml");
    let path = dir.join(&name);
    fs::write(&path, &text)?;
    Ok(Spec {
        name,
        path,
        text,
        is_json: false,
        kind: Kind::Synthetic(operations),
    })
}

fn operation(i: usize, group: usize) -> (&'static str, Value) {
    let thing = json!({ "$ref": format!("#/components/schemas/Thing{i}") });
    let json_of = |schema: &Value| json!({ "application/json": { "schema": schema } });
    let mut parameters = vec![json!({
        "name": "thingId",
        "in": "path",
        "required": true,
        "description": "The thing's identifier.",
        "schema": { "type": "string", "format": "uuid" },
    })];
    let mut operation = json!({
        "tags": [format!("group{group}")],
        "description": format!("Operation number {i}, described at some length as real specs do."),
    });
    let method = match i % 3 {
        0 => {
            parameters.push(json!({
                "name": "limit",
                "in": "query",
                "required": true,
                "description": "How many items to return at most.",
                "schema": { "type": "integer", "format": "int32", "minimum": 1 },
            }));
            operation["responses"] = json!({
                "200": { "description": "The thing.", "content": json_of(&thing) },
            });
            "get"
        }
        1 => {
            operation["requestBody"] = json!({ "required": true, "content": json_of(&thing) });
            operation["responses"] = json!({
                "201": { "description": "The created thing.", "content": json_of(&thing) },
            });
            "post"
        }
        _ => {
            operation["responses"] = json!({ "204": { "description": "Deleted." } });
            "delete"
        }
    };
    let error = json!({ "$ref": "#/components/schemas/Error" });
    for status in ["400", "404", "500"] {
        operation["responses"][status] =
            json!({ "description": "An error.", "content": json_of(&error) });
    }
    operation["operationId"] = json!(format!("{method}Thing{i}"));
    operation["summary"] = json!(format!("{method} thing {i}"));
    operation["parameters"] = Value::Array(parameters);
    (method, operation)
}

fn thing_schema(i: usize) -> Value {
    let mut properties = json!({
        "id": { "type": "string", "format": "uuid", "description": "Identifier." },
        "name": { "type": "string", "description": "Display name." },
        "count": { "type": "integer", "format": "int64", "description": "How many." },
        "score": { "type": "number", "format": "double", "description": "A score." },
        "active": { "type": "boolean", "description": "Whether it is active." },
        "tags": { "type": "array", "items": { "type": "string" }, "description": "Labels." },
        "labels": {
            "type": "object",
            "additionalProperties": { "type": "string" },
            "description": "Free-form key/value pairs.",
        },
        "kind": {
            "type": "string",
            "enum": ["alpha", "beta", "gamma"],
            "description": "The kind of thing.",
        },
    });
    if i > 0 {
        properties["previous"] = json!({ "$ref": format!("#/components/schemas/Thing{}", i - 1) });
    }
    json!({
        "type": "object",
        "description": format!("Thing number {i}."),
        "required": ["id", "name"],
        "properties": properties,
    })
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "The error envelope.",
        "required": ["code", "message"],
        "properties": {
            "code": { "type": "integer", "description": "A machine-readable code." },
            "message": { "type": "string", "description": "What went wrong." },
        },
    })
}
