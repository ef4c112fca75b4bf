//! The error envelope the `x-rust-client` extension names.

use super::*;
use crate::diagnostic::join;

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
            leaf: Leaf::String, ..
        }) = &code
        {
            self.error(
                &join(pointer, "code"),
                "the error code must be an integer field",
            );
        }
        if let Some(FieldPath {
            leaf: Leaf::Integer(_) | Leaf::IntegerEnum(_),
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
            code,
            message,
        })
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
            TypeRef::String => Leaf::String,
            TypeRef::Named(name) => {
                match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
                    Some(TypeKind::Enum(EnumDef {
                        repr: EnumRepr::Integer,
                        ..
                    })) => Leaf::IntegerEnum(name.clone()),
                    _ => {
                        return Err(format!(
                            "`{path}` leads to `{name}`, which is neither an integer nor a string"
                        ));
                    }
                }
            }
            _ => {
                return Err(format!(
                    "`{path}` leads to a field that is neither an integer nor a string"
                ));
            }
        };
        Ok(FieldPath { steps, leaf })
    }
}
