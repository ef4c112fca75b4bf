//! Emit: model → the files of the client crate, as text. Pure: no I/O.
//!
//! Rust that depends on the spec is built with `quote` and printed by
//! prettyplease; the runtime, which is mostly fixed, comes from the minijinja
//! templates in `templates/`.

mod docs;
mod resources;
mod rust;
mod templates;
mod types;
mod unions;
mod webhooks;

use proc_macro2::TokenStream;

use crate::diagnostic::Diagnostic;
use crate::model::Api;
use rust::{Module, Piece};

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Relative to the crate's root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// The first line of every generated file (behind the format's comment marker).
/// `@generated` also tells rustfmt and code review tools to leave the file alone.
pub fn header(spec_name: &str) -> String {
    let spec_name = docs::one_line(spec_name);
    format!(
        "@generated from {spec_name} by the OpenAPI client generator. Do not edit: change the spec, \
         the generator or its templates, then run `cargo run -p generator`."
    )
}

/// Every file of the crate, sorted by path.
pub fn emit(api: &Api, spec_name: &str) -> Result<Vec<File>, Vec<Diagnostic>> {
    unformatted(api, spec_name)?.format()
}

/// The crate's files, the Rust modules not yet built. Building and printing
/// them is the costliest part of emitting, done in parallel by
/// [`Unformatted::format`]; [`emit`] runs both steps.
pub struct Unformatted<'a> {
    header: String,
    files: Vec<File>,
    modules: Vec<Module<'a>>,
}

/// Renders the templates and lists the pieces of every Rust module.
pub fn unformatted<'a>(api: &'a Api, spec_name: &str) -> Result<Unformatted<'a>, Vec<Diagnostic>> {
    let header = header(spec_name);
    let files = templates::render(api, &header)?;
    let mut modules = vec![
        Module {
            path: "src/types.rs".to_owned(),
            pieces: types::types_pieces(api),
        },
        Module {
            path: "src/resources/mod.rs".to_owned(),
            pieces: vec![Box::new(|| resources::mod_file(api))],
        },
    ];
    for resource in &api.resources {
        let path = format!(
            "src/resources/{}.rs",
            resource.path[0].trim_start_matches("r#")
        );
        let pieces: Vec<Piece<'a>> = vec![Box::new(|| resources::resource_file(resource, api))];
        modules.push(Module { path, pieces });
    }
    Ok(Unformatted {
        header,
        files,
        modules,
    })
}

impl Unformatted<'_> {
    /// Builds every Rust module's tokens on this thread and counts them: the
    /// cost of building alone, for benchmarks ([`Unformatted::format`] builds
    /// them again, in parallel with printing).
    pub fn count_tokens(&self) -> usize {
        fn count(tokens: TokenStream) -> usize {
            tokens
                .into_iter()
                .map(|tree| match tree {
                    proc_macro2::TokenTree::Group(group) => 1 + count(group.stream()),
                    _ => 1,
                })
                .sum()
        }
        let pieces = self.modules.iter().flat_map(|m| &m.pieces);
        pieces.map(|piece| count(piece())).sum()
    }

    /// Builds and prints every Rust module; the files come back sorted by path.
    pub fn format(self) -> Result<Vec<File>, Vec<Diagnostic>> {
        let mut files = self.files;
        files.extend(rust::format_modules(&self.header, &self.modules)?);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}
