//! One view of a schema, whatever keywords it mixes. openapiv3 puts a schema
//! that mixes keywords (`type: object` with `allOf`, `properties` with
//! `oneOf`) in its catch-all `AnySchema`; the builders only want to know what
//! the value looks like.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The properties of an object schema.
#[derive(Clone, Copy)]
pub(super) struct ObjectView<'s> {
    pub properties: &'s Properties,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
}

/// What a schema describes.
pub(super) enum View<'s> {
    Object(ObjectView<'s>),
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    String {
        format: Option<&'s str>,
        values: Vec<String>,
    },
    Integer {
        int32: bool,
        values: Vec<i64>,
    },
    Number {
        float: bool,
    },
    Boolean,
    /// `oneOf` or `anyOf`.
    Union(&'s [ReferenceOr<Schema>]),
    /// `allOf`, with the properties written beside it as one more part.
    AllOf {
        parts: &'s [ReferenceOr<Schema>],
        extra: Option<ObjectView<'s>>,
    },
    /// No constraint on the value's shape.
    Any,
}

pub(super) fn view(schema: &Schema) -> View<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => View::Object(ObjectView {
            properties: &object.properties,
            required: &object.required,
            additional: object.additional_properties.as_ref(),
        }),
        SchemaKind::Type(Type::Array(array)) => View::Array(array.items.as_ref()),
        SchemaKind::Type(Type::String(string)) => View::String {
            format: match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
                VariantOrUnknownOrEmpty::Item(_) | VariantOrUnknownOrEmpty::Empty => None,
                VariantOrUnknownOrEmpty::Unknown(format) => Some(format.as_str()),
            },
            values: dedup(string.enumeration.iter().flatten().cloned()),
        },
        SchemaKind::Type(Type::Integer(integer)) => View::Integer {
            int32: matches!(
                integer.format,
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)
            ),
            values: dedup(integer.enumeration.iter().flatten().copied()),
        },
        SchemaKind::Type(Type::Number(number)) => View::Number {
            float: matches!(
                number.format,
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float)
            ),
        },
        SchemaKind::Type(Type::Boolean(_)) => View::Boolean,
        SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
            union_view(variants)
        }
        SchemaKind::AllOf { all_of } => all_of_view(all_of, None),
        SchemaKind::Not { .. } => View::Any,
        SchemaKind::Any(any) => {
            let object = ObjectView {
                properties: &any.properties,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            };
            // Object keywords constrain objects only: beside another `type`
            // (GitHub's `type: string, additionalProperties: true` payload)
            // the value is of that type.
            let other_type = any.typ.as_deref().is_some_and(|t| t != "object");
            let has_object =
                !other_type && (!any.properties.is_empty() || any.additional_properties.is_some());
            if !any.all_of.is_empty() {
                return all_of_view(&any.all_of, has_object.then_some(object));
            }
            let variants = if any.one_of.is_empty() {
                &any.any_of
            } else {
                &any.one_of
            };
            // A `oneOf` beside properties only says which of them are required.
            if !variants.is_empty() && !has_object {
                return union_view(variants);
            }
            match any.typ.as_deref() {
                _ if has_object => View::Object(object),
                Some("object") => View::Object(object),
                Some("array") => View::Array(any.items.as_ref()),
                _ if any.items.is_some() => View::Array(any.items.as_ref()),
                Some("string") => View::String {
                    format: any.format.as_deref(),
                    values: dedup(
                        any.enumeration
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_owned)),
                    ),
                },
                Some("integer") => View::Integer {
                    int32: any.format.as_deref() == Some("int32"),
                    values: dedup(any.enumeration.iter().filter_map(serde_json::Value::as_i64)),
                },
                Some("number") => View::Number {
                    float: any.format.as_deref() == Some("float"),
                },
                Some("boolean") => View::Boolean,
                _ => View::Any,
            }
        }
    }
}

fn union_view(variants: &[ReferenceOr<Schema>]) -> View<'_> {
    if variants.iter().all(is_constraint_only) {
        View::Any
    } else {
        View::Union(variants)
    }
}

fn all_of_view<'s>(parts: &'s [ReferenceOr<Schema>], extra: Option<ObjectView<'s>>) -> View<'s> {
    View::AllOf { parts, extra }
}

/// A schema that only constrains (`{required: [a]}`, `{minLength: 1}`), saying
/// nothing of the value's type.
pub(super) fn is_constraint_only(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none()
                    && any.properties.is_empty()
                    && any.additional_properties.is_none()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.one_of.is_empty()
                    && any.all_of.is_empty()
                    && any.any_of.is_empty()
            }
            SchemaKind::Not { .. } => true,
            _ => false,
        },
    }
}

fn dedup<T: PartialEq>(values: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for value in values {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}
