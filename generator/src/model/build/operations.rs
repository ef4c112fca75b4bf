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
                errors,
            },
        })
    }

    /// The parameters of an operation, path-item ones included: the required
    /// ones become the method's arguments, the optional ones the fields of a
    /// `{Operation}Params` type.
    pub(super) fn operation_params(
        &mut self,
        path: &str,
        shared_params: &[ReferenceOr<Parameter>],
        op: &openapiv3::Operation,
        pointer: &str,
        type_prefix: &str,
        wanted_name: &str,
    ) -> OperationParams {
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
        let mut optional = Vec::new();
        let mut arg_names = Namespace::default();
        arg_names.claim("self");
        arg_names.claim("body");
        arg_names.claim("params");
        let mut option_names = Namespace::default();
        for (parameter, at) in parameters.values() {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                self.warning(
                    at,
                    format!(
                        "header parameter `{}` is set by the client itself; skipped",
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
                ParameterSchemaOrContent::Content(content) => {
                    // `content` (a JSON-encoded parameter): typed by its schema when it has one.
                    match content.values().next().and_then(|m| m.schema.as_ref()) {
                        Some(schema) => self.type_ref(
                            schema,
                            &join(at, "content"),
                            &format!("{type_prefix}{}", to_type_name(&data.name)),
                        ),
                        None => TypeRef::Json,
                    }
                }
            };
            let schema_example = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                    schema.schema_data.example.as_ref()
                }
                _ => None,
            };
            let required = data.required || location == ParamLocation::Path;
            let names = if required {
                &mut arg_names
            } else {
                &mut option_names
            };
            let param = Param {
                name: data.name.clone(),
                rust_name: names.claim(&to_snake_name(&data.name)),
                location,
                ty,
                description: data.description.clone(),
                example: data
                    .example
                    .as_ref()
                    .or(schema_example)
                    .and_then(scalar_text),
            };
            if required {
                params.push(param);
            } else {
                optional.push(param);
            }
        }

        let path_parts = self.path_parts(path, &mut params, &mut arg_names, pointer);
        let options = (!optional.is_empty()).then(|| {
            let type_name = self.type_names.claim(&format!("{type_prefix}Params"));
            self.types.push(TypeDef {
                name: type_name.clone(),
                description: Some(format!(
                    "The optional parameters of `{}`: `Default::default()` sets none.",
                    op.operation_id.as_deref().unwrap_or(wanted_name)
                )),
                kind: TypeKind::Params(optional.clone()),
            });
            Options {
                type_name,
                params: optional,
            }
        });
        OperationParams {
            params,
            path_parts,
            options,
        }
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

    /// Cuts the path template at its `{parameters}`. A parameter the spec
    /// forgot to declare becomes a string argument, with a warning.
    pub(super) fn path_parts(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        arg_names: &mut Namespace,
        pointer: &str,
    ) -> Vec<PathPart> {
        let in_template: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        let mut unused = Vec::new();
        params.retain(|p| {
            let keep = p.location != ParamLocation::Path || in_template.contains(&p.name.as_str());
            if !keep {
                unused.push(p.name.clone());
            }
            keep
        });
        for name in unused {
            self.warning(
                pointer,
                format!("path parameter `{name}` is not in the path `{path}`; skipped"),
            );
        }
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
                    self.warning(
                        pointer,
                        format!("path parameter `{name}` of `{path}` is not declared; it is taken as a string"),
                    )
                    .hint = Some(format!(
                        "add `{{name: {name}, in: path, required: true, schema: {{type: string}}}}` to `parameters`"
                    ));
                    parts.push(PathPart::Param(params.len()));
                    params.push(Param {
                        name: name.to_owned(),
                        rust_name: arg_names.claim(&to_snake_name(name)),
                        location: ParamLocation::Path,
                        ty: TypeRef::String,
                        description: None,
                        example: None,
                    });
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

    /// What a success returns: one type when every 2xx response carries the
    /// same body, else an enum with a variant per status.
    pub(super) fn success(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
        prefix: &str,
    ) -> Success {
        let mut found: Vec<(StatusMatch, Success, Option<String>)> = Vec::new();
        for (status, response) in &responses.responses {
            let (code, matcher) = match status {
                StatusCode::Code(code) => (format!("{code}"), StatusMatch::Code(*code)),
                StatusCode::Range(range) => (format!("{range}XX"), StatusMatch::Range(*range)),
            };
            let is_success = matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2));
            if !is_success {
                continue;
            }
            let at = join(pointer, &code);
            let Some((response, at)) = self.response(response, &at) else {
                continue;
            };
            let hint = if found.is_empty() {
                format!("{prefix}Response")
            } else {
                format!("{prefix}Response{code}")
            };
            let success = self.response_body(response, &at, &hint);
            found.push((matcher, success, Some(response.description.clone())));
        }
        if found.is_empty() {
            // Without any 2xx, `default` describes the success.
            if let Some(response) = &responses.default {
                let at = join(pointer, "default");
                if let Some((response, at)) = self.response(response, &at) {
                    return self.response_body(response, &at, &format!("{prefix}Response"));
                }
            }
            return Success::Empty;
        }
        let first = &found[0].1;
        if found.iter().all(|(_, success, _)| success == first) {
            return found.swap_remove(0).1;
        }
        let mut names = Namespace::default();
        let variants: Vec<StatusVariant> = found
            .into_iter()
            .map(|(status, body, description)| StatusVariant {
                rust_name: names.claim(&status_name(status)),
                status,
                body,
                description: description.filter(|d| !d.trim().is_empty()),
            })
            .collect();
        let type_name = self.type_names.claim(&format!("{prefix}Response"));
        self.types.push(TypeDef {
            name: type_name.clone(),
            description: Some(format!(
                "The successful responses of `{prefix}`, one variant a status."
            )),
            kind: TypeKind::Responses(variants.clone()),
        });
        Success::Several {
            type_name,
            variants,
        }
    }

    /// Links say how responses feed other operations: nothing a client method
    /// can express.
    fn warn_links(&mut self, responses: &'a openapiv3::Responses, pointer: &str) {
        for (status, response) in &responses.responses {
            if let ReferenceOr::Item(response) = response {
                for name in response.links.keys() {
                    let at = join(&join(&join(pointer, &status.to_string()), "links"), name);
                    self.warning(&at, "links are not supported; skipped");
                }
            }
        }
    }

    /// A response of another operation: `#/paths/~1users~1me/put/responses/204`.
    fn path_response(&self, reference: &str) -> Option<(&'a openapiv3::Response, String)> {
        let rest = reference.strip_prefix("#/paths/")?;
        let segments: Vec<&str> = rest.split('/').collect();
        let [path, method, "responses", status] = segments[..] else {
            return None;
        };
        let item = self.doc.paths.paths.get(&unescape(path))?.as_item()?;
        let (_, operation) = item.iter().find(|(m, _)| *m == method)?;
        let response = match status {
            "default" => operation.responses.default.as_ref()?,
            code => operation
                .responses
                .responses
                .get(&StatusCode::Code(code.parse().ok()?))?,
        };
        match response {
            ReferenceOr::Item(response) => Some((response, reference[1..].to_owned())),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The error responses, for the operation's docs.
    fn error_docs(
        &mut self,
        responses: &'a openapiv3::Responses,
        pointer: &str,
    ) -> Vec<(String, String)> {
        let mut docs = Vec::new();
        for (status, response) in &responses.responses {
            let code = match status {
                StatusCode::Code(code) if *code >= 400 => format!("{code}"),
                StatusCode::Range(range) if *range >= 4 => format!("{range}XX"),
                _ => continue,
            };
            let at = join(pointer, &code);
            if let Some((response, _)) = self.response(response, &at) {
                docs.push((code, response.description.clone()));
            }
        }
        let has_success = responses
            .responses
            .keys()
            .any(|s| matches!(s, StatusCode::Code(200..=299) | StatusCode::Range(2)));
        if let (true, Some(response)) = (has_success, &responses.default)
            && let Some((response, _)) = self.response(response, &join(pointer, "default"))
        {
            docs.push(("default".to_owned(), response.description.clone()));
        }
        docs
    }

    pub(super) fn response(
        &mut self,
        response: &'a ReferenceOr<openapiv3::Response>,
        pointer: &str,
    ) -> Option<(&'a openapiv3::Response, String)> {
        match response {
            ReferenceOr::Item(response) => Some((response, pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                if let Some(found) = self.path_response(reference) {
                    return Some(found);
                }
                let name = reference.strip_prefix("#/components/responses/");
                match name.and_then(|n| self.doc.components.as_ref()?.responses.get(&unescape(n))) {
                    Some(ReferenceOr::Item(response)) => Some((
                        response,
                        format!("/components/responses/{}", name.unwrap_or_default()),
                    )),
                    _ if reference.starts_with("#/components/requestBodies/") => {
                        self.warning(&join(pointer, "$ref"), format!("`$ref: {reference}` points to a request body, not a response; the response is skipped"));
                        None
                    }
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
        response: &'a openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Success {
        let content = join(pointer, "content");
        if response.content.is_empty() {
            return Success::Empty;
        }
        if let Some((media, json)) = response.content.iter().find(|(media, _)| is_json(media)) {
            return match &json.schema {
                Some(schema) => {
                    match self.type_ref(schema, &join(&join(&content, media), "schema"), hint) {
                        TypeRef::Bytes => Success::Bytes,
                        ty => Success::Json(ty),
                    }
                }
                None => Success::Json(TypeRef::Json),
            };
        }
        if response
            .content
            .keys()
            .any(|media| media.starts_with("text/") && !essence(media).ends_with("/xml"))
        {
            Success::Text
        } else {
            Success::Bytes
        }
    }

    /// Places operations in a tree of resources, in the order they first appear.
    pub(super) fn resource_tree(&mut self, grouped: Vec<Grouped>) -> Vec<Resource> {
        let mut by_path: IndexMap<Vec<String>, Vec<Grouped>> = IndexMap::new();
        for mut op in grouped {
            // Top-level accessors are methods of `Client`, beside its own.
            if CLIENT_METHODS.contains(&op.resource[0].as_str()) {
                op.resource[0] = format!("{}_resource", op.resource[0]);
            }
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
        resource_types.claim("Client");
        let child_names: Vec<(Vec<String>, String)> = by_path
            .keys()
            .filter(|path| path.len() > 1)
            .map(|path| {
                (
                    path[..path.len() - 1].to_vec(),
                    path[path.len() - 1].clone(),
                )
            })
            .collect();
        let mut flat: Vec<Resource> = by_path
            .into_iter()
            .map(|(path, ops)| {
                let mut method_names = Namespace::default();
                for (parent, child) in &child_names {
                    if *parent == path {
                        method_names.claim(child);
                    }
                }
                let mut operations = Vec::new();
                // Child accessors come first: a child resource keeps its name.
                let mut seen: Vec<(String, String)> = Vec::new();
                for op in ops {
                    let name = method_names.claim(&op.wanted_name);
                    let is_child = child_names.iter().any(|(parent, child)| *parent == path && *child == op.wanted_name);
                    if name != op.wanted_name && is_child {
                        self.warning(
                            &op.pointer,
                            format!("operation `{}` of resource `{}` has the name of a child resource; it is `{name}`", op.wanted_name, path.join(".")),
                        )
                        .hint = Some(format!("set `{METHOD_EXTENSION}` to choose a name"));
                    } else if name != op.wanted_name {
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

/// An operation's parameters, lowered: what [`Operation`] holds of them.
pub(super) struct OperationParams {
    /// The required parameters, the method's arguments in order.
    pub params: Vec<Param>,
    pub path_parts: Vec<PathPart>,
    pub options: Option<Options>,
}

/// `application/json` from `application/json; charset=utf-8`, lower-cased.
/// The methods of the generated `Client`: no resource accessor may take their names.
const CLIENT_METHODS: &[&str] = &["builder", "from_env", "base_url", "clone", "fmt", "inner"];

fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json_essence(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The variant of a success status: `Ok`, `Created`, `Status299`.
fn status_name(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(200) => "Ok".to_owned(),
        StatusMatch::Code(201) => "Created".to_owned(),
        StatusMatch::Code(202) => "Accepted".to_owned(),
        StatusMatch::Code(203) => "NonAuthoritative".to_owned(),
        StatusMatch::Code(204) => "NoContent".to_owned(),
        StatusMatch::Code(205) => "ResetContent".to_owned(),
        StatusMatch::Code(206) => "PartialContent".to_owned(),
        StatusMatch::Code(207) => "MultiStatus".to_owned(),
        StatusMatch::Code(code) => format!("Status{code}"),
        StatusMatch::Range(hundreds) => format!("Other{hundreds}xx"),
        StatusMatch::Default => "Other".to_owned(),
    }
}
