// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! Values on the wire: parameters and form fields written as OpenAPI's style
//! table says (the expansions of RFC 6570), percent-encoded as RFC 3986 says.
//!
//! Every value is first turned into JSON (`serde_json::Value`), so that the
//! rules look at its shape as it is at run time: a union may be a number in
//! one call and an object in the next.
// Which of these an API uses depends on its spec.
#![allow(dead_code)]

use std::borrow::Cow;

use serde_json::Value;

/// The `style` of a parameter or of a form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// `blue,black` (paths and headers).
    Simple,
    /// `.blue.black` (paths).
    Label,
    /// `;color=blue` (paths).
    Matrix,
    /// `color=blue&color=black` (queries, cookies, form bodies).
    Form,
    /// `color=blue%20black` (queries).
    SpaceDelimited,
    /// `color=blue%7Cblack` (queries).
    PipeDelimited,
    /// `color%5BR%5D=100`, that is `color[R]=100` (queries, form bodies).
    DeepObject,
}

/// How a value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Style {
        style: Style,
        /// Arrays and objects spread into one pair per item or property.
        explode: bool,
        /// RFC 3986's reserved characters (`:/?[]@!$&'()*+,;=`) are sent as
        /// they are; `#` is always encoded, since it would end the URL.
        allow_reserved: bool,
    },
    /// The value as JSON text (a parameter given by `content`).
    Json,
}

impl Encoding {
    /// Queries, cookies and form fields, unless the spec says otherwise.
    pub(crate) const FORM: Encoding = Encoding::style(Style::Form, true);
    /// Paths and headers, unless the spec says otherwise.
    pub(crate) const SIMPLE: Encoding = Encoding::style(Style::Simple, false);

    pub(crate) const fn style(style: Style, explode: bool) -> Encoding {
        Encoding::Style {
            style,
            explode,
            allow_reserved: false,
        }
    }

    /// The same, with `allowReserved: true`.
    pub(crate) const fn allow_reserved(self) -> Encoding {
        match self {
            Encoding::Style { style, explode, .. } => Encoding::Style {
                style,
                explode,
                allow_reserved: true,
            },
            Encoding::Json => Encoding::Json,
        }
    }
}

/// A value as JSON; `Null` when it cannot be one (no type of this crate fails).
pub(crate) fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A path parameter, expanded and percent-encoded: `blue`, `.blue`,
/// `;color=blue`. A `null` value expands to nothing.
pub(crate) fn path(name: &str, value: &impl serde::Serialize, encoding: Encoding) -> String {
    let value = to_value(value);
    let mut out = String::new();
    let (operator, explode) = match encoding {
        Encoding::Json => {
            if !value.is_null() {
                push_encoded(&mut out, &value.to_string(), Allow::Unreserved);
            }
            return out;
        }
        Encoding::Style { style, explode, .. } => (
            match style {
                Style::Label => &LABEL,
                Style::Matrix => &MATRIX,
                _ => &SIMPLE,
            },
            explode,
        ),
    };
    expand(&mut out, operator, name, &value, explode, Allow::Unreserved);
    out
}

/// Appends a query parameter's pairs to `query` (`a=1&b=2`, already
/// encoded). `null` adds nothing, nor does an empty array or object.
pub(crate) fn query(query: &mut String, name: &str, value: &Value, encoding: Encoding) {
    let (style, explode, allow) = match encoding {
        Encoding::Json => {
            if !value.is_null() {
                let mut pair = String::new();
                push_encoded(&mut pair, name, Allow::Unreserved);
                pair.push('=');
                push_encoded(&mut pair, &value.to_string(), Allow::Unreserved);
                push_pair(query, "&", &pair);
            }
            return;
        }
        Encoding::Style {
            style,
            explode,
            allow_reserved,
        } => (
            style,
            explode,
            if allow_reserved {
                Allow::Reserved
            } else {
                Allow::Unreserved
            },
        ),
    };
    let mut pairs = String::new();
    match style {
        Style::DeepObject => {
            let mut key = String::new();
            push_encoded(&mut key, name, Allow::Unreserved);
            deep_object(&mut pairs, &mut key, value, allow);
        }
        Style::SpaceDelimited | Style::PipeDelimited if !explode => {
            let separator = if style == Style::SpaceDelimited {
                "%20"
            } else {
                "%7C"
            };
            let operator = Operator {
                list_separator: separator,
                ..QUERY
            };
            expand(&mut pairs, &operator, name, value, false, allow);
        }
        _ => expand(&mut pairs, &QUERY, name, value, explode, allow),
    }
    push_pair(query, "&", &pairs);
}

/// A header parameter's value: `simple` style, not percent-encoded (a header
/// is not part of a URL). `None` for `null`.
pub(crate) fn header(value: &Value, encoding: Encoding) -> Option<String> {
    let explode = match encoding {
        Encoding::Json => return (!value.is_null()).then(|| value.to_string()),
        Encoding::Style { explode, .. } => explode,
    };
    let undefined = match value {
        Value::Null => true,
        Value::Array(items) => items.iter().all(Value::is_null),
        Value::Object(properties) => properties.values().all(Value::is_null),
        _ => false,
    };
    let mut out = String::new();
    expand(&mut out, &SIMPLE, "", value, explode, Allow::Everything);
    (!undefined).then_some(out)
}

/// Appends a cookie parameter's `name=value` pairs to `cookies`, after a
/// `; ` (`form` style: an exploded array or object is `a=1&a=2`, as OpenAPI
/// 3.0 and 3.1 write it).
pub(crate) fn cookie(cookies: &mut String, name: &str, value: &Value, encoding: Encoding) {
    let explode = match encoding {
        Encoding::Json => {
            if !value.is_null() {
                let mut pair = String::new();
                push_encoded(&mut pair, name, Allow::Unreserved);
                pair.push('=');
                push_encoded(&mut pair, &value.to_string(), Allow::Unreserved);
                push_pair(cookies, "; ", &pair);
            }
            return;
        }
        Encoding::Style { explode, .. } => explode,
    };
    let mut pairs = String::new();
    expand(&mut pairs, &COOKIE, name, value, explode, Allow::Unreserved);
    push_pair(cookies, "; ", &pairs);
}

/// An `application/x-www-form-urlencoded` body: a pair per property of
/// `value`, written as `fields` (the spec's `encoding` map) says, else as a
/// `form` field (exploded), an object as JSON text.
pub(crate) fn form(value: &Value, fields: &[(&str, Encoding)]) -> Result<String, String> {
    let Value::Object(object) = value else {
        return Err("a form body must be an object".to_owned());
    };
    let mut body = String::new();
    for (name, value) in object {
        let encoding = match fields.iter().find(|(field, _)| field == name) {
            Some((_, encoding)) => *encoding,
            None if value.is_object() => Encoding::Json,
            None => Encoding::FORM,
        };
        query(&mut body, name, value, encoding);
    }
    Ok(body)
}

/// An RFC 6570 operator: how an expansion starts, joins and names its parts.
struct Operator {
    /// Before the expansion (`.`, `;`), when it expands to something.
    first: &'static str,
    /// Between the parts of an exploded value.
    separator: &'static str,
    /// Between the items of a value that is not exploded.
    list_separator: &'static str,
    /// Parts are `name=value` pairs.
    named: bool,
    /// What a named part with an empty value is: `;color` but `color=`.
    if_empty: &'static str,
}

const SIMPLE: Operator = Operator {
    first: "",
    separator: ",",
    list_separator: ",",
    named: false,
    if_empty: "",
};
const LABEL: Operator = Operator {
    first: ".",
    separator: ".",
    list_separator: ",",
    named: false,
    if_empty: "",
};
const MATRIX: Operator = Operator {
    first: ";",
    separator: ";",
    list_separator: ",",
    named: true,
    if_empty: "",
};
const QUERY: Operator = Operator {
    first: "",
    separator: "&",
    list_separator: ",",
    named: true,
    if_empty: "=",
};
// OpenAPI 3.0 and 3.1 define a cookie's `form` style by RFC 6570's form
// expansion: an exploded array or object joins its pairs with `&`. Cookies
// themselves are joined with `; ` (RFC 6265).
const COOKIE: Operator = Operator {
    first: "",
    separator: "&",
    list_separator: ",",
    named: true,
    if_empty: "=",
};

/// Expands one variable as RFC 6570 section 3.2.1 does: a string, a list
/// (an array) or an associative array (an object), exploded or not. `null`,
/// an empty array and an empty object are undefined: they expand to nothing.
fn expand(
    out: &mut String,
    operator: &Operator,
    name: &str,
    value: &Value,
    explode: bool,
    allow: Allow,
) {
    let name_allow = if allow == Allow::Everything {
        Allow::Everything
    } else {
        Allow::Unreserved
    };
    match value {
        Value::Null => {}
        Value::Array(items) => {
            let items: Vec<Cow<'_, str>> = items.iter().filter_map(text).collect();
            if items.is_empty() {
                return;
            }
            out.push_str(operator.first);
            if explode {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(operator.separator);
                    }
                    named_part(out, operator, name, item, name_allow, allow);
                }
            } else {
                if operator.named {
                    push_encoded(out, name, name_allow);
                    out.push('=');
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(operator.list_separator);
                    }
                    push_encoded(out, item, allow);
                }
            }
        }
        Value::Object(properties) => {
            let properties: Vec<(&String, Cow<'_, str>)> = properties
                .iter()
                .filter_map(|(key, value)| Some((key, text(value)?)))
                .collect();
            if properties.is_empty() {
                return;
            }
            out.push_str(operator.first);
            if explode {
                for (i, (key, value)) in properties.iter().enumerate() {
                    if i > 0 {
                        out.push_str(operator.separator);
                    }
                    push_encoded(out, key, name_allow);
                    if value.is_empty() {
                        out.push_str(if operator.named {
                            operator.if_empty
                        } else {
                            "="
                        });
                    } else {
                        out.push('=');
                        push_encoded(out, value, allow);
                    }
                }
            } else {
                if operator.named {
                    push_encoded(out, name, name_allow);
                    out.push('=');
                }
                for (i, (key, value)) in properties.iter().enumerate() {
                    if i > 0 {
                        out.push_str(operator.list_separator);
                    }
                    push_encoded(out, key, allow);
                    out.push_str(operator.list_separator);
                    push_encoded(out, value, allow);
                }
            }
        }
        scalar => {
            let Some(item) = text(scalar) else { return };
            out.push_str(operator.first);
            named_part(out, operator, name, &item, name_allow, allow);
        }
    }
}

/// One part of an expansion: the value, or `name=value` for named operators.
fn named_part(
    out: &mut String,
    operator: &Operator,
    name: &str,
    item: &str,
    name_allow: Allow,
    allow: Allow,
) {
    if operator.named {
        push_encoded(out, name, name_allow);
        if item.is_empty() {
            out.push_str(operator.if_empty);
            return;
        }
        out.push('=');
    }
    push_encoded(out, item, allow);
}

/// `deepObject`: `name[key]=value` for each property, nested objects and
/// arrays one bracket more each (`name[a][0]=x`, as Stripe reads them); a
/// value that is not an object is `name=value`. The brackets are
/// percent-encoded, as RFC 3986 wants of a query and as OpenAPI 3.0.4's
/// style table writes them (`color%5BR%5D=100`).
fn deep_object(out: &mut String, key: &mut String, value: &Value, allow: Allow) {
    match value {
        Value::Null => {}
        Value::Object(properties) => {
            for (property, value) in properties {
                let length = key.len();
                key.push_str("%5B");
                push_encoded(key, property, Allow::Unreserved);
                key.push_str("%5D");
                deep_object(out, key, value, allow);
                key.truncate(length);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let length = key.len();
                key.push_str("%5B");
                key.push_str(&i.to_string());
                key.push_str("%5D");
                deep_object(out, key, item, allow);
                key.truncate(length);
            }
        }
        scalar => {
            if let Some(item) = text(scalar) {
                let mut pair = key.clone();
                pair.push('=');
                push_encoded(&mut pair, &item, allow);
                push_pair(out, "&", &pair);
            }
        }
    }
}

/// A value's text as the style rules write it: a string as it is, a number
/// or a boolean as JSON writes it. The rules do not say how to write an array
/// or object inside another: it is JSON text. `None` for `null`.
fn text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(Cow::Borrowed(text)),
        Value::Number(number) => Some(Cow::Owned(number_text(number))),
        other => Some(Cow::Owned(other.to_string())),
    }
}

/// A number as text, an integral float written as the integer it is
/// (`152184`, not `152184.0`): JSON Schema's numbers are mathematical values, so
/// `type: number` says nothing about a fraction, and servers reading such a path
/// or query value as an integer id refuse `152184.0`. This is how JavaScript
/// (and RFC 8785's canonical JSON) write numbers.
pub(crate) fn number_text(number: &serde_json::Number) -> String {
    // Beyond 2^53 an f64 no longer holds every integer: its digits are kept as they are.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match number.as_f64() {
        Some(float)
            if !number.is_i64()
                && !number.is_u64()
                && float.fract() == 0.0
                && float.abs() <= EXACT =>
        {
            format!("{}", float as i64)
        }
        _ => number.to_string(),
    }
}

fn push_pair(out: &mut String, separator: &str, pair: &str) {
    if pair.is_empty() {
        return;
    }
    if !out.is_empty() {
        out.push_str(separator);
    }
    out.push_str(pair);
}

/// Which characters of a value go out as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Allow {
    /// RFC 3986's unreserved characters: letters, digits, `-._~`.
    Unreserved,
    /// `allowReserved`: the unreserved and reserved characters but `#`, and
    /// percent-encoded triplets as they are.
    Reserved,
    /// Every character (headers are not percent-encoded).
    Everything,
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text`, percent-encoding (as UTF-8) what `allow` does not let through.
fn push_encoded(out: &mut String, text: &str, allow: Allow) {
    if allow == Allow::Everything {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        let plain = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (allow == Allow::Reserved
                && (b":/?[]@!$&'()*+,;=".contains(&byte)
                    || (byte == b'%'
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                        && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))));
        if plain {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

#[cfg(test)]
mod tests {
    //! The examples of RFC 6570 section 3.2 and of OpenAPI 3.0.3's style table.
    use super::*;
    use serde_json::json;

    fn query_of(name: &str, value: Value, encoding: Encoding) -> String {
        let mut out = String::new();
        query(&mut out, name, &value, encoding);
        out
    }

    #[test]
    fn paths_follow_the_style_table() {
        let array = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        let cases = [
            (Style::Simple, false, json!("blue"), "blue"),
            (Style::Simple, false, array.clone(), "blue,black,brown"),
            (Style::Simple, false, object.clone(), "R,100,G,200,B,150"),
            (Style::Simple, true, object.clone(), "R=100,G=200,B=150"),
            (Style::Label, false, json!("blue"), ".blue"),
            (Style::Label, false, array.clone(), ".blue,black,brown"),
            (Style::Label, true, array.clone(), ".blue.black.brown"),
            (Style::Label, false, object.clone(), ".R,100,G,200,B,150"),
            (Style::Label, true, object.clone(), ".R=100.G=200.B=150"),
            (Style::Matrix, false, json!(""), ";color"),
            (Style::Matrix, false, json!("blue"), ";color=blue"),
            (
                Style::Matrix,
                false,
                array.clone(),
                ";color=blue,black,brown",
            ),
            (
                Style::Matrix,
                true,
                array,
                ";color=blue;color=black;color=brown",
            ),
            (
                Style::Matrix,
                false,
                object.clone(),
                ";color=R,100,G,200,B,150",
            ),
            (Style::Matrix, true, object, ";R=100;G=200;B=150"),
        ];
        for (style, explode, value, expected) in cases {
            let got = path("color", &value, Encoding::style(style, explode));
            assert_eq!(got, expected, "{style:?} explode={explode} {value}");
        }
    }

    #[test]
    fn integral_floats_are_written_as_integers() {
        // The numbers a `type: number` value holds once it is an f64.
        let cases = [
            (json!(152184.0), "152184"),
            (json!(-3.0), "-3"),
            (json!(1.5), "1.5"),
            (json!(152184), "152184"),
            // Beyond 2^53 the digits stay as serde_json writes them, `+` escaped.
            (json!(1e300), "1e%2B300"),
        ];
        for (value, expected) in cases {
            let got = path("id", &value, Encoding::style(Style::Simple, false));
            assert_eq!(got, expected, "{value}");
        }
    }

    #[test]
    fn queries_follow_the_style_table() {
        let array = json!(["blue", "black", "brown"]);
        let object = json!({"R": 100, "G": 200, "B": 150});
        let cases = [
            (Style::Form, true, json!(""), "color="),
            (Style::Form, true, json!("blue"), "color=blue"),
            (Style::Form, false, array.clone(), "color=blue,black,brown"),
            (
                Style::Form,
                true,
                array.clone(),
                "color=blue&color=black&color=brown",
            ),
            (
                Style::Form,
                false,
                object.clone(),
                "color=R,100,G,200,B,150",
            ),
            (Style::Form, true, object.clone(), "R=100&G=200&B=150"),
            (
                Style::SpaceDelimited,
                false,
                array.clone(),
                "color=blue%20black%20brown",
            ),
            (
                Style::PipeDelimited,
                false,
                array,
                "color=blue%7Cblack%7Cbrown",
            ),
            (
                Style::DeepObject,
                true,
                object,
                "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
            ),
        ];
        for (style, explode, value, expected) in cases {
            let got = query_of("color", value.clone(), Encoding::style(style, explode));
            assert_eq!(got, expected, "{style:?} explode={explode} {value}");
        }
    }

    #[test]
    fn values_are_percent_encoded_by_rfc_3986() {
        let form = Encoding::FORM;
        assert_eq!(
            query_of("q", json!("a b/c?d&e=f#g+h%i"), form),
            "q=a%20b%2Fc%3Fd%26e%3Df%23g%2Bh%25i"
        );
        assert_eq!(query_of("q", json!("été"), form), "q=%C3%A9t%C3%A9");
        assert_eq!(
            query_of("q", json!("a/b?c#d %41"), form.allow_reserved()),
            "q=a/b?c%23d%20%41"
        );
        assert_eq!(path("id", &"a/b c", Encoding::SIMPLE), "a%2Fb%20c");
    }

    #[test]
    fn deep_objects_nest_with_brackets_and_arrays_with_indices() {
        let value = json!({"gte": 5, "metadata": {"order": "6735"}, "tags": ["a", "b"]});
        assert_eq!(
            query_of("created", value, Encoding::style(Style::DeepObject, true)),
            "created%5Bgte%5D=5&created%5Bmetadata%5D%5Border%5D=6735&created%5Btags%5D%5B0%5D=a&created%5Btags%5D%5B1%5D=b"
        );
        assert_eq!(
            query_of(
                "created",
                json!(5),
                Encoding::style(Style::DeepObject, true)
            ),
            "created=5"
        );
    }

    #[test]
    fn nothing_is_written_for_null_and_empty_collections() {
        for value in [json!(null), json!([]), json!({})] {
            assert_eq!(query_of("a", value.clone(), Encoding::FORM), "", "{value}");
        }
    }
}
