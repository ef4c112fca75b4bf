//! Lowering: `openapiv3::OpenAPI` → [`Api`]. Every `$ref` is resolved here and
//! every name is made a Rust name here, so emitters never see the spec.
//!
//! Problems are collected, not thrown: one run reports as many as it can.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter,
    ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, SecurityScheme, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};
use serde::Deserialize;

use super::names::{Namespace, to_crate_name, to_env_prefix, to_snake_name, to_type_name};
use super::*;
use crate::diagnostic::{Diagnostic, escape_segment, join};

/// The root extension that configures the generated crate.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ClientExtension {
    #[serde(rename = "crate")]
    crate_name: Option<String>,
    version: Option<String>,
    env_prefix: Option<String>,
    error: Option<ErrorExtension>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ErrorExtension {
    schema: String,
    code: Option<String>,
    message: Option<String>,
}

const CLIENT_EXTENSION: &str = "x-rust-client";
const RESOURCE_EXTENSION: &str = "x-rust-resource";
const METHOD_EXTENSION: &str = "x-rust-method";
const ENUM_NAMES_EXTENSION: &str = "x-enum-varnames";
const ENUM_OPEN_EXTENSION: &str = "x-enum-open";

/// Builds the model, or returns every error found. Warnings come back either way.
pub fn build(doc: &OpenAPI) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut builder = Builder::new(doc);
    let api = builder.api();
    if builder.diagnostics.iter().any(Diagnostic::is_error) {
        Err(builder.diagnostics)
    } else {
        Ok((api, builder.diagnostics))
    }
}

/// An operation before it is placed in the resource tree.
struct Grouped {
    resource: Vec<String>,
    wanted_name: String,
    pointer: String,
    operation: Operation,
}

struct Builder<'a> {
    doc: &'a OpenAPI,
    diagnostics: Vec<Diagnostic>,
    type_names: Namespace,
    /// Component schema name → Rust type name.
    component_types: IndexMap<String, String>,
    types: Vec<TypeDef>,
}

impl<'a> Builder<'a> {
    fn new(doc: &'a OpenAPI) -> Self {
        let mut type_names = Namespace::default();
        let component_types = doc
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|name| (name.clone(), type_names.claim(&to_type_name(name))))
            .collect();
        Self {
            doc,
            diagnostics: Vec::new(),
            type_names,
            component_types,
            types: Vec::new(),
        }
    }

    fn error(&mut self, pointer: &str, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message).at(pointer));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn warning(&mut self, pointer: &str, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::warning(message).at(pointer));
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn api(&mut self) -> Api {
        let doc = self.doc;
        let extension = self.client_extension();
        self.component_schemas();
        let auth = self.auth();
        let resources = self.resources();
        let error_envelope = extension
            .error
            .as_ref()
            .and_then(|error| self.error_envelope(error));
        let crate_name = extension
            .crate_name
            .unwrap_or_else(|| to_crate_name(&doc.info.title));
        let crate_version = extension.version.unwrap_or_else(|| {
            if is_semver(&doc.info.version) {
                doc.info.version.clone()
            } else {
                "0.1.0".to_owned()
            }
        });
        Api {
            title: doc.info.title.clone(),
            description: doc.info.description.clone(),
            api_version: doc.info.version.clone(),
            env_prefix: extension
                .env_prefix
                .unwrap_or_else(|| to_env_prefix(&crate_name)),
            crate_name,
            crate_version,
            base_url: doc
                .servers
                .first()
                .map(|s| s.url.trim_end_matches('/').to_owned()),
            auth,
            resources,
            types: std::mem::take(&mut self.types),
            error_envelope,
        }
    }

    fn client_extension(&mut self) -> ClientExtension {
        let pointer = join("", CLIENT_EXTENSION);
        let Some(value) = self.doc.extensions.get(CLIENT_EXTENSION) else {
            return ClientExtension::default();
        };
        match serde_path_to_error::deserialize::<_, ClientExtension>(value) {
            Ok(extension) => {
                if let Some(name) = extension.crate_name.as_ref().filter(|n| !is_crate_name(n)) {
                    self.error(
                        &join(&pointer, "crate"),
                        format!("`{name}` is not a valid crate name"),
                    )
                    .hint = Some(
                        "use ASCII letters, digits, `-` and `_`, starting with a letter".into(),
                    );
                }
                if let Some(version) = extension.version.as_ref().filter(|v| !is_semver(v)) {
                    self.error(
                        &join(&pointer, "version"),
                        format!("`{version}` is not a semver version"),
                    );
                }
                let valid_prefix = |p: &&String| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                };
                if let Some(prefix) = extension.env_prefix.as_ref().filter(|p| !valid_prefix(p)) {
                    self.error(
                        &join(&pointer, "env-prefix"),
                        format!("`{prefix}` is not a valid environment variable prefix"),
                    )
                    .hint = Some("use upper-case ASCII letters, digits and `_`".into());
                }
                extension
            }
            Err(err) => {
                let at = err.path().to_string().replace('.', "/");
                let at = if at == "/" || at.is_empty() {
                    pointer
                } else {
                    format!("{pointer}/{at}")
                };
                self.error(
                    &at,
                    format!("invalid `{CLIENT_EXTENSION}` extension: {}", err.inner()),
                )
                .hint = Some("see README.md, section \"Spec extensions\"".into());
                ClientExtension::default()
            }
        }
    }

    // ----- types -----

    fn component_schemas(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let rust_name = self.component_types[name].clone();
            let pointer = format!("/components/schemas/{}", escape_segment(name));
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.schema_ref(reference, &pointer);
                    self.types.push(TypeDef {
                        name: rust_name,
                        description: None,
                        kind: TypeKind::Alias(target),
                    });
                }
                ReferenceOr::Item(schema) => self.define(rust_name, schema, &pointer),
            }
        }
    }

    /// Adds a named type for `schema`.
    fn define(&mut self, name: String, schema: &Schema, pointer: &str) {
        let description = schema_doc(schema);
        // Pushed first, so that a type comes before the inline types inside it.
        let index = self.types.len();
        self.types.push(TypeDef {
            name: name.clone(),
            description,
            kind: TypeKind::Alias(TypeRef::Json),
        });
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                TypeKind::Struct {
                    fields: self.fields(&name, &object.properties, &object.required, pointer),
                }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => TypeKind::Struct {
                fields: self.fields(&name, &any.properties, &any.required, pointer),
            },
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let values = string
                    .enumeration
                    .iter()
                    .flatten()
                    .cloned()
                    .map(EnumValue::String)
                    .collect();
                TypeKind::Enum(self.enum_def(schema, values, EnumRepr::String, pointer))
            }
            SchemaKind::Type(Type::Integer(integer)) if !integer.enumeration.is_empty() => {
                let values = integer
                    .enumeration
                    .iter()
                    .flatten()
                    .copied()
                    .map(EnumValue::Integer)
                    .collect();
                TypeKind::Enum(self.enum_def(schema, values, EnumRepr::Integer, pointer))
            }
            _ => TypeKind::Alias(self.schema_type(schema, pointer, &name)),
        };
        self.types[index].kind = kind;
    }

    fn enum_def(
        &mut self,
        schema: &Schema,
        values: Vec<EnumValue>,
        repr: EnumRepr,
        pointer: &str,
    ) -> EnumDef {
        let extensions = &schema.schema_data.extensions;
        let open = match extensions.get(ENUM_OPEN_EXTENSION) {
            None => true,
            Some(serde_json::Value::Bool(open)) => *open,
            Some(_) => {
                self.error(
                    &join(pointer, ENUM_OPEN_EXTENSION),
                    format!("`{ENUM_OPEN_EXTENSION}` must be `true` or `false`"),
                );
                true
            }
        };
        let spec_names: Option<Vec<String>> = match extensions.get(ENUM_NAMES_EXTENSION) {
            None => None,
            Some(value) => match serde_json::from_value::<Vec<String>>(value.clone()) {
                Ok(names) if names.len() == values.len() => Some(names),
                Ok(names) => {
                    self.error(
                        &join(pointer, ENUM_NAMES_EXTENSION),
                        format!(
                            "`{ENUM_NAMES_EXTENSION}` has {} names for {} enum values",
                            names.len(),
                            values.len()
                        ),
                    );
                    None
                }
                Err(_) => {
                    self.error(
                        &join(pointer, ENUM_NAMES_EXTENSION),
                        format!("`{ENUM_NAMES_EXTENSION}` must be a list of strings"),
                    );
                    None
                }
            },
        };
        let mut names = Namespace::default();
        if open {
            names.claim("Unknown");
        }
        let variants = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| {
                let spec_name = spec_names.as_ref().map(|n| n[i].clone());
                let wanted = match (&spec_name, &value) {
                    (Some(name), _) => to_type_name(name),
                    (None, EnumValue::String(s)) => to_type_name(s),
                    (None, EnumValue::Integer(n)) if *n < 0 => format!("Minus{}", n.unsigned_abs()),
                    (None, EnumValue::Integer(n)) => format!("Value{n}"),
                };
                EnumVariant {
                    rust_name: names.claim(&wanted),
                    value,
                    spec_name,
                }
            })
            .collect();
        EnumDef {
            variants,
            open,
            repr,
        }
    }

    fn fields(
        &mut self,
        parent: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Vec<Field> {
        let mut names = Namespace::default();
        properties
            .iter()
            .map(|(json_name, property)| {
                let property_pointer = join(&join(pointer, "properties"), json_name);
                let hint = format!("{parent}{}", to_type_name(json_name));
                let (ty, nullable, description) = match property {
                    ReferenceOr::Reference { reference } => {
                        let target = self.component_schema(reference);
                        let nullable = target.is_some_and(|s| s.schema_data.nullable);
                        let description = target.and_then(schema_doc);
                        (
                            self.schema_ref(reference, &property_pointer),
                            nullable,
                            description,
                        )
                    }
                    ReferenceOr::Item(schema) => (
                        self.schema_type(schema, &property_pointer, &hint),
                        schema.schema_data.nullable,
                        schema_doc(schema),
                    ),
                };
                Field {
                    json_name: json_name.clone(),
                    rust_name: names.claim(&to_snake_name(json_name)),
                    ty,
                    optional: nullable || !required.contains(json_name),
                    description,
                }
            })
            .collect()
    }

    fn component_schema(&self, reference: &str) -> Option<&'a Schema> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match self.doc.components.as_ref()?.schemas.get(&unescape(name))? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.component_schema(reference),
        }
    }

    /// The type a `$ref` to a schema names, reporting a reference that leads nowhere.
    fn schema_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let pointer = join(pointer, "$ref");
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            let what = if reference.starts_with('#') {
                "a schema outside `#/components/schemas`"
            } else {
                "another document"
            };
            self.error(&pointer, format!("`$ref: {reference}` points to {what}, which the generator does not follow"))
                .hint = Some("move the schema under `components/schemas` and refer to it as `#/components/schemas/Name`".into());
            return TypeRef::Json;
        };
        match self.component_types.get(&unescape(name)) {
            Some(rust_name) => TypeRef::Named(rust_name.clone()),
            None => {
                let hint = self.closest_schema(name);
                let diagnostic = self.error(
                    &pointer,
                    format!("`$ref: {reference}` points to a schema that does not exist"),
                );
                diagnostic.hint = Some(match hint {
                    Some(close) => format!("did you mean `#/components/schemas/{close}`?"),
                    None => "define it under `components/schemas`".to_owned(),
                });
                TypeRef::Json
            }
        }
    }

    fn closest_schema(&self, name: &str) -> Option<String> {
        let lower = name.to_lowercase();
        self.component_types
            .keys()
            .find(|candidate| {
                let candidate = candidate.to_lowercase();
                candidate.contains(&lower) || lower.contains(&candidate)
            })
            .cloned()
    }

    fn type_ref(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, hint: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.schema_type(schema, pointer, hint),
        }
    }

    fn boxed_type_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => self.schema_type(schema, pointer, hint),
        }
    }

    /// The type of an inline schema; objects and enums become named types called `hint`.
    fn schema_type(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                if !string.enumeration.is_empty() {
                    return self.inline(schema, pointer, hint);
                }
                match &string.format {
                    VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if !integer.enumeration.is_empty() {
                    return self.inline(schema, pointer, hint);
                }
                match integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                }
            }
            SchemaKind::Type(Type::Number(number)) => match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Object(object)) => {
                if !object.properties.is_empty() {
                    return self.inline(schema, pointer, hint);
                }
                self.map_type(object.additional_properties.as_ref(), pointer, hint)
            }
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => TypeRef::Array(Box::new(self.boxed_type_ref(
                    items,
                    &join(pointer, "items"),
                    &format!("{hint}Item"),
                ))),
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                self.inline(schema, pointer, hint)
            }
            SchemaKind::Any(_) => TypeRef::Json,
            SchemaKind::OneOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::Not { .. } => {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    SchemaKind::AnyOf { .. } => "anyOf",
                    SchemaKind::AllOf { .. } => "allOf",
                    _ => "not",
                };
                self.error(
                    &join(pointer, keyword),
                    format!("`{keyword}` schemas are not supported yet"),
                )
                .hint = Some("describe the value with a single schema".into());
                TypeRef::Json
            }
        }
    }

    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.type_ref(
                    schema,
                    &join(pointer, "additionalProperties"),
                    &format!("{hint}Value"),
                );
                TypeRef::Map(Box::new(value))
            }
            _ => TypeRef::Map(Box::new(TypeRef::Json)),
        }
    }

    fn inline(&mut self, schema: &Schema, pointer: &str, hint: &str) -> TypeRef {
        let name = self.type_names.claim(&to_type_name(hint));
        self.define(name.clone(), schema, pointer);
        TypeRef::Named(name)
    }

    // ----- auth -----

    fn auth(&mut self) -> Option<Auth> {
        let doc = self.doc;
        let global = doc.security.as_deref().unwrap_or_default();
        let from_operations = || {
            doc.paths
                .paths
                .values()
                .filter_map(ReferenceOr::as_item)
                .flat_map(|item| item.iter())
                .flat_map(|(_, op)| op.security.iter().flatten())
        };
        let name = global
            .iter()
            .chain(from_operations())
            .flat_map(|requirement| requirement.keys())
            .next()?
            .clone();
        let required = !global.is_empty() && global.iter().all(|r| !r.is_empty());
        let pointer = join("/components/securitySchemes", &name);
        let scheme = doc
            .components
            .as_ref()
            .and_then(|c| c.security_schemes.get(&name));
        let scheme = match scheme {
            Some(ReferenceOr::Item(scheme)) => scheme,
            Some(ReferenceOr::Reference { .. }) => {
                self.warning(
                    &pointer,
                    "a `$ref` security scheme is not followed; the client sends no credential",
                );
                return None;
            }
            None => {
                self.error("/security", format!("security requirement `{name}` names no scheme in `components/securitySchemes`"));
                return None;
            }
        };
        let (scheme, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (AuthScheme::Bearer, description),
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (AuthScheme::Basic, description),
            SecurityScheme::HTTP { scheme, .. } => {
                self.warning(&join(&pointer, "scheme"), format!("HTTP `{scheme}` authentication is not supported; the client sends no credential"));
                return None;
            }
            SecurityScheme::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Header => ApiKeyLocation::Header,
                    openapiv3::APIKeyLocation::Query => ApiKeyLocation::Query,
                    openapiv3::APIKeyLocation::Cookie => ApiKeyLocation::Cookie,
                };
                (
                    AuthScheme::ApiKey {
                        location,
                        name: name.clone(),
                    },
                    description,
                )
            }
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (AuthScheme::Bearer, description)
            }
        };
        Some(Auth {
            scheme,
            required,
            description: description.clone(),
        })
    }

    // ----- operations -----

    fn resources(&mut self) -> Vec<Resource> {
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
        self.resource_tree(grouped)
    }

    fn operation(
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

    fn resource_of(&mut self, path: &str, op: &openapiv3::Operation, pointer: &str) -> Vec<String> {
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

    fn parameter(
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
    fn path_parts(&mut self, path: &str, params: &mut [Param], pointer: &str) -> Vec<PathPart> {
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

    fn request_body(
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

    fn success(
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

    fn response(
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

    fn response_body(
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
    fn resource_tree(&mut self, grouped: Vec<Grouped>) -> Vec<Resource> {
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

    // ----- errors -----

    fn error_envelope(&mut self, extension: &ErrorExtension) -> Option<ErrorEnvelope> {
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
    fn field_path(&self, root: &str, path: &str) -> Result<FieldPath, String> {
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
                optional: field.optional,
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

fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    data.description.clone().or_else(|| data.title.clone())
}

fn location_name(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn is_version_segment(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn is_crate_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
