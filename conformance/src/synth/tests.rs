use super::*;
use serde_json::json;

fn doc_with(schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}})
}

/// Builds a value in both modes and directions, and checks it with a
/// validator of its own (not the synthesizer's).
fn every_way(doc: &Value, schema: &Value) -> Vec<Value> {
    let synth = Synth::new(doc);
    let independent = SchemaValidator::new(Arc::new(doc.clone()));
    let mut values = Vec::new();
    for mode in [Mode::Required, Mode::Full] {
        for direction in [Direction::Request, Direction::Response] {
            let value = synth
                .value(schema, mode, direction)
                .unwrap_or_else(|err| panic!("{schema} {mode:?} {direction:?}: {err}"));
            assert_eq!(
                independent.validate(schema, &value, direction),
                Ok(()),
                "{schema} gave {value}"
            );
            values.push(value);
        }
    }
    values
}

#[test]
fn values_validate_for_a_range_of_constructs() {
    let doc = doc_with(json!({
        "Pet": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string", "minLength": 3, "maxLength": 8},
            "tag": {"type": "string", "nullable": true},
            "age": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 30, "multipleOf": 3},
            "weight": {"type": "number", "format": "float", "minimum": 0.5, "maximum": 1.5},
            "code": {"type": "string", "pattern": "^[A-Z]{2}-\\d{4}$"},
            "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}, "minItems": 2, "uniqueItems": true},
            "meta": {"type": "object", "additionalProperties": {"type": "integer", "format": "int32"}, "minProperties": 1},
            "closed": {"type": "object", "additionalProperties": false, "properties": {"x": {"type": "boolean"}}}
        }},
        "Tree": {"type": "object", "required": ["value"], "properties": {
            "value": {"type": "integer"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}
        }},
        "Named": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}}]},
        "NotEmpty": {"type": "string", "not": {"enum": ["", "text-100"]}}
    }));
    for name in ["Pet", "Tree", "Named", "NotEmpty"] {
        every_way(
            &doc,
            &json!({"$ref": format!("#/components/schemas/{name}")}),
        );
    }
    let full = Synth::new(&doc)
        .value(
            &json!({"$ref": "#/components/schemas/Named"}),
            Mode::Full,
            Direction::Request,
        )
        .unwrap();
    for property in [
        "name", "tag", "age", "weight", "code", "tags", "meta", "closed", "id",
    ] {
        assert!(
            full.get(property).is_some(),
            "{property} missing from {full}"
        );
    }
    let required = Synth::new(&doc)
        .value(
            &json!({"$ref": "#/components/schemas/Named"}),
            Mode::Required,
            Direction::Request,
        )
        .unwrap();
    assert_eq!(required.as_object().unwrap().len(), 2, "{required}");
}

#[test]
fn a_pattern_longer_than_a_short_repetition_reaches_its_length() {
    // GitHub's SARIF `commit_sha`.
    let doc = doc_with(json!({}));
    for schema in [
        json!({"type": "string", "pattern": "^[0-9a-fA-F]+$", "minLength": 40, "maxLength": 40}),
        json!({"type": "string", "pattern": "^x[a-z]*$", "minLength": 30}),
        json!({"type": "string", "pattern": "^ghp_[A-Za-z0-9]+$", "minLength": 40, "maxLength": 40}),
    ] {
        for value in every_way(&doc, &schema) {
            assert!(value.as_str().unwrap().len() >= 30, "{value}");
        }
    }
}

#[test]
fn every_format_gives_a_value_its_validator_accepts() {
    let doc = doc_with(json!({}));
    for format in [
        "date-time",
        "date",
        "time",
        "uuid",
        "email",
        "uri",
        "hostname",
        "ipv4",
        "ipv6",
        "byte",
        "binary",
        "duration",
        "uri-reference",
    ] {
        let values = every_way(&doc, &json!({"type": "string", "format": format}));
        assert!(
            values[0].as_str().is_some_and(|s| !s.is_empty()),
            "{format}"
        );
    }
    for format in ["int32", "int64"] {
        every_way(&doc, &json!({"type": "integer", "format": format}));
    }
    for format in ["float", "double"] {
        every_way(&doc, &json!({"type": "number", "format": format}));
    }
}

#[test]
fn one_of_values_match_exactly_one_branch() {
    // Without care, `{}` or `{"a": "x", "b": 1}` would match both branches.
    let doc = doc_with(json!({
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "B": {"type": "object", "required": ["b"], "properties": {"b": {"type": "integer"}}}
    }));
    let schema =
        json!({"oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]});
    let validator = SchemaValidator::new(Arc::new(doc.clone()));
    for value in every_way(&doc, &schema) {
        let matches = ["A", "B"]
            .iter()
            .filter(|name| {
                let branch = json!({"$ref": format!("#/components/schemas/{name}")});
                validator.validate(&branch, &value, Direction::Any).is_ok()
            })
            .count();
        assert_eq!(matches, 1, "{value}");
    }
}

#[test]
fn discriminators_set_the_tag_from_the_mapping_or_the_component_name() {
    let doc = doc_with(json!({
        "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}},
        "Cat": {"type": "object", "required": ["kind", "purrs"], "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}}},
        "Dog": {"type": "object", "required": ["kind", "barks"], "properties": {"kind": {"type": "string"}, "barks": {"type": "boolean"}}},
        "Base": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}, "discriminator": {"propertyName": "type"}},
        "Child": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {"x": {"type": "integer"}}}]}
    }));
    for value in every_way(&doc, &json!({"$ref": "#/components/schemas/Pet"})) {
        let expected = if value.get("purrs").is_some() {
            "cat"
        } else {
            "Dog"
        };
        assert_eq!(value["kind"], expected, "{value}");
    }
    for value in every_way(&doc, &json!({"$ref": "#/components/schemas/Child"})) {
        assert_eq!(value["type"], "Child", "{value}");
    }
}

#[test]
fn read_only_stays_out_of_requests_and_write_only_out_of_responses() {
    let doc = doc_with(json!({
        "User": {"type": "object", "required": ["id", "password", "name"], "properties": {
            "id": {"type": "integer", "readOnly": true},
            "password": {"type": "string", "writeOnly": true},
            "name": {"type": "string"}
        }}
    }));
    let synth = Synth::new(&doc);
    let schema = json!({"$ref": "#/components/schemas/User"});
    let request = synth
        .value(&schema, Mode::Full, Direction::Request)
        .unwrap();
    assert!(
        request.get("id").is_none() && request.get("password").is_some(),
        "{request}"
    );
    let response = synth
        .value(&schema, Mode::Full, Direction::Response)
        .unwrap();
    assert!(
        response.get("id").is_some() && response.get("password").is_none(),
        "{response}"
    );
}

#[test]
fn valid_examples_are_preferred_and_invalid_ones_are_not_used() {
    let doc = doc_with(json!({
        "Good": {"type": "string", "example": "from-the-spec"},
        "Bad": {"type": "string", "format": "email", "example": "not an email"},
        "Object": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}, "s": {"type": "string"}}, "example": {"n": 42, "s": "hi"}}
    }));
    let synth = Synth::new(&doc);
    let value = |name: &str, mode| {
        synth
            .value(
                &json!({"$ref": format!("#/components/schemas/{name}")}),
                mode,
                Direction::Request,
            )
            .unwrap()
    };
    assert_eq!(value("Good", Mode::Full), "from-the-spec");
    assert_ne!(value("Bad", Mode::Full), "not an email");
    assert_eq!(value("Object", Mode::Full), json!({"n": 42, "s": "hi"}));
    // Required only: the example's values, not its optional properties.
    assert_eq!(value("Object", Mode::Required), json!({"n": 42}));
}

#[test]
fn values_are_deterministic_per_seed() {
    let doc = doc_with(
        json!({"S": {"type": "object", "properties": {"a": {"type": "string", "pattern": "[a-z]{5,9}"}, "b": {"type": "integer"}}}}),
    );
    let schema = json!({"$ref": "#/components/schemas/S"});
    let one = Synth::new(&doc)
        .with_seed(3)
        .value(&schema, Mode::Full, Direction::Request)
        .unwrap();
    let two = Synth::new(&doc)
        .with_seed(3)
        .value(&schema, Mode::Full, Direction::Request)
        .unwrap();
    assert_eq!(one, two);
}

#[test]
fn impossible_schemas_are_errors_naming_the_place() {
    let doc = doc_with(json!({
        "Short": {"type": "object", "required": ["s"], "properties": {"s": {"type": "string", "minLength": 5, "maxLength": 2, "pattern": "a+"}}},
        "Loop": {"type": "object", "required": ["next"], "properties": {"next": {"$ref": "#/components/schemas/Loop"}}},
        "None": {"allOf": [{"type": "string"}, {"type": "integer"}]}
    }));
    let synth = Synth::new(&doc);
    let error = |name: &str| {
        synth
            .value(
                &json!({"$ref": format!("#/components/schemas/{name}")}),
                Mode::Required,
                Direction::Request,
            )
            .unwrap_err()
            .to_string()
    };
    assert!(error("Short").contains("at /s"), "{}", error("Short"));
    assert!(error("Loop").contains("deeper than"), "{}", error("Loop"));
    assert!(error("None").contains("no type"), "{}", error("None"));
}

#[test]
fn openapi_3_1_type_arrays_const_and_examples() {
    let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": {
        "S": {"type": "object", "required": ["kind", "maybe", "n"], "properties": {
            "kind": {"const": "fixed"},
            "maybe": {"type": ["string", "null"], "examples": ["ex"]},
            "n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2}
        }}
    }}});
    for value in every_way(&doc, &json!({"$ref": "#/components/schemas/S"})) {
        assert_eq!(value["kind"], "fixed");
        assert_eq!(value["n"], 1);
        assert_eq!(value["maybe"], "ex");
    }
}
