//! JSON pointer lookups (RFC 6901) in the untyped document, as
//! `serde_json::Value::pointer` does them but without allocating a string per
//! segment: the checks and rewrites look up every schema and reference of a
//! spec, and on a large one serde_json's lookups took longer than the walk
//! that found them.

use std::borrow::Cow;

use serde_json::Value;

/// The node at `pointer`, if there is one.
pub fn get<'a>(document: &'a Value, pointer: &str) -> Option<&'a Value> {
    segments(pointer)?.try_fold(document, |node, segment| match node {
        Value::Object(object) => object.get(segment.as_ref()),
        Value::Array(items) => items.get(index(&segment)?),
        _ => None,
    })
}

/// The node at `pointer`, mutable, if there is one.
pub fn get_mut<'a>(document: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    segments(pointer)?.try_fold(document, |node, segment| match node {
        Value::Object(object) => object.get_mut(segment.as_ref()),
        Value::Array(items) => items.get_mut(index(&segment)?),
        _ => None,
    })
}

/// The unescaped segments of `pointer`; `None` when it is not a pointer.
fn segments(pointer: &str) -> Option<impl Iterator<Item = Cow<'_, str>>> {
    let rest = match pointer {
        "" => None,
        _ => Some(pointer.strip_prefix('/')?),
    };
    Some(
        rest.into_iter()
            .flat_map(|rest| rest.split('/'))
            .map(|segment| {
                if segment.contains('~') {
                    Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
                } else {
                    Cow::Borrowed(segment)
                }
            }),
    )
}

/// A list index as RFC 6901 writes it: digits, no sign, no leading zero.
fn index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
        return None;
    }
    segment.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookups_agree_with_serde_json() {
        let mut document = json!({
            "paths": {"/a/{b}": {"get": {"tags": ["x", "y"]}}},
            "m~n": {"": 1},
            "list": [[0, 1], {"k": true}]
        });
        for pointer in [
            "",
            "/paths",
            "/paths/~1a~1{b}/get/tags/1",
            "/paths/~1a~1{b}/get/tags/01",
            "/paths/~1a~1{b}/get/tags/+1",
            "/paths/~1a~1{b}/get/tags/2",
            "/m~0n/",
            "/list/0/1",
            "/list/1/k",
            "/list/1/k/deeper",
            "/missing",
            "paths",
            "/",
        ] {
            let expected = document.pointer(pointer).cloned();
            assert_eq!(get(&document, pointer).cloned(), expected, "{pointer}");
            assert_eq!(
                get_mut(&mut document, pointer).cloned(),
                expected,
                "{pointer}"
            );
        }
    }
}
