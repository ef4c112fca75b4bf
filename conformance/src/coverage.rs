//! How much of a spec the synthesizer covers: a value for every parameter,
//! every request body media type and every response media type with a
//! schema, in both modes, each checked by the validator.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::{self, OperationRef};
use crate::plan;
use crate::schema::Direction;
use crate::synth::{Mode, Synth, SynthError};

/// Values made and not made, for one kind of schema.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub ok: usize,
    pub failed: usize,
}

/// A spec's coverage.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    pub parameters: Count,
    pub bodies: Count,
    pub responses: Count,
    /// Failures by kind ([`SynthError::kind`]).
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Every failure: where, and the error.
    pub failures: Vec<String>,
}

impl Coverage {
    fn record(
        &mut self,
        count: Count,
        what: impl FnOnce() -> String,
        result: &Result<Value, SynthError>,
    ) -> Count {
        let mut count = count;
        match result {
            Ok(_) => count.ok += 1,
            Err(err) => {
                count.failed += 1;
                *self.by_kind.entry(err.kind()).or_default() += 1;
                self.failures.push(format!("{}: {err}", what()));
            }
        }
        count
    }
}

/// Every schema of every operation: parameters once (every property set),
/// bodies and responses in both modes.
pub fn coverage(synth: &Synth) -> Coverage {
    let doc = synth.validator().document();
    let mut coverage = Coverage::default();
    for operation in document::operations(doc) {
        for (pointer, parameter) in plan::parameters(doc, &operation) {
            let schema = parameter
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .and_then(|media| media.get("schema"))
                .or_else(|| parameter.get("schema"));
            if let Some(schema) = schema {
                let result = synth.value(schema, Mode::Full, Direction::Request);
                let count = coverage.parameters;
                coverage.parameters =
                    coverage.record(count, || format!("{operation} {pointer}"), &result);
            }
        }
        let op = doc.pointer(&operation.pointer()).unwrap_or(&Value::Null);
        if let Some(body) = op
            .get("requestBody")
            .and_then(|b| document::follow(doc, b).ok())
        {
            for (media_type, schema) in schemas_of(body) {
                for mode in [Mode::Required, Mode::Full] {
                    let result = synth.value(schema, mode, Direction::Request);
                    let count = coverage.bodies;
                    coverage.bodies = coverage.record(
                        count,
                        || format!("{operation} body {media_type} {mode:?}"),
                        &result,
                    );
                }
            }
        }
        response_coverage(synth, &operation, op, &mut coverage);
    }
    coverage
}

fn response_coverage(synth: &Synth, operation: &OperationRef, op: &Value, coverage: &mut Coverage) {
    let doc = synth.validator().document();
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return;
    };
    for (status, response) in responses {
        let Ok(response) = document::follow(doc, response) else {
            continue;
        };
        for (media_type, schema) in schemas_of(response) {
            for mode in [Mode::Required, Mode::Full] {
                let result = synth.value(schema, mode, Direction::Response);
                let count = coverage.responses;
                coverage.responses = coverage.record(
                    count,
                    || format!("{operation} response {status} {media_type} {mode:?}"),
                    &result,
                );
            }
        }
    }
}

fn schemas_of(holder: &Value) -> Vec<(&String, &Value)> {
    holder
        .get("content")
        .and_then(Value::as_object)
        .map(|content| {
            content
                .iter()
                .filter_map(|(media_type, media)| Some((media_type, media.get("schema")?)))
                .collect()
        })
        .unwrap_or_default()
}
