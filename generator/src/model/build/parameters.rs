//! Parameters → method arguments (required ones) and a `{Operation}Params`
//! type (optional ones), and the path template → literal and argument parts.
//! A file of its own because parameters follow their own rules (path-item
//! ones overridden by name and location, headers the client sets skipped,
//! every path parameter required) and must agree with the path template.

use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::*;
use crate::diagnostic::join;
use crate::model::names::{Namespace, to_snake_name, to_type_name};

/// The methods of the runtime's `Request`: an optional parameter's field is
/// also its setter on the request, so it takes none of these names.
const REQUEST_METHODS: &[&str] = &[
    "accept",
    "api_error",
    "attempt",
    "cookie_param",
    "credentials",
    "error_bodies",
    "extra_query",
    "fixed_query",
    "form",
    "header",
    "header_param",
    "into_byte_stream",
    "into_future",
    "is_answer",
    "items",
    "json",
    "json_with_flag",
    "max_retries",
    "multipart",
    "new",
    "pages",
    "paginate",
    "params",
    "params_mut",
    "query_param",
    "raw",
    "read_timeout",
    "returns_redirects",
    "run",
    "security",
    "send",
    "start",
    "streamed",
    "timeout",
    "upload",
    "url",
    "with_decoder",
    "with_params",
    "with_response",
];

impl<'a> Builder<'a> {
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
        for taken in REQUEST_METHODS {
            option_names.claim(taken);
        }
        for (parameter, at) in parameters.values() {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            if location == ParamLocation::Header
                && self.declared_idempotency_header.is_none()
                && data.name.to_ascii_lowercase().contains("idempotency")
            {
                self.declared_idempotency_header = Some(data.name.clone());
            }
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
            let hint = format!("{type_prefix}{}", to_type_name(&data.name));
            let (ty, encoding) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => (
                    self.type_ref(schema, &join(at, "schema"), &hint),
                    style_encoding(parameter),
                ),
                ParameterSchemaOrContent::Content(content) => {
                    // `content`: the value serialized as that media type
                    // (JSON), then written as a string.
                    let media = content.iter().next();
                    let ty = match media.and_then(|(_, m)| m.schema.as_ref()) {
                        Some(schema) => self.type_ref(schema, &join(at, "content"), &hint),
                        None => TypeRef::Json,
                    };
                    let encoding = match media {
                        Some((media, _)) if is_json(media) => Encoding::Json,
                        Some((media, _)) => {
                            self.warning(
                                &join(&join(at, "content"), media),
                                format!("a `{media}` parameter is sent as its value's text: the generator serializes JSON only"),
                            );
                            Encoding::default_for(location)
                        }
                        None => Encoding::Json,
                    };
                    (ty, encoding)
                }
            };
            if let Encoding::Style { style, .. } = encoding
                && style != Style::DeepObject
                && self.holds_nested(&ty, 0)
            {
                self.warning(
                    at,
                    format!(
                        "parameter `{}`: the `{}` style does not say how to write an array or object inside another; such a value is sent as JSON text",
                        data.name,
                        style_name(style)
                    ),
                )
                .hint = Some("use `style: deepObject`, or `content: {application/json: {schema: ...}}`".into());
            }
            if location == ParamLocation::Cookie
                && let Encoding::Style { explode: true, .. } = encoding
                && self.is_composite(&ty, 0)
            {
                self.warning(
                    at,
                    format!(
                        "cookie `{}`: an exploded array or object is written as OpenAPI 3.0 and 3.1 define the `form` style, its pairs joined by `&` in one cookie (`a=1&a=2`); servers that split cookies at `; ` read one cookie",
                        data.name
                    ),
                )
                .hint = Some("set `explode: false` (`a=1,2`), or give the parameter as `content` (JSON text)".into());
            }
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
            let mut wanted = to_snake_name(&data.name);
            if !required && REQUEST_METHODS.contains(&wanted.as_str()) {
                wanted.push_str("_param");
            }
            let param = Param {
                name: data.name.clone(),
                rust_name: names.claim(&wanted),
                location,
                ty,
                description: data.description.clone(),
                example: data
                    .example
                    .as_ref()
                    .or(schema_example)
                    .and_then(scalar_text),
                encoding,
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
                    "The optional parameters of `{}`, each also set by name on its request; `Default::default()` sets none.",
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

    /// Cuts the path template at its `{parameters}`, and puts the path
    /// parameters first, in the order the template names them. A parameter
    /// the spec forgot to declare becomes a string argument, with a warning.
    pub(super) fn path_parts(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        arg_names: &mut Namespace,
        pointer: &str,
    ) -> Vec<PathPart> {
        // A fixed query written into the template (`/responses?beta=true`)
        // is the URL's query; a fragment is never sent.
        let template = path.split('#').next().unwrap_or_default();
        let (template, fixed_query) = match template.split_once('?') {
            Some((template, query)) => (template, Some(query)),
            None => (template, None),
        };
        let mut pieces: Vec<Result<&str, &str>> = Vec::new();
        let mut rest = template;
        while let Some((before, name, after)) = template_parameter(rest) {
            if !before.is_empty() {
                pieces.push(Ok(before));
            }
            pieces.push(Err(name));
            rest = after;
        }
        if !rest.is_empty() {
            pieces.push(Ok(rest));
        }

        let (declared, others): (Vec<Param>, Vec<Param>) = std::mem::take(params)
            .into_iter()
            .partition(|p| p.location == ParamLocation::Path);
        let mut declared: Vec<Option<Param>> = declared.into_iter().map(Some).collect();
        let mut ordered: Vec<Param> = Vec::new();
        let mut parts = Vec::new();
        for piece in pieces {
            let name = match piece {
                Ok(literal) => {
                    parts.push(PathPart::Literal(literal.to_owned()));
                    continue;
                }
                Err(name) => name,
            };
            if let Some(index) = ordered.iter().position(|p| p.name == name) {
                parts.push(PathPart::Param(index));
                continue;
            }
            let found = declared
                .iter_mut()
                .find(|p| p.as_ref().is_some_and(|p| p.name == name))
                .and_then(Option::take);
            let param = found.unwrap_or_else(|| {
                self.warning(
                    pointer,
                    format!("path parameter `{name}` of `{path}` is not declared; it is taken as a string"),
                )
                .hint = Some(format!(
                    "add `{{name: {name}, in: path, required: true, schema: {{type: string}}}}` to `parameters`"
                ));
                Param {
                    name: name.to_owned(),
                    rust_name: arg_names.claim(&to_snake_name(name)),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    description: None,
                    example: None,
                    encoding: Encoding::default_for(ParamLocation::Path),
                }
            });
            parts.push(PathPart::Param(ordered.len()));
            ordered.push(param);
        }
        for unused in declared.into_iter().flatten() {
            self.warning(
                pointer,
                format!(
                    "path parameter `{}` is not in the path `{path}`; skipped",
                    unused.name
                ),
            );
        }
        if let Some(query) = fixed_query.filter(|q| !q.is_empty()) {
            parts.push(PathPart::Query(query.to_owned()));
        }
        ordered.extend(others);
        *params = ordered;
        parts
    }
}

/// The first `{name}` of a path template: the text before it, the name, the
/// text after. A name holds no brace, so in `/a/{{id}}` the parameter is
/// `id` and the outer braces are text, in both scans of the template.
fn template_parameter(path: &str) -> Option<(&str, &str, &str)> {
    path.match_indices('}').find_map(|(close, _)| {
        let open = path[..close].rfind('{')?;
        Some((&path[..open], &path[open + 1..close], &path[close + 1..]))
    })
}

/// An operation's parameters, lowered: what [`Operation`] holds of them.
pub(super) struct OperationParams {
    /// The required parameters, the method's arguments in order.
    pub params: Vec<Param>,
    pub path_parts: Vec<PathPart>,
    pub options: Option<Options>,
}

impl Builder<'_> {
    /// Whether a value of `ty` can hold an array or an object inside an
    /// array or object: what the style rules, but `deepObject`'s, leave unsaid.
    fn holds_nested(&self, ty: &TypeRef, depth: usize) -> bool {
        let composite = |ty: &TypeRef| self.is_composite(ty, depth + 1);
        if depth > 8 {
            return false;
        }
        match ty {
            TypeRef::Array(item) | TypeRef::Map(item) => composite(item),
            TypeRef::Nullable(inner) => self.holds_nested(inner, depth + 1),
            TypeRef::Named(name) => {
                match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
                    Some(TypeKind::Struct { fields }) => fields.iter().any(|f| composite(&f.ty)),
                    Some(TypeKind::Union(union)) => union
                        .variants
                        .iter()
                        .any(|v| self.holds_nested(&v.ty, depth + 1)),
                    Some(TypeKind::Alias(ty) | TypeKind::Newtype(ty)) => {
                        self.holds_nested(ty, depth + 1)
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether a value of `ty` is an array or an object (not a scalar).
    fn is_composite(&self, ty: &TypeRef, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        match ty {
            TypeRef::Array(_) | TypeRef::Map(_) => true,
            TypeRef::Nullable(inner) => self.is_composite(inner, depth + 1),
            TypeRef::Named(name) => {
                match self.types.iter().find(|t| t.name == *name).map(|t| &t.kind) {
                    Some(TypeKind::Struct { .. }) => true,
                    Some(TypeKind::Union(union)) => union
                        .variants
                        .iter()
                        .any(|v| self.is_composite(&v.ty, depth + 1)),
                    Some(TypeKind::Alias(ty) | TypeKind::Newtype(ty)) => {
                        self.is_composite(ty, depth + 1)
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
}

/// A style as the spec writes it.
fn style_name(style: Style) -> &'static str {
    match style {
        Style::Simple => "simple",
        Style::Label => "label",
        Style::Matrix => "matrix",
        Style::Form => "form",
        Style::SpaceDelimited => "spaceDelimited",
        Style::PipeDelimited => "pipeDelimited",
        Style::DeepObject => "deepObject",
    }
}

/// The encoding a parameter's `style`, `explode` and `allowReserved` give,
/// with the spec's defaults for what they leave out.
fn style_encoding(parameter: &Parameter) -> Encoding {
    use openapiv3::PathStyle;
    let (style, allow_reserved) = match parameter {
        Parameter::Path { style, .. } => (
            match style {
                PathStyle::Simple => Style::Simple,
                PathStyle::Label => Style::Label,
                PathStyle::Matrix => Style::Matrix,
            },
            false,
        ),
        Parameter::Query {
            style,
            allow_reserved,
            ..
        } => (query_style(style), *allow_reserved),
        Parameter::Header { .. } => (Style::Simple, false),
        Parameter::Cookie { .. } => (Style::Form, false),
    };
    Encoding::Style {
        style,
        explode: parameter
            .parameter_data_ref()
            .explode
            .unwrap_or(style == Style::Form),
        allow_reserved,
    }
}

/// A query style of openapiv3 as the model's.
pub(super) fn query_style(style: &openapiv3::QueryStyle) -> Style {
    use openapiv3::QueryStyle;
    match style {
        QueryStyle::Form => Style::Form,
        QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        QueryStyle::PipeDelimited => Style::PipeDelimited,
        QueryStyle::DeepObject => Style::DeepObject,
    }
}

#[cfg(test)]
mod tests {
    use super::REQUEST_METHODS;

    /// The runtime's methods on `Request`, read off its templates: every
    /// `fn` of an inherent `impl ... Request<..>` block.
    fn request_methods() -> Vec<String> {
        let templates = [
            include_str!("../../../templates/request.rs.j2"),
            include_str!("../../../templates/request/send.rs.j2"),
            include_str!("../../../templates/request/pages.rs.j2"),
        ];
        let mut found = Vec::new();
        for template in templates {
            let mut in_request = false;
            for line in template.lines() {
                if line.starts_with("impl") {
                    in_request = line.contains(" Request<") && !line.contains(" for ");
                } else if line == "}" {
                    in_request = false;
                } else if in_request && let Some(rest) = line.strip_prefix("    ") {
                    let rest = rest.trim_start_matches("pub(crate) ");
                    let rest = rest.trim_start_matches("pub(super) ");
                    let rest = rest.trim_start_matches("pub ").trim_start_matches("async ");
                    if let Some(name) = rest.strip_prefix("fn ") {
                        let end = name.find(['(', '<']).unwrap_or(name.len());
                        found.push(name[..end].to_owned());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn no_optional_parameter_takes_the_name_of_a_request_method() {
        let methods = request_methods();
        assert!(methods.len() > 20, "only {methods:?} found");
        for method in ["extra_query", "header", "timeout", "read_timeout", "start"] {
            assert!(
                methods.iter().any(|m| m == method),
                "{method} not found in {methods:?}"
            );
        }
        let missing: Vec<&String> = methods
            .iter()
            .filter(|method| !REQUEST_METHODS.contains(&method.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "add to REQUEST_METHODS (an optional parameter of that name would clash): {missing:?}"
        );
    }
}
