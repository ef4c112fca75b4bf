//! Shared pieces of emitted Rust: identifiers, type paths, formatting.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::File;
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
        TypeRef::Bytes => quote!(::bytes::Bytes),
        TypeRef::File => quote!(crate::FilePart),
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
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// Part of a module's tokens, built where it is printed: pieces are built and
/// printed on all cores at once, and joined in order.
pub type Piece<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A Rust module of the crate, as pieces of consecutive items.
pub struct Module<'a> {
    pub path: String,
    pub pieces: Vec<Piece<'a>>,
}

/// Builds and prints every module, a piece per job on as many threads as there
/// are cores. prettyplease prints items one after the other, so printing a
/// module's pieces apart and joining them gives the same text as printing the
/// whole module at once.
pub fn format_modules(header: &str, modules: &[Module<'_>]) -> Result<Vec<File>, Vec<Diagnostic>> {
    let jobs: Vec<(&str, &Piece<'_>)> = modules
        .iter()
        .flat_map(|m| m.pieces.iter().map(|piece| (m.path.as_str(), piece)))
        .collect();
    let printed: Vec<OnceLock<Result<String, Vec<Diagnostic>>>> =
        jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        let work = || loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, piece)) = jobs.get(index) else {
                break;
            };
            let _ = printed[index].set(print(piece(), path));
        };
        for _ in 1..threads.min(jobs.len()) {
            scope.spawn(work);
        }
        work();
    });

    let mut printed = printed
        .into_iter()
        .map(|p| p.into_inner().expect("every job ran"));
    let mut files = Vec::with_capacity(modules.len());
    for module in modules {
        let pieces = (&mut printed)
            .take(module.pieces.len())
            .collect::<Result<Vec<String>, _>>()?;
        // The text is spaced straight into the file, piece after piece: a
        // large module (Stripe's types are 12 MB) is not copied whole again.
        let size: usize = pieces.iter().map(String::len).sum();
        let mut contents = String::with_capacity(header.len() + size + size / 16 + 8);
        contents.push_str("// ");
        contents.push_str(header);
        contents.push_str("\n\n");
        space_items(pieces.iter().flat_map(|piece| piece.lines()), &mut contents);
        files.push(File {
            path: module.path.clone(),
            contents,
        });
    }
    Ok(files)
}

/// Prints one piece with prettyplease.
fn print(tokens: TokenStream, path: &str) -> Result<String, Vec<Diagnostic>> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| {
        vec![
            Diagnostic::error(format!(
                "internal error: the generator produced invalid Rust for `{path}`: {err}"
            ))
            .with_hint("this is a bug in the generator; please report it with the spec"),
        ]
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Puts a blank line between items, as a person would: prettyplease keeps
/// none. Only lines that open an item at the top level or in an `impl` are
/// looked at, and prettyplease never puts a string's inner lines at those spots.
fn space_items<'a>(lines: impl Iterator<Item = &'a str>, out: &mut String) {
    let mut lines = lines.peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let Some(&next) = lines.peek() else { break };
        if line.is_empty() || next.is_empty() {
            continue;
        }
        let indent = |l: &str| l.len() - l.trim_start().len();
        let (depth, next_depth) = (indent(line), indent(next));
        let is_comment = line.trim_start().starts_with("//");
        let closes_item = !is_comment
            && (line.trim() == "}"
                || (line.ends_with(';') && !line.trim_start().starts_with("use ")));
        let ends_header = line.starts_with("//!") && !next.starts_with("//!");
        let ends_uses = line.starts_with("use ") && !next.starts_with("use ");
        let opens_item = !next.trim_start().starts_with('}') && next_depth == depth;
        if ends_header || ends_uses || (closes_item && opens_item && depth <= 4) {
            out.push('\n');
        }
    }
}
