//! Schema-valid values, synthesized from a document's schemas.
//!
//! A value is built from the schema converted to JSON Schema 2020-12 (see
//! [`crate::schema`]), then checked against it with the validator; a value
//! that does not validate is an error ([`SynthError::Invalid`]), never
//! returned. Building is seeded: the same document, schema, mode and seed
//! give the same value. The spec's own `example`s are preferred where they
//! fit (first attempt); later attempts build from the schema alone, with
//! other random choices.

mod merge;
mod scalar;

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom as _;
use rand::{RngExt as _, SeedableRng as _};
use serde_json::{Map, Value, json};

use crate::schema::{Direction, SchemaError, SchemaValidator};
use merge::Flat;

pub use scalar::formatted;

/// Which optional parts a value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Required properties only; arrays at their `minItems`.
    Required,
    /// Every property (but `readOnly` ones in requests and `writeOnly` ones in
    /// responses); arrays of one item or their `minItems`.
    Full,
}

/// Why no value was produced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// The schema (as far as the synthesizer reads it) admits no value.
    #[error("at {at}: {reason}")]
    Unsatisfiable { at: String, reason: String },
    /// A value was built but the validator rejects it: reported, not used.
    #[error("the value built does not validate: {}; value: {value}", errors.join("; "))]
    Invalid { value: Value, errors: Vec<String> },
}

impl SynthError {
    pub(crate) fn unsatisfiable(at: &str, reason: String) -> SynthError {
        SynthError::Unsatisfiable {
            at: if at.is_empty() {
                "/".to_string()
            } else {
                at.to_string()
            },
            reason,
        }
    }

    /// A short class of the error, for tallies.
    pub fn kind(&self) -> &'static str {
        match self {
            SynthError::Schema(_) => "schema refused by the validator",
            SynthError::Unsatisfiable { .. } => "no value found",
            SynthError::Invalid { .. } => "value built does not validate",
        }
    }
}

/// A value, and the optional properties left out because no value could be
/// built for them (so that a [`Mode::Full`] value says where it is not full).
#[derive(Debug, Clone, PartialEq)]
pub struct Synthesized {
    pub value: Value,
    pub omitted: Vec<String>,
}

/// How many times a value is built before giving up: examples and the first
/// choices first, other random choices after.
const ATTEMPTS: u64 = 8;
/// How many tries a `oneOf`/`anyOf` branch or a `not` gets.
const BRANCH_TRIES: usize = 2;
/// Past this depth of nesting, objects get their required properties only
/// and arrays their `minItems`: recursive schemas must end.
const FULL_DEPTH: usize = 8;
/// The deepest a value may nest (required properties that recurse).
const MAX_DEPTH: usize = 48;

/// The synthesizer of one document.
pub struct Synth {
    validator: SchemaValidator,
    seed: u64,
}

impl Synth {
    pub fn new(doc: &Value) -> Synth {
        Synth::from_validator(SchemaValidator::new(Arc::new(doc.clone())))
    }

    pub fn from_validator(validator: SchemaValidator) -> Synth {
        Synth { validator, seed: 0 }
    }

    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Synth {
        self.seed = seed;
        self
    }

    pub fn validator(&self) -> &SchemaValidator {
        &self.validator
    }

    /// A value valid against `schema` (as written in the document) for
    /// `direction`.
    pub fn value(
        &self,
        schema: &Value,
        mode: Mode,
        direction: Direction,
    ) -> Result<Value, SynthError> {
        self.synthesize(schema, mode, direction).map(|s| s.value)
    }

    /// [`value`](Self::value), with the optional properties that were left out.
    pub fn synthesize(
        &self,
        schema: &Value,
        mode: Mode,
        direction: Direction,
    ) -> Result<Synthesized, SynthError> {
        let converted = self.validator.convert(schema, direction)?;
        // A schema the validator cannot compile is an error before any value.
        self.validator.compile(&converted, direction)?;
        let mut last = None;
        for attempt in 0..ATTEMPTS {
            let mut builder = Builder {
                validator: &self.validator,
                rng: StdRng::seed_from_u64(
                    self.seed
                        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                        .wrapping_add(attempt),
                ),
                mode,
                direction,
                use_examples: attempt % 2 == 0,
                shuffle: attempt >= 2,
                depth: 0,
                tags: Vec::new(),
                omitted: Vec::new(),
            };
            match builder.value(&converted, None, "") {
                Ok(value) => match self
                    .validator
                    .validate_converted(&converted, &value, direction)
                {
                    Ok(()) => {
                        return Ok(Synthesized {
                            value,
                            omitted: builder.omitted,
                        });
                    }
                    Err(errors) => last = Some(SynthError::Invalid { value, errors }),
                },
                Err(err @ SynthError::Schema(_)) => return Err(err),
                Err(err) => last = Some(err),
            }
        }
        Err(last.unwrap_or_else(|| SynthError::unsatisfiable("", "no attempt was made".into())))
    }

    /// Whether `value` is valid against `schema` for `direction`.
    pub fn validate(
        &self,
        schema: &Value,
        value: &Value,
        direction: Direction,
    ) -> Result<(), Vec<String>> {
        self.validator.validate(schema, value, direction)
    }
}

/// One attempt at building a value.
struct Builder<'a> {
    validator: &'a SchemaValidator,
    rng: StdRng,
    mode: Mode,
    direction: Direction,
    use_examples: bool,
    /// Whether branch and type choices are shuffled (later attempts).
    shuffle: bool,
    depth: usize,
    /// Discriminator tags the next object must carry: `(property, value)`.
    tags: Vec<(String, String)>,
    omitted: Vec<String>,
}

impl Builder<'_> {
    fn value(
        &mut self,
        schema: &Value,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        if self.depth >= MAX_DEPTH {
            return Err(SynthError::unsatisfiable(
                at,
                format!("the value nests deeper than {MAX_DEPTH} (a required property recurses?)"),
            ));
        }
        self.depth += 1;
        let result = self.value_at_depth(schema, hint, at);
        self.depth -= 1;
        result
    }

    fn value_at_depth(
        &mut self,
        schema: &Value,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        let mut flat = merge::flatten(self.validator, schema, at)?;
        let own_example = self
            .use_examples
            .then(|| example_of(&flat.keywords))
            .flatten();
        let hint = own_example.or(hint.cloned());
        let hint = hint.as_ref();
        if !flat.unions.is_empty() {
            return self.union(schema, flat, hint, at);
        }
        if let Some(not) = flat.keywords.remove("not") {
            return self.excluding(&not, Value::Object(flat_schema(flat)), hint, at);
        }
        if let Some(constant) = flat.keywords.get("const") {
            return Ok(constant.clone());
        }
        if let Some(values) = flat.keywords.get("enum").and_then(Value::as_array) {
            // An enum value of another type than the schema's is no value
            // (`type: integer, enum: ["8"]` is written in real specs).
            let types = type_names(&flat.keywords);
            let typed: Vec<Value> = values
                .iter()
                .filter(|v| types.is_empty() || types.iter().any(|t| type_matches(t, v)))
                .cloned()
                .collect();
            if typed.is_empty() && !values.is_empty() {
                return Err(SynthError::unsatisfiable(
                    at,
                    format!("no `enum` value is of the schema's type {types:?}"),
                ));
            }
            return self.pick_enum(&typed, hint, at);
        }
        let keywords = &flat.keywords;
        match self.choose_type(keywords, hint, at)?.as_str() {
            "null" => Ok(Value::Null),
            "boolean" => Ok(hint
                .filter(|h| h.is_boolean())
                .cloned()
                .unwrap_or(Value::Bool(self.rng.random_bool(0.5)))),
            "integer" => scalar::number(keywords, true, hint, &mut self.rng, at),
            "number" => scalar::number(keywords, false, hint, &mut self.rng, at),
            "string" => scalar::string(keywords, hint, &mut self.rng, at),
            "array" => self.array(keywords, hint, at),
            "object" => {
                self.inheritance_tag(&flat);
                self.object(&flat.keywords, hint, at)
            }
            _ => Ok(hint
                .cloned()
                .unwrap_or_else(|| Value::String("value".into()))),
        }
    }

    /// A `oneOf`/`anyOf`: each branch merged with the rest of the schema in
    /// turn, the value kept when it validates against the whole schema (so a
    /// `oneOf` value matches exactly one branch).
    fn union(
        &mut self,
        whole: &Value,
        mut flat: Flat,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        if let Some(hint) = hint.filter(|h| !h.is_object() && !h.is_array())
            && self
                .validator
                .validate_converted(whole, hint, self.direction)
                .is_ok()
        {
            return Ok(hint.clone());
        }
        let (keyword, branches) = flat.unions.remove(0);
        let discriminator = flat.discriminators.last().cloned();
        let rest: Vec<Value> = flat.unions.drain(..).map(|(k, b)| json!({k: b})).collect();
        let base = Value::Object(flat.keywords);
        let mut order: Vec<usize> = (0..branches.len()).collect();
        // `null` last: a value says more than its absence.
        order.sort_by_key(|&i| branches[i] == json!({"type": "null"}));
        if self.shuffle {
            order.shuffle(&mut self.rng);
        }
        let mut failures = Vec::new();
        // A value of the required properties only may fit several branches
        // (`{}`, `[]`); a fuller one then tells them apart.
        let mode = self.mode;
        let modes: &[Mode] = if mode == Mode::Required {
            &[Mode::Required, Mode::Full]
        } else {
            &[Mode::Full]
        };
        for (&try_mode, i) in modes
            .iter()
            .flat_map(|m| order.iter().map(move |&i| (m, i)))
        {
            self.mode = try_mode;
            let branch = &branches[i];
            let mut parts = vec![base.clone()];
            parts.extend(rest.iter().cloned());
            parts.push(branch.clone());
            let merged = json!({"allOf": parts});
            let tag = discriminator.as_ref().and_then(|d| tag_for(d, branch));
            for _ in 0..BRANCH_TRIES {
                let pending = self.tags.len();
                self.tags.extend(tag.clone());
                let result = self.value(&merged, hint, at);
                self.tags.truncate(pending);
                match result {
                    Ok(value) => {
                        match self
                            .validator
                            .validate_converted(whole, &value, self.direction)
                        {
                            Ok(()) => {
                                self.mode = mode;
                                return Ok(value);
                            }
                            Err(errors) => {
                                failures.push(format!("branch {i}: {}", errors.join("; ")))
                            }
                        }
                    }
                    Err(err) => failures.push(format!("branch {i}: {err}")),
                }
            }
        }
        self.mode = mode;
        Err(SynthError::unsatisfiable(
            at,
            format!(
                "no `{keyword}` branch gives a value that validates: {}",
                failures.join(" | ")
            ),
        ))
    }

    fn excluding(
        &mut self,
        not: &Value,
        rest: Value,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        let mode = self.mode;
        for attempt in 0..BRANCH_TRIES * 2 {
            // Later tries with fewer properties: `not: {required: [a, b]}`
            // forbids having both, which a full value has.
            if attempt >= BRANCH_TRIES {
                self.mode = Mode::Required;
            }
            let value = self.value(&rest, hint, at);
            self.mode = mode;
            let value = value?;
            if self
                .validator
                .validate_converted(not, &value, self.direction)
                .is_err()
            {
                return Ok(value);
            }
        }
        Err(SynthError::unsatisfiable(
            at,
            format!("every value built matches `not: {not}`"),
        ))
    }

    fn pick_enum(
        &mut self,
        values: &[Value],
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        if let Some(hint) = hint.filter(|h| values.contains(h)) {
            return Ok(hint.clone());
        }
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        let pool: Vec<&Value> = if non_null.is_empty() {
            values.iter().collect()
        } else {
            non_null
        };
        if pool.is_empty() {
            return Err(SynthError::unsatisfiable(
                at,
                "the `enum` allows no value (after merging `allOf` parts)".into(),
            ));
        }
        let index = if self.shuffle {
            self.rng.random_range(0..pool.len())
        } else {
            0
        };
        Ok(pool[index].clone())
    }

    /// A schema reached through `$ref` whose `allOf` base has a discriminator
    /// (inheritance): the object carries its own tag.
    fn inheritance_tag(&mut self, flat: &Flat) {
        if let (Some(discriminator), Some(component)) =
            (flat.discriminators.last(), flat.components.first())
            && let Some(property) = discriminator.get("propertyName").and_then(Value::as_str)
            && !self.tags.iter().any(|(p, _)| p == property)
            && !self.pins_tag(flat, property)
        {
            let reference = format!(
                "#/components/schemas/{}",
                crate::document::escape(component)
            );
            self.tags.push((
                property.to_string(),
                tag_value(discriminator, &reference, component),
            ));
        }
    }

    /// Whether the schema gives the tag property values of its own (an
    /// `enum` or `const`, as pagerduty's subtypes do), which then win over
    /// the component name.
    fn pins_tag(&self, flat: &Flat, property: &str) -> bool {
        let Some(schema) = flat
            .keywords
            .get("properties")
            .and_then(|p| p.get(property))
        else {
            return false;
        };
        merge::flatten(self.validator, schema, "")
            .is_ok_and(|f| f.keywords.contains_key("enum") || f.keywords.contains_key("const"))
    }

    fn choose_type(
        &mut self,
        keywords: &Map<String, Value>,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<String, SynthError> {
        let mut types: Vec<String> = match keywords.get("type") {
            Some(Value::String(name)) => vec![name.clone()],
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => vec![implied_type(keywords).to_string()],
        };
        if types.is_empty() {
            return Err(SynthError::unsatisfiable(
                at,
                "no type is allowed (the `allOf` parts disagree)".into(),
            ));
        }
        types.sort_by_key(|t| t == "null");
        if self.shuffle {
            types.shuffle(&mut self.rng);
        }
        if let Some(hint) = hint
            && let Some(found) = types.iter().find(|t| type_matches(t, hint))
        {
            return Ok(found.clone());
        }
        Ok(types.remove(0))
    }

    fn array(
        &mut self,
        keywords: &Map<String, Value>,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        let min = keywords
            .get("minItems")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let max = keywords
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|n| n as usize);
        let prefix: Vec<Value> = keywords
            .get("prefixItems")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let items = keywords.get("items").cloned().unwrap_or(Value::Bool(true));
        let full = self.mode == Mode::Full && self.depth <= FULL_DEPTH;
        let wanted = if full {
            min.max(1).max(prefix.len())
        } else {
            min
        };
        let count = max.map_or(wanted, |max| wanted.min(max));
        let unique = keywords.get("uniqueItems") == Some(&Value::Bool(true));
        let hints: Vec<Value> = hint.and_then(Value::as_array).cloned().unwrap_or_default();
        let mut out: Vec<Value> = Vec::with_capacity(count);
        for index in 0..count {
            let schema = prefix.get(index).unwrap_or(&items);
            let item_at = format!("{at}/{index}");
            let mut tries = 0;
            loop {
                let hint = if tries == 0 {
                    hints.get(index).or(hints.first())
                } else {
                    None
                };
                // A retry for a distinct item must choose differently.
                let shuffle = self.shuffle;
                self.shuffle = shuffle || tries > 0;
                let value = self.value(schema, hint, &item_at);
                self.shuffle = shuffle;
                let value = value?;
                if !unique || !out.contains(&value) {
                    out.push(value);
                    break;
                }
                tries += 1;
                if tries > 16 {
                    return Err(SynthError::unsatisfiable(
                        &item_at,
                        format!("no {count} distinct items (`uniqueItems`)"),
                    ));
                }
            }
        }
        Ok(Value::Array(out))
    }

    /// An object; it takes the pending discriminator tags, which are its own
    /// and not its properties'.
    fn object(
        &mut self,
        keywords: &Map<String, Value>,
        hint: Option<&Value>,
        at: &str,
    ) -> Result<Value, SynthError> {
        let tags = std::mem::take(&mut self.tags);
        self.object_with_tags(keywords, hint, at, &tags)
    }

    fn object_with_tags(
        &mut self,
        keywords: &Map<String, Value>,
        hint: Option<&Value>,
        at: &str,
        tags: &[(String, String)],
    ) -> Result<Value, SynthError> {
        let empty = Map::new();
        let properties = keywords
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = keywords
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let additional = keywords.get("additionalProperties");
        let min_properties = keywords
            .get("minProperties")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let full = self.mode == Mode::Full && self.depth <= FULL_DEPTH;
        let hints = hint.and_then(Value::as_object);
        let mut out = Map::new();
        for (property, value) in tags {
            out.insert(property.clone(), Value::String(value.clone()));
        }
        let mut optional = Vec::new();
        for (name, schema) in properties {
            let is_required = required.contains(&name.as_str());
            // A readOnly property still required here (its `required` is in
            // another `allOf` part than its `readOnly`: pagerduty's `id`) is
            // sent: the value must validate.
            if out.contains_key(name) || (!is_required && self.left_out(schema)) {
                continue;
            }
            if is_required {
                let value = self.value(
                    schema,
                    hints.and_then(|h| h.get(name)),
                    &format!("{at}/{}", crate::document::escape(name)),
                )?;
                out.insert(name.clone(), value);
            } else {
                optional.push((name, schema));
            }
        }
        let undeclared: Vec<&str> = required
            .iter()
            .copied()
            .filter(|n| !out.contains_key(*n) && !properties.contains_key(*n))
            .collect();
        for name in undeclared {
            let schema = match additional {
                Some(schema @ Value::Object(_)) => schema.clone(),
                _ => Value::Bool(true),
            };
            let value = self.value(
                &schema,
                hints.and_then(|h| h.get(name)),
                &format!("{at}/{}", crate::document::escape(name)),
            )?;
            out.insert(name.to_string(), value);
        }
        for (name, schema) in optional {
            if !full && out.len() >= min_properties {
                break;
            }
            let property_at = format!("{at}/{}", crate::document::escape(name));
            match self.value(schema, hints.and_then(|h| h.get(name)), &property_at) {
                Ok(value) => {
                    out.insert(name.clone(), value);
                }
                Err(err) => self.omitted.push(format!("{property_at}: {err}")),
            }
        }
        let wants_entry =
            (full && properties.is_empty() && matches!(additional, Some(Value::Object(_))))
                || out.len() < min_properties;
        if wants_entry && additional != Some(&Value::Bool(false)) {
            let schema = additional.cloned().unwrap_or(Value::Bool(true));
            let mut n = 0;
            while out.len() < min_properties.max(usize::from(full)) {
                n += 1;
                let key = format!("key{n}");
                let value = self.value(&schema, None, &format!("{at}/{key}"))?;
                out.insert(key, value);
            }
        }
        Ok(Value::Object(out))
    }

    /// Whether a property is never sent this way: `readOnly` in requests,
    /// `writeOnly` in responses.
    fn left_out(&self, schema: &Value) -> bool {
        let flag = |key: &str| {
            schema.get(key) == Some(&Value::Bool(true))
                || schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| self.validator.resolve_converted(r))
                    .is_some_and(|target| target.get(key) == Some(&Value::Bool(true)))
        };
        match self.direction {
            Direction::Request => flag("readOnly"),
            Direction::Response => flag("writeOnly"),
            Direction::Any => false,
        }
    }
}

/// The schema's own example: 3.0 `example`, else the first of 3.1 `examples`.
fn example_of(keywords: &Map<String, Value>) -> Option<Value> {
    keywords.get("example").cloned().or_else(|| {
        keywords
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|e| e.first().cloned())
    })
}

fn flat_schema(flat: Flat) -> Map<String, Value> {
    let mut keywords = flat.keywords;
    for (key, branches) in flat.unions {
        keywords.insert(key, Value::Array(branches));
    }
    keywords
}

/// The names in a schema's `type` (none when it has no `type`).
fn type_names(keywords: &Map<String, Value>) -> Vec<String> {
    match keywords.get("type") {
        Some(Value::String(name)) => vec![name.clone()],
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The type a schema without `type` is about, from its other keywords.
fn implied_type(keywords: &Map<String, Value>) -> &'static str {
    let has = |keys: &[&str]| keys.iter().any(|k| keywords.contains_key(*k));
    if has(&[
        "properties",
        "required",
        "additionalProperties",
        "minProperties",
        "maxProperties",
        "patternProperties",
    ]) {
        "object"
    } else if has(&[
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
    ]) {
        "array"
    } else if has(&["minLength", "maxLength", "pattern", "format"]) {
        "string"
    } else if has(&[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ]) {
        "number"
    } else {
        "any"
    }
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// The tag a `oneOf`/`anyOf` branch carries under a discriminator: the
/// `mapping` key naming it, else its component name.
fn tag_for(discriminator: &Map<String, Value>, branch: &Value) -> Option<(String, String)> {
    let property = discriminator.get("propertyName")?.as_str()?;
    let reference = branch.get("$ref")?.as_str()?;
    let fragment = &reference[reference.find('#')?..];
    let name = crate::document::unescape(fragment.rsplit_once("/components/schemas/")?.1);
    Some((
        property.to_string(),
        tag_value(discriminator, fragment, &name),
    ))
}

fn tag_value(discriminator: &Map<String, Value>, fragment: &str, name: &str) -> String {
    discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .and_then(|mapping| {
            mapping
                .iter()
                .find(|(_, target)| target.as_str().is_some_and(|t| t == fragment || t == name))
                .map(|(key, _)| key.clone())
        })
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests;
