//! Which header carries a retried request's idempotency key: the one
//! `x-rust-client.idempotency-header` names, else the first header parameter
//! of the spec's operations that says it is one, else `Idempotency-Key`.

fn header_of(spec: &str) -> Result<String, Vec<generator::Diagnostic>> {
    let loaded = generator::load::load(spec)?;
    let (api, _) = generator::model::build(&loaded.document)?;
    Ok(api.idempotency_header)
}

fn spec(extension: &str, header: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: Pay, version: 1.0.0}}
{extension}
paths:
  /payments:
    get:
      operationId: listPayments
      parameters:
        - {{name: X-Request-Id, in: header, schema: {{type: string}}}}
      responses:
        '204': {{description: ok}}
    post:
      operationId: createPayment
      parameters:
        - {{name: {header}, in: header, schema: {{type: string}}}}
      responses:
        '204': {{description: ok}}
"#
    )
}

#[test]
fn a_header_parameter_the_spec_declares_names_it() {
    assert_eq!(
        header_of(&spec("", "X-Idempotency-Key")).unwrap(),
        "X-Idempotency-Key"
    );
}

#[test]
fn without_one_it_is_the_ietf_drafts() {
    assert_eq!(header_of(&spec("", "X-Trace")).unwrap(), "Idempotency-Key");
}

#[test]
fn the_extension_wins_over_the_parameter() {
    let extension = "x-rust-client: {idempotency-header: Request-Token}";
    assert_eq!(
        header_of(&spec(extension, "X-Idempotency-Key")).unwrap(),
        "Request-Token"
    );
}

#[test]
fn a_name_that_is_no_header_is_a_located_error() {
    let extension = "x-rust-client: {idempotency-header: 'Idempotency Key'}";
    let errors = header_of(&spec(extension, "X-Trace")).unwrap_err();
    let error = errors.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(
        error.pointer.as_deref(),
        Some("/x-rust-client/idempotency-header"),
        "{error:?}"
    );
    assert!(
        error.message.contains("`Idempotency Key`"),
        "{}",
        error.message
    );
}
