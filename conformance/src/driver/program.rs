//! The source of a spec's driver program: a binary that depends on the
//! generated crate and calls its operations as a user would, through the
//! resource accessors and methods the generator made, with arguments decoded
//! from the runner's JSON into the generated types.
//!
//! Built from the generator's own model, so that the driver names exactly
//! what the crate has. The program reads one JSON file (calls and examples)
//! and prints a JSON line per call and per example.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use generator::model::{
    Api, AuthScheme, BodyKind, Operation, ParamLocation, Resource, TypeKind, TypeRef,
};

/// A type the driver can decode an example into, by the key the runner uses.
#[derive(Debug, Clone)]
pub struct DecodeTarget {
    /// `schema Pet`, `response GET /pets 200`, `request POST /pets`.
    pub key: String,
    pub ty: TypeRef,
}

/// The program's `main.rs`.
pub fn main_rs(api: &Api, targets: &[DecodeTarget]) -> String {
    let mut operations = Vec::new();
    for resource in &api.resources {
        collect(resource, &mut Vec::new(), &mut operations);
    }
    // A function per operation, reached through a boxed future: one `match`
    // of hundreds of inline bodies made a single function rustc took minutes on.
    let (arms, functions): (Vec<TokenStream>, Vec<TokenStream>) = operations
        .iter()
        .enumerate()
        .map(|(index, (accessors, op))| operation_fn(index, accessors, op))
        .unzip();
    let decode_arms = targets.iter().map(|target| {
        let key = &target.key;
        if let Some(webhook) = key.strip_prefix("webhook ") {
            let event_enum = ident(&api.webhook_event_type);
            // Through the event enum: it must read the payload as this webhook's.
            return quote! {
                #key => match ::client::types::#event_enum::parse(text.as_bytes()) {
                    Ok(event) if event.name() == Some(#webhook) => Ok(()),
                    Ok(event) => Err(format!("read as the event {:?}", event.name())),
                    Err(err) => Err(err.to_string()),
                },
            };
        }
        let ty = owned_type(&target.ty);
        quote!(#key => decode::<#ty>(text),)
    });
    // The credentials the runner's plans carry (`plan.rs`), as the client takes them.
    let credentials = api.credentials.iter().map(|credential| {
        let key = match credential.scheme {
            AuthScheme::Basic => "user:pass",
            AuthScheme::Bearer => "conformance-token",
            AuthScheme::ApiKey { .. } => "conformance-key",
        };
        let setter = ident(&credential.setter);
        quote!(.#setter(#key))
    });
    let tokens = quote! {
        //! The conformance driver of one spec (written by `conformance/src/driver/program.rs`).
        #![allow(unused_mut, unused_variables, clippy::all)]

        use ::serde_json::Value;

        #[derive(::serde::Deserialize)]
        struct Input {
            calls: Vec<Call>,
            examples: Vec<Example>,
        }

        #[derive(::serde::Deserialize)]
        struct Call {
            id: u64,
            operation: String,
            url: String,
            prefer: Option<String>,
            arguments: Vec<Argument>,
            body: Option<Value>,
        }

        #[derive(::serde::Deserialize)]
        struct Argument {
            location: String,
            name: String,
            value: Value,
        }

        #[derive(::serde::Deserialize)]
        struct Example {
            id: u64,
            target: String,
            text: String,
        }

        fn leak<T>(value: T) -> &'static T {
            Box::leak(Box::new(value))
        }

        fn strs(values: &'static [String]) -> &'static [&'static str] {
            Box::leak(values.iter().map(String::as_str).collect::<Vec<_>>().into_boxed_slice())
        }

        fn value(call: &Call, location: &str, name: &str) -> Option<Value> {
            call.arguments
                .iter()
                .find(|a| a.location == location && a.name.eq_ignore_ascii_case(name))
                .map(|a| a.value.clone())
        }

        fn required<T: ::serde::de::DeserializeOwned>(call: &Call, location: &str, name: &str) -> Result<T, String> {
            let value = value(call, location, name)
                .ok_or_else(|| format!("no value for the required {location} parameter `{name}`"))?;
            ::serde_json::from_value(value)
                .map_err(|err| format!("the {location} parameter `{name}` does not decode into its type: {err}"))
        }

        fn optional<T: ::serde::de::DeserializeOwned>(call: &Call, location: &str, name: &str) -> Result<Option<T>, String> {
            match value(call, location, name) {
                None => Ok(None),
                Some(value) => ::serde_json::from_value(value).map(Some).map_err(|err| {
                    format!("the {location} parameter `{name}` does not decode into its type: {err}")
                }),
            }
        }

        fn body<T: ::serde::de::DeserializeOwned>(call: &Call) -> Result<Option<T>, String> {
            match &call.body {
                None => Ok(None),
                Some(value) => ::serde_json::from_value(value.clone())
                    .map(Some)
                    .map_err(|err| format!("the body does not decode into its type: {err}")),
            }
        }

        /// A raw body's bytes: a string's text. The runner has no bytes for
        /// another value (an XML body's object, say).
        fn raw_body(call: &Call) -> Result<Option<::client::Bytes>, String> {
            match &call.body {
                None => Ok(None),
                Some(Value::String(text)) => Ok(Some(::client::Bytes::from(text.clone().into_bytes()))),
                Some(_) => Err(format!("{UNJUDGED}a raw body of this media type made from a JSON value: no bytes to send")),
            }
        }

        /// Said before a reason when a call is not sent because no rule
        /// says what its bytes would be.
        const UNJUDGED: &str = "unjudged: ";

        fn decode<T: ::serde::de::DeserializeOwned>(text: &str) -> Result<(), String> {
            ::serde_json::from_str::<T>(text).map(drop).map_err(|err| err.to_string())
        }

        fn outcome(id: u64, result: Result<(), ::client::Error>) -> Value {
            match result {
                Ok(()) => ::serde_json::json!({ "id": id, "outcome": "ok" }),
                Err(::client::Error::Api(error)) => ::serde_json::json!({
                    "id": id, "outcome": "status", "status": error.status().as_u16(),
                    "code": error.code(), "message": error.message(),
                }),
                Err(::client::Error::UnexpectedResponse(response)) => ::serde_json::json!({
                    "id": id, "outcome": "unexpected", "status": response.status().as_u16(),
                    "message": response.reason(),
                }),
                Err(other) => ::serde_json::json!({
                    "id": id, "outcome": "failed", "message": other.to_string(),
                }),
            }
        }

        macro_rules! finish {
            ($call:expr, $request:expr) => {{
                let mut request = $request
                    .max_retries(0)
                    .header("X-Conformance-Call", $call.id.to_string());
                if let Some(prefer) = &$call.prefer {
                    request = request.header("Prefer", prefer);
                }
                Ok(outcome($call.id, request.send().await.map(drop)))
            }};
        }

        type Outcome<'a> = ::std::pin::Pin<Box<dyn ::std::future::Future<Output = Result<Value, String>> + 'a>>;

        async fn call<'a>(client: &'a ::client::Client, call: &'a Call) -> Result<Value, String> {
            let outcome: Outcome<'a> = match call.operation.as_str() {
                #(#arms)*
                other => return Err(format!("the crate has no method for `{other}`")),
            };
            outcome.await
        }

        #(#functions)*

        fn example(target: &str, text: &str) -> Result<(), String> {
            match target {
                #(#decode_arms)*
                other => Err(format!("no type for `{other}`")),
            }
        }

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let path = std::env::args().nth(1).expect("the input file");
            let text = std::fs::read_to_string(&path).expect("the input file is readable");
            let input: Input = ::serde_json::from_str(&text).expect("the input is the runner's JSON");
            for example_in in &input.examples {
                let line = match example(&example_in.target, &example_in.text) {
                    Ok(()) => ::serde_json::json!({ "example": example_in.id, "ok": true }),
                    Err(message) => ::serde_json::json!({ "example": example_in.id, "ok": false, "message": message }),
                };
                println!("{line}");
            }
            for one in &input.calls {
                let built = ::client::Client::builder()
                    .base_url(one.url.clone())
                    #(#credentials)*
                    .timeout(std::time::Duration::from_secs(30))
                    .build();
                let line = match built {
                    Err(err) => ::serde_json::json!({ "id": one.id, "outcome": "not_sent", "message": err.to_string() }),
                    Ok(client) => match call(&client, one).await {
                        Ok(line) => line,
                        Err(message) => ::serde_json::json!({ "id": one.id, "outcome": "not_sent", "message": message }),
                    },
                };
                println!("{line}");
            }
        }
    };
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

fn collect<'a>(
    resource: &'a Resource,
    accessors: &mut Vec<&'a str>,
    out: &mut Vec<(Vec<&'a str>, &'a Operation)>,
) {
    accessors.push(resource.path.last().map_or("", String::as_str));
    for op in &resource.operations {
        out.push((accessors.clone(), op));
    }
    for child in &resource.children {
        collect(child, accessors, out);
    }
    accessors.pop();
}

/// The function calling one operation, and its arm in `call`: every
/// argument decoded, then the method called as a user would.
fn operation_fn(index: usize, accessors: &[&str], op: &Operation) -> (TokenStream, TokenStream) {
    let function = Ident::new(&format!("operation_{index}"), Span::call_site());
    let key = format!("{} {}", op.http_method, op.path);
    let mut statements = Vec::new();
    let mut args = Vec::new();
    for (index, param) in op.params.iter().enumerate() {
        let local = Ident::new(&format!("arg{index}"), Span::call_site());
        let ty = owned_type(&param.ty);
        let location = location(param.location);
        let name = &param.name;
        statements.push(quote! {
            let #local: &'static #ty = leak(required::<#ty>(call, #location, #name)?);
        });
        args.push(pass(&param.ty, quote!(#local)));
    }
    if let Some(options) = &op.options {
        let ty = ident(&options.type_name);
        let fields = options.params.iter().map(|param| {
            let field = ident(&param.rust_name);
            let location = location(param.location);
            let name = &param.name;
            quote!(params.#field = optional(call, #location, #name)?;)
        });
        statements.push(quote! {
            let mut params = ::client::types::#ty::default();
            #(#fields)*
        });
    }
    if let Some(request_body) = &op.body {
        let required = request_body.required;
        let (statement, arg) = match &request_body.kind {
            BodyKind::Json(ty) | BodyKind::Form { ty, .. } | BodyKind::Multipart { ty, .. } => {
                let ty = owned_type(ty);
                if required {
                    (
                        quote! {
                            let body: &'static #ty = leak(body::<#ty>(call)?.ok_or("the plan has no body for a required one")?);
                        },
                        quote!(body),
                    )
                } else {
                    (
                        quote!(let body: Option<&'static #ty> = body::<#ty>(call)?.map(leak);),
                        quote!(body),
                    )
                }
            }
            BodyKind::Raw { .. } if required => (
                quote!(let body = raw_body(call)?.ok_or("the plan has no body for a required one")?;),
                quote!(body),
            ),
            BodyKind::Raw { .. } => (
                quote!(let body = raw_body(call)?.map(::client::Body::from);),
                quote!(body),
            ),
        };
        statements.push(statement);
        args.push(arg);
    }
    // Every optional parameter at once: `Request::params`, which the
    // setters named after each one fill too.
    let set_params = op.options.as_ref().map(|_| quote!(.params(params)));
    let accessors = accessors.iter().map(|a| ident(a));
    let method = ident(&op.method_name);
    let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    let arm = quote!(#key => Box::pin(#function(client, call)),);
    let body = quote! {
        async fn #function(client: &::client::Client, call: &Call) -> Result<Value, String> {
            #(#statements)*
            #deprecated
            let request = client #(.#accessors())* .#method(#(#args),*) #set_params;
            finish!(call, request)
        }
    };
    (arm, body)
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// How a positional argument is passed from a `&'static` owned value: the
/// generator takes strings as `&str` and arrays as slices, the rest by value.
fn pass(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.as_str()),
        TypeRef::Array(item) if **item == TypeRef::String => quote!(strs(#value.as_slice())),
        TypeRef::Array(item) if matches!(**item, TypeRef::Array(_)) => {
            let inner = pass(item, quote!(item));
            quote! {
                Box::leak(#value.iter().map(|item| #inner).collect::<Vec<_>>().into_boxed_slice())
            }
        }
        TypeRef::Array(_) => quote!(#value.as_slice()),
        _ => quote!(#value.clone()),
    }
}

/// The owned Rust type of a model type, named from the driver.
pub fn owned_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Uuid => quote!(::client::Uuid),
        TypeRef::Bytes => quote!(::client::Bytes),
        TypeRef::File => quote!(::client::FilePart),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(::client::types::#name)
        }
        TypeRef::Array(item) => {
            let item = owned_type(item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = owned_type(value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = owned_type(inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Whether examples can be decoded into the named type: the generator derives
/// `Deserialize` for schema types, not for parameter sets or response enums.
pub fn decodable(api: &Api, name: &str) -> bool {
    api.types.iter().any(|t| {
        t.name == name
            && !matches!(
                t.kind,
                TypeKind::Params(_) | TypeKind::Responses(_) | TypeKind::Media(_)
            )
    })
}
