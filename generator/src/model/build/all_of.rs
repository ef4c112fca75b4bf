//! `allOf` → one struct with the fields of every part, following references
//! and nested `allOf`s; a part that is not an object (a union, a map) is kept
//! whole in a flattened field. Apart from `unions.rs`: merging parts is a
//! different job from choosing one.

use openapiv3::{ReferenceOr, Schema};

use super::schemas::component_pointer;
use super::shapes::{ObjectView, View, is_constraint_only, view};
use super::*;
use crate::diagnostic::join;
use crate::model::names::to_snake_name;

impl<'a> Builder<'a> {
    /// `allOf`: one struct with the fields of every part; a part that is not an
    /// object (a `oneOf`, a map) is kept whole in a flattened field.
    pub(super) fn all_of_kind(
        &mut self,
        name: &str,
        parts: &[ReferenceOr<Schema>],
        extra: Option<ObjectView<'_>>,
        pointer: &str,
    ) -> TypeKind {
        if let Some((i, only)) = sole_all_of_part(parts, extra.is_some()) {
            let at = join(&join(pointer, "allOf"), &i.to_string());
            return TypeKind::Alias(self.type_ref(only, &at, name));
        }
        let mut merge = Merge::default();
        let mut visited = Vec::new();
        self.merge_parts(name, parts, pointer, &mut merge, &mut visited);
        if let Some(extra) = extra {
            merge.required.extend(extra.required.iter().cloned());
            self.add_properties(name, extra, pointer, &mut merge.names, &mut merge.fields);
            self.add_additional(
                name,
                extra.additional,
                pointer,
                &mut merge.names,
                &mut merge.fields,
            );
        }
        if merge.fields.is_empty() {
            return match merge.others.into_iter().next() {
                Some(ty) => TypeKind::Alias(ty),
                None => TypeKind::Alias(TypeRef::Map(Box::new(TypeRef::Json))),
            };
        }
        for field in &mut merge.fields {
            if merge.required.contains(&field.json_name)
                && !field.flatten
                && field.access == Access::ReadWrite
            {
                // Required by one part, even if another only declares it.
                field.optional = false;
            }
        }
        for ty in merge.others {
            if matches!(ty, TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Json) {
                let wanted = match &ty {
                    TypeRef::Named(type_name) => to_snake_name(type_name),
                    _ => "additional_properties".to_owned(),
                };
                merge.fields.push(Field {
                    json_name: String::new(),
                    rust_name: merge.names.claim(&wanted),
                    ty,
                    optional: false,
                    nullable: false,
                    access: Access::ReadWrite,
                    boxed: false,
                    flatten: true,
                    description: None,
                });
            } else {
                self.warning(
                    &join(pointer, "allOf"),
                    "an `allOf` part that is neither an object nor a union cannot be merged into an object; skipped",
                );
            }
        }
        TypeKind::Struct {
            fields: merge.fields,
        }
    }

    fn merge_parts(
        &mut self,
        name: &str,
        parts: &[ReferenceOr<Schema>],
        pointer: &str,
        merge: &mut Merge,
        visited: &mut Vec<String>,
    ) {
        for (i, part) in parts.iter().enumerate() {
            let at = join(&join(pointer, "allOf"), &i.to_string());
            match part {
                ReferenceOr::Reference { reference } => {
                    if visited.contains(reference) {
                        continue;
                    }
                    visited.push(reference.clone());
                    let target = self.component_schema(reference);
                    let component = reference
                        .strip_prefix("#/components/schemas/")
                        .map(unescape)
                        .unwrap_or_default();
                    let (Some(target), Some(rust_name)) =
                        (target, self.component_types.get(&component).cloned())
                    else {
                        let ty = self.schema_ref(reference, &at);
                        merge.others.push(ty);
                        continue;
                    };
                    let target_pointer = component_pointer(&component);
                    match view(target) {
                        View::Object(object) if !object.properties.is_empty() => {
                            merge.required.extend(object.required.iter().cloned());
                            self.add_properties(
                                &rust_name,
                                object,
                                &target_pointer,
                                &mut merge.names,
                                &mut merge.fields,
                            );
                            self.add_additional(
                                &rust_name,
                                object.additional,
                                &target_pointer,
                                &mut merge.names,
                                &mut merge.fields,
                            );
                        }
                        View::AllOf { parts, extra } => {
                            self.merge_parts(&rust_name, parts, &target_pointer, merge, visited);
                            if let Some(extra) = extra {
                                merge.required.extend(extra.required.iter().cloned());
                                self.add_properties(
                                    &rust_name,
                                    extra,
                                    &target_pointer,
                                    &mut merge.names,
                                    &mut merge.fields,
                                );
                                self.add_additional(
                                    &rust_name,
                                    extra.additional,
                                    &target_pointer,
                                    &mut merge.names,
                                    &mut merge.fields,
                                );
                            }
                        }
                        View::Any
                            if !matches!(target.schema_kind, openapiv3::SchemaKind::Any(_)) => {}
                        View::Any => {}
                        _ => merge.others.push(TypeRef::Named(rust_name)),
                    }
                }
                ReferenceOr::Item(schema) => {
                    if let openapiv3::SchemaKind::Any(any) = &schema.schema_kind {
                        merge.required.extend(any.required.iter().cloned());
                    }
                    match view(schema) {
                        View::Object(object) if !object.properties.is_empty() => {
                            merge.required.extend(object.required.iter().cloned());
                            self.add_properties(
                                name,
                                object,
                                &at,
                                &mut merge.names,
                                &mut merge.fields,
                            );
                            self.add_additional(
                                name,
                                object.additional,
                                &at,
                                &mut merge.names,
                                &mut merge.fields,
                            );
                        }
                        View::AllOf { parts, extra } => {
                            self.merge_parts(name, parts, &at, merge, visited);
                            if let Some(extra) = extra {
                                merge.required.extend(extra.required.iter().cloned());
                                self.add_properties(
                                    name,
                                    extra,
                                    &at,
                                    &mut merge.names,
                                    &mut merge.fields,
                                );
                                self.add_additional(
                                    name,
                                    extra.additional,
                                    &at,
                                    &mut merge.names,
                                    &mut merge.fields,
                                );
                            }
                        }
                        View::Any => {}
                        _ => {
                            let ty = self.schema_type(schema, &at, &format!("{name}Part{}", i + 1));
                            merge.others.push(ty);
                        }
                    }
                }
            }
        }
    }
}

#[derive(Default)]
struct Merge {
    names: Namespace,
    fields: Vec<Field>,
    required: Vec<String>,
    /// Parts that are not objects, kept whole.
    others: Vec<TypeRef>,
}

/// The one part of an `allOf` that says more than constraints, with its index:
/// such an `allOf` is just that part. `None` when there are several, or when
/// properties beside the `allOf` add to it.
pub(super) fn sole_all_of_part(
    parts: &[ReferenceOr<Schema>],
    has_extra: bool,
) -> Option<(usize, &ReferenceOr<Schema>)> {
    let mut meaningful = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| !is_constraint_only(p));
    let only = meaningful.next()?;
    (!has_extra && meaningful.next().is_none()).then_some(only)
}
