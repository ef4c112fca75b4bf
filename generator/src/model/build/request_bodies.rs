//! `requestBody` → how a method sends its body: JSON, a form, multipart (a
//! part per field of its struct) or raw bytes with a content type. Apart from
//! `responses.rs` because a request picks one media type to send and needs
//! an encoder for it; a response only says how to read what comes back.

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, SchemaKind, Type};

use super::shapes::{View, view};
use super::*;
use crate::diagnostic::join;

impl<'a> Builder<'a> {
    pub(super) fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        prefix: &str,
    ) -> Option<RequestBody> {
        let (body, pointer) = match body {
            ReferenceOr::Item(body) => (body, pointer.to_owned()),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/");
                match name.and_then(|n| {
                    self.doc
                        .components
                        .as_ref()?
                        .request_bodies
                        .get(&unescape(n))
                }) {
                    Some(ReferenceOr::Item(body)) => (
                        body,
                        format!("/components/requestBodies/{}", name.unwrap_or_default()),
                    ),
                    _ => {
                        self.error(&join(pointer, "$ref"), format!("`$ref: {reference}` does not point to a request body in `components/requestBodies`"));
                        return None;
                    }
                }
            }
        };
        let content = join(&pointer, "content");
        let media_of = |wanted: fn(&str) -> bool| {
            body.content
                .iter()
                .find(|(media, _)| wanted(&essence(media)))
        };
        let schema_at = |media: &str| join(&join(&content, media), "schema");
        let required = body.required;
        let description = body.description.clone();
        let found = |kind| {
            Some(RequestBody {
                kind,
                description: description.clone(),
                required,
            })
        };
        let chosen = media_of(is_json_essence)
            .or_else(|| media_of(|m| m == "application/x-www-form-urlencoded"))
            .or_else(|| media_of(|m| m == "multipart/form-data"));
        // An optional body that can hold nothing (Stripe's GETs declare an
        // empty form) is no argument: nothing is sent.
        if let Some((_, media)) = chosen
            && !required
            && media.schema.as_ref().is_some_and(|s| self.holds_nothing(s))
        {
            return None;
        }
        // Bytes have no JSON form: a body offering multipart beside JSON for
        // a schema with a file in it (openai's container files) is sent as
        // multipart, where a file is a part.
        let json = media_of(is_json_essence).filter(|(_, json)| {
            media_of(|m| m == "multipart/form-data").is_none()
                || !json.schema.as_ref().is_some_and(|s| self.holds_binary(s))
        });
        if let Some((media, json)) = json {
            let ty = match &json.schema {
                Some(schema) => self.type_ref(schema, &schema_at(media), &format!("{prefix}Body")),
                None => TypeRef::Json,
            };
            return found(BodyKind::Json(ty));
        }
        if let Some((media, form)) = media_of(|m| m == "application/x-www-form-urlencoded") {
            let ty = match &form.schema {
                Some(schema) => self.type_ref(schema, &schema_at(media), &format!("{prefix}Body")),
                None => TypeRef::Map(Box::new(TypeRef::Json)),
            };
            let fields = form
                .encoding
                .iter()
                .filter_map(|(name, encoding)| Some((name.clone(), form_encoding(encoding)?)))
                .collect();
            return found(BodyKind::Form { ty, fields });
        }
        if let Some((media, multipart)) = media_of(|m| m == "multipart/form-data") {
            let ty = match &multipart.schema {
                Some(schema) => self.type_ref(schema, &schema_at(media), &format!("{prefix}Body")),
                None => TypeRef::Map(Box::new(TypeRef::Json)),
            };
            if !matches!(ty, TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Json) {
                self.warning(
                    &schema_at(media),
                    "a multipart body that is not an object has no parts; the operation sends no body",
                )
                .hint = Some("give the body `type: object` with a property per part".into());
                return None;
            }
            // Without a struct (a map, a union), every property of the value is a part.
            let parts = self.multipart_parts(&ty, &multipart.encoding);
            return found(BodyKind::Multipart { ty, parts });
        }
        let (media, _) = body.content.first()?;
        let essence = essence(media);
        if essence.ends_with("/xml") || essence.ends_with("+xml") {
            self.warning(
                &join(&content, media),
                format!(
                    "`{media}` bodies are sent as raw bytes: the generator does not serialize XML"
                ),
            );
        }
        let content_type = if essence.contains('*') {
            "application/octet-stream".to_owned()
        } else {
            essence
        };
        found(BodyKind::Raw { content_type })
    }

    /// Whether a body schema admits only an empty object: no properties, and
    /// `additionalProperties: false`. An object schema that says nothing
    /// (Kubernetes' `Patch`) admits any object.
    fn holds_nothing(&self, schema: &ReferenceOr<Schema>) -> bool {
        let schema = match schema {
            ReferenceOr::Item(schema) => schema,
            ReferenceOr::Reference { reference } => match self.component_schema(reference) {
                Some(schema) => schema,
                None => return false,
            },
        };
        match view(schema) {
            View::Object(object) => {
                object.properties.is_empty()
                    && matches!(object.additional, Some(AdditionalProperties::Any(false)))
                    && matches!(
                        schema.schema_kind,
                        SchemaKind::Type(Type::Object(_)) | SchemaKind::Any(_)
                    )
            }
            _ => false,
        }
    }

    /// Whether a value of the schema can hold raw bytes (a `format: binary`
    /// string), in a property, an item, a branch or an `allOf` part.
    fn holds_binary(&self, schema: &'a ReferenceOr<Schema>) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut work: Vec<&Schema> = Vec::new();
        let mut push = |schema: Option<&'a Schema>, work: &mut Vec<&'a Schema>| {
            // Each schema once: a recursive schema ends here.
            if let Some(schema) = schema
                && seen.insert(std::ptr::from_ref(schema))
            {
                work.push(schema);
            }
        };
        let resolve = |schema| self.resolve(schema);
        let resolve_boxed = |schema| self.resolve_boxed(schema);
        push(resolve(schema), &mut work);
        while let Some(schema) = work.pop() {
            match view(schema) {
                View::String {
                    format: Some("binary"),
                    ..
                } => return true,
                View::Object(object) => {
                    for property in object.properties.values() {
                        push(resolve_boxed(property), &mut work);
                    }
                    if let Some(AdditionalProperties::Schema(schema)) = object.additional {
                        push(resolve(schema), &mut work);
                    }
                }
                View::Array(items) => push(items.and_then(resolve_boxed), &mut work),
                View::Union(branches) => {
                    for branch in branches {
                        push(resolve(branch), &mut work);
                    }
                }
                View::AllOf { parts, extra } => {
                    for part in parts {
                        push(resolve(part), &mut work);
                    }
                    for property in extra.iter().flat_map(|e| e.properties.values()) {
                        push(resolve_boxed(property), &mut work);
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// The parts of a multipart body of type `ty`: one per field of its
    /// struct. The struct's binary fields become file parts, which carry a
    /// file name and a media type.
    fn multipart_parts(
        &mut self,
        ty: &TypeRef,
        encoding: &IndexMap<String, openapiv3::Encoding>,
    ) -> Option<Vec<MultipartPart>> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        // A union of one file or several (openai's skill `files`) is sent as
        // files: one file is the same single part as an array of one.
        let is_file = |ty: &TypeRef| matches!(ty, TypeRef::Bytes | TypeRef::File);
        let type_of = |name: &str| self.types.iter().find(|t| t.name == name);
        let is_file_union = |name: &str| match type_of(name).map(|t| &t.kind) {
            Some(TypeKind::Union(union)) => union.variants.iter().all(|v| match &v.ty {
                TypeRef::Array(item) => is_file(item),
                other => is_file(other),
            }),
            _ => false,
        };
        // Of this struct's fields only, before it is borrowed to be changed.
        let file_unions: Vec<String> = match type_of(name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields }) => fields
                .iter()
                .filter_map(|f| match &f.ty {
                    TypeRef::Named(field_type) if is_file_union(field_type) => {
                        Some(field_type.clone())
                    }
                    _ => None,
                })
                .collect(),
            _ => return None,
        };
        let def = self.types.iter_mut().find(|t| t.name == *name)?;
        let TypeKind::Struct { fields } = &mut def.kind else {
            return None;
        };
        let mut parts = Vec::new();
        let mut replaced = Vec::new();
        for field in fields.iter_mut() {
            let shape = match &field.ty {
                _ if field.flatten && matches!(field.ty, TypeRef::Map(_)) => PartShape::Others,
                // A flattened union or object: its properties are not known here.
                _ if field.flatten => return None,
                TypeRef::Bytes | TypeRef::File => {
                    field.ty = TypeRef::File;
                    PartShape::File
                }
                TypeRef::Array(item) if is_file(item) => {
                    field.ty = TypeRef::Array(Box::new(TypeRef::File));
                    PartShape::Files
                }
                TypeRef::Named(union) if file_unions.contains(union) => {
                    replaced.push(union.clone());
                    field.ty = TypeRef::Array(Box::new(TypeRef::File));
                    field.boxed = false;
                    PartShape::Files
                }
                _ => PartShape::Value,
            };
            let content_type = encoding
                .get(&field.json_name)
                .and_then(|e| e.content_type.as_deref())
                .map(str::trim)
                .filter(|media| !media.contains(['*', ',']) && !media.is_empty())
                .map(str::to_owned);
            parts.push(MultipartPart {
                name: field.json_name.clone(),
                rust_name: field.rust_name.clone(),
                optional: field.presence().is_option(),
                shape,
                content_type,
            });
        }
        // An inline union replaced by files is held by nothing else.
        let inline: Vec<&String> = self.inline_types.values().collect();
        let unused: Vec<String> = replaced
            .into_iter()
            .filter(|name| {
                inline.contains(&name) && !self.component_types.values().any(|c| c == name)
            })
            .collect();
        self.types.retain(|t| !unused.contains(&t.name));
        Some(parts)
    }
}

/// How a property of a form body is written, when its `encoding` entry says.
/// Without `style`, `explode` or `allowReserved` (the loader fills in the
/// defaults of the others when one is given), a JSON `contentType` makes it
/// JSON text; with nothing said, the runtime's defaults hold.
fn form_encoding(encoding: &openapiv3::Encoding) -> Option<Encoding> {
    if let Some(style) = &encoding.style {
        return Some(Encoding::Style {
            style: super::parameters::query_style(style),
            explode: encoding.explode,
            allow_reserved: encoding.allow_reserved,
        });
    }
    match encoding.content_type.as_deref() {
        Some(media) if is_json(media) => Some(Encoding::Json),
        _ => None,
    }
}

fn is_json_essence(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}
