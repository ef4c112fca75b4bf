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
    let header = header(spec_name);
    let mut files = templates::render(api, &header)?;
    files.push(File {
        path: "src/types.rs".into(),
        contents: rust::format_file(&header, types::types_file(api), "src/types.rs")?,
    });
    files.push(File {
        path: "src/resources/mod.rs".into(),
        contents: rust::format_file(&header, resources::mod_file(api), "src/resources/mod.rs")?,
    });
    for resource in &api.resources {
        let path = format!(
            "src/resources/{}.rs",
            resource.path[0].trim_start_matches("r#")
        );
        let contents = rust::format_file(&header, resources::resource_file(resource), &path)?;
        files.push(File { path, contents });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
