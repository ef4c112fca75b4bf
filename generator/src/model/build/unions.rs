//! `oneOf` / `anyOf` → an enum of variants, tagged by the discriminator when
//! every variant carries a tag. Apart from `all_of.rs`: a union chooses one
//! of its parts, an `allOf` merges them all, and the two share no code.

use openapiv3::{ReferenceOr, Schema};

use super::shapes::{View, is_constraint_only, view};
use super::*;
use crate::diagnostic::join;
use crate::model::names::{Namespace, to_type_name};

impl<'a> Builder<'a> {
    /// `oneOf` / `anyOf`: an enum, tagged by the discriminator when every variant has a tag.
    pub(super) fn union_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> TypeKind {
        let keyword = union_keyword(schema);
        let discriminator = schema.schema_data.discriminator.as_ref();
        // Branches that are each one string: one enum of all the values.
        if let Some(values) = self.implied_enum(variants) {
            let (values, descriptions): (Vec<String>, Vec<Option<String>>) =
                values.into_iter().unzip();
            let values = values.into_iter().map(EnumValue::String).collect();
            let mut def = self.enum_def(schema, values, EnumRepr::String, pointer);
            for (variant, description) in def.variants.iter_mut().zip(descriptions) {
                variant.description = description;
            }
            return TypeKind::Enum(def);
        }
        // Objects that each pin the same property to a value of their own are
        // tagged by it. A discriminator tags by its mapping or component names,
        // which only `$ref` variants have; over inline variants it still says
        // which property to read.
        let all_references = variants
            .iter()
            .all(|v| matches!(v, ReferenceOr::Reference { .. }));
        let implied = match discriminator {
            Some(_) if all_references => None,
            Some(d) => self
                .implied_tag(variants)
                .filter(|tag| tag.property == d.property_name),
            None => self.implied_tag(variants),
        };
        let mut implied_values = implied.iter().flat_map(|tag| tag.values.iter());
        let mut names = Namespace::default();
        names.claim("Unknown");
        let mut built: Vec<UnionVariant> = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            if is_constraint_only(variant) {
                continue;
            }
            let at = join(&join(pointer, keyword), &i.to_string());
            let implied_value = implied_values.next();
            let (ty, wanted, tags) = match variant {
                ReferenceOr::Reference { reference } => {
                    let ty = self.schema_ref(reference, &at);
                    let component = reference
                        .strip_prefix("#/components/schemas/")
                        .map(unescape)
                        .unwrap_or_default();
                    let mut tags: Vec<String> = discriminator
                        .map(|d| {
                            d.mapping
                                .iter()
                                .filter(|(_, target)| *target == reference || **target == component)
                                .map(|(value, _)| value.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    if tags.is_empty() {
                        tags.push(component.clone());
                    }
                    let wanted = match &ty {
                        TypeRef::Named(rust_name) => rust_name.clone(),
                        _ => to_type_name(&component),
                    };
                    (ty, wanted, tags)
                }
                ReferenceOr::Item(item) => {
                    // Untitled, a tagged variant is best named by its tag.
                    let wanted = match (&item.schema_data.title, implied_value) {
                        (None, Some(value)) => to_type_name(value),
                        _ => variant_name(item, i),
                    };
                    let ty = self.schema_type(item, &at, &format!("{name}{wanted}"));
                    (ty, wanted, Vec::new())
                }
            };
            let tags = match implied_value {
                Some(value) => vec![value.clone()],
                None => tags,
            };
            built.push(UnionVariant {
                rust_name: names.claim(&wanted),
                ty,
                boxed: false,
                tags,
            });
        }
        if built.len() == 1 {
            return TypeKind::Alias(built.remove(0).ty);
        }
        if built.is_empty() {
            return TypeKind::Alias(TypeRef::Json);
        }
        // A tag claimed by an earlier variant would never reach a later one.
        let mut claimed: Vec<String> = Vec::new();
        for variant in &mut built {
            variant.tags.retain(|tag| !claimed.contains(tag));
            claimed.extend(variant.tags.iter().cloned());
        }
        let tagged = implied.is_some()
            || discriminator.is_some()
                && built.iter().all(|v| !v.tags.is_empty())
                && all_references;
        if !tagged {
            for variant in &mut built {
                variant.tags.clear();
            }
        }
        TypeKind::Union(UnionDef {
            variants: built,
            discriminator: match implied {
                Some(tag) => Some(tag.property),
                None => discriminator
                    .filter(|_| tagged)
                    .map(|d| d.property_name.clone()),
            },
        })
    }
}

pub(super) fn union_keyword(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        openapiv3::SchemaKind::AnyOf { .. } => "anyOf",
        openapiv3::SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}

/// A name for an inline variant of a union: its title, else what it is.
fn variant_name(schema: &Schema, index: usize) -> String {
    if let Some(title) = &schema.schema_data.title {
        return to_type_name(title);
    }
    match view(schema) {
        View::String { values, .. } if !values.is_empty() => "Known".to_owned(),
        View::String { .. } => "String".to_owned(),
        View::Integer { .. } => "Integer".to_owned(),
        View::Number { .. } => "Number".to_owned(),
        View::Boolean => "Boolean".to_owned(),
        View::Array(_) => "Array".to_owned(),
        View::Object(object) if object.properties.len() == 1 => {
            to_type_name(object.properties.keys().next().expect("one property"))
        }
        View::Object(object) if object.properties.is_empty() => "Map".to_owned(),
        _ => format!("Variant{}", index + 1),
    }
}
