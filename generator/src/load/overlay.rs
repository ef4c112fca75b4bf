//! OpenAPI Overlays (Overlay Specification 1.0.0): documents of actions that
//! change a spec before it is read, so that a third-party spec, which users
//! regenerate from upstream and never edit, can still carry `x-rust-*`
//! settings, names, pagination and webhook schemes. Each action selects
//! nodes with an RFC 9535 JSONPath `target`, then merges its `update` into
//! each object, appends it to each array, or `remove`s them. Problems are
//! located in the overlay's own text.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostic::{Diagnostic, escape_segment};
use crate::locate;

/// An overlay document: its text, and the name problems in it are shown under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub name: String,
    pub text: String,
}

impl Overlay {
    /// The overlay in the file at `path`, named by it.
    pub fn read(path: &std::path::Path) -> std::io::Result<Overlay> {
        Ok(Overlay {
            name: path.display().to_string(),
            text: std::fs::read_to_string(path)?,
        })
    }
}

/// The fields of an action; any other that is not an `x-` extension is an error.
const ACTION_FIELDS: &[&str] = &["target", "description", "update", "remove"];

/// Applies `overlay` to the spec's `document`, its actions in order, each on
/// the result of the ones before. Returns its warnings (a target that matches
/// nothing, an action that does nothing), or every error, located in the
/// overlay; on an error the document is left as it was.
pub fn apply(document: &mut Value, overlay: &Overlay) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let located = |mut diagnostics: Vec<Diagnostic>| {
        locate::locate(&mut diagnostics, &overlay.name, &overlay.text);
        diagnostics
    };
    let (value, _) = super::parse::parse(&overlay.text).map_err(|d| located(vec![*d]))?;
    let actions = actions(&value).map_err(located)?;
    let mut changed = document.clone();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for action in &actions {
        match action.apply(&mut changed) {
            Ok(None) => {}
            Ok(Some(warning)) => warnings.push(warning),
            Err(error) => errors.push(*error),
        }
    }
    if !errors.is_empty() {
        return Err(located(errors));
    }
    *document = changed;
    Ok(located(warnings))
}

/// One action, checked.
struct Action {
    /// `/actions/3`, in the overlay.
    pointer: String,
    target_text: String,
    target: JsonPath,
    update: Option<Value>,
    remove: bool,
}

/// The overlay's actions, or every problem with its shape.
fn actions(value: &Value) -> Result<Vec<Action>, Vec<Diagnostic>> {
    let Value::Object(root) = value else {
        return Err(vec![
            Diagnostic::error("an overlay is a mapping with `overlay`, `info` and `actions`")
                .at(""),
        ]);
    };
    let mut errors = Vec::new();
    match root.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.0") => {}
        Some(version) => errors.push(
            Diagnostic::error(format!(
                "overlay version `{version}`: the generator reads Overlay Specification 1.0"
            ))
            .at("/overlay"),
        ),
        None => errors.push(
            Diagnostic::error("the overlay has no `overlay` version")
                .at("")
                .with_hint("an overlay starts with `overlay: 1.0.0`"),
        ),
    }
    let info = root.get("info").and_then(Value::as_object);
    for field in ["title", "version"] {
        if !info.is_some_and(|info| info.get(field).is_some_and(Value::is_string)) {
            let at = if info.is_some() { "/info" } else { "" };
            errors.push(
                Diagnostic::error(format!("the overlay's `info` has no `{field}` string")).at(at),
            );
        }
    }
    let list = match root.get("actions") {
        Some(Value::Array(list)) if !list.is_empty() => list.as_slice(),
        Some(_) => {
            errors.push(
                Diagnostic::error("`actions` must be a list of one action or more").at("/actions"),
            );
            &[]
        }
        None => {
            errors.push(Diagnostic::error("the overlay has no `actions`").at(""));
            &[]
        }
    };
    let mut actions = Vec::new();
    for (i, action) in list.iter().enumerate() {
        match Action::new(action, format!("/actions/{i}")) {
            Ok(action) => actions.push(action),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    match errors.is_empty() {
        true => Ok(actions),
        false => Err(errors),
    }
}

impl Action {
    fn new(value: &Value, pointer: String) -> Result<Action, Vec<Diagnostic>> {
        let Value::Object(fields) = value else {
            return Err(vec![
                Diagnostic::error("an action is a mapping with a `target`").at(pointer),
            ]);
        };
        let mut errors = Vec::new();
        for key in fields.keys() {
            if !ACTION_FIELDS.contains(&key.as_str()) && !key.starts_with("x-") {
                errors.push(
                    Diagnostic::error(format!("unknown action field `{key}`"))
                        .at(format!("{pointer}/{}", escape_segment(key)))
                        .with_hint("an action has `target`, `description`, `update` and `remove`"),
                );
            }
        }
        let target_text = match fields.get("target") {
            Some(Value::String(target)) => target.clone(),
            Some(_) => {
                errors.push(
                    Diagnostic::error("`target` must be a JSONPath string")
                        .at(format!("{pointer}/target")),
                );
                String::new()
            }
            None => {
                errors.push(Diagnostic::error("the action has no `target`").at(pointer.clone()));
                String::new()
            }
        };
        let target = match JsonPath::parse(&target_text) {
            Ok(target) => Some(target),
            Err(err) => {
                if !target_text.is_empty() {
                    errors.push(
                        Diagnostic::error(format!(
                            "`{target_text}` is not an RFC 9535 JSONPath: {err}"
                        ))
                        .at(format!("{pointer}/target"))
                        .with_hint("a target starts with `$`: `$.paths['/pets'].get`"),
                    );
                }
                None
            }
        };
        let remove = match fields.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(_) => {
                errors.push(
                    Diagnostic::error("`remove` must be `true` or `false`")
                        .at(format!("{pointer}/remove")),
                );
                false
            }
        };
        match (errors.is_empty(), target) {
            (true, Some(target)) => Ok(Action {
                pointer,
                target_text,
                target,
                update: fields.get("update").cloned(),
                remove,
            }),
            _ => Err(errors),
        }
    }

    /// Applies the action to `document`: a warning where it changes nothing,
    /// an error where its update cannot be made.
    fn apply(&self, document: &mut Value) -> Result<Option<Diagnostic>, Box<Diagnostic>> {
        let pointers: Vec<String> = self
            .target
            .query_located(document)
            .locations()
            .map(|location| location.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            return Ok(Some(
                Diagnostic::warning(format!(
                    "target `{}` matches nothing in the spec; the action does nothing",
                    self.target_text
                ))
                .at(format!("{}/target", self.pointer)),
            ));
        }
        if self.remove {
            // Last first: removing an array's item moves the ones after it.
            for pointer in pointers.iter().rev() {
                remove(document, pointer).map_err(|message| {
                    Box::new(Diagnostic::error(message).at(self.pointer.clone()))
                })?;
            }
            return Ok(None);
        }
        let Some(update) = &self.update else {
            return Ok(Some(
                Diagnostic::warning("the action has neither `update` nor `remove: true`")
                    .at(self.pointer.clone()),
            ));
        };
        for pointer in &pointers {
            let Some(node) = document.pointer_mut(pointer) else {
                continue;
            };
            match (node, update) {
                (Value::Object(node), Value::Object(update)) => merge(node, update),
                (Value::Object(_), _) => {
                    return Err(Box::new(
                        Diagnostic::error(format!(
                            "`{}` selects an object ({}), so `update` must be a mapping to merge into it",
                            self.target_text,
                            shown(pointer)
                        ))
                        .at(format!("{}/update", self.pointer)),
                    ));
                }
                (Value::Array(items), update) => items.push(update.clone()),
                (other, _) => {
                    return Err(Box::new(
                        Diagnostic::error(format!(
                            "`{}` selects a {} ({}): an update merges into objects and appends to arrays",
                            self.target_text,
                            kind(other),
                            shown(pointer)
                        ))
                        .at(format!("{}/target", self.pointer))
                        .with_hint("target the object that holds it, and update that field"),
                    ));
                }
            }
        }
        Ok(None)
    }
}

/// Merges `update` into `node`: a mapping into a mapping field by field,
/// any other value replacing the one there.
fn merge(node: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (node.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(value)) => merge(inner, value),
            _ => {
                node.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Removes the node at `pointer` from the mapping or list that holds it.
fn remove(document: &mut Value, pointer: &str) -> Result<(), String> {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return Err("`remove` cannot remove the whole document".to_owned());
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(index) = key.parse::<usize>()
                && index < items.len()
            {
                items.remove(index);
            }
        }
        // Inside a node an earlier removal of this action took away.
        _ => {}
    }
    Ok(())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// A pointer of the spec, as a reader finds it.
fn shown(pointer: &str) -> String {
    format!("at `{pointer}` in the spec")
}
