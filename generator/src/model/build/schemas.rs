//! Schemas → named types and type uses.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use super::*;
use crate::diagnostic::{escape_segment, join};
use crate::model::names::{Namespace, to_snake_name, to_type_name};

impl<'a> Builder<'a> {
    pub(super) fn component_schemas(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let rust_name = self.component_types[name].clone();
            let pointer = format!("/components/schemas/{}", escape_segment(name));
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
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                TypeKind::Struct {
                    fields: self.fields(&name, &object.properties, &object.required, pointer),
                }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => TypeKind::Struct {
                fields: self.fields(&name, &any.properties, &any.required, pointer),
            },
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let values = string
                    .enumeration
                    .iter()
                    .flatten()
                    .cloned()
                    .map(EnumValue::String)
                    .collect();
                TypeKind::Enum(self.enum_def(schema, values, EnumRepr::String, pointer))
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                let values = integer
                    .enumeration
                    .iter()
                    .flatten()
                    .copied()
                    .map(EnumValue::Integer)
                    .collect();
                TypeKind::Enum(self.enum_def(schema, values, EnumRepr::Integer, pointer))
            }
            _ => TypeKind::Alias(self.schema_type(schema, pointer, &name)),
        };
        self.types[index].kind = kind;
    }

    pub(super) fn enum_def(
        &mut self,
        schema: &Schema,
        values: Vec<EnumValue>,
        repr: EnumRepr,
        pointer: &str,
    ) -> EnumDef {
        let extensions = &schema.schema_data.extensions;
        let open = match extensions.get(ENUM_OPEN_EXTENSION) {
            None => true,
            Some(serde_json::Value::Bool(open)) => *open,
            Some(_) => {
                self.error(
                    &join(pointer, ENUM_OPEN_EXTENSION),
                    format!("`{ENUM_OPEN_EXTENSION}` must be `true` or `false`"),
                );
                true
            }
        };
        let spec_names: Option<Vec<String>> = match extensions.get(ENUM_NAMES_EXTENSION) {
            None => None,
            Some(value) => match serde_json::from_value::<Vec<String>>(value.clone()) {
                Ok(names) if names.len() == values.len() => Some(names),
                Ok(names) => {
                    self.error(
                        &join(pointer, ENUM_NAMES_EXTENSION),
                        format!(
                            "`{ENUM_NAMES_EXTENSION}` has {} names for {} enum values",
                            names.len(),
                            values.len()
                        ),
                    );
                    None
                }
                Err(_) => {
                    self.error(
                        &join(pointer, ENUM_NAMES_EXTENSION),
                        format!("`{ENUM_NAMES_EXTENSION}` must be a list of strings"),
                    );
                    None
                }
            },
        };
        let mut names = Namespace::default();
        if open {
            names.claim("Unknown");
        }
        let variants = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| {
                let spec_name = spec_names.as_ref().map(|n| n[i].clone());
                let wanted = match (&spec_name, &value) {
                    (Some(name), _) => to_type_name(name),
                    (None, EnumValue::String(s)) => to_type_name(s),
                    (None, EnumValue::Integer(n)) if *n < 0 => format!("Minus{}", n.unsigned_abs()),
                    (None, EnumValue::Integer(n)) => format!("Value{n}"),
                };
                EnumVariant {
                    rust_name: names.claim(&wanted),
                    value,
                    spec_name,
                }
            })
            .collect();
        EnumDef {
            variants,
            open,
            repr,
        }
    }

    pub(super) fn fields(
        &mut self,
        parent: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Vec<Field> {
        let mut names = Namespace::default();
        properties
            .iter()
            .map(|(json_name, property)| {
                let property_pointer = join(&join(pointer, "properties"), json_name);
                let hint = format!("{parent}{}", to_type_name(json_name));
                let (ty, nullable, description) = match property {
                    ReferenceOr::Reference { reference } => {
                        let target = self.component_schema(reference);
                        let nullable = target.is_some_and(|s| s.schema_data.nullable);
                        let description = target.and_then(schema_doc);
                        (
                            self.schema_ref(reference, &property_pointer),
                            nullable,
                            description,
                        )
                    }
                    ReferenceOr::Item(schema) => (
                        self.schema_type(schema, &property_pointer, &hint),
                        schema.schema_data.nullable,
                        schema_doc(schema),
                    ),
                };
                Field {
                    json_name: json_name.clone(),
                    rust_name: names.claim(&to_snake_name(json_name)),
                    ty,
                    optional: nullable || !required.contains(json_name),
                    description,
                }
            })
            .collect()
    }

    pub(super) fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.doc.components.as_ref()?.schemas.get(&unescape(name))? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// The type a `$ref` to a schema names, reporting a reference that leads nowhere.
    pub(super) fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let pointer = join(pointer, "$ref");
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            let what = if reference.starts_with('#') {
                "a schema outside `#/components/schemas`"
            } else {
                "another document"
            };
            self.error(&pointer, format!("`$ref: {reference}` points to {what}, which the generator does not follow"))
                .hint = Some("move the schema under `components/schemas` and refer to it as `#/components/schemas/Name`".into());
            return TypeRef::Json;
        };
        match self.component_types.get(&unescape(name)) {
            Some(rust_name) => TypeRef::Named(rust_name.clone()),
            None => {
                let hint = self.closest_schema(name);
                let diagnostic = self.error(
                    &pointer,
                    format!("`$ref: {reference}` points to a schema that does not exist"),
                );
                diagnostic.hint = Some(match hint {
                    Some(close) => format!("did you mean `#/components/schemas/{close}`?"),
                    None => "define it under `components/schemas`".to_owned(),
                });
                TypeRef::Json
            }
        }
    }

    pub(super) fn closest_schema(&self, name: &str) -> Option<String> {
        let lower = name.to_lowercase();
        self.component_types
            .keys()
            .find(|candidate| {
                let candidate = candidate.to_lowercase();
                candidate.contains(&lower) || lower.contains(&candidate)
            })
            .cloned()
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

    /// The type of an inline schema; objects and enums become named types called `hint`.
    pub(super) fn schema_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if !string.enumeration.is_empty() {
                    return self.inline(schema, pointer, hint);
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if !integer.enumeration.is_empty() {
                    return self.inline(schema, pointer, hint);
                }
                match integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                }
            }
            SchemaKind::Type(Type::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Object(object)) => {
                if !object.properties.is_empty() {
                    return self.inline(schema, pointer, hint);
                }
                self.map_type(object.additional_properties.as_ref(), pointer, hint)
            }
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => TypeRef::Array(Box::new(self.boxed_type_ref(
                    items,
                    &join(pointer, "items"),
                    &format!("{hint}Item"),
                ))),
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                self.inline(schema, pointer, hint)
            }
            SchemaKind::Any(_) => TypeRef::Json,
            SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::Not { .. } => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    SchemaKind::AllOf { .. } => "allOf",
                    _ => "not",
                };
                self.error(
                    &join(pointer, keyword),
                    format!("`{keyword}` schemas are not supported yet"),
                )
                .hint = Some("describe the value with a single schema".into());
                TypeRef::Json
            }
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
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        }
    }

    pub(super) fn inline(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        let name = self.type_names.claim(&to_type_name(hint));
        self.define(name.clone(), schema, pointer);
        TypeRef::Named(name)
    }
}
