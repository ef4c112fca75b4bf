//! Object schemas → struct fields. Apart from `schemas.rs` because both a
//! plain object and an `allOf` merge (`all_of.rs`) fill fields the same way:
//! a property seen again replaces the first, optional unless required (and
//! never required when it goes one way only: `readOnly`, `writeOnly`),
//! nullable as its own schema says, and the properties nobody named go into
//! one flattened map.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind};

use super::shapes::{ObjectView, is_constraint_only};
use super::*;
use crate::diagnostic::join;
use crate::model::names::{Namespace, to_snake_name, to_type_name};

impl<'a> Builder<'a> {
    /// The fields of an object: its properties, then a map of the others if it allows them.
    pub(super) fn object_fields(
        &mut self,
        parent: &str,
        object: ObjectView<'_>,
        pointer: &str,
    ) -> Vec<Field> {
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        self.add_properties(parent, object, pointer, &mut names, &mut fields);
        add_undescribed(object, &mut names, &mut fields);
        self.add_additional(parent, object.additional, pointer, &mut names, &mut fields);
        fields
    }

    pub(super) fn add_properties(
        &mut self,
        parent: &str,
        object: ObjectView<'_>,
        pointer: &str,
        names: &mut Namespace,
        fields: &mut Vec<Field>,
    ) {
        for (json_name, property) in object.properties {
            let property_pointer = join(&join(pointer, "properties"), json_name);
            let hint = format!("{parent}{}", to_type_name(json_name));
            let (ty, data, description) = match property {
                ReferenceOr::Reference { reference } => {
                    let target = self.component_schema(reference);
                    let description = target.and_then(schema_doc);
                    (
                        self.schema_ref(reference, &property_pointer),
                        target.map(|s| &s.schema_data),
                        description,
                    )
                }
                ReferenceOr::Item(schema) => (
                    self.schema_type(schema, &property_pointer, &hint),
                    Some(&schema.schema_data),
                    field_doc(schema),
                ),
            };
            let nullable = data.is_some_and(|d| d.nullable)
                || match property {
                    ReferenceOr::Item(schema) => self.all_of_allows_null(schema, 0),
                    ReferenceOr::Reference { .. } => self
                        .resolve_boxed(property)
                        .is_some_and(|s| self.all_of_allows_null(s, 0)),
                };
            // One type serves requests and responses: a property only the
            // server writes (`readOnly`) is not required in a request, one
            // only the client writes (`writeOnly`) not in a response.
            let access = match data {
                Some(d) if d.read_only => Access::ReadOnly,
                Some(d) if d.write_only => Access::WriteOnly,
                _ => Access::ReadWrite,
            };
            let optional = access != Access::ReadWrite || !object.required.contains(json_name);
            // A property seen again (an `allOf` part redefining it) replaces
            // the first; a value must fit both, so it is `null` only if both
            // allow it. A redefinition without a type only adds constraints.
            if let Some(existing) = fields.iter_mut().find(|f| f.json_name == *json_name) {
                if ty != TypeRef::Json || existing.ty == TypeRef::Json {
                    existing.ty = ty;
                    existing.nullable = existing.nullable && nullable;
                }
                existing.optional = existing.optional && optional;
                if access != Access::ReadWrite {
                    existing.access = access;
                    existing.optional = true;
                }
                existing.description = description.or(existing.description.take());
                continue;
            }
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: names.claim(&to_snake_name(json_name)),
                ty,
                optional,
                nullable,
                access,
                boxed: false,
                flatten: false,
                description,
            });
        }
    }

    pub(super) fn add_additional(
        &mut self,
        parent: &str,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        names: &mut Namespace,
        fields: &mut Vec<Field>,
    ) {
        let value = match additional {
            None | Some(AdditionalProperties::Any(false)) => return,
            Some(AdditionalProperties::Any(true)) => TypeRef::Json,
            Some(AdditionalProperties::Schema(schema)) => self.type_ref(
                schema,
                &join(pointer, "additionalProperties"),
                &format!("{parent}Value"),
            ),
        };
        if fields
            .iter()
            .any(|f| f.flatten && matches!(f.ty, TypeRef::Map(_)))
        {
            return;
        }
        fields.push(Field {
            json_name: String::new(),
            rust_name: names.claim("additional_properties"),
            ty: TypeRef::Map(Box::new(value)),
            optional: false,
            nullable: false,
            access: Access::ReadWrite,
            boxed: false,
            flatten: true,
            description: Some("Properties not named by the schema.".to_owned()),
        });
    }
}

impl<'a> Builder<'a> {
    /// Whether an `allOf` admits `null`: every part with a shape does (Box's
    /// `sequence_id: {allOf: [{type: string, nullable: true}]}`), or a part
    /// says only `nullable: true`, 3.0's way of making a reference nullable
    /// (`allOf: [{$ref: Folder}, {nullable: true}]`).
    fn all_of_allows_null(&self, schema: &Schema, depth: usize) -> bool {
        let parts = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) if !any.all_of.is_empty() => &any.all_of,
            _ => return false,
        };
        if depth > 8 {
            return false;
        }
        let said =
            |part: &ReferenceOr<Schema>| self.resolve(part).is_some_and(|s| s.schema_data.nullable);
        if parts.iter().any(|p| is_constraint_only(p) && said(p)) {
            return true;
        }
        let mut shaped = parts.iter().filter(|p| !is_constraint_only(p)).peekable();
        shaped.peek().is_some()
            && shaped.all(|part| {
                said(part)
                    || self
                        .resolve(part)
                        .is_some_and(|s| self.all_of_allows_null(s, depth + 1))
            })
    }
}

/// A field's docs: its description, and its default value when it has one.
fn field_doc(schema: &Schema) -> Option<String> {
    let doc = schema_doc(schema);
    match (&schema.schema_data.default, doc) {
        (Some(default), Some(doc)) => Some(format!("{doc}\n\nDefault: `{default}`.")),
        (Some(default), None) => Some(format!("Default: `{default}`.")),
        (None, doc) => doc,
    }
}

/// A property the object requires without describing it (`required:
/// [reference]` and no `reference` among `properties`) must still be
/// sent: it is a required field that takes any JSON value.
fn add_undescribed(object: ObjectView<'_>, names: &mut Namespace, fields: &mut Vec<Field>) {
    for json_name in object.required {
        if fields.iter().any(|f| f.json_name == *json_name) {
            continue;
        }
        fields.push(Field {
            json_name: json_name.clone(),
            rust_name: names.claim(&to_snake_name(json_name)),
            ty: TypeRef::Json,
            optional: false,
            nullable: false,
            access: Access::ReadWrite,
            boxed: false,
            flatten: false,
            description: Some(
                "Required by the schema, which does not describe it: any JSON value.".to_owned(),
            ),
        });
    }
}
