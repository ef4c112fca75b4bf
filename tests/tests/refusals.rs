//! Every refusal of a spec says what is wrong, where (line, column, the line
//! itself and a JSON pointer), and how to fix it; several problems are
//! reported in one run. Each test feeds the library a small broken spec and
//! checks the located message. That a refusal leaves the output folder as it
//! was is tested through the binary in generator/tests/cli.rs.

use generator::{Diagnostic, Failure, generate};

fn refusal(spec: &str) -> Vec<Diagnostic> {
    match generate(spec, "spec.yaml") {
        Ok(generated) => panic!(
            "the spec was accepted, with {} file(s)",
            generated.files.len()
        ),
        Err(Failure { diagnostics }) => diagnostics,
    }
}

/// The only error of a refusal.
fn only_error(spec: &str) -> Diagnostic {
    let errors: Vec<Diagnostic> = refusal(spec)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.into_iter().next().unwrap()
}

/// Asserts that `diagnostic` is placed at `line:column` of spec.yaml, quoting `source`.
fn assert_at(diagnostic: &Diagnostic, line: usize, column: usize, source: &str) {
    let position = diagnostic.position.expect("the diagnostic has a position");
    assert_eq!(
        (position.line, position.column),
        (line, column),
        "{diagnostic}"
    );
    assert_eq!(
        diagnostic.source_line.as_deref(),
        Some(source),
        "{diagnostic}"
    );
    assert_eq!(diagnostic.file.as_deref(), Some("spec.yaml"));
    let shown = diagnostic.to_string();
    assert!(
        shown.contains(&format!("--> spec.yaml:{line}:{column}")),
        "{shown}"
    );
    assert!(shown.contains(&format!("{line} | {source}")), "{shown}");
}

const VALID_HEAD: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\n";

#[test]
fn swagger_2_is_named_and_refused() {
    let error = only_error("swagger: \"2.0\"\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n");
    assert_eq!(
        error.message,
        "this is Swagger 2.0; the generator reads OpenAPI 3.0 and 3.1"
    );
    assert_eq!(error.pointer.as_deref(), Some("/swagger"));
    assert_at(&error, 1, 1, "swagger: \"2.0\"");
    assert!(error.hint.unwrap().contains("convert it to OpenAPI 3"));
}

#[test]
fn an_unknown_openapi_version_is_refused_at_the_version() {
    let error = only_error("info: {title: Pets, version: 1.0.0}\nopenapi: 4.0.0\npaths: {}\n");
    assert_eq!(
        error.message,
        "unknown OpenAPI version `4.0.0`; the generator reads OpenAPI 3.0 and 3.1"
    );
    assert_eq!(error.pointer.as_deref(), Some("/openapi"));
    assert_at(&error, 2, 1, "openapi: 4.0.0");
}

#[test]
fn a_yaml_syntax_error_shows_the_line_and_a_caret() {
    let error = only_error(&format!(
        "{VALID_HEAD}paths:\n  /pets:\n    get: {{summary: List, responses: {{}}\n  /other: {{}}\n"
    ));
    assert!(
        error.message.starts_with("the spec is not valid YAML: "),
        "{}",
        error.message
    );
    assert!(
        error
            .message
            .contains("while parsing a flow mapping at line 5 column 10"),
        "{}",
        error.message
    );
    assert_at(&error, 6, 3, "  /other: {}");
    let shown = error.to_string();
    assert!(shown.contains("6 |   /other: {}\n  |   ^\n"), "{shown}");
}

#[test]
fn a_json_document_cut_short_points_at_the_end_of_its_last_line() {
    let error = only_error(
        "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"Pets\", \"version\": \"1.0.0\"},\n  \"paths\": {\n\n",
    );
    assert_eq!(
        error.message,
        "the spec is not valid JSON: EOF while parsing an object"
    );
    assert_at(&error, 4, 13, "  \"paths\": {");
}

#[test]
fn a_reference_that_leads_nowhere_is_reported_where_it_is_used() {
    let error = only_error(&format!(
        "{VALID_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner:\n          $ref: '#/components/schemas/Persn'\n    Person: {{type: object}}\n"
    ));
    assert_eq!(
        error.message,
        "`$ref: #/components/schemas/Persn` points to nothing: the document has no `/components/schemas/Persn`"
    );
    assert_eq!(
        error.pointer.as_deref(),
        Some("/components/schemas/Pet/properties/owner/$ref")
    );
    assert_at(
        &error,
        10,
        11,
        "          $ref: '#/components/schemas/Persn'",
    );
    assert_eq!(
        error.hint.as_deref(),
        Some("did you mean `#/components/schemas/Person`?")
    );
}

#[test]
fn every_kind_of_reference_is_checked() {
    let spec = format!(
        "{VALID_HEAD}paths:\n  /pets:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Limit'\n      requestBody:\n        $ref: '#/components/requestBodies/NewPet'\n      responses:\n        '200':\n          $ref: '#/components/responses/Pets'\n"
    );
    let errors = refusal(&spec);
    let pointers: Vec<&str> = errors.iter().filter_map(|d| d.pointer.as_deref()).collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1pets/get/parameters/0/$ref",
            "/paths/~1pets/get/requestBody/$ref",
            "/paths/~1pets/get/responses/200/$ref",
        ]
    );
    assert_eq!(
        errors
            .iter()
            .map(|d| d.position.unwrap().line)
            .collect::<Vec<_>>(),
        [7, 9, 12]
    );
}

#[test]
fn a_reference_into_another_file_is_refused_with_a_hint() {
    let error = only_error(&format!(
        "{VALID_HEAD}paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: 'pets.yaml#/Pet'}}\n"
    ));
    assert_eq!(
        error.message,
        "`$ref: pets.yaml#/Pet` points into another document, which the generator does not read"
    );
    assert_eq!(error.position.unwrap().line, 11);
    assert!(
        error
            .hint
            .unwrap()
            .contains("bundle the spec into one file")
    );
}

#[test]
fn schemas_that_only_refer_to_each_other_are_refused() {
    let errors = refusal(&format!(
        "{VALID_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Loop:\n      $ref: '#/components/schemas/Loop'\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n"
    ));
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0]
            .message
            .starts_with("the schema `Loop` is defined as itself"),
        "{}",
        errors[0].message
    );
    assert_at(&errors[0], 7, 7, "      $ref: '#/components/schemas/Loop'");
    assert_eq!(
        errors[1].message,
        "the schemas `A` → `B` → `A` only refer to each other: no type can stand for them"
    );
    assert_at(&errors[1], 9, 7, "      $ref: '#/components/schemas/B'");
}

#[test]
fn a_misspelt_type_is_refused_with_what_was_meant() {
    let error = only_error(&format!(
        "{VALID_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Name:\n      type: strin\n"
    ));
    assert_eq!(error.message, "`strin` is not a schema type");
    assert_eq!(
        error.pointer.as_deref(),
        Some("/components/schemas/Name/type")
    );
    assert_at(&error, 7, 7, "      type: strin");
    assert_eq!(error.hint.as_deref(), Some("did you mean `string`?"));
}

#[test]
fn a_misspelt_keyword_that_would_make_a_schema_any_value_is_refused() {
    let error = only_error(&format!(
        "{VALID_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      proprties:\n        name: {{type: string}}\n"
    ));
    assert_eq!(
        error.message,
        "`proprties` is not a schema keyword; did you mean `properties`?"
    );
    assert_at(&error, 8, 7, "      proprties:");
}

#[test]
fn several_problems_are_reported_in_one_run_in_the_order_of_the_text() {
    let errors = refusal(&format!(
        "{VALID_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: strin}}\n    B: {{$ref: '#/components/schemas/Nope'}}\n    C: {{type: object, proprties: {{}}}}\n"
    ));
    let lines: Vec<usize> = errors.iter().map(|d| d.position.unwrap().line).collect();
    assert_eq!(lines, [6, 7, 8], "{errors:#?}");
}

#[test]
fn nesting_that_would_exhaust_the_stack_is_refused_without_crashing() {
    let depth = 100_000;
    let spec = format!(
        "{VALID_HEAD}paths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let error = only_error(&spec);
    assert_eq!(
        error.message,
        "the spec nests mappings and lists more than 64 levels deep"
    );
    assert_eq!(error.position.unwrap().line, 4);
}

#[test]
fn duplicate_operation_ids_are_a_warning_naming_both_places() {
    let spec = format!(
        "{VALID_HEAD}paths:\n  /cats:\n    get:\n      operationId: list\n      tags: [pets]\n      responses: {{'204': {{description: ok}}}}\n  /dogs:\n    get:\n      operationId: list\n      tags: [pets]\n      responses: {{'204': {{description: ok}}}}\n"
    );
    let generated = generate(&spec, "spec.yaml").expect("duplicates are not a refusal");
    let warning = generated
        .warnings
        .iter()
        .find(|w| {
            w.message
                .starts_with("operationId `list` is used by two operations")
        })
        .expect("a warning about the duplicate");
    assert_at(warning, 11, 7, "      operationId: list");
    let first = &warning.related[0];
    assert_eq!(first.pointer, "/paths/~1cats/get/operationId");
    assert_eq!(first.position.map(|p| p.line), Some(6));
    assert!(
        warning
            .to_string()
            .contains("= note: first used at spec.yaml:6:7")
    );
    let pets = generated
        .files
        .iter()
        .find(|f| f.path == "src/resources/pets.rs")
        .expect("the pets resource");
    assert!(pets.contents.contains("pub fn list("), "{}", pets.contents);
    assert!(
        pets.contents.contains("pub fn list_2("),
        "{}",
        pets.contents
    );
}

/// openapiv3 rejects a shape the lints let through: the error names the node,
/// whether it is under `paths` or under `components` (converted apart).
#[test]
fn a_node_of_the_wrong_shape_is_refused_where_it_is() {
    let in_components = only_error(&format!(
        "{VALID_HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: yes\n"
    ));
    assert!(
        in_components
            .message
            .starts_with("the spec does not have the shape of an OpenAPI document"),
        "{in_components}"
    );
    assert_eq!(
        in_components.pointer.as_deref(),
        Some("/components/schemas/Pet")
    );
    assert_at(&in_components, 6, 5, "    Pet:");

    let in_paths = only_error(&format!(
        "{VALID_HEAD}paths:\n  /pets:\n    get:\n      responses: 5\n"
    ));
    assert!(
        in_paths
            .message
            .starts_with("the spec does not have the shape of an OpenAPI document"),
        "{in_paths}"
    );
    // openapiv3 reads `paths` through a function of its own, which hides
    // where under it the error is: `paths` is as near as it can be told.
    assert_eq!(in_paths.pointer.as_deref(), Some("/paths"));
    assert_at(&in_paths, 3, 1, "paths:");
}

#[test]
fn an_operation_naming_an_unknown_security_scheme_is_refused_at_its_requirement() {
    let spec = format!(
        "{VALID_HEAD}paths:\n  /me:\n    get:\n      security:\n        - key: []\n        - token: []\n      responses:\n        '204': {{description: Done.}}\ncomponents:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: X-Key}}\n"
    );
    let error = only_error(&spec);
    assert_eq!(
        error.message,
        "security requirement `token` names no scheme in `components/securitySchemes`"
    );
    assert_eq!(error.pointer.as_deref(), Some("/paths/~1me/get/security/1"));
    assert_at(&error, 8, 16, "        - token: []");
}
