//! `x-rust-pagination`: a declared pagination wins over the patterns the
//! generator recognises, `false` turns one off, and a declaration that does
//! not fit the operation is an error at its key.

use generator::model::{NextPage, Operation, Resource};

/// A list whose cursor no pattern knows (`from`, `following`), and one the
/// patterns find (`cursor`, `next_cursor`).
fn spec(unknown: &str, known: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: Feed, version: 1.0.0}}
paths:
  /events:
    get:
      operationId: listEvents
      tags: [events]
      parameters:
        - {{name: from, in: query, schema: {{type: string}}}}
        - {{name: limit, in: query, schema: {{type: integer}}}}
{unknown}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                required: [events]
                properties:
                  events: {{type: array, items: {{type: string}}}}
                  following: {{type: string}}
                  more: {{type: boolean}}
  /notes:
    get:
      operationId: listNotes
      tags: [notes]
      parameters:
        - {{name: cursor, in: query, schema: {{type: string}}}}
{known}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {{type: array, items: {{type: string}}}}
                  next_cursor: {{type: string}}
"#
    )
}

fn operations(spec: &str) -> Result<Vec<Operation>, Vec<generator::Diagnostic>> {
    let loaded = generator::load::load(spec)?;
    let (api, _) = generator::model::build(&loaded.document)?;
    let mut found = Vec::new();
    let mut pending: Vec<&Resource> = api.resources.iter().collect();
    while let Some(resource) = pending.pop() {
        found.extend(resource.operations.iter().cloned());
        pending.extend(&resource.children);
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(found)
}

#[test]
fn a_declared_cursor_paginates_what_no_pattern_finds() {
    let plain = operations(&spec("", "")).unwrap();
    assert!(
        plain[0].pagination.is_none(),
        "no pattern knows `from` / `following`"
    );
    assert!(
        plain[1].pagination.is_some(),
        "`cursor` / `next_cursor` is a pattern"
    );

    let declared = "      x-rust-pagination: {style: cursor, param: from, next: following, has-more: more, items: events}";
    let ops = operations(&spec(declared, "")).unwrap();
    let pagination = ops[0].pagination.as_ref().expect("declared");
    assert_eq!(pagination.param, "from");
    assert_eq!(
        pagination.items.as_ref().map(|s| s.rust_name.as_str()),
        Some("events")
    );
    match &pagination.next {
        NextPage::Cursor { next, has_more } => {
            assert_eq!(next.rust_name, "following");
            assert_eq!(
                has_more.as_ref().map(|s| s.rust_name.as_str()),
                Some("more")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn false_turns_a_found_pagination_off() {
    let ops = operations(&spec("", "      x-rust-pagination: false")).unwrap();
    assert!(ops[1].pagination.is_none());
}

/// The error's pointer and message, for a declaration on `/events`.
fn error_of(declared: &str) -> (String, String) {
    let errors = operations(&spec(declared, "")).expect_err("refused");
    let error = errors.into_iter().find(|d| d.is_error()).expect("an error");
    (error.pointer.unwrap_or_default(), error.message)
}

#[test]
fn a_declaration_that_does_not_fit_is_an_error_at_its_key() {
    let at = |key: &str| format!("/paths/~1events/get/x-rust-pagination{key}");
    let (pointer, message) =
        error_of("      x-rust-pagination: {style: cursor, param: since, next: following}");
    assert_eq!(pointer, at("/param"));
    assert!(
        message.contains("`since` is not an optional query parameter"),
        "{message}"
    );

    let (pointer, message) =
        error_of("      x-rust-pagination: {style: cursor, param: from, next: after}");
    assert_eq!(pointer, at("/next"));
    assert!(message.contains("no field `after`"), "{message}");

    let (pointer, message) = error_of("      x-rust-pagination: {style: page-number, param: from}");
    assert_eq!(pointer, at("/param"));
    assert!(message.contains("not an integer parameter"), "{message}");

    let (pointer, message) = error_of("      x-rust-pagination: {style: scroll, param: from}");
    assert_eq!(pointer, at("/style"));
    assert!(message.contains("unknown variant `scroll`"), "{message}");
}
