//! Minimal documents, one per operation or per small group of operations.
//!
//! Prism dereferences the whole document it is given before it serves
//! anything: `stripe.yaml` does not load in 17 minutes, and `github-api.json`
//! makes it exit. A slice holds only the selected operations (with their path
//! item's parameters and servers), `openapi`, `info`, `servers`, `security`,
//! the security schemes, and the transitive closure of the components their
//! `$ref`s reach (schemas, parameters, responses, request bodies, headers,
//! examples, links, callbacks).
//!
//! What makes Prism fail is neutralised, in every slice and in
//! [`neutralize`]d whole documents:
//!
//! - A `$ref` key inside example data is read by Prism's `$ref` parser as a
//!   reference (it tried to download `https://api.github.com/scim/v2/…` from
//!   GitHub's SCIM examples and exited). OpenAPI says an example's value is
//!   data, so the example is dropped: an `example` key is removed, an Example
//!   Object loses its `value` (a valid Example Object without one), a 3.1
//!   `examples` list loses that item, and a `default` is removed. Each
//!   removal is listed in [`Slice::dropped`].
//! - A `$ref` to a place under `paths` (a response written under another
//!   operation) would drag that operation in: its target is copied to
//!   `x-slice-refs` at the root and the `$ref` rewritten to it.
//! - Stripe's expandable fields (an `anyOf` marked `x-expansionResources`:
//!   an id, or the object it names by `$ref`) tie its schemas into one
//!   graph: every operation reaches most of them, and Prism loads none of
//!   its slices (measured: `GET /v1/charges` alone reaches 819 schemas and
//!   was not loaded in 150 s). Such an `anyOf` keeps its branches that are
//!   not `$ref`s (the id): the slice of `GET /v1/charges` then reaches 246
//!   schemas and loads in 1.5-1.8 s. Every value valid against the narrowed schema
//!   is valid against the spec's (an `anyOf` with fewer branches), so Prism's
//!   answers stay answers the spec allows; no request schema of Stripe holds
//!   one. Each narrowing is listed in [`Slice::narrowed`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::document::{self, OperationRef};
use crate::refs::{self, Place};

/// A minimal document for some operations of a spec.
#[derive(Debug, Clone)]
pub struct Slice {
    pub operations: Vec<OperationRef>,
    pub document: Value,
    /// JSON pointers (into the slice's document) of the example data removed
    /// because it held `$ref` keys.
    pub dropped: Vec<String>,
    /// JSON pointers (into the slice's document) of the expandable fields
    /// whose `$ref` branches were dropped (see the module documentation).
    pub narrowed: Vec<String>,
}

/// The vendor extension marking Stripe's expandable fields.
const EXPANSION: &str = "x-expansionResources";

/// Root members a slice keeps as they are.
const ROOT_KEPT: [&str; 6] = [
    "openapi",
    "info",
    "servers",
    "security",
    "jsonSchemaDialect",
    "externalDocs",
];

/// Path item members kept beside the selected operations.
const PATH_ITEM_KEPT: [&str; 4] = ["parameters", "servers", "summary", "description"];

/// The root member where targets of `$ref`s into `paths` are copied.
pub const RELOCATED: &str = "x-slice-refs";

/// Slices of up to `per_slice` operations each, in document order. A path
/// key with a fragment (aws-s3's `/{Bucket}#cors`, box's
/// `/files/{file_id}#get_shared_link`) is written without it, as a client
/// sends it (a fragment never reaches the server): Prism cannot route such a
/// key. Operations that would then share a path item go to different slices.
pub fn slices(doc: &Value, per_slice: usize) -> Result<Vec<Slice>, String> {
    let mut groups: Vec<Vec<OperationRef>> = Vec::new();
    for operation in document::operations(doc) {
        let clashes = |other: &OperationRef| {
            wire_path(&other.path) == wire_path(&operation.path)
                && (other.path != operation.path || other.method == operation.method)
        };
        match groups.last_mut() {
            Some(group) if group.len() < per_slice.max(1) && !group.iter().any(clashes) => {
                group.push(operation)
            }
            _ => groups.push(vec![operation]),
        }
    }
    groups.iter().map(|group| slice(doc, group)).collect()
}

/// A path key as it goes on the wire: without a fragment.
fn wire_path(path: &str) -> &str {
    path.split('#').next().unwrap_or(path)
}

/// The minimal document for `operations` of `doc`.
pub fn slice(doc: &Value, operations: &[OperationRef]) -> Result<Slice, String> {
    let mut out = Map::new();
    for key in ROOT_KEPT {
        if let Some(value) = doc.get(key) {
            out.insert(key.to_string(), value.clone());
        }
    }
    let mut paths = Map::new();
    for operation in operations {
        let raw_item = doc
            .pointer(&operation.path_item_pointer())
            .ok_or_else(|| format!("{operation}: no such path in the document"))?;
        let item = document::follow(doc, raw_item).map_err(|err| format!("{operation}: {err}"))?;
        let op = item
            .get(&operation.method)
            .ok_or_else(|| format!("{operation}: no such operation in the document"))?;
        let entry = paths
            .entry(wire_path(&operation.path).to_owned())
            .or_insert_with(|| {
                let mut kept = Map::new();
                for key in PATH_ITEM_KEPT {
                    if let Some(value) = item.get(key) {
                        kept.insert(key.to_string(), value.clone());
                    }
                }
                Value::Object(kept)
            });
        if let Value::Object(entry) = entry {
            entry.insert(operation.method.clone(), op.clone());
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut sliced = Value::Object(out);
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        insert_at(&mut sliced, "/components/securitySchemes", schemes.clone());
    }
    let mut narrowed = Vec::new();
    narrow_expansions(&mut sliced, "", &mut narrowed);
    narrowed.extend(close_over_refs(doc, &mut sliced)?);
    let dropped = neutralize_in_place(&mut sliced);
    Ok(Slice {
        operations: operations.to_vec(),
        document: sliced,
        dropped,
        narrowed,
    })
}

/// The whole document with Prism's failures neutralised (see the module
/// documentation), and the pointers of what was dropped or narrowed.
pub fn neutralize(doc: &Value) -> (Value, Vec<String>) {
    let mut doc = doc.clone();
    let mut changed = Vec::new();
    narrow_expansions(&mut doc, "", &mut changed);
    changed.extend(neutralize_in_place(&mut doc));
    (doc, changed)
}

/// Keeps only the branches that are not `$ref`s of every expandable field
/// (an `anyOf` beside `x-expansionResources`) in the structure of `value`;
/// pushes the pointer of each it narrowed. One whose branches are all
/// `$ref`s is left whole: an `anyOf` needs a branch.
fn narrow_expansions(value: &mut Value, at: &str, narrowed: &mut Vec<String>) {
    narrow_walk(value, Place::Structure, at, narrowed);
}

fn narrow_walk(value: &mut Value, place: Place, at: &str, narrowed: &mut Vec<String>) {
    match (place, value) {
        (Place::Data, _) => {}
        (_, Value::Array(items)) => {
            for (index, item) in items.iter_mut().enumerate() {
                narrow_walk(item, place, &format!("{at}/{index}"), narrowed);
            }
        }
        (_, Value::Object(object)) => {
            if place == Place::Structure
                && object.contains_key(EXPANSION)
                && let Some(Value::Array(branches)) = object.get_mut("anyOf")
                && branches.iter().any(|b| b.get("$ref").is_none())
                && branches.iter().any(|b| b.get("$ref").is_some())
            {
                branches.retain(|b| b.get("$ref").is_none());
                object.remove(EXPANSION);
                narrowed.push(at.to_string());
            }
            for (key, member) in object.iter_mut() {
                let member_place = refs::member_place(place, key, member);
                narrow_walk(
                    member,
                    member_place,
                    &format!("{at}/{}", document::escape(key)),
                    narrowed,
                );
            }
        }
        _ => {}
    }
}

/// Copies into `sliced` every place of `doc` its references reach, until
/// nothing new is reached, each narrowed (see [`narrow_expansions`]) before
/// its references are read; returns the pointers narrowed.
fn close_over_refs(doc: &Value, sliced: &mut Value) -> Result<Vec<String>, String> {
    let mut narrowed = Vec::new();
    let mut copied: BTreeSet<String> = BTreeSet::new();
    let mut relocated: BTreeMap<String, String> = BTreeMap::new();
    let mut pending = refs::references(sliced, Place::Structure);
    while let Some(reference) = pending.pop() {
        let Some(pointer) = document::ref_pointer(&reference) else {
            return Err(format!(
                "`$ref: {reference}` is not a reference inside the document; a slice cannot hold it"
            ));
        };
        let unit = copy_unit(&pointer);
        if copied.contains(&unit) || relocated.contains_key(&reference) {
            continue;
        }
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        if tokens.first() == Some(&"paths") {
            // A place under one of the slice's own operations is there already,
            // also where the pointer runs on through a `$ref` (pagerduty's
            // discriminator mappings): what that `$ref` reaches is copied with it.
            let own = tokens.len() > 2
                && sliced
                    .pointer(&format!("/paths/{}/{}", tokens[1], tokens[2]))
                    .is_some();
            if sliced.pointer(&pointer).is_some() || (own && through_refs(doc, &pointer).is_some())
            {
                continue;
            }
            let target = doc
                .pointer(&pointer)
                .or_else(|| through_refs(doc, &pointer))
                .ok_or_else(|| format!("`$ref: {reference}` points to nothing"))?;
            let name = relocated.len().to_string();
            let at = format!("/{RELOCATED}/{name}");
            let mut target = target.clone();
            narrow_expansions(&mut target, &at, &mut narrowed);
            relocated.insert(reference.clone(), format!("#{at}"));
            pending.extend(refs::references(&target, Place::Structure));
            insert_at(sliced, &at, target);
            continue;
        }
        let mut target = doc
            .pointer(&unit)
            .ok_or_else(|| format!("`$ref: {reference}` points to nothing"))?
            .clone();
        copied.insert(unit.clone());
        if place_of_unit(&unit) == Place::Structure {
            narrow_expansions(&mut target, &unit, &mut narrowed);
        }
        pending.extend(refs::references(&target, place_of_unit(&unit)));
        insert_at(sliced, &unit, target);
    }
    if !relocated.is_empty() {
        rewrite_refs(sliced, Place::Structure, &relocated);
    }
    Ok(narrowed)
}

/// The part of the document a pointer's target is copied with: the whole
/// component (`/components/schemas/Pet` for `…/Pet/properties/id`), else the
/// root member's child.
/// The value at `pointer`, following each `$ref` met on the way.
fn through_refs<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut current = doc;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = document::follow(doc, current).ok()?;
        current = match current {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

fn copy_unit(pointer: &str) -> String {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let keep = if tokens.first() == Some(&"components") {
        3
    } else {
        2
    };
    tokens
        .iter()
        .take(keep)
        .fold(String::new(), |unit, token| format!("{unit}/{token}"))
}

/// What a copied unit is: the named things of `components` are structure; a
/// component example's value is data.
fn place_of_unit(unit: &str) -> Place {
    if unit.starts_with("/components/examples/") {
        Place::Example
    } else {
        Place::Structure
    }
}

/// Puts `value` at `pointer`, creating the objects on the way.
fn insert_at(root: &mut Value, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(document::unescape).collect();
    let mut current = root;
    for (index, token) in tokens.iter().enumerate() {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(object) = current else {
            return;
        };
        if index + 1 == tokens.len() {
            object.insert(token.clone(), value);
            return;
        }
        current = object
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

fn rewrite_refs(value: &mut Value, place: Place, renamed: &BTreeMap<String, String>) {
    if place == Place::Data {
        return;
    }
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_refs(item, place, renamed)),
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get_mut("$ref")
                && let Some(new) = renamed.get(reference.as_str())
            {
                *reference = new.clone();
            }
            for (key, member) in object.iter_mut() {
                let member_place = refs::member_place(place, key, member);
                rewrite_refs(member, member_place, renamed);
            }
        }
        _ => {}
    }
}

/// Removes example and default data holding `$ref` keys; returns where.
fn neutralize_in_place(doc: &mut Value) -> Vec<String> {
    let mut dropped = Vec::new();
    neutralize_walk(doc, Place::Structure, "", &mut dropped);
    dropped
}

fn drop_ref_value(example: &mut Value, at: &str, dropped: &mut Vec<String>) {
    if let Value::Object(object) = example
        && object.get("value").is_some_and(refs::data_has_ref_key)
    {
        object.remove("value");
        dropped.push(format!("{at}/value"));
    }
}

fn neutralize_walk(value: &mut Value, place: Place, at: &str, dropped: &mut Vec<String>) {
    match (place, value) {
        (Place::Data, _) => {}
        (_, Value::Array(items)) => {
            for (index, item) in items.iter_mut().enumerate() {
                neutralize_walk(item, place, &format!("{at}/{index}"), dropped);
            }
        }
        (Place::Example, example @ Value::Object(_)) => {
            drop_ref_value(example, at, dropped);
        }
        (_, Value::Object(object)) => {
            for key in ["example", "default"] {
                if place == Place::Structure && object.get(key).is_some_and(refs::data_has_ref_key)
                {
                    object.remove(key);
                    dropped.push(format!("{at}/{key}"));
                }
            }
            if place == Place::Structure
                && let Some(Value::Array(examples)) = object.get_mut("examples")
            {
                let before = examples.len();
                examples.retain(|example| !refs::data_has_ref_key(example));
                if examples.len() != before {
                    dropped.push(format!("{at}/examples"));
                }
            }
            for (key, member) in object.iter_mut() {
                let member_place = refs::member_place(place, key, member);
                neutralize_walk(
                    member,
                    member_place,
                    &format!("{at}/{}", document::escape(key)),
                    dropped,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
