//! The error envelope: the one the `x-rust-client` extension names, else
//! the schema the API's error responses share.

use openapiv3::{ReferenceOr, StatusCode};

use super::responses::has_success;
use super::*;
use crate::diagnostic::join;

/// Field names that hold an error's code, in the order they are tried.
const CODE_NAMES: &[&str] = &["code", "error_code", "errorCode"];
/// Field names that hold an error's message, in the order they are tried.
const MESSAGE_NAMES: &[&str] = &[
    "message",
    "error_message",
    "errorMessage",
    "detail",
    "error_description",
    "title",
    "msg",
    "error",
];
/// Where an envelope nests the error itself (Stripe's `{"error": {...}}`).
const NESTED_NAMES: &[&str] = &["error"];

impl<'a> Builder<'a> {
    pub(super) fn error_envelope(&mut self, extension: &ErrorExtension) -> Option<ErrorEnvelope> {
        let pointer = "/x-rust-client/error";
        let Some(type_name) = self.component_types.get(&extension.schema).cloned() else {
            self.error(
                &join(pointer, "schema"),
                format!(
                    "`{}` is not a schema in `components/schemas`",
                    extension.schema
                ),
            );
            return None;
        };
        let mut field_path = |key: &str, path: &Option<String>| -> Option<FieldPath> {
            let path = path.as_ref()?;
            match self.field_path(&type_name, path) {
                Ok(found) => Some(found),
                Err(message) => {
                    self.error(&join(pointer, key), message);
                    None
                }
            }
        };
        let code = field_path("code", &extension.code);
        let message = field_path("message", &extension.message);
        if let Some(FieldPath {
            leaf: Leaf::Integer(_) | Leaf::IntegerEnum(_) | Leaf::Number(_),
            ..
        }) = &message
        {
            self.error(
                &join(pointer, "message"),
                "the error message must be a string field",
            );
        }
        Some(ErrorEnvelope {
            type_name,
            nested_in: None,
            code,
            message,
        })
    }

    /// The envelope without the extension: the component schema most of the
    /// API's JSON error responses (4xx, 5xx, `default`) use, its code and
    /// message found by their usual names. `None` where no schema is shared
    /// by more than half of them. A schema that every one wraps in an inline
    /// object (`{"error": {"$ref": ...}}`, each response its own object) is
    /// the envelope too, read from inside that field.
    pub(super) fn inferred_envelope(&self) -> Option<ErrorEnvelope> {
        let mut uses: IndexMap<(&str, Option<&str>), usize> = IndexMap::new();
        let mut total = 0;
        for (_, item) in self.doc.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (_, op) in item.iter() {
                let errors = op
                    .responses
                    .responses
                    .iter()
                    .filter(|(status, _)| match status {
                        StatusCode::Code(code) => *code >= 400,
                        StatusCode::Range(range) => *range >= 4,
                    })
                    .map(|(_, response)| response)
                    .chain(&op.responses.default);
                for response in errors {
                    for schema in self.json_schemas(response) {
                        total += 1;
                        if let Some(used) = envelope_use(schema) {
                            *uses.entry(used).or_default() += 1;
                        }
                    }
                }
            }
        }
        // The first of the most used, in the order they were met.
        let ((name, nested_in), count) = uses
            .iter()
            .rev()
            .max_by_key(|(_, count)| **count)
            .map(|(used, count)| (*used, *count))?;
        if count * 2 <= total {
            return None;
        }
        let type_name = self.component_types.get(&unescape(name))?.clone();
        let (code, message) = self.code_and_message(&type_name, nested_in.is_some());
        if code.is_none() && message.is_none() {
            return None;
        }
        Some(ErrorEnvelope {
            type_name,
            nested_in: nested_in.map(str::to_owned),
            code,
            message,
        })
    }

    /// The code and message fields of the type `type_name`, found by their
    /// usual names, on it or inside its nested `error` object (unless it is
    /// that object already, `nested`).
    fn code_and_message(
        &self,
        type_name: &str,
        nested: bool,
    ) -> (Option<FieldPath>, Option<FieldPath>) {
        let find = |names: &[&str], text: bool| {
            let inner = NESTED_NAMES.iter().filter(|_| !nested);
            let prefixes =
                std::iter::once(String::new()).chain(inner.map(|inner| format!("/{inner}")));
            prefixes
                .flat_map(|prefix| names.iter().map(move |name| format!("{prefix}/{name}")))
                .filter_map(|path| self.field_path(type_name, &path).ok())
                .find(|found| !text || found.leaf == Leaf::String)
        };
        (find(CODE_NAMES, false), find(MESSAGE_NAMES, true))
    }

    /// Gives each error body whose type is not the envelope's, or is the
    /// envelope's type sent bare while the envelope is read from inside a
    /// field, its own code and message, so that `code()` and `message()` read a status whose body
    /// the spec types otherwise (vimeo's `error`, beside its `legacy-error`
    /// envelope). A code must be of the envelope's kind (text, or a number),
    /// else of the first one found, as `code()` has one return type.
    pub(super) fn error_body_fields(&mut self, envelope: Option<&ErrorEnvelope>) {
        let mut code_is_text = envelope
            .and_then(|envelope| envelope.code.as_ref())
            .map(|code| code.leaf.is_text());
        let mut found = Vec::new();
        for variant in &self.error_bodies {
            let TypeRef::Named(name) = &variant.ty else {
                found.push((None, None));
                continue;
            };
            // A body of the envelope's own type is read through the envelope,
            // unless the envelope is read from inside a field (`{"error":
            // {...}}`): then a bare one (spotify's 400 of `PUT /me/library`,
            // an `ErrorObject` where the others wrap it) needs its own.
            if envelope
                .is_some_and(|envelope| envelope.type_name == *name && envelope.nested_in.is_none())
            {
                found.push((None, None));
                continue;
            }
            let (code, message) = self.code_and_message(name, false);
            let code = code.filter(|code| {
                let is_text = code.leaf.is_text();
                *code_is_text.get_or_insert(is_text) == is_text
            });
            found.push((code, message));
        }
        for (variant, (code, message)) in self.error_bodies.iter_mut().zip(found) {
            variant.code = code;
            variant.message = message;
        }
    }

    /// The type each error status's JSON body decodes into, as a variant of
    /// the crate's error-body enum. A body that is not a named type (a string,
    /// any JSON) is left to [`ApiError::body`]: a variant would add nothing.
    pub(super) fn error_bodies(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        prefix: &str,
    ) -> Vec<(StatusMatch, Option<String>)> {
        let has_success = has_success(responses);
        let statuses = responses.responses.iter().filter_map(|(status, response)| {
            let (key, matcher) = match status {
                StatusCode::Code(code) if *code >= 400 => {
                    (code.to_string(), StatusMatch::Code(*code))
                }
                StatusCode::Range(range) if *range >= 4 => {
                    (format!("{range}XX"), StatusMatch::Range(*range))
                }
                _ => return None,
            };
            Some((key, matcher, response))
        });
        // Without a success, `default` is the success (`responses.rs`).
        let default = responses
            .default
            .iter()
            .filter(|_| has_success)
            .map(|response| ("default".to_owned(), StatusMatch::Default, response));
        let mut arms = Vec::new();
        for (key, matcher, response) in statuses.chain(default).collect::<Vec<_>>() {
            // A response that cannot be found is reported by `error_docs`.
            let Some((response, at)) = self.located_response(response, &join(pointer, &key)) else {
                continue;
            };
            let Some((media, body)) = response.content.iter().find(|(media, _)| is_json(media))
            else {
                arms.push((matcher, None));
                continue;
            };
            let Some(schema) = &body.schema else {
                arms.push((matcher, None));
                continue;
            };
            let at = join(&join(&join(&at, "content"), media), "schema");
            let hint = match matcher {
                StatusMatch::Default => format!("{prefix}Error"),
                _ => format!("{prefix}Error{key}"),
            };
            let ty = self.type_ref(schema, &at, &hint);
            let TypeRef::Named(name) = &ty else {
                arms.push((matcher, None));
                continue;
            };
            if !self.error_bodies.iter().any(|variant| variant.ty == ty) {
                self.error_bodies.push(ErrorBodyVariant {
                    rust_name: name.clone(),
                    ty: ty.clone(),
                    code: None,
                    message: None,
                });
            }
            arms.push((matcher, Some(name.clone())));
        }
        // Untyped alone, they would decode nothing: no arms at all.
        if arms.iter().all(|(_, variant)| variant.is_none()) {
            arms.clear();
        }
        arms
    }

    /// The schemas of a response's JSON media types.
    fn json_schemas(
        &self,
        response: &'a ReferenceOr<openapiv3::Response>,
    ) -> Vec<&'a ReferenceOr<openapiv3::Schema>> {
        self.quiet_response(response)
            .into_iter()
            .flat_map(|response| &response.content)
            .filter(|(media, _)| is_json(media))
            .filter_map(|(_, media)| media.schema.as_ref())
            .collect()
    }

    /// Follows `/error/code` through the fields of the envelope's types.
    pub(super) fn field_path(&self, root: &str, path: &str) -> Result<FieldPath, String> {
        let mut current = TypeRef::Named(root.to_owned());
        let mut steps = Vec::new();
        for segment in path.trim_start_matches('/').split('/') {
            let TypeRef::Named(name) = &current else {
                return Err(format!("`{path}`: `{segment}` is not inside an object"));
            };
            let def = self
                .types
                .iter()
                .find(|t| t.name == *name)
                .ok_or_else(|| format!("`{path}`: no type `{name}`"))?;
            let TypeKind::Struct { fields } = &def.kind else {
                return Err(format!("`{path}`: `{name}` is not an object"));
            };
            let field = fields
                .iter()
                .find(|f| f.json_name == segment)
                .ok_or_else(|| format!("`{path}`: `{name}` has no field `{segment}`"))?;
            steps.push(FieldStep {
                rust_name: field.rust_name.clone(),
                presence: field.presence(),
            });
            current = field.ty.clone();
        }
        let leaf = match &current {
            TypeRef::I32 | TypeRef::I64 => Leaf::Integer(current.clone()),
            TypeRef::F32 | TypeRef::F64 => Leaf::Number(current.clone()),
            TypeRef::String => Leaf::String,
            TypeRef::Named(name) => {
                match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
                    Some(TypeKind::Enum(EnumDef {
                        repr: EnumRepr::Integer,
                        ..
                    })) => Leaf::IntegerEnum(name.clone()),
                    Some(TypeKind::Enum(EnumDef {
                        repr: EnumRepr::String,
                        ..
                    })) => Leaf::StringEnum(name.clone()),
                    _ => {
                        return Err(format!(
                            "`{path}` leads to `{name}`, which is neither a number nor a string"
                        ));
                    }
                }
            }
            _ => {
                return Err(format!(
                    "`{path}` leads to a field that is neither a number nor a string"
                ));
            }
        };
        Ok(FieldPath { steps, leaf })
    }
}

/// The component an error response's schema names as its envelope: the
/// schema itself where it is a reference, or the reference an inline object
/// holds in one of [`NESTED_NAMES`] (with that field's name).
fn envelope_use(schema: &ReferenceOr<openapiv3::Schema>) -> Option<(&str, Option<&str>)> {
    fn component(schema: &ReferenceOr<Box<openapiv3::Schema>>) -> Option<&str> {
        match schema {
            ReferenceOr::Reference { reference } => reference.strip_prefix("#/components/schemas/"),
            ReferenceOr::Item(_) => None,
        }
    }
    match schema {
        ReferenceOr::Reference { reference } => {
            Some((reference.strip_prefix("#/components/schemas/")?, None))
        }
        ReferenceOr::Item(schema) => {
            let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind
            else {
                return None;
            };
            NESTED_NAMES.iter().find_map(|field| {
                let (name, property) = object.properties.get_key_value(*field)?;
                Some((component(property)?, Some(name.as_str())))
            })
        }
    }
}
