//! `requestBody` → how a method sends its body: JSON, a form, multipart (a
//! part per field of its struct) or raw bytes with a content type. Apart from
//! `responses.rs` because a request picks one media type to send and needs
//! an encoder for it; a response only says how to read what comes back.

use openapiv3::ReferenceOr;

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
        if let Some((media, json)) = media_of(is_json_essence) {
            let ty = match &json.schema {
                Some(schema) => self.type_ref(schema, &schema_at(media), &format!("{prefix}Body")),
                None => TypeRef::Json,
            };
            return Some(RequestBody {
                kind: BodyKind::Json(ty),
                description: body.description.clone(),
            });
        }
        if let Some((media, form)) = media_of(|m| m == "application/x-www-form-urlencoded") {
            let ty = match &form.schema {
                Some(schema) => self.type_ref(schema, &schema_at(media), &format!("{prefix}Body")),
                None => TypeRef::Map(Box::new(TypeRef::Json)),
            };
            return Some(RequestBody {
                kind: BodyKind::Form(ty),
                description: body.description.clone(),
            });
        }
        if let Some((media, multipart)) = media_of(|m| m == "multipart/form-data") {
            let ty = match &multipart.schema {
                Some(schema) => self.type_ref(schema, &schema_at(media), &format!("{prefix}Body")),
                None => TypeRef::Json,
            };
            if let Some(parts) = self.multipart_parts(&ty) {
                return Some(RequestBody {
                    kind: BodyKind::Multipart { ty, parts },
                    description: body.description.clone(),
                });
            }
            self.warning(
                &schema_at(media),
                "a multipart body that is not an object with properties is sent as raw bytes",
            );
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
        Some(RequestBody {
            kind: BodyKind::Raw { content_type },
            description: body.description.clone(),
        })
    }

    /// The parts of a multipart body of type `ty`: one per field of its struct.
    fn multipart_parts(&self, ty: &TypeRef) -> Option<Vec<MultipartPart>> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let def = self.types.iter().find(|t| t.name == *name)?;
        let TypeKind::Struct { fields } = &def.kind else {
            return None;
        };
        if fields.iter().any(|f| f.flatten) {
            return None;
        }
        Some(
            fields
                .iter()
                .map(|field| MultipartPart {
                    name: field.json_name.clone(),
                    rust_name: field.rust_name.clone(),
                    optional: field.optional,
                    shape: match &field.ty {
                        TypeRef::Bytes => PartShape::File,
                        TypeRef::Array(item) if **item == TypeRef::Bytes => PartShape::Files,
                        _ => PartShape::Text,
                    },
                })
                .collect(),
        )
    }
}

fn is_json_essence(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}
