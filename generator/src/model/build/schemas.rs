//! Schemas → named types and type uses.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::shapes::{ObjectView, View, is_constraint_only, view};
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
                    (None, EnumValue::String(s)) if s.is_empty() => "Empty".to_owned(),
                    (None, EnumValue::String(s)) if s.starts_with('-') => {
                        format!("Minus{}", to_type_name(s))
                    }
                    (None, EnumValue::String(s)) if s.starts_with('+') => {
                        format!("Plus{}", to_type_name(s))
                    }
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

    /// The fields of an object: its properties, then a map of the others if it allows them.
    fn object_fields(&mut self, parent: &str, object: ObjectView<'_>, pointer: &str) -> Vec<Field> {
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        self.add_properties(parent, object, pointer, &mut names, &mut fields);
        self.add_additional(parent, object.additional, pointer, &mut names, &mut fields);
        fields
    }

    fn add_properties(
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
                    field_doc(schema),
                ),
            };
            let optional = nullable || !object.required.contains(json_name);
            // A property seen again (an `allOf` part redefining it) replaces the first.
            if let Some(existing) = fields.iter_mut().find(|f| f.json_name == *json_name) {
                existing.ty = ty;
                existing.optional = existing.optional && optional;
                existing.description = description.or(existing.description.take());
                continue;
            }
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name: names.claim(&to_snake_name(json_name)),
                ty,
                optional,
                boxed: false,
                flatten: false,
                description,
            });
        }
    }

    fn add_additional(
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
            boxed: false,
            flatten: true,
            description: Some("Properties not named by the schema.".to_owned()),
        });
    }

    /// `oneOf` / `anyOf`: an enum, tagged by the discriminator when every variant has a tag.
    fn union_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        variants: &[ReferenceOr<Schema>],
        pointer: &str,
    ) -> TypeKind {
        let keyword = match &schema.schema_kind {
            openapiv3::SchemaKind::AnyOf { .. } => "anyOf",
            openapiv3::SchemaKind::Any(any) if any.one_of.is_empty() => "anyOf",
            _ => "oneOf",
        };
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut names = Namespace::default();
        names.claim("Unknown");
        let mut built: Vec<UnionVariant> = Vec::new();
        for (i, variant) in variants.iter().enumerate() {
            if is_constraint_only(variant) {
                continue;
            }
            let at = join(&join(pointer, keyword), &i.to_string());
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
                    let wanted = variant_name(item, i);
                    let ty = self.schema_type(item, &at, &format!("{name}{wanted}"));
                    (ty, wanted, Vec::new())
                }
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
        let tagged = discriminator.is_some()
            && built.iter().all(|v| !v.tags.is_empty())
            && variants
                .iter()
                .all(|v| matches!(v, ReferenceOr::Reference { .. }));
        if !tagged {
            for variant in &mut built {
                variant.tags.clear();
            }
        }
        TypeKind::Union(UnionDef {
            variants: built,
            discriminator: discriminator
                .filter(|_| tagged)
                .map(|d| d.property_name.clone()),
        })
    }

    /// `allOf`: one struct with the fields of every part; a part that is not an
    /// object (a `oneOf`, a map) is kept whole in a flattened field.
    fn all_of_kind(
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
            if merge.required.contains(&field.json_name) && !field.flatten {
                // Required by one part, even if another only declares it.
                field.optional = field.optional && self.nullable_field(field);
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

    /// Whether a field of a merged object may hold `null` (its type is nullable).
    fn nullable_field(&self, field: &Field) -> bool {
        match &field.ty {
            TypeRef::Named(name) => self
                .component_types
                .iter()
                .find(|(_, rust)| *rust == name)
                .and_then(
                    |(spec, _)| match self.doc.components.as_ref()?.schemas.get(spec)? {
                        ReferenceOr::Item(schema) => Some(schema.schema_data.nullable),
                        ReferenceOr::Reference { .. } => None,
                    },
                )
                .unwrap_or(false),
            _ => false,
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

    fn resolve(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    fn resolve_boxed(&self, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
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
                Some(items) => TypeRef::Array(Box::new(self.boxed_type_ref(
                    items,
                    &join(pointer, "items"),
                    &format!("{hint}Item"),
                ))),
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

#[derive(Default)]
struct Merge {
    names: Namespace,
    fields: Vec<Field>,
    required: Vec<String>,
    /// Parts that are not objects, kept whole.
    others: Vec<TypeRef>,
}

fn component_pointer(name: &str) -> String {
    format!("/components/schemas/{}", escape_segment(name))
}

fn union_keyword(schema: &Schema) -> &'static str {
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

/// A field's docs: its description, and its default value when it has one.
fn field_doc(schema: &Schema) -> Option<String> {
    let doc = schema_doc(schema);
    match (&schema.schema_data.default, doc) {
        (Some(default), Some(doc)) => Some(format!("{doc}\n\nDefault: `{default}`.")),
        (Some(default), None) => Some(format!("Default: `{default}`.")),
        (None, doc) => doc,
    }
}

/// The one part of an `allOf` that says more than constraints, with its index:
/// such an `allOf` is just that part. `None` when there are several, or when
/// properties beside the `allOf` add to it.
fn sole_all_of_part(
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
