//! Schemas → named types and type uses: the entry points the rest of the
//! lowering calls. A schema either gets a name (a component, or an inline
//! object, enum or union named after where it appears) or is used in place
//! (`String`, `Vec<T>`, a map). Deciding which, and naming, happens here; what
//! a named type holds is built beside this file, one idea a file:
//! `objects.rs` (properties → fields), `enums.rs`, `unions.rs` (`oneOf` /
//! `anyOf`), `all_of.rs` (merging parts) and `schema_refs.rs` (following `$ref`).

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::all_of::sole_all_of_part;
use super::shapes::{View, is_constraint_only, view};
use super::unions::union_keyword;
use super::*;
use crate::diagnostic::{escape_segment, join};
use crate::model::names::to_type_name;

impl<'a> Builder<'a> {
    pub(super) fn component_schemas(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let rust_name = self.component_types[name].clone();
            let pointer = component_pointer(name);
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.schema_ref(reference, &pointer);
                    self.types.push(TypeDef {
                        name: rust_name,
                        description: None,
                        kind: TypeKind::Alias(target),
                    });
                }
                ReferenceOr::Item(schema) => self.define(rust_name, schema, &pointer),
            }
        }
    }

    /// Adds a named type for `schema`.
    pub(super) fn define(&mut self, name: String, schema: &Schema, pointer: &str) {
        let description = schema_doc(schema);
        // Pushed first, so that a type comes before the inline types inside it.
        let index = self.types.len();
        self.types.push(TypeDef {
            name: name.clone(),
            description,
            kind: TypeKind::Alias(TypeRef::Json),
        });
        let kind = match view(schema) {
            View::Object(object) if !object.properties.is_empty() => TypeKind::Struct {
                fields: self.object_fields(&name, object, pointer),
            },
            View::String { values, .. } if !values.is_empty() => {
                let values = values.into_iter().map(EnumValue::String).collect();
                TypeKind::Enum(self.enum_def(schema, values, EnumRepr::String, pointer))
            }
            View::Integer { values, .. } if !values.is_empty() => {
                let values = values.into_iter().map(EnumValue::Integer).collect();
                TypeKind::Enum(self.enum_def(schema, values, EnumRepr::Integer, pointer))
            }
            View::Union(variants) => self.union_kind(&name, schema, variants, pointer),
            View::AllOf { parts, extra } => self.all_of_kind(&name, parts, extra, pointer),
            _ => TypeKind::Alias(self.schema_type(schema, pointer, &name)),
        };
        self.types[index].kind = kind;
    }

    pub(super) fn type_ref(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.schema_type(schema, pointer, hint),
        }
    }

    /// An array's item as its schema says: `Option<T>` where it may be `null`.
    fn nullable_if(&self, item: TypeRef, schema: &ReferenceOr<Box<Schema>>) -> TypeRef {
        let nullable = self
            .resolve_boxed(schema)
            .is_some_and(|s| s.schema_data.nullable);
        nullable_when(nullable, item)
    }

    pub(super) fn boxed_type_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.schema_type(schema, pointer, hint),
        }
    }

    /// The type of an inline schema; objects, enums and unions become named types called `hint`.
    pub(super) fn schema_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        match view(schema) {
            View::String { values, .. } if !values.is_empty() => self.inline(schema, pointer, hint),
            View::String { format, .. } => match format {
                Some("uuid") => TypeRef::Uuid,
                Some("binary") => TypeRef::Bytes,
                _ => TypeRef::String,
            },
            View::Integer { values, .. } if !values.is_empty() => {
                self.inline(schema, pointer, hint)
            }
            View::Integer { int32: true, .. } => TypeRef::I32,
            View::Integer { .. } => TypeRef::I64,
            View::Number { float: true } => TypeRef::F32,
            View::Number { .. } => TypeRef::F64,
            View::Boolean => TypeRef::Bool,
            View::Object(object) if !object.properties.is_empty() => {
                self.inline(schema, pointer, hint)
            }
            View::Object(object) => self.map_type(object.additional, pointer, hint),
            View::Array(items) => match items {
                Some(items) => {
                    let item =
                        self.boxed_type_ref(items, &join(pointer, "items"), &format!("{hint}Item"));
                    TypeRef::Array(Box::new(self.nullable_if(item, items)))
                }
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            View::Union(variants) => {
                let meaningful: Vec<&ReferenceOr<Schema>> =
                    variants.iter().filter(|v| !is_constraint_only(v)).collect();
                if meaningful.len() == 1 {
                    let i = variants
                        .iter()
                        .position(|v| std::ptr::eq(v, meaningful[0]))
                        .unwrap_or(0);
                    let keyword = union_keyword(schema);
                    let at = join(&join(pointer, keyword), &i.to_string());
                    return self.type_ref(meaningful[0], &at, hint);
                }
                self.inline(schema, pointer, hint)
            }
            View::AllOf { parts, extra } => {
                if let Some((i, only)) = sole_all_of_part(parts, extra.is_some()) {
                    let at = join(&join(pointer, "allOf"), &i.to_string());
                    return self.type_ref(only, &at, hint);
                }
                if extra.is_none() && parts.iter().all(is_constraint_only) {
                    return TypeRef::Json;
                }
                self.inline(schema, pointer, hint)
            }
            View::Any => TypeRef::Json,
        }
    }

    pub(super) fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.type_ref(
                    schema,
                    &join(pointer, "additionalProperties"),
                    &format!("{hint}Value"),
                );
                let nullable = self.resolve(schema).is_some_and(|s| s.schema_data.nullable);
                let value = nullable_when(nullable, value);
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        }
    }

    /// A named type for an inline schema. The same schema (the same pointer),
    /// reached again through an `allOf`, is the same type.
    pub(super) fn inline(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        if let Some(name) = self.inline_types.get(pointer) {
            return TypeRef::Named(name.clone());
        }
        let name = self.type_names.claim(&to_type_name(hint));
        self.inline_types.insert(pointer.to_owned(), name.clone());
        self.define(name.clone(), schema, pointer);
        TypeRef::Named(name)
    }
}

pub(super) fn component_pointer(name: &str) -> String {
    format!("/components/schemas/{}", escape_segment(name))
}

/// `Option<T>` for a nullable array item or map value; JSON holds `null` itself.
fn nullable_when(nullable: bool, ty: TypeRef) -> TypeRef {
    match nullable && ty != TypeRef::Json {
        true => TypeRef::Nullable(Box::new(ty)),
        false => ty,
    }
}
