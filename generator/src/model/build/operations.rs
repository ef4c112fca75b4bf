//! Paths and operations → methods. This file walks `paths`, names each
//! operation and the resource it belongs to, and hands the parts of an
//! operation to the files beside it: `parameters.rs`, `request_bodies.rs`
//! and `responses.rs`, split along the parts of an OpenAPI operation, each
//! with its own `$ref` kind and its own rules. `resource_tree.rs` then places
//! the methods, once every operation is known.

use std::collections::HashMap;

use openapiv3::{Parameter, ReferenceOr};

use super::parameters::OperationParams;
use super::*;
use crate::diagnostic::join;
use crate::model::names::{to_snake_name, to_type_name};

impl<'a> Builder<'a> {
    pub(super) fn resources(&mut self) -> Vec<Resource> {
        let doc = self.doc;
        let mut grouped = Vec::new();
        for (path, item) in &doc.paths.paths {
            let item_pointer = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.error(
                        &join(&item_pointer, "$ref"),
                        "a `$ref` path item is not supported",
                    )
                    .hint = Some("write the path item in place".into());
                    continue;
                }
            };
            for (method, operation) in item.iter() {
                let pointer = join(&item_pointer, method);
                if let Some(op) =
                    self.operation(path, method, &item.parameters, operation, &pointer)
                {
                    grouped.push(op);
                }
            }
        }
        self.duplicate_operation_ids(&grouped);
        self.resource_tree(grouped)
    }

    /// Real specs repeat operationIds. Method names are unique within each
    /// resource whatever the ids, so both operations are kept: a warning.
    fn duplicate_operation_ids(&mut self, grouped: &[Grouped]) {
        let mut first_use: HashMap<&str, &str> = HashMap::new();
        for op in grouped {
            let Some(id) = op.operation.operation_id.as_deref() else {
                continue;
            };
            match first_use.get(id) {
                Some(first) => {
                    let warning = Diagnostic::warning(format!(
                        "operationId `{id}` is used by two operations; both are generated, the second under a suffixed name where they share a resource"
                    ))
                    .at(join(&op.pointer, "operationId"))
                    .with_related("first used", join(first, "operationId"))
                    .with_hint(format!("give each operation its own operationId, or set `{METHOD_EXTENSION}`"));
                    self.diagnostics.push(warning);
                }
                None => {
                    first_use.insert(id, &op.pointer);
                }
            }
        }
    }

    pub(super) fn operation(
        &mut self,
        path: &str,
        method: &str,
        shared_params: &[ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<Grouped> {
        let resource = self.resource_of(path, op, pointer);
        let wanted_name = match op.extensions.get(METHOD_EXTENSION) {
            Some(serde_json::Value::String(name)) => to_snake_name(name),
            Some(_) => {
                self.error(
                    &join(pointer, METHOD_EXTENSION),
                    format!("`{METHOD_EXTENSION}` must be a string"),
                );
                return None;
            }
            None => match &op.operation_id {
                Some(id) => to_snake_name(id),
                None => to_snake_name(&format!("{method} {path}")),
            },
        };
        let type_prefix = to_type_name(
            op.operation_id
                .as_deref()
                .unwrap_or(&format!("{method} {path}")),
        );

        for name in op.callbacks.keys() {
            self.warning(
                &join(&join(pointer, "callbacks"), name),
                "callbacks are not supported; skipped",
            );
        }

        let OperationParams {
            params,
            path_parts,
            options,
        } = self.operation_params(path, shared_params, op, pointer, &type_prefix, &wanted_name);
        let body = op
            .request_body
            .as_ref()
            .and_then(|body| self.request_body(body, &join(pointer, "requestBody"), &type_prefix));
        let responses = join(pointer, "responses");
        let success = self.success(&op.responses, &responses, &type_prefix);
        let errors = self.error_docs(&op.responses, &responses);
        let accept = self.accepted_media(&op.responses, &responses);
        self.warn_links(&op.responses, &responses);

        Some(Grouped {
            resource,
            wanted_name,
            pointer: pointer.to_owned(),
            operation: Operation {
                operation_id: op.operation_id.clone(),
                method_name: String::new(),
                http_method: method.to_uppercase(),
                path: path.to_owned(),
                path_parts,
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params,
                options,
                body,
                success,
                accept,
                errors,
            },
        })
    }
    pub(super) fn resource_of(
        &mut self,
        path: &str,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Vec<String> {
        match op.extensions.get(RESOURCE_EXTENSION) {
            Some(serde_json::Value::String(dotted)) if dotted.split('.').all(|s| !s.is_empty()) => {
                return dotted.split('.').map(to_snake_name).collect();
            }
            Some(_) => {
                self.error(&join(pointer, RESOURCE_EXTENSION), format!("`{RESOURCE_EXTENSION}` must be a dotted path of names, such as `chats.typing`"));
            }
            None => {}
        }
        if let Some(tag) = op.tags.first() {
            return vec![to_snake_name(tag)];
        }
        let segment = path
            .split('/')
            .find(|s| !s.is_empty() && !s.starts_with('{') && !is_version_segment(s))
            .unwrap_or("default");
        vec![to_snake_name(segment)]
    }
}
