//! Following a schema `$ref`: to a component, to a schema nested inside one
//! (`#/components/schemas/Disk/properties/filesystem`), or nowhere (an error
//! with the closest name as a hint). Apart from `schemas.rs` because walking
//! the document by pointer has nothing to do with what a schema becomes.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::*;
use crate::diagnostic::join;
use crate::model::names::to_type_name;

impl<'a> Builder<'a> {
    pub(super) fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        self.component_schema_depth(reference, 0)
    }

    fn component_schema_depth(&self, reference: &str, depth: usize) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let Some(found) = self.doc.components.as_ref()?.schemas.get(&unescape(name)) else {
            // A reference into a component (`Region/properties/id`); the depth
            // guards against references that lead round in a circle.
            let depth = self.nesting.get();
            if depth > 32 {
                return None;
            }
            self.nesting.set(depth + 1);
            let nested = self.nested_schema(name);
            self.nesting.set(depth);
            return nested;
        };
        match found {
            ReferenceOr::Item(schema) => Some(schema),
            // A chain of references that loops leads nowhere.
            ReferenceOr::Reference { reference } if depth < 32 => {
                self.component_schema_depth(reference, depth + 1)
            }
            ReferenceOr::Reference { .. } => None,
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
            self.warning(&pointer, format!("`$ref: {reference}` points to {what}, which the generator does not follow; the value is typed as any JSON value"))
                .hint = Some("move the schema under `components/schemas` and refer to it as `#/components/schemas/Name`".into());
            return TypeRef::Json;
        };
        if let Some(rust_name) = self.component_types.get(&unescape(name)) {
            return TypeRef::Named(rust_name.clone());
        }
        // `#/components/schemas/Disk/properties/filesystem`: a schema inside a component.
        if let Some(schema) = self.nested_schema(name) {
            let hint = to_type_name(&name.replace("/properties/", " ").replace('/', " "));
            return self.schema_type(schema, &format!("/components/schemas/{name}"), &hint);
        }
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

    /// A schema inside a component schema, by its (escaped) path below
    /// `components/schemas`: `Disk/properties/filesystem`, `Tag/allOf/0`.
    fn nested_schema(&self, path: &str) -> Option<&'a Schema> {
        use openapiv3::{SchemaKind, Type};
        let segments: Vec<String> = path.split('/').map(unescape).collect();
        let (first, rest) = segments.split_first()?;
        let mut schema = self.resolve(self.doc.components.as_ref()?.schemas.get(first)?)?;
        let mut i = 0;
        while i < rest.len() {
            let segment = rest[i].as_str();
            let next = rest.get(i + 1).map(String::as_str);
            let list = |kind: &'a SchemaKind| -> Option<&'a [ReferenceOr<Schema>]> {
                match (kind, segment) {
                    (SchemaKind::AllOf { all_of: list }, "allOf")
                    | (SchemaKind::OneOf { one_of: list }, "oneOf")
                    | (SchemaKind::AnyOf { any_of: list }, "anyOf") => Some(list),
                    (SchemaKind::Any(any), "allOf") => Some(&any.all_of),
                    (SchemaKind::Any(any), "oneOf") => Some(&any.one_of),
                    (SchemaKind::Any(any), "anyOf") => Some(&any.any_of),
                    _ => None,
                }
            };
            let properties = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => Some(&object.properties),
                SchemaKind::Any(any) => Some(&any.properties),
                _ => None,
            };
            let items = match &schema.schema_kind {
                SchemaKind::Type(Type::Array(array)) => array.items.as_ref(),
                SchemaKind::Any(any) => any.items.as_ref(),
                _ => None,
            };
            let additional = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => object.additional_properties.as_ref(),
                SchemaKind::Any(any) => any.additional_properties.as_ref(),
                _ => None,
            };
            schema = match segment {
                "properties" => {
                    i += 2;
                    self.resolve_boxed(properties?.get(next?)?)?
                }
                "items" => {
                    i += 1;
                    self.resolve_boxed(items?)?
                }
                "additionalProperties" => {
                    i += 1;
                    match additional? {
                        AdditionalProperties::Schema(schema) => self.resolve(schema)?,
                        AdditionalProperties::Any(_) => return None,
                    }
                }
                _ => {
                    i += 2;
                    let index: usize = next?.parse().ok()?;
                    self.resolve(list(&schema.schema_kind)?.get(index)?)?
                }
            };
        }
        Some(schema)
    }

    pub(super) fn resolve<'s>(&self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    pub(super) fn resolve_boxed<'s>(
        &self,
        schema: &'s ReferenceOr<Box<Schema>>,
    ) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
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
}
