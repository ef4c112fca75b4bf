//! Paths and operations → methods, grouped into a tree of resources.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};

use super::*;
use crate::diagnostic::join;
use crate::model::names::{Namespace, to_snake_name, to_type_name};

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

        // Operation parameters override path-item ones with the same name and location.
        let mut parameters: IndexMap<(String, &'static str), (Parameter, String)> = IndexMap::new();
        let item_pointer = &pointer[..pointer.rfind('/').unwrap_or(0)];
        for (list, base) in [
            (shared_params, join(item_pointer, "parameters")),
            (&op.parameters[..], join(pointer, "parameters")),
        ] {
            for (i, parameter) in list.iter().enumerate() {
                let at = format!("{base}/{i}");
                if let Some((parameter, at)) = self.parameter(parameter, &at) {
                    let data = parameter.parameter_data_ref();
                    parameters.insert(
                        (data.name.clone(), location_name(&parameter)),
                        (parameter, at),
                    );
                }
            }
        }

        let mut params = Vec::new();
        let mut arg_names = Namespace::default();
        arg_names.claim("self");
        for (parameter, at) in parameters.values() {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.warning(
                        at,
                        format!("cookie parameter `{}` is not supported; skipped", data.name),
                    );
                    continue;
                }
            };
            if !data.required && location != ParamLocation::Path {
                self.warning(
                    at,
                    format!(
                        "optional parameter `{}` is not supported yet; skipped",
                        data.name
                    ),
                );
                continue;
            }
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => self.type_ref(
                    schema,
                    &join(at, "schema"),
                    &format!("{type_prefix}{}", to_type_name(&data.name)),
                ),
                ParameterSchemaOrContent::Content(_) => {
                    self.error(
                        &join(at, "content"),
                        format!(
                            "parameter `{}` uses `content`, which is not supported",
                            data.name
                        ),
                    )
                    .hint = Some("describe the parameter with `schema`".into());
                    continue;
                }
            };
            let schema_example = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                    schema.schema_data.example.as_ref()
                }
                _ => None,
            };
            params.push(Param {
                name: data.name.clone(),
                rust_name: arg_names.claim(&to_snake_name(&data.name)),
                location,
                ty,
                description: data.description.clone(),
                example: data
                    .example
                    .as_ref()
                    .or(schema_example)
                    .and_then(scalar_text),
            });
        }

        let path_parts = self.path_parts(path, &mut params, pointer);
        let body = op
            .request_body
            .as_ref()
            .and_then(|body| self.request_body(body, &join(pointer, "requestBody"), &type_prefix));
        let success = self.success(&op.responses, &join(pointer, "responses"), &type_prefix);

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
                body,
                success,
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

    pub(super) fn parameter(
        &mut self,
        parameter: &ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Option<(Parameter, String)> {
        match parameter {
            ReferenceOr::Item(parameter) => Some((parameter.clone(), pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| {
                        self.doc
                            .components
                            .as_ref()?
                            .parameters
                            .get(&unescape(name))
                            .map(|p| (name, p))
                    });
                match found {
                    Some((name, ReferenceOr::Item(parameter))) => {
                        Some((parameter.clone(), format!("/components/parameters/{name}")))
                    }
                    _ => {
                        self.error(&join(pointer, "$ref"), format!("`$ref: {reference}` does not point to a parameter in `components/parameters`"));
                        None
                    }
                }
            }
        }
    }

    /// Cuts the path template at its `{parameters}` and checks each is declared.
    pub(super) fn path_parts(
        &mut self,
        path: &str,
        params: &mut [Param],
        pointer: &str,
    ) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..open + close];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.name == name)
            {
                Some(index) => parts.push(PathPart::Param(index)),
                None => {
                    self.error(
                        pointer,
                        format!("path parameter `{name}` of `{path}` is not declared"),
                    )
                    .hint = Some(format!(
                        "add `{{name: {name}, in: path, required: true, schema: {{type: string}}}}` to `parameters`"
                    ));
                }
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        parts
    }

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
        let Some((media, json)) = body.content.iter().find(|(media, _)| is_json(media)) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.error(
                &content,
                format!(
                    "request bodies of type {} are not supported",
                    types.join(", ")
                ),
            )
            .hint = Some("the generator sends `application/json` bodies".into());
            return None;
        };
        let ty = match &json.schema {
            Some(schema) => self.type_ref(
                schema,
                &join(&join(&content, media), "schema"),
                &format!("{prefix}Body"),
            ),
            None => TypeRef::Json,
        };
        Some(RequestBody {
            ty,
            description: body.description.clone(),
        })
    }

    pub(super) fn success(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        prefix: &str,
    ) -> Success {
        let mut found: Option<(Success, String)> = None;
        for (status, response) in &responses.responses {
            let code = match status {
                StatusCode::Code(code) => format!("{code}"),
                StatusCode::Range(range) => format!("{range}XX"),
            };
            let at = join(pointer, &code);
            let Some((response, at)) = self.response(response, &at) else {
                continue;
            };
            let is_success = matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2));
            if !is_success {
                // Error bodies are decoded as the shared envelope; their schemas are still checked.
                for (media, content) in &response.content {
                    if let Some(ReferenceOr::Reference { reference }) = &content.schema {
                        self.schema_ref(
                            reference,
                            &join(&join(&join(&at, "content"), media), "schema"),
                        );
                    }
                }
                continue;
            }
            let success = self.response_body(response, &at, &format!("{prefix}Response"));
            match &found {
                None => found = Some((success, code)),
                Some((first, first_code))
                    if *first != success && !matches!(success, Success::Empty) =>
                {
                    let message = format!(
                        "responses {first_code} and {code} have different bodies; only one success type is supported yet"
                    );
                    self.error(&at, message);
                }
                Some(_) => {}
            }
        }
        found.map_or(Success::Empty, |(success, _)| success)
    }

    pub(super) fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<(&'a openapiv3::Response, String)> {
        match response {
            ReferenceOr::Item(response) => Some((response, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/");
                match name.and_then(|n| self.doc.components.as_ref()?.responses.get(&unescape(n))) {
                    Some(ReferenceOr::Item(response)) => Some((
                        response,
                        format!("/components/responses/{}", name.unwrap_or_default()),
                    )),
                    _ => {
                        self.error(&join(pointer, "$ref"), format!("`$ref: {reference}` does not point to a response in `components/responses`"));
                        None
                    }
                }
            }
        }
    }

    pub(super) fn response_body(
        &mut self,
        response: &openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Success {
        let content = join(pointer, "content");
        if response.content.is_empty() {
            return Success::Empty;
        }
        if let Some((media, json)) = response.content.iter().find(|(media, _)| is_json(media)) {
            return match &json.schema {
                Some(schema) => Success::Json(self.type_ref(
                    schema,
                    &join(&join(&content, media), "schema"),
                    hint,
                )),
                None => Success::Json(TypeRef::Json),
            };
        }
        if response
            .content
            .keys()
            .any(|media| media.starts_with("text/"))
        {
            Success::Text
        } else {
            Success::Bytes
        }
    }

    /// Places operations in a tree of resources, in the order they first appear.
    pub(super) fn resource_tree(&mut self, grouped: Vec<Grouped>) -> Vec<Resource> {
        let mut by_path: IndexMap<Vec<String>, Vec<Grouped>> = IndexMap::new();
        for op in grouped {
            for depth in 1..op.resource.len() {
                by_path.entry(op.resource[..depth].to_vec()).or_default();
            }
            by_path.entry(op.resource.clone()).or_default().push(op);
        }
        let tag_docs: IndexMap<String, Option<String>> = self
            .doc
            .tags
            .iter()
            .map(|tag| (to_snake_name(&tag.name), tag.description.clone()))
            .collect();
        let mut resource_types = Namespace::default();
        let mut flat: Vec<Resource> = by_path
            .into_iter()
            .map(|(path, ops)| {
                let mut method_names = Namespace::default();
                let mut operations = Vec::new();
                // Child accessors come first: a child resource keeps its name.
                let mut seen: Vec<(String, String)> = Vec::new();
                for op in ops {
                    let name = method_names.claim(&op.wanted_name);
                    if name != op.wanted_name {
                        let first = seen.iter().find(|(n, _)| *n == op.wanted_name).map(|(_, p)| p.clone());
                        let warning = self.warning(
                            &op.pointer,
                            format!("two operations of resource `{}` are both named `{}`; this one is `{name}`", path.join("."), op.wanted_name),
                        );
                        warning.hint = first.map(|p| format!("the first one is at {p}; set `{METHOD_EXTENSION}` to choose names"));
                    }
                    seen.push((op.wanted_name.clone(), op.pointer.clone()));
                    let mut operation = op.operation;
                    operation.method_name = name;
                    operations.push(operation);
                }
                let description = if path.len() == 1 { tag_docs.get(&path[0]).cloned().flatten() } else { None };
                Resource {
                    type_name: resource_types.claim(&to_type_name(&path.join(" "))),
                    path,
                    description,
                    operations,
                    children: Vec::new(),
                }
            })
            .collect();
        // Nest: deepest first, so that each child is complete when it moves into its parent.
        flat.sort_by_key(|r| std::cmp::Reverse(r.path.len()));
        let mut roots: Vec<Resource> = Vec::new();
        let mut pending: Vec<Resource> = Vec::new();
        for resource in flat {
            let (children, rest): (Vec<_>, Vec<_>) = pending
                .into_iter()
                .partition(|child| child.path[..child.path.len() - 1] == resource.path[..]);
            pending = rest;
            let mut resource = resource;
            resource.children = children;
            if resource.path.len() == 1 {
                roots.push(resource);
            } else {
                pending.push(resource);
            }
        }
        roots.sort_by_key(|r| r.type_name.clone());
        roots
    }
}
