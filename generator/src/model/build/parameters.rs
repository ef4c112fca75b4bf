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
        let mut in_template: Vec<&str> = Vec::new();
        let mut rest = path;
        while let Some((_, name, after)) = template_parameter(rest) {
            in_template.push(name);
            rest = after;
        }
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
        while let Some((before, name, after)) = template_parameter(rest) {
            if !before.is_empty() {
                parts.push(PathPart::Literal(before.to_owned()));
            }
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
            rest = after;
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
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
