//! The generator in a `build.rs`: a client generated into `OUT_DIR` as a
//! module of the crate that builds it, rather than a crate of its own.
//!
//! ```no_run
//! // build.rs (with `generator` in [build-dependencies]), in its `fn main`:
//! generator::build::Module::new("petstore", "petstore.yaml")
//!     .overlay("petstore.overlay.yaml")
//!     .generate()
//!     .unwrap_or_else(|failure| panic!("{failure}"));
//! ```
//!
//! ```ignore
//! // src/lib.rs: the client is `crate::petstore`.
//! include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! ```
//!
//! The crate needs the generated code's dependencies and features (those a
//! generated crate's `Cargo.toml` declares: the TLS choices and `tracing`),
//! and `doctest = false`: the docs' examples name the client as a crate.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::emit::File;
use crate::{Diagnostic, Settings};

/// A client module to generate: its name in the crate, its spec, overlays
/// and settings.
#[derive(Debug, Clone)]
pub struct Module {
    name: String,
    spec: PathBuf,
    config: Option<PathBuf>,
    settings: Settings,
}

/// Why a module was not generated.
#[derive(Debug)]
pub enum BuildFailure {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// `OUT_DIR` is not set: not run by cargo as a build script.
    NoOutDir,
    /// A bad module name.
    Name(String),
    /// The spec, a setting or an overlay was refused.
    Spec(crate::Failure),
}

impl fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildFailure::Io { path, error } => write!(f, "{}: {error}", path.display()),
            BuildFailure::NoOutDir => f.write_str("OUT_DIR is not set: run from a build.rs"),
            BuildFailure::Name(name) => write!(f, "`{name}` is not a module name (snake case)"),
            BuildFailure::Spec(failure) => write!(f, "{failure}"),
        }
    }
}

impl std::error::Error for BuildFailure {}

impl Module {
    /// The module `crate::{name}`, generated from the spec at `spec`
    /// (relative to the crate's root, as build scripts run there).
    pub fn new(name: impl Into<String>, spec: impl Into<PathBuf>) -> Module {
        Module {
            name: name.into(),
            spec: spec.into(),
            config: None,
            settings: Settings::default(),
        }
    }

    /// Applies an OpenAPI Overlay before the spec is read (repeatable).
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Module {
        self.settings.overlay_files.push(path.into());
        self
    }

    /// Reads settings from a config file (see README.md, "Settings"), under
    /// those given with [`Module::settings`].
    pub fn config(mut self, path: impl Into<PathBuf>) -> Module {
        self.config = Some(path.into());
        self
    }

    /// Settings over the config file's.
    pub fn settings(mut self, settings: Settings) -> Module {
        self.settings = settings;
        self
    }

    /// Generates the module into `OUT_DIR`: its files under `OUT_DIR/{name}/`
    /// and `OUT_DIR/{name}.rs`, which declares it, to `include!`. Tells cargo
    /// to run the script again when the spec, an overlay or the config
    /// changes. Warnings are printed as cargo build-script warnings.
    pub fn generate(self) -> Result<(), BuildFailure> {
        let out = std::env::var_os("OUT_DIR").ok_or(BuildFailure::NoOutDir)?;
        let warnings = self.generate_into(Path::new(&out))?;
        for warning in warnings {
            for line in warning.to_string().lines() {
                println!("cargo::warning={line}");
            }
        }
        Ok(())
    }

    /// [`Module::generate`] into `out`, the warnings returned: the files it
    /// writes, and the paths cargo is to watch printed.
    pub fn generate_into(self, out: &Path) -> Result<Vec<Diagnostic>, BuildFailure> {
        if !is_module_name(&self.name) {
            return Err(BuildFailure::Name(self.name));
        }
        let io = |path: &Path| {
            let path = path.to_owned();
            move |error| BuildFailure::Io { path, error }
        };
        let mut watched = vec![self.spec.clone()];
        let mut settings = match &self.config {
            Some(path) => {
                watched.push(path.clone());
                let text = std::fs::read_to_string(path).map_err(io(path))?;
                let config = Settings::from_toml(&text, &path.display().to_string())
                    .map_err(|diagnostics| BuildFailure::Spec(crate::Failure { diagnostics }))?;
                config.overridden_by(self.settings)
            }
            None => self.settings,
        };
        watched.extend(settings.overlay_files.iter().cloned());
        for path in &watched {
            println!("cargo::rerun-if-changed={}", path.display());
        }
        settings.module = Some(self.name.clone());
        settings.read_overlays().map_err(|d| {
            BuildFailure::Spec(crate::Failure {
                diagnostics: vec![*d],
            })
        })?;
        let bytes = std::fs::read(&self.spec).map_err(io(&self.spec))?;
        let generated =
            crate::generate_bytes_with(&bytes, &self.spec.display().to_string(), &settings)
                .map_err(BuildFailure::Spec)?;
        let dir = out.join(&self.name);
        write_changed(&dir, &generated.files)
            .map_err(|(path, error)| BuildFailure::Io { path, error })?;
        let lib = dir.join("lib.rs");
        let entry = format!(
            "// @generated by the OpenAPI client generator: the module `crate::{name}`.\n\
             #[path = {lib:?}]\npub mod {name};\n",
            name = self.name,
            lib = lib.display().to_string(),
        );
        let entry_path = out.join(format!("{}.rs", self.name));
        write_if_changed(&entry_path, &entry).map_err(io(&entry_path))?;
        Ok(generated.warnings)
    }
}

/// The crate's files as a module at `crate::{name}` of another crate: its
/// Rust files only, out of `src/` (`lib.rs` the module's root), each
/// `crate::` path made `crate::{name}::`.
pub fn as_module(files: Vec<File>, name: &str) -> Vec<File> {
    let prefix = format!("crate::{name}::");
    files
        .into_iter()
        .filter(|file| file.path.ends_with(".rs"))
        .filter_map(|file| {
            Some(File {
                contents: file.contents.replace("crate::", &prefix),
                path: file.path.strip_prefix("src/")?.to_owned(),
            })
        })
        .collect()
}

pub(crate) fn is_module_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "crate"
        && name != "self"
        && name != "super"
}

/// Writes each file whose bytes changed, so that cargo does not rebuild the
/// crate for an unchanged module.
fn write_changed(dir: &Path, files: &[File]) -> Result<(), (PathBuf, std::io::Error)> {
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| (parent.to_owned(), e))?;
        }
        write_if_changed(&path, &file.contents).map_err(|e| (path.clone(), e))?;
    }
    Ok(())
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    std::fs::write(path, contents)
}
