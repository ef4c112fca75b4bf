//! `src/resources/`: a handle type per resource, with a method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{Scope, ident, type_tokens};
use crate::model::{Api, Operation, ParamLocation, PathPart, Resource, Success, TypeRef};

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
pub fn resource_file(resource: &Resource) -> TokenStream {
    let doc = docs::inner(&format!("The `{}` resource.", resource.path[0]));
    let accessor = accessor(resource, quote!(self), quote!('_));
    let handles = handles(resource);
    quote! {
        #doc
        use crate::client::Client;
        use crate::request::{decode, Request};

        impl Client {
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

fn handles(resource: &Resource) -> TokenStream {
    let ty = ident(&resource.type_name);
    let doc = docs::outer(&resource_doc(resource));
    let children = resource
        .children
        .iter()
        .map(|child| accessor(child, quote!(self.client), quote!('a)));
    let operations = resource.operations.iter().map(operation);
    let impl_header = if resource.children.is_empty() {
        quote!(impl #ty<'_>)
    } else {
        quote!(impl<'a> #ty<'a>)
    };
    let nested = resource.children.iter().map(handles);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            client: &'a Client,
        }

        #impl_header {
            #(#children)*
            #(#operations)*
        }

        #(#nested)*
    }
}

fn operation(op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let http_line = format!("`{} {}`", op.http_method, op.path);
    let param_docs: Vec<String> = op
        .params
        .iter()
        .map(|p| match &p.description {
            Some(d) => format!("- `{}`: {}", p.rust_name.trim_start_matches("r#"), d.trim()),
            None => format!(
                "- `{}`: the `{}` parameter.",
                p.rust_name.trim_start_matches("r#"),
                p.name
            ),
        })
        .collect();
    let param_docs =
        (!param_docs.is_empty()).then(|| format!("# Parameters\n\n{}", param_docs.join("\n")));
    let doc = docs::outer(&docs::paragraphs([
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&http_line),
        param_docs.as_deref(),
    ]));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let args = op.params.iter().map(|p| {
        let arg = ident(&p.rust_name);
        let ty = argument_type(&p.ty);
        quote!(#arg: #ty)
    });
    let body_arg = op.body.as_ref().map(|body| {
        let ty = type_tokens(&body.ty, Scope::Elsewhere);
        quote!(body: &#ty)
    });

    let (output, decoder) = match &op.success {
        Success::Empty => (quote!(()), quote!(decode::empty)),
        Success::Json(ty) => {
            let ty = type_tokens(ty, Scope::Elsewhere);
            (quote!(#ty), quote!(decode::json::<#ty>))
        }
        Success::Text => (quote!(::std::string::String), quote!(decode::text)),
        Success::Bytes => (quote!(::bytes::Bytes), quote!(decode::bytes)),
    };

    let method = ident(&op.http_method);
    let template = &op.path;
    let path = path_expr(op);
    let query = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let arg = ident(&p.rust_name);
            let wire = &p.name;
            match &p.ty {
                TypeRef::Array(_) => quote!(.query_each(#wire, #arg)),
                _ => quote!(.query(#wire, #arg)),
            }
        });
    let headers = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let arg = ident(&p.rust_name);
            let wire = &p.name;
            quote!(.header_param(#wire, #arg))
        });
    let body = op.body.as_ref().map(|_| quote!(.json(body)));

    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#args,)* #body_arg) -> Request<#output> {
            Request::new(self.client, ::reqwest::Method::#method, #template, #path, #decoder)
                #(#query)*
                #(#headers)*
                #body
        }
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

/// The request path, with each parameter percent-encoded as one segment.
fn path_expr(op: &Operation) -> TokenStream {
    let parts: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(index) => {
                let arg = ident(&op.params[*index].rust_name);
                quote!(&crate::request::path_segment(&#arg))
            }
        })
        .collect();
    match parts.as_slice() {
        [only] if matches!(op.path_parts[0], PathPart::Literal(_)) => {
            quote!(::std::string::String::from(#only))
        }
        _ => quote!([#(#parts),*].concat()),
    }
}
