//! The cells of OpenAPI's style table (3.1.1 §4.8.12.4, its `color` example),
//! and percent-encoding per location. The expected strings are the
//! specification's, not this encoder's.

use super::*;
use crate::document::OperationRef;
use crate::synth::Mode;
use serde_json::json;

fn argument(location: &str, style: &str, explode: bool, value: Value) -> Argument {
    Argument {
        name: "color".into(),
        location: location.into(),
        required: true,
        style: style.into(),
        explode,
        allow_reserved: false,
        content_type: None,
        schema: None,
        value,
    }
}

fn cell(location: &str, style: &str, explode: bool, value: Value) -> String {
    parameter(&argument(location, style, explode, value)).unwrap()
}

#[test]
fn the_style_table_of_the_specification() {
    let string = json!("blue");
    let array = json!(["blue", "black", "brown"]);
    let object = json!({"R": 100, "G": 200, "B": 150});
    let rows: [(&str, &str, bool, [&str; 3]); 10] = [
        (
            "path",
            "matrix",
            false,
            [
                ";color=blue",
                ";color=blue,black,brown",
                ";color=R,100,G,200,B,150",
            ],
        ),
        (
            "path",
            "matrix",
            true,
            [
                ";color=blue",
                ";color=blue;color=black;color=brown",
                ";R=100;G=200;B=150",
            ],
        ),
        (
            "path",
            "label",
            false,
            [".blue", ".blue,black,brown", ".R,100,G,200,B,150"],
        ),
        (
            "path",
            "label",
            true,
            [".blue", ".blue.black.brown", ".R=100.G=200.B=150"],
        ),
        (
            "query",
            "form",
            false,
            [
                "color=blue",
                "color=blue,black,brown",
                "color=R,100,G,200,B,150",
            ],
        ),
        (
            "query",
            "form",
            true,
            [
                "color=blue",
                "color=blue&color=black&color=brown",
                "R=100&G=200&B=150",
            ],
        ),
        (
            "path",
            "simple",
            false,
            ["blue", "blue,black,brown", "R,100,G,200,B,150"],
        ),
        (
            "path",
            "simple",
            true,
            ["blue", "blue,black,brown", "R=100,G=200,B=150"],
        ),
        (
            "header",
            "simple",
            false,
            ["blue", "blue,black,brown", "R,100,G,200,B,150"],
        ),
        (
            "header",
            "simple",
            true,
            ["blue", "blue,black,brown", "R=100,G=200,B=150"],
        ),
    ];
    for (location, style, explode, expected) in rows {
        let got = [
            cell(location, style, explode, string.clone()),
            cell(location, style, explode, array.clone()),
            cell(location, style, explode, object.clone()),
        ];
        assert_eq!(got, expected, "{location} {style} explode={explode}");
    }
    assert_eq!(
        cell("query", "spaceDelimited", false, array.clone()),
        "color=blue%20black%20brown"
    );
    assert_eq!(
        cell("query", "pipeDelimited", false, array),
        "color=blue%7Cblack%7Cbrown"
    );
    assert_eq!(
        cell("query", "deepObject", true, object),
        "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"
    );
}

#[test]
fn reserved_characters_are_encoded_unless_allowed_and_space_is_never_plus() {
    let value = json!("a b/c?d&e=f#g+h%i,é");
    assert_eq!(
        cell("query", "form", true, value.clone()),
        "color=a%20b%2Fc%3Fd%26e%3Df%23g%2Bh%25i%2C%C3%A9"
    );
    assert_eq!(
        cell("path", "simple", false, value.clone()),
        "a%20b%2Fc%3Fd%26e%3Df%23g%2Bh%25i%2C%C3%A9"
    );
    let mut reserved = argument("query", "form", true, value.clone());
    reserved.allow_reserved = true;
    assert_eq!(
        parameter(&reserved).unwrap(),
        "color=a%20b/c?d&e=f#g+h%25i,%C3%A9"
    );
    assert_eq!(
        cell("cookie", "form", true, json!("a b;c")),
        "color=a%20b%3Bc"
    );
    assert_eq!(
        cell("header", "simple", false, json!("a b;c")),
        "a b;c",
        "a header value is not percent-encoded"
    );
}

#[test]
fn content_parameters_are_their_media_type_and_nested_deep_objects_bracketed() {
    let mut json_query = argument("query", "form", true, json!({"x": 1, "y": [2, 3]}));
    json_query.content_type = Some("application/json".into());
    assert_eq!(
        parameter(&json_query).unwrap(),
        "color=%7B%22x%22%3A1%2C%22y%22%3A%5B2%2C3%5D%7D"
    );
    let nested = cell(
        "query",
        "deepObject",
        true,
        json!({"created": {"gte": 5}, "expand": ["a", "b"]}),
    );
    assert_eq!(
        nested,
        "color%5Bcreated%5D%5Bgte%5D=5&color%5Bexpand%5D%5B0%5D=a&color%5Bexpand%5D%5B1%5D=b"
    );
}

fn plan_with(arguments: Vec<Argument>, body: Option<Body>) -> OperationPlan {
    OperationPlan {
        operation: OperationRef::new("/items/{color}?beta=true", "post"),
        operation_id: None,
        mode: Mode::Full,
        arguments,
        body,
        credentials: Vec::new(),
        gaps: Vec::new(),
    }
}

#[test]
fn a_whole_request_with_every_location_and_a_form_body() {
    let mut cookie = argument("cookie", "form", true, json!(5));
    cookie.name = "session".into();
    let mut header = argument("header", "simple", false, json!([1, 2]));
    header.name = "X-Ids".into();
    let body = Body {
        media_type: "application/x-www-form-urlencoded".into(),
        required: true,
        value: json!({"metadata": {"order": 6735}, "tags": ["a", "b"], "note": "x y"}),
        encoding: Some(
            json!({"metadata": {"style": "deepObject", "explode": true}, "tags": {"style": "form", "explode": false}}),
        ),
        files: Vec::new(),
        schema: None,
    };
    let plan = plan_with(
        vec![
            argument("path", "simple", false, json!("a/b")),
            argument("query", "form", true, json!(["x", "y"])),
            header,
            cookie,
        ],
        Some(body),
    );
    let request = request(&plan, Some("application/json")).unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/items/a%2Fb?beta=true&color=x&color=y");
    assert_eq!(
        request.headers,
        [
            ("X-Ids".to_string(), "1,2".to_string()),
            ("Cookie".to_string(), "session=5".to_string()),
            ("Accept".to_string(), "application/json".to_string()),
            (
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string()
            )
        ]
    );
    assert_eq!(
        String::from_utf8(request.body).unwrap(),
        "metadata%5Border%5D=6735&tags=a%2Cb&note=x%20y"
    );
}

#[test]
fn multipart_file_parts_have_a_name_and_a_type_and_objects_are_json() {
    let body = Body {
        media_type: "multipart/form-data".into(),
        required: true,
        value: json!({"file": "PNGDATA", "meta": {"x": 1}, "count": 2}),
        encoding: Some(json!({"file": {"contentType": "image/png"}})),
        files: vec!["file".into()],
        schema: None,
    };
    let (content_type, bytes) = body_bytes(&body).unwrap();
    assert_eq!(
        content_type,
        format!("multipart/form-data; boundary={BOUNDARY}")
    );
    let expected = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file.bin\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"x\":1}}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"count\"\r\n\r\n2\r\n--{BOUNDARY}--\r\n"
    );
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn deep_object_arrays_and_primitives_are_written_as_stripes_sdks_write_them() {
    // stripe-python's form encoder: "always use indexed format for arrays".
    let deep = |value: Value| parameter(&argument("query", "deepObject", true, value)).unwrap();
    assert_eq!(
        deep(json!(["a", "b c"])),
        "color%5B0%5D=a&color%5B1%5D=b%20c"
    );
    assert_eq!(
        deep(json!([{"price": "p_1", "quantity": 2}])),
        "color%5B0%5D%5Bprice%5D=p_1&color%5B0%5D%5Bquantity%5D=2"
    );
    assert_eq!(deep(json!([])), "");
    assert_eq!(deep(json!("")), "color=");
    // An empty array writes no pair, and no stray `&`.
    let body = Body {
        media_type: "application/x-www-form-urlencoded".into(),
        required: true,
        value: json!({"expand": [], "name": "n"}),
        encoding: Some(json!({"expand": {"style": "deepObject", "explode": true}})),
        files: Vec::new(),
        schema: None,
    };
    assert_eq!(body_bytes(&body).unwrap().1, b"name=n");
}

#[test]
fn a_form_object_with_no_style_is_json_text() {
    // OpenAPI 3.1.1, "URL Encoded Form with JSON Values": with no `encoding`
    // the Encoding Object's defaults apply, `application/json` for an object.
    let body = |encoding: Option<Value>| Body {
        media_type: "application/x-www-form-urlencoded".into(),
        required: true,
        value: json!({"id": "f81d", "address": {"city": "Somewhere", "zip": "99999+1234"}}),
        encoding,
        files: Vec::new(),
        schema: None,
    };
    let text = |encoding: Option<Value>| {
        String::from_utf8(body_bytes(&body(encoding)).unwrap().1).unwrap()
    };
    assert_eq!(
        text(None),
        "id=f81d&address=%7B%22city%22%3A%22Somewhere%22%2C%22zip%22%3A%2299999%2B1234%22%7D"
    );
    // A style says otherwise: contentType is then ignored.
    assert_eq!(
        text(Some(json!({"address": {"style": "form", "explode": true}}))),
        "id=f81d&city=Somewhere&zip=99999%2B1234"
    );
}

#[test]
fn undefined_combinations_are_errors() {
    let err = parameter(&argument("query", "spaceDelimited", true, json!(["a"]))).unwrap_err();
    assert!(err.contains("not defined"), "{err}");
    let body = Body {
        media_type: "application/xml".into(),
        required: true,
        value: json!({}),
        encoding: None,
        files: Vec::new(),
        schema: None,
    };
    assert!(body_bytes(&body).unwrap_err().contains("application/xml"));
}

#[test]
fn literal_path_text_outside_the_uri_grammar_is_percent_encoded() {
    // RFC 6570 §3.1: literals are copied, those not allowed in a URI
    // pct-encoded; RFC 3986 `pchar` and `/` stay, as do triplets.
    assert_eq!(encode_path_literal("/a/{"), "/a/%7B");
    assert_eq!(encode_path_literal("}/b:c@d;e=f"), "%7D/b:c@d;e=f");
    assert_eq!(encode_path_literal("/x%20y z"), "/x%20y%20z");
}

#[test]
fn a_fragment_of_the_path_template_is_not_sent_but_a_hash_in_a_value_is() {
    // RFC 3986 §3.5 and RFC 9112 §3.2: a request's target has no fragment.
    let mut plan = plan_with(vec![argument("path", "simple", false, json!("a#b"))], None);
    plan.operation = OperationRef::new("/shared_items/{color}#folders", "get");
    assert_eq!(request(&plan, None).unwrap().target, "/shared_items/a%23b");
    plan.operation = OperationRef::new("/items/{color}?beta=true#x", "get");
    assert_eq!(
        request(&plan, None).unwrap().target,
        "/items/a%23b?beta=true"
    );
}

#[test]
fn whole_numbers_have_no_fraction_as_ecmascript_writes_them() {
    assert_eq!(cell("query", "form", true, json!(388.0)), "color=388");
    assert_eq!(cell("path", "simple", false, json!(-2.0)), "-2");
    assert_eq!(cell("query", "form", true, json!(2.5)), "color=2.5");
    assert_eq!(cell("query", "form", true, json!(7)), "color=7");
}
