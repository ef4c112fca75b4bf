//! Paths and operations → methods. This file walks `paths`, names each
//! operation and the resource it belongs to, and hands the parts of an
//! operation to the files beside it: `parameters.rs`, `request_bodies.rs`
//! and `responses.rs`, split along the parts of an OpenAPI operation, each
//! with its own `$ref` kind and its own rules. `resource_tree.rs` then places
//! the methods, once every operation is known.

use std::collections::HashMap;

use openapiv3::{Parameter, ReferenceOr};

use super::parameters::OperationParams;
use super::placement::{self, OperationFacts};
use super::*;
use crate::diagnostic::join;
use crate::model::names::{to_snake_name, to_type_name};

impl<'a> Builder<'a> {
    pub(super) fn resources(&mut self) -> Vec<Resource> {
        let doc = self.doc;
        let mut found = Vec::new();
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
                let selection = &self.settings.selection;
                if !selection.selects(path, operation.operation_id.as_deref(), &operation.tags) {
                    continue;
                }
                found.push((
                    path.as_str(),
                    method,
                    item,
                    operation,
                    join(&item_pointer, method),
                ));
            }
        }
        // Where an operation goes depends on the others: placed all at once.
        let facts: Vec<OperationFacts<'_>> = found
            .iter()
            .map(|(path, method, _, op, pointer)| OperationFacts {
                path,
                method,
                operation_id: op.operation_id.as_deref(),
                tag: op.tags.first().map(String::as_str),
                resource: self.resource_extension(op, pointer),
                method_name: self.method_extension(op, pointer),
            })
            .collect();
        self.unmatched_selection();
        let placements = placement::place(&facts);
        let mut grouped = Vec::new();
        for ((path, method, item, operation, pointer), placement) in found.iter().zip(placements) {
            let resource = placement
                .resource
                .iter()
                .map(|r| to_snake_name(r))
                .collect();
            let name = to_snake_name(&placement.name);
            if let Some(op) = self.operation(
                path,
                method,
                &item.parameters,
                operation,
                pointer,
                resource,
                name,
            ) {
                grouped.push(op);
            }
        }
        self.duplicate_operation_ids(&grouped);
        self.resource_tree(grouped)
    }

    /// A tag, operation id or path the selection names that no operation has:
    /// a misspelling, most likely.
    fn unmatched_selection(&mut self) {
        let doc = self.doc;
        let operations: Vec<(&str, &openapiv3::Operation)> = doc
            .paths
            .paths
            .iter()
            .filter_map(|(path, item)| Some((path.as_str(), item.as_item()?)))
            .flat_map(|(path, item)| item.iter().map(move |(_, op)| (path, op)))
            .collect();
        for (key, name) in self.settings.selection.names() {
            let found = operations.iter().any(|(path, op)| match key {
                "include-tag" | "exclude-tag" => op.tags.iter().any(|tag| tag == name),
                "include-operation" | "exclude-operation" => {
                    op.operation_id.as_deref() == Some(name)
                }
                _ => crate::settings::path_matches(name, path),
            });
            if !found {
                let mut warning = Diagnostic::warning(format!(
                    "`{key}` names `{name}`, which no operation of the spec has"
                ));
                warning.file = Some("the settings".to_owned());
                self.diagnostics.push(warning);
            }
        }
    }

    /// `x-rust-resource`, split (names become Rust names once placed); an error unless it is a dotted path of names.
    fn resource_extension(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
    ) -> Option<Vec<String>> {
        match op.extensions.get(RESOURCE_EXTENSION)? {
            serde_json::Value::String(dotted) if dotted.split('.').all(|s| !s.is_empty()) => {
                Some(dotted.split('.').map(str::to_owned).collect())
            }
            _ => {
                self.error(&join(pointer, RESOURCE_EXTENSION), format!("`{RESOURCE_EXTENSION}` must be a dotted path of names, such as `chats.typing`"));
                None
            }
        }
    }

    /// `x-rust-method`; an error unless it is a string.
    fn method_extension(&mut self, op: &openapiv3::Operation, pointer: &str) -> Option<String> {
        match op.extensions.get(METHOD_EXTENSION)? {
            serde_json::Value::String(name) => Some(name.clone()),
            _ => {
                self.error(
                    &join(pointer, METHOD_EXTENSION),
                    format!("`{METHOD_EXTENSION}` must be a string"),
                );
                None
            }
        }
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

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        path: &str,
        method: &str,
        shared_params: &[ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        pointer: &str,
        resource: Vec<String>,
        wanted_name: String,
    ) -> Option<Grouped> {
        // Every type named after the operation has a suffix (`SelfParams`):
        // a keyword's `_` (`Self_`) would end up inside the name.
        let type_prefix = to_type_name(
            op.operation_id
                .as_deref()
                .unwrap_or(&format!("{method} {path}")),
        )
        .trim_end_matches('_')
        .to_owned();

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
        let error_bodies = self.error_bodies(&op.responses, &responses, &type_prefix);
        let accept = self.accepted_media(&op.responses, &responses);
        self.warn_links(&op.responses, &responses);
        let default_security = std::mem::take(&mut self.default_security);
        let security = self.operation_security(op, pointer, &default_security);
        self.default_security = default_security;
        let pagination = match op.extensions.get(pagination::PAGINATION_EXTENSION) {
            Some(declared) => self.declared_pagination(
                declared,
                &join(pointer, pagination::PAGINATION_EXTENSION),
                options.as_ref(),
                &success,
            ),
            None => self.pagination(op, options.as_ref(), &success),
        };
        let events = self.events(op, pointer, &type_prefix, &success);

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
                security,
                pagination,
                events,
                error_bodies,
            },
        })
    }
}
