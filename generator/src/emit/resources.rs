//! `src/resources/`: a handle type per resource, with a method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{Scope, ident, type_tokens};
use crate::model::{
    Api, BodyKind, Encoding, Events, FieldStep, MultipartPart, NextPage, Operation, Options, Param,
    ParamLocation, PartShape, PathPart, Presence, Resource, StatusMatch, StatusVariant, Style,
    Success, TypeRef,
};

/// `resources/mod.rs`: declares one module per top-level resource.
pub fn mod_file(api: &Api) -> TokenStream {
    let doc = docs::inner(
        "The API's resources: handles that group its operations, reached from [`Client`](crate::Client).",
    );
    let modules = api.resources.iter().map(|r| ident(&r.path[0]));
    let exports = api.resources.iter().map(|r| {
        let module = ident(&r.path[0]);
        let mut names = Vec::new();
        collect_type_names(r, &mut names);
        let names = names.iter().map(|n| ident(n));
        quote!(pub use #module::{ #(#names),* };)
    });
    quote! {
        #doc
        #( mod #modules; )*
        #( #exports )*
    }
}

fn collect_type_names(resource: &Resource, names: &mut Vec<String>) {
    names.push(resource.type_name.clone());
    for child in &resource.children {
        collect_type_names(child, names);
    }
}

/// `resources/<name>.rs`: a top-level resource and everything under it.
pub fn resource_file(resource: &Resource, api: &Api) -> TokenStream {
    let doc = docs::inner(&format!("The `{}` resource.", resource.path[0]));
    let accessor = accessor(resource, quote!(self), quote!('_));
    let handles = handles(resource, api);
    quote! {
        #doc
        impl crate::Client {
            #accessor
        }

        #handles
    }
}

fn resource_doc(resource: &Resource) -> String {
    let dotted = resource.path.join(".");
    docs::paragraphs([
        resource.description.as_deref(),
        Some(&format!("Operations on `{dotted}`.")),
    ])
}

/// The method that leads from a parent to `resource`.
/// `client` is how the parent reaches the client; `lifetime` that of the returned handle.
fn accessor(resource: &Resource, client: TokenStream, lifetime: TokenStream) -> TokenStream {
    let name = ident(resource.path.last().expect("a resource has a name"));
    let ty = ident(&resource.type_name);
    let doc = docs::outer(&resource_doc(resource));
    quote! {
        #doc
        pub fn #name(&self) -> #ty<#lifetime> {
            #ty { client: #client }
        }
    }
}

fn handles(resource: &Resource, api: &Api) -> TokenStream {
    let ty = ident(&resource.type_name);
    let doc = docs::outer(&resource_doc(resource));
    let children = resource
        .children
        .iter()
        .map(|child| accessor(child, quote!(self.client), quote!('a)));
    let operations = resource.operations.iter().map(|op| operation(op, api));
    let setters = resource
        .operations
        .iter()
        .filter_map(|op| op.options.as_ref().map(params_setters));
    let paginators = resource.operations.iter().filter_map(paginator);
    let impl_header = if resource.children.is_empty() {
        quote!(impl #ty<'_>)
    } else {
        quote!(impl<'a> #ty<'a>)
    };
    let nested = resource.children.iter().map(|child| handles(child, api));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            client: &'a crate::Client,
        }

        #impl_header {
            #(#children)*
            #(#operations)*
        }

        #(#setters)*

        #(#paginators)*

        #(#nested)*
    }
}

/// An operation's methods: the plain one, and the one that streams its
/// events where it can answer with some.
fn operation(op: &Operation, api: &Api) -> TokenStream {
    let plain = match &op.events {
        Some(events) if events.only => None,
        _ => Some(method(op, api, None)),
    };
    let streaming = op
        .events
        .as_ref()
        .map(|events| method(op, api, Some(events)));
    quote!(#plain #streaming)
}

/// The method of an operation, or (with `events`) its streaming method.
fn method(op: &Operation, api: &Api, events: Option<&Events>) -> TokenStream {
    let name = ident(events.map_or(&op.method_name, |events| &events.method_name));
    let doc = match events {
        None => docs::outer(&operation_doc(op)),
        Some(events) => docs::outer(&format!(
            "{}\n\n{}",
            operation_doc(op),
            events_doc(op, events)
        )),
    };
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let arg = ident(&p.rust_name);
            let ty = argument_type(&p.ty);
            quote!(#arg: #ty)
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form { ty, .. } | BodyKind::Multipart { ty, .. } => {
                let ty = type_tokens(ty, Scope::Elsewhere);
                quote!(&#ty)
            }
            BodyKind::Raw { .. } if body.required => {
                quote!(impl ::std::convert::Into<crate::Body>)
            }
            BodyKind::Raw { .. } => quote!(crate::Body),
        };
        args.push(if body.required {
            quote!(body: #ty)
        } else {
            quote!(body: ::std::option::Option<#ty>)
        });
    }
    // Clippy counts `self`; a long list of required parameters is the spec's.
    let many = (args.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));

    let (constructor, output, decoder) = match events {
        None => {
            let (output, decoder) = decoder(&op.success);
            (quote!(new), output, decoder)
        }
        Some(events) => {
            let (item, decoder) = match &events.item {
                Some(ty) => {
                    let ty = type_tokens(ty, Scope::Elsewhere);
                    (ty.clone(), quote!(crate::stream::json_events::<#ty>))
                }
                None => (quote!(crate::Event), quote!(crate::stream::events)),
            };
            (quote!(streamed), quote!(crate::EventStream<#item>), decoder)
        }
    };
    let method = ident(&op.http_method);
    let template = &op.path;
    let path = path_expr(op);
    let fixed_query = op.path_parts.iter().find_map(|part| match part {
        PathPart::Query(query) => Some(quote!(.fixed_query(#query))),
        _ => None,
    });
    let accept = match events {
        Some(_) => Some(quote!(.accept("text/event-stream"))),
        None => (!op.accept.is_empty()).then(|| {
            let media = op.accept.join(", ");
            quote!(.accept(#media))
        }),
    };
    let setters = op.params.iter().filter_map(|p| {
        let arg = ident(&p.rust_name);
        param_setter(p, quote!(&#arg))
    });
    // Optional parameters are set by name on the returned request, and
    // written after the required ones when it is sent.
    let (with_params, output_params) = match &op.options {
        None => (None, None),
        Some(options) => {
            let ty = ident(&options.type_name);
            let writes = options.params.iter().filter_map(|p| {
                let field = ident(&p.rust_name);
                param_setter(p, quote!(&params.#field))
            });
            // Typed: a body set after this leaves nothing to infer it from.
            (
                Some(quote! {
                    .with_params(|request, params: &crate::types::#ty| request #(#writes)*)
                }),
                Some(quote!(, crate::types::#ty)),
            )
        }
    };
    let security = op.security.as_ref().map(|security| {
        let alternatives = security.iter().map(|set| {
            let names = set
                .iter()
                .map(|&index| ident(&api.credentials[index].constant));
            quote!(&[#(crate::client::credentials::#names),*])
        });
        quote!(.security(&[#(#alternatives),*]))
    });
    let redirects =
        (events.is_none() && op.success == Success::Redirect).then(|| quote!(.returns_redirects()));
    let error_bodies = error_bodies(op, &api.error_body_type);
    let request = quote! {
        crate::Request::#constructor(self.client, ::reqwest::Method::#method, #template, #path, #decoder)
            #redirects
            #error_bodies
            #security
            #fixed_query
            #accept
            #(#setters)*
            #with_params
    };
    let body = match &op.body {
        None => request,
        Some(body) => {
            let (prelude, mut call) = body_call(&body.kind, body.required);
            // The flag follows the method, whatever the body says: each
            // method gets the answer its return type reads.
            let flag = op.events.as_ref().and_then(|e| e.flag.as_ref());
            if let (Some(flag), BodyKind::Json(_)) = (flag, &body.kind) {
                let on = events.is_some();
                call = quote!(.json_with_flag(body, #flag, #on));
            }
            if body.required {
                quote! {
                    #prelude
                    #request #call
                }
            } else {
                quote! {
                    let request = #request;
                    match body {
                        ::std::option::Option::Some(body) => {
                            #prelude
                            request #call
                        }
                        ::std::option::Option::None => request,
                    }
                }
            }
        }
    };

    quote! {
        #doc
        #deprecated
        #many
        pub fn #name(&self, #(#args),*) -> crate::Request<#output #output_params> {
            #body
        }
    }
}

/// How the request decodes an error status's body into the type the spec
/// gives that status: codes first, then ranges (`4XX`), then `default`.
fn error_bodies(op: &Operation, enum_name: &str) -> Option<TokenStream> {
    if op.error_bodies.is_empty() {
        return None;
    }
    let enum_name = ident(enum_name);
    // Codes of one type share an arm: `400 | 401 | 404 =>`.
    let mut codes: Vec<(Option<&str>, Vec<u16>)> = Vec::new();
    for (status, variant) in &op.error_bodies {
        if let StatusMatch::Code(code) = status {
            let variant = variant.as_deref();
            match codes.iter_mut().find(|(v, _)| *v == variant) {
                Some((_, list)) => list.push(*code),
                None => codes.push((variant, vec![*code])),
            }
        }
    }
    // A status documented without a type decodes into none, rather than
    // into its range's or `default`'s.
    let decode = |variant: Option<&str>| match variant {
        Some(variant) => {
            let variant = ident(variant);
            quote!(crate::request::decode::error_body(body, crate::types::#enum_name::#variant))
        }
        None => quote!(::std::option::Option::None),
    };
    let code_arms = codes.iter().map(|(variant, list)| {
        // Three codes in a row or more read as a range (clippy asks for one
        // where they are the whole pattern); fewer as themselves.
        let pieces = code_runs(list).into_iter().flat_map(|(from, to)| {
            let literal = proc_macro2::Literal::u16_unsuffixed;
            match to - from >= 2 {
                true => {
                    let (low, high) = (literal(from), literal(to));
                    vec![quote!(#low..=#high)]
                }
                false => (from..=to)
                    .map(|code| {
                        let code = literal(code);
                        quote!(#code)
                    })
                    .collect(),
            }
        });
        let decode = decode(*variant);
        quote!(#(#pieces)|* => #decode,)
    });
    let range_arms = op.error_bodies.iter().filter_map(|(status, variant)| {
        let StatusMatch::Range(hundreds) = status else {
            return None;
        };
        let hundreds = proc_macro2::Literal::u16_unsuffixed(*hundreds);
        let decode = decode(variant.as_deref());
        Some(quote!(status if status / 100 == #hundreds => #decode,))
    });
    let default = op
        .error_bodies
        .iter()
        .find(|(status, _)| *status == StatusMatch::Default)
        .and_then(|(_, variant)| variant.as_deref());
    let same_as_default = op
        .error_bodies
        .iter()
        .all(|(_, other)| other.as_deref() == default);
    if let (Some(variant), true) = (default, same_as_default) {
        // Every arm `default`'s: every error status's body is of its type.
        let decode = decode(Some(variant));
        return Some(quote!(.error_bodies(|_, body| #decode)));
    }
    let fallback = decode(default);
    Some(quote! {
        .error_bodies(|status, body| match status {
            #(#code_arms)*
            #(#range_arms)*
            _ => #fallback,
        })
    })
}

/// Codes as runs of consecutive ones, in order.
fn code_runs(codes: &[u16]) -> Vec<(u16, u16)> {
    let mut sorted = codes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for code in sorted {
        match runs.last_mut() {
            Some((_, to)) if *to + 1 == code => *to = code,
            _ => runs.push((code, code)),
        }
    }
    runs
}

/// The call that writes a query, header or cookie parameter into the request.
fn param_setter(param: &Param, value: TokenStream) -> Option<TokenStream> {
    let wire = &param.name;
    let encoding = encoding_tokens(param.encoding);
    match param.location {
        ParamLocation::Path => None,
        ParamLocation::Query => Some(quote!(.query_param(#wire, #value, #encoding))),
        ParamLocation::Header => Some(quote!(.header_param(#wire, #value, #encoding))),
        ParamLocation::Cookie => Some(quote!(.cookie_param(#wire, #value, #encoding))),
    }
}

/// The setters of an operation's optional parameters, on its request type.
fn params_setters(options: &Options) -> TokenStream {
    let ty = ident(&options.type_name);
    let setters = options.params.iter().map(|param| {
        let name = ident(&param.rust_name);
        let doc = docs::outer(&docs::param_doc(param));
        let (arg, value) = match &param.ty {
            TypeRef::String => (
                quote!(impl ::std::convert::Into<::std::string::String>),
                quote!(::std::convert::Into::into(#name)),
            ),
            ty => (type_tokens(ty, Scope::Elsewhere), quote!(#name)),
        };
        quote! {
            #doc
            pub fn #name(mut self, #name: #arg) -> Self {
                self.params_mut().#name = ::std::option::Option::Some(#value);
                self
            }
        }
    });
    let doc = docs::outer(&format!(
        "The optional parameters of the request, each set by name (or all at once with \
         [`Request::params`](crate::Request::params) and a [`{}`](crate::types::{})).",
        options.type_name, options.type_name
    ));
    // The spec names the setters: `from_date` or `is_active` is a parameter,
    // not a conversion or a predicate, and `add` no operator.
    quote! {
        #doc
        #[allow(clippy::wrong_self_convention, clippy::should_implement_trait)]
        impl<T> crate::Request<T, crate::types::#ty> {
            #(#setters)*
        }
    }
}

/// `pages()` and `items()` on the request of a list operation.
fn paginator(op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let options = op.options.as_ref()?;
    let params_ty = ident(&options.type_name);
    let output = body_output(&op.success);
    let item = type_tokens(&pagination.item, Scope::Elsewhere);
    let param = ident(&pagination.param);
    let changed = options
        .params
        .iter()
        .find(|p| p.rust_name == pagination.param)?;
    let wire = &changed.name;
    let items_slice = match &pagination.items {
        None => quote!(page.as_slice()),
        Some(step) => {
            let field = ident(&step.rust_name);
            match step.presence {
                Presence::Required => quote!(page.#field.as_slice()),
                Presence::Nullable | Presence::Optional => {
                    quote!(page.#field.as_deref().unwrap_or_default())
                }
                Presence::OptionalNullable => quote! {
                    page.#field.as_ref().and_then(|items| items.as_deref()).unwrap_or_default()
                },
            }
        }
    };
    let items_owned = match &pagination.items {
        None => quote!(page),
        Some(step) => {
            let field = ident(&step.rust_name);
            match step.presence {
                Presence::Required => quote!(page.#field),
                Presence::Nullable | Presence::Optional => quote!(page.#field.unwrap_or_default()),
                Presence::OptionalNullable => quote!(page.#field.flatten().unwrap_or_default()),
            }
        }
    };
    let next = match &pagination.next {
        NextPage::Cursor { next, has_more } => {
            let cursor = text_of(quote!(page), next);
            let ended = has_more.as_ref().map(|has_more| {
                let has_more = bool_of(has_more);
                quote! {
                    if !#has_more {
                        return ::std::option::Option::None;
                    }
                }
            });
            quote! {
                #ended
                let cursor = #cursor.filter(|cursor| !cursor.is_empty())?;
                let mut next = request.clone();
                next.params_mut().#param = ::std::option::Option::Some(cursor.to_owned());
                ::std::option::Option::Some(next)
            }
        }
        NextPage::AfterLastItem { has_more, id } => {
            let has_more = bool_of(has_more);
            let id = text_of(quote!(last), id);
            quote! {
                if !#has_more {
                    return ::std::option::Option::None;
                }
                let last = #items_slice.last()?;
                let id = #id?;
                let mut next = request.clone();
                next.params_mut().#param = ::std::option::Option::Some(id.to_owned());
                ::std::option::Option::Some(next)
            }
        }
        NextPage::Link => {
            let number = match changed.ty {
                TypeRef::I64 => quote!(number),
                _ => quote!(::std::convert::TryFrom::try_from(number).ok()?),
            };
            quote! {
                let number = crate::request::next_link_page(page.headers(), #wire)?;
                let mut next = request.clone();
                next.params_mut().#param = ::std::option::Option::Some(#number);
                ::std::option::Option::Some(next)
            }
        }
        NextPage::PageNumber => quote! {
            if #items_slice.is_empty() {
                return ::std::option::Option::None;
            }
            let mut next = request.clone();
            let params = next.params_mut();
            params.#param = ::std::option::Option::Some(params.#param.unwrap_or(1) + 1);
            ::std::option::Option::Some(next)
        },
    };
    let pattern = match &pagination.next {
        NextPage::Cursor { .. } => "the next cursor each page gives",
        NextPage::AfterLastItem { .. } => "the last item's `id` while `has_more`",
        NextPage::Link => "the `Link` header's `rel=\"next\"`",
        NextPage::PageNumber => "page numbers until a page is empty",
    };
    let pages_doc = docs::outer(&format!(
        "Every page of the list, following {pattern} (`{wire}`). A page is fetched \
         when the stream is polled for it, with this request's options and retries; \
         an error is the stream's last item."
    ));
    let items_doc = docs::outer("Every item of every page, in order: the pages flattened.");
    Some(quote! {
        impl crate::Request<#output, crate::types::#params_ty> {
            #pages_doc
            pub fn pages(self) -> crate::Pages<#output> {
                self.paginate(|request, page| { #next })
            }

            #items_doc
            pub fn items(self) -> crate::Pages<#item> {
                crate::request::flatten(self.pages(), |page| #items_owned)
            }
        }
    })
}

/// A page's boolean field, `false` where it is left out or `null`.
fn bool_of(step: &FieldStep) -> TokenStream {
    let field = ident(&step.rust_name);
    match step.presence {
        Presence::Required => quote!(page.#field),
        Presence::Nullable | Presence::Optional => quote!(page.#field.unwrap_or(false)),
        Presence::OptionalNullable => quote!(page.#field.flatten().unwrap_or(false)),
    }
}

/// A text field of `value` as an `Option<&str>`, whatever its presence.
fn text_of(value: TokenStream, step: &FieldStep) -> TokenStream {
    let field = ident(&step.rust_name);
    match step.presence {
        Presence::Required => quote!(::std::option::Option::Some(#value.#field.as_str())),
        Presence::Nullable | Presence::Optional => quote!(#value.#field.as_deref()),
        Presence::OptionalNullable => {
            quote!(#value.#field.as_ref().and_then(|text| text.as_deref()))
        }
    }
}

/// What sets a request's body, and the statements it needs first.
fn body_call(kind: &BodyKind, required: bool) -> (TokenStream, TokenStream) {
    match kind {
        BodyKind::Json(_) => (quote!(), quote!(.json(body))),
        BodyKind::Form { fields, .. } => {
            let fields = fields.iter().map(|(name, encoding)| {
                let encoding = encoding_tokens(*encoding);
                quote!((#name, #encoding))
            });
            (quote!(), quote!(.form(body, &[#(#fields),*])))
        }
        // A required raw body is any `Into<Bytes>`; an optional one is `Bytes`.
        BodyKind::Raw { content_type } if required => {
            (quote!(), quote!(.raw(body.into(), #content_type)))
        }
        BodyKind::Raw { content_type } => (quote!(), quote!(.raw(body, #content_type))),
        BodyKind::Multipart { parts, .. } => {
            let parts = match parts {
                Some(parts) => {
                    let parts = parts.iter().map(multipart_part);
                    quote!(#(#parts)*)
                }
                None => quote!(form.properties(body);),
            };
            (
                quote! {
                    let mut form = crate::multipart::Multipart::new();
                    #parts
                },
                quote!(.multipart(form)),
            )
        }
    }
}

/// How a parameter's encoding is named in the runtime: `Encoding::FORM`,
/// `Encoding::style(Style::DeepObject, true)`.
fn encoding_tokens(encoding: Encoding) -> TokenStream {
    let Encoding::Style {
        style,
        explode,
        allow_reserved,
    } = encoding
    else {
        return quote!(crate::encode::Encoding::Json);
    };
    let base = match (style, explode) {
        (Style::Form, true) => quote!(crate::encode::Encoding::FORM),
        (Style::Simple, false) => quote!(crate::encode::Encoding::SIMPLE),
        (style, explode) => {
            let style = ident(match style {
                Style::Simple => "Simple",
                Style::Label => "Label",
                Style::Matrix => "Matrix",
                Style::Form => "Form",
                Style::SpaceDelimited => "SpaceDelimited",
                Style::PipeDelimited => "PipeDelimited",
                Style::DeepObject => "DeepObject",
            });
            quote!(crate::encode::Encoding::style(crate::encode::Style::#style, #explode))
        }
    };
    if allow_reserved {
        quote!(#base.allow_reserved())
    } else {
        base
    }
}

/// What the streaming method of an operation adds to its docs.
fn events_doc(op: &Operation, events: &Events) -> String {
    let items = match &events.item {
        Some(_) => "each event's `data` decoded from JSON",
        None => "each a [`Event`](crate::Event) as it came",
    };
    let flag = match (&events.flag, events.only) {
        (Some(flag), _) => {
            format!(" The body is sent with `{flag}: true`, which asks for the stream.")
        }
        (None, false) => format!(
            " Where the API answers a stream only when the request asks for one, ask in the body: [`{}`](Self::{}) reads the other answer.",
            op.method_name.trim_start_matches("r#"),
            op.method_name
        ),
        (None, true) => String::new(),
    };
    format!(
        "# Events\n\nThe answer as a stream of server-sent events (`text/event-stream`), {items}. \
         Awaiting the request gives the stream once the response's headers have come; \
         an `error` event, an event that does not decode, or a stall longer than the \
         read timeout is an `Err` item.{flag}"
    )
}

fn operation_doc(op: &Operation) -> String {
    let http_line = format!("`{} {}`", op.http_method, op.path);
    let describe = |p: &crate::model::Param| match &p.description {
        Some(d) => format!("- `{}`: {}", p.rust_name.trim_start_matches("r#"), d.trim()),
        None => format!(
            "- `{}`: the `{}` parameter.",
            p.rust_name.trim_start_matches("r#"),
            p.name
        ),
    };
    let mut params: Vec<String> = op.params.iter().map(describe).collect();
    if let Some(options) = &op.options {
        let names: Vec<String> = options
            .params
            .iter()
            .map(|p| format!("`{}`", p.rust_name.trim_start_matches("r#")))
            .collect();
        params.push(format!(
            "- optional, each set by a method of the returned request named after it: {}.",
            names.join(", ")
        ));
    }
    let params = (!params.is_empty()).then(|| format!("# Parameters\n\n{}", params.join("\n")));
    let errors: Vec<String> = op
        .errors
        .iter()
        .map(|(status, description)| {
            let description = description.split_whitespace().collect::<Vec<_>>().join(" ");
            if description.is_empty() {
                format!("- `{status}`")
            } else {
                format!("- `{status}`: {description}")
            }
        })
        .collect();
    let errors = (!errors.is_empty()).then(|| {
        format!(
            "# Errors\n\n[`Error::Api`](crate::Error::Api) for an error status; the spec lists:\n\n{}",
            errors.join("\n")
        )
    });
    docs::paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&http_line),
        params.as_deref(),
        errors.as_deref(),
    ])
}

/// The operation's output type and the function that decodes a success into it.
fn decoder(success: &Success) -> (TokenStream, TokenStream) {
    let Success::Several {
        type_name,
        variants,
    } = success
    else {
        let output = body_output(success);
        let decode = body_decoder(success);
        return (output, decode);
    };
    let ty = ident(type_name);
    let mut sorted: Vec<&StatusVariant> = variants.iter().collect();
    sorted.sort_by_key(|v| match v.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let arms = sorted.iter().map(|variant| {
        let pattern = match variant.status {
            StatusMatch::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            StatusMatch::Range(hundreds) => {
                // The codes of this hundred matched above are left out of the
                // range: clippy denies overlapping arms.
                let mut pieces = Vec::new();
                let mut low = hundreds * 100;
                let mut codes: Vec<u16> = variants
                    .iter()
                    .filter_map(|v| match v.status {
                        StatusMatch::Code(code) if code / 100 == hundreds => Some(code),
                        _ => None,
                    })
                    .collect();
                codes.sort_unstable();
                for code in codes.into_iter().chain([hundreds * 100 + 100]) {
                    if code > low {
                        let (from, to) = (
                            proc_macro2::Literal::u16_unsuffixed(low),
                            proc_macro2::Literal::u16_unsuffixed(code - 1),
                        );
                        pieces.push(if code - 1 == low {
                            quote!(#from)
                        } else {
                            quote!(#from..=#to)
                        });
                    }
                    low = code + 1;
                }
                if pieces.is_empty() {
                    // Every code of the hundred has its own arm.
                    return quote!();
                }
                quote!(#(#pieces)|*)
            }
            StatusMatch::Default => quote!(_),
        };
        let name = ident(&variant.rust_name);
        let value = match &variant.body {
            Success::Empty => quote!(::std::result::Result::Ok(crate::types::#ty::#name)),
            body @ Success::Media { .. } => {
                let decode = body_decoder(body);
                quote!((#decode)(response).map(crate::types::#ty::#name))
            }
            body => {
                let decode = body_decoder(body);
                quote!(#decode(response).map(crate::types::#ty::#name))
            }
        };
        quote!(#pattern => #value,)
    });
    let fallback = (!variants.iter().any(|v| v.status == StatusMatch::Default)).then(|| {
        quote!(_ => ::std::result::Result::Err(crate::request::decode::unexpected_status(response)),)
    });
    (
        quote!(crate::types::#ty),
        quote! {
            |response| match response.status.as_u16() {
                #(#arms)*
                #fallback
            }
        },
    )
}

fn body_output(body: &Success) -> TokenStream {
    match body {
        Success::Empty => quote!(()),
        Success::Json(ty) => type_tokens(ty, Scope::Elsewhere),
        Success::Text => quote!(::std::string::String),
        Success::Bytes => quote!(::bytes::Bytes),
        Success::Redirect => quote!(crate::Redirect),
        Success::Several { type_name, .. } | Success::Media { type_name, .. } => {
            let ty = ident(type_name);
            quote!(crate::types::#ty)
        }
    }
}

fn body_decoder(body: &Success) -> TokenStream {
    match body {
        Success::Empty => quote!(crate::request::decode::empty),
        Success::Json(ty) => {
            let ty = type_tokens(ty, Scope::Elsewhere);
            quote!(crate::request::decode::json::<#ty>)
        }
        Success::Text => quote!(crate::request::decode::text),
        Success::Redirect => quote!(crate::request::decode::redirect),
        Success::Bytes | Success::Several { .. } => quote!(crate::request::decode::bytes),
        Success::Media {
            type_name,
            variants,
        } => {
            let ty = ident(type_name);
            let patterns = variants.iter().map(|v| {
                let media = &v.media;
                quote!(&[#(#media),*])
            });
            let arms = variants.iter().enumerate().map(|(i, v)| {
                let index = proc_macro2::Literal::usize_unsuffixed(i);
                let name = ident(&v.rust_name);
                let decode = body_decoder(&v.body);
                quote!(::std::option::Option::Some(#index) => #decode(response).map(crate::types::#ty::#name),)
            });
            quote! {
                |response| match crate::request::decode::media(&response, &[#(#patterns),*]) {
                    #(#arms)*
                    _ => ::std::result::Result::Err(crate::request::decode::unexpected_media(response)),
                }
            }
        }
    }
}

/// Adds one field of a multipart body to `form`.
fn multipart_part(part: &MultipartPart) -> TokenStream {
    let field = ident(&part.rust_name);
    let name = &part.name;
    let content_type = match &part.content_type {
        Some(media) => quote!(::std::option::Option::Some(#media)),
        None => quote!(::std::option::Option::None),
    };
    let file_type = part
        .content_type
        .as_deref()
        .unwrap_or("application/octet-stream");
    match (part.shape, part.optional) {
        (PartShape::Value, _) => quote!(form.value(#name, &body.#field, #content_type);),
        (PartShape::Others, _) => quote! {
            for (name, value) in &body.#field {
                form.value(name, value, ::std::option::Option::None);
            }
        },
        (PartShape::File, false) => quote!(form.file(#name, &body.#field, #file_type);),
        (PartShape::File, true) => quote! {
            if let ::std::option::Option::Some(file) = body.#field.as_ref() {
                form.file(#name, file, #file_type);
            }
        },
        (PartShape::Files, false) => quote! {
            for file in &body.#field {
                form.file(#name, file, #file_type);
            }
        },
        (PartShape::Files, true) => quote! {
            for file in body.#field.iter().flatten() {
                form.file(#name, file, #file_type);
            }
        },
    }
}

/// How an argument is taken: strings borrowed, everything else by value.
fn argument_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Array(item) => {
            let item = argument_type(item);
            quote!(&[#item])
        }
        other => type_tokens(other, Scope::Elsewhere),
    }
}

/// Whether a path parameter of this type is written (by `Display`, as JSON
/// would write it) with no character a path segment must encode: digits, a
/// `-`, hex digits of a UUID, `true`/`false`. Such a parameter skips the
/// encoder and its JSON round trip. Floats are not among them: `Display`
/// writes `1` where JSON writes `1.0`.
fn needs_no_encoding(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::Uuid
    )
}

/// The request path, each parameter expanded by its style and percent-encoded.
fn path_expr(op: &Operation) -> TokenStream {
    let parts: Vec<TokenStream> = op
        .path_parts
        .iter()
        .filter_map(|part| match part {
            PathPart::Literal(text) => Some(quote!(#text)),
            PathPart::Param(index) => {
                let param = &op.params[*index];
                let arg = ident(&param.rust_name);
                if needs_no_encoding(&param.ty)
                    && param.encoding == Encoding::default_for(ParamLocation::Path)
                {
                    Some(quote!(&::std::string::ToString::to_string(&#arg)))
                } else {
                    let name = &param.name;
                    let encoding = encoding_tokens(param.encoding);
                    Some(quote!(&crate::encode::path(#name, &#arg, #encoding)))
                }
            }
            PathPart::Query(_) => None,
        })
        .collect();
    match parts.as_slice() {
        [only] if matches!(op.path_parts[0], PathPart::Literal(_)) => {
            quote!(::std::string::String::from(#only))
        }
        [] => quote!(::std::string::String::new()),
        _ => quote!([#(#parts),*].concat()),
    }
}
