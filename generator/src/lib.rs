//! Turns an OpenAPI document into a Rust client crate.
//!
//! The pipeline, one module a stage: [`load`] (parse and check) → [`model`]
//! (a plain-data description of the API) → [`emit`] (the crate's files, as
//! text) → [`write`](mod@write) (compare or write atomically). Only [`write`](mod@write) touches the
//! disk; [`generate`] runs the first three in memory.

pub mod build;
pub mod diagnostic;
pub mod emit;
pub mod load;
mod locate;
pub mod model;
pub mod settings;
pub mod write;

use std::fmt;

pub use diagnostic::{Diagnostic, Severity};
pub use emit::File;
pub use settings::{Overlay, Selection, Settings};

/// The generated crate, and what the spec could do better.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<File>,
    pub warnings: Vec<Diagnostic>,
    /// The model the files were emitted from, for tools that need to know
    /// what the crate holds (the conformance runner's driver).
    pub api: model::Api,
}

/// Why a spec could not be turned into a crate: every problem found, located.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.diagnostics {
            writeln!(f, "{diagnostic}")?;
        }
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        write!(f, "{errors} error(s): no files were written")
    }
}

impl std::error::Error for Failure {}

/// Generates the client crate for the spec's bytes, as read from a file: text
/// past the size limit or not UTF-8 is refused at the place it fails.
pub fn generate_bytes(bytes: &[u8], spec_name: &str) -> Result<Generated, Failure> {
    generate_bytes_with(bytes, spec_name, &Settings::default())
}

/// [`generate_bytes`] with `settings` over the spec's own.
pub fn generate_bytes_with(
    bytes: &[u8],
    spec_name: &str,
    settings: &Settings,
) -> Result<Generated, Failure> {
    match load::text::decode(bytes) {
        Ok(text) => generate_with(text, spec_name, settings),
        Err(diagnostic) => {
            let mut diagnostics = vec![*diagnostic];
            // The lines before the bad byte are whole: quote them.
            let readable = String::from_utf8_lossy(bytes);
            locate::locate(&mut diagnostics, spec_name, &readable);
            Err(Failure { diagnostics })
        }
    }
}

/// Generates the client crate for the spec `text`. `spec_name` is how the spec
/// is named in diagnostics and in the generated files' headers.
pub fn generate(text: &str, spec_name: &str) -> Result<Generated, Failure> {
    generate_with(text, spec_name, &Settings::default())
}

/// [`generate`] with `settings` over the spec's own (its `x-rust-client`
/// extension): the crate's name, version and environment prefix, and which
/// operations it holds. The binary fills them from its flags and config file.
///
/// ```no_run
/// let spec = std::fs::read_to_string("openapi.yaml").unwrap();
/// let settings = generator::Settings {
///     crate_name: Some("acme-client".into()),
///     selection: generator::Selection {
///         include_tags: vec!["orders".into()],
///         ..Default::default()
///     },
///     ..Default::default()
/// };
/// let generated = generator::generate_with(&spec, "openapi.yaml", &settings).unwrap();
/// generator::write::write("acme-client".as_ref(), &generated.files, false).unwrap();
/// ```
pub fn generate_with(
    text: &str,
    spec_name: &str,
    settings: &Settings,
) -> Result<Generated, Failure> {
    let problems: Vec<Diagnostic> = settings
        .problems()
        .into_iter()
        .map(|(key, message, hint)| {
            let mut diagnostic = Diagnostic::error(format!("`{key}`: {message}")).with_hint(hint);
            diagnostic.file = Some("the settings".to_owned());
            diagnostic
        })
        .collect();
    if !problems.is_empty() {
        return Err(Failure {
            diagnostics: problems,
        });
    }
    let fail = |mut diagnostics: Vec<Diagnostic>| {
        locate::locate(&mut diagnostics, spec_name, text);
        // In the order of the text, as a reader fixes them; unplaced ones last.
        diagnostics.sort_by_key(|d| d.position.map_or((usize::MAX, 0), |p| (p.line, p.column)));
        Failure { diagnostics }
    };
    let loaded = load::load_with(text, &settings.overlays).map_err(fail)?;
    let (api, model_warnings) = model::build_with(&loaded.document, settings).map_err(fail)?;
    let mut warnings = loaded.warnings;
    warnings.extend(model_warnings);
    // The model owns all it needs: the document goes before emitting, which
    // is when the most memory is in use.
    drop(loaded.document);
    // Locating warnings reads the spec's text again (half of Stripe's 4 MB for
    // its one warning); it runs beside emitting instead of after it.
    let (files, warnings) = std::thread::scope(|scope| {
        let located = scope.spawn(move || {
            locate::locate(&mut warnings, spec_name, text);
            warnings
        });
        let files = emit::emit(&api, spec_name);
        let warnings = located
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (files, warnings)
    });
    let mut files = files.map_err(fail)?;
    if let Some(module) = &settings.module {
        files = build::as_module(files, module);
    }
    Ok(Generated {
        files,
        warnings,
        api,
    })
}
