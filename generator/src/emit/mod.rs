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

use proc_macro2::TokenStream;

use crate::diagnostic::Diagnostic;
use crate::model::Api;

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
    format!(
        "@generated from {spec_name} by the OpenAPI client generator. Do not edit: change the spec, \
         the generator or its templates, then run `cargo run -p generator`."
    )
}

/// Every file of the crate, sorted by path.
pub fn emit(api: &Api, spec_name: &str) -> Result<Vec<File>, Vec<Diagnostic>> {
    unformatted(api, spec_name)?.format()
}

/// The crate's files with the Rust modules still as tokens. Formatting is the
/// costliest part of emitting: [`unformatted`] and [`Unformatted::format`]
/// let a benchmark time it on its own; [`emit`] runs both.
pub struct Unformatted {
    header: String,
    files: Vec<File>,
    modules: Vec<(String, TokenStream)>,
}

/// Renders the templates and builds every Rust module's tokens.
pub fn unformatted(api: &Api, spec_name: &str) -> Result<Unformatted, Vec<Diagnostic>> {
    let header = header(spec_name);
    let files = templates::render(api, &header)?;
    let mut modules = vec![
        ("src/types.rs".to_owned(), types::types_file(api)),
        ("src/resources/mod.rs".to_owned(), resources::mod_file(api)),
    ];
    for resource in &api.resources {
        let path = format!(
            "src/resources/{}.rs",
            resource.path[0].trim_start_matches("r#")
        );
        modules.push((path, resources::resource_file(resource)));
    }
    Ok(Unformatted {
        header,
        files,
        modules,
    })
}

impl Unformatted {
    /// Prints every Rust module; the files come back sorted by path.
    pub fn format(self) -> Result<Vec<File>, Vec<Diagnostic>> {
        let mut files = self.files;
        for (path, tokens) in self.modules {
            let contents = rust::format_file(&self.header, tokens, &path)?;
            files.push(File { path, contents });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}
