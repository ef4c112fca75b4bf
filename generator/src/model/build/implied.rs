//! Unions whose shape says more than their keywords: a `oneOf` of objects
//! that each pin one required property to a single string (`type: card`,
//! `type: bank_transfer`) is tagged by that property though no
//! `discriminator` says so, and a `oneOf` / `anyOf` of single strings is an
//! enum written one value a branch. Apart from `unions.rs` because both are
//! recognised by looking through the variants (and their `$ref`s) before any
//! type is built for them.

use openapiv3::{ReferenceOr, Schema};

use super::shapes::{View, is_constraint_only, view};
use super::*;

/// The property that tags every variant, and each variant's value of it.
pub(super) struct ImpliedTag {
    pub property: String,
    /// One a variant that is not only a constraint, in order.
    pub values: Vec<String>,
}

impl<'a> Builder<'a> {
    /// The variant itself, following a `$ref` to a component.
    fn variant_schema(&self, variant: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match variant {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// The one value of a string enum of one value, and its description. Not
    /// for a nullable one: `null` is a second value.
    fn single_string(&self, schema: &'a Schema) -> Option<(String, Option<String>)> {
        if schema.schema_data.nullable {
            return None;
        }
        match view(schema) {
            View::String { mut values, .. } if values.len() == 1 => {
                Some((values.remove(0), schema_doc(schema)))
            }
            _ => None,
        }
    }

    /// The union's variants, when every one is a single string: the values,
    /// each with the description of its branch (the first, where two
    /// branches give the same value). `None` when any variant is something else.
    pub(super) fn implied_enum(
        &self,
        variants: &'a [ReferenceOr<Schema>],
    ) -> Option<Vec<(String, Option<String>)>> {
        let mut values: Vec<(String, Option<String>)> = Vec::new();
        for variant in variants.iter().filter(|v| !is_constraint_only(v)) {
            let (value, description) = self.single_string(self.variant_schema(variant)?)?;
            if !values.iter().any(|(seen, _)| *seen == value) {
                values.push((value, description));
            }
        }
        (values.len() >= 2).then_some(values)
    }

    /// The tag of a union of objects: a property every variant requires and
    /// pins to one string, a different one in each variant.
    pub(super) fn implied_tag(&self, variants: &'a [ReferenceOr<Schema>]) -> Option<ImpliedTag> {
        let objects: Vec<&'a Schema> = variants
            .iter()
            .filter(|v| !is_constraint_only(v))
            .map(|v| self.variant_schema(v))
            .collect::<Option<_>>()?;
        if objects.len() < 2 {
            return None;
        }
        let pinned = |schema: &'a Schema, property: &str| -> Option<String> {
            let View::Object(object) = view(schema) else {
                return None;
            };
            if !object.required.iter().any(|r| r == property) {
                return None;
            }
            let property = match object.properties.get(property)? {
                ReferenceOr::Item(schema) => schema.as_ref(),
                ReferenceOr::Reference { reference } => self.component_schema(reference)?,
            };
            self.single_string(property).map(|(value, _)| value)
        };
        let View::Object(first) = view(objects[0]) else {
            return None;
        };
        first.properties.keys().find_map(|property| {
            let values: Vec<String> = objects
                .iter()
                .map(|schema| pinned(schema, property))
                .collect::<Option<_>>()?;
            let mut seen = std::collections::BTreeSet::new();
            let distinct = values.iter().all(|value| seen.insert(value));
            distinct.then(|| ImpliedTag {
                property: property.clone(),
                values,
            })
        })
    }
}
