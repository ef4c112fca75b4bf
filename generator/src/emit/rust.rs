//! Shared pieces of emitted Rust: identifiers, type paths, formatting.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::diagnostic::Diagnostic;
use crate::model::TypeRef;

/// An identifier from a model name; `r#type` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where a type is written: inside `types.rs` its own types need no path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Elsewhere,
}

/// The Rust type of a model type. Standard types are fully qualified: a spec
/// may well name a schema `Option` or `String`.
pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Elsewhere => quote!(crate::types::#name),
            }
        }
        TypeRef::Array(item) => {
            let item = type_tokens(item, scope);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// Formats a file's tokens with prettyplease, under the generated-file header.
pub fn format_file(
    header: &str,
    tokens: TokenStream,
    path: &str,
) -> Result<String, Vec<Diagnostic>> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| {
        vec![
            Diagnostic::error(format!(
                "internal error: the generator produced invalid Rust for `{path}`: {err}"
            ))
            .with_hint("this is a bug in the generator; please report it with the spec"),
        ]
    })?;
    Ok(format!(
        "// {header}\n\n{}",
        space_items(&prettyplease::unparse(&file))
    ))
}

/// Puts a blank line between items, as a person would: prettyplease keeps
/// none. Only lines that open an item at the top level or in an `impl` are
/// looked at, and prettyplease never puts a string's inner lines at those spots.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { break };
        if line.is_empty() || next.is_empty() {
            continue;
        }
        let indent = |l: &str| l.len() - l.trim_start().len();
        let (depth, next_depth) = (indent(line), indent(next));
        let closes_item = (*line).trim() == "}"
            || (line.ends_with(';') && !line.trim_start().starts_with("use "));
        let ends_header = line.starts_with("//!") && !next.starts_with("//!");
        let ends_uses = line.starts_with("use ") && !next.starts_with("use ");
        let opens_item = !next.trim_start().starts_with('}') && next_depth == depth;
        if ends_header || ends_uses || (closes_item && opens_item && depth <= 4) {
            out.push('\n');
        }
    }
    out
}
