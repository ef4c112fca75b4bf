//! Settings that change what is generated without editing the spec, which
//! users of a third-party spec must never do: the library's [`Settings`],
//! filled by the binary from its flags and a TOML config file. A setting
//! given here wins over the spec's `x-rust-client` extension, which wins over
//! the default; the binary puts its flags over the config file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::load::overlay::Overlay;

use crate::diagnostic::{Diagnostic, Position};
use crate::model::names::{crate_name_problem, env_prefix_problem};

/// What the generated crate's `tls` setting may be.
pub const TLS_CHOICES: &[&str] = &[
    "rustls",
    "rustls-ring",
    "rustls-no-provider",
    "native-tls",
    "none",
];

/// The config file found beside the spec when none is given.
pub const CONFIG_FILE: &str = "generator.toml";

/// What to generate, beyond what the spec says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The package's name (`x-rust-client.crate`).
    pub crate_name: Option<String>,
    /// The package's version (`x-rust-client.version`).
    pub crate_version: Option<String>,
    /// The prefix of the environment variables the client reads (`x-rust-client.env-prefix`).
    pub env_prefix: Option<String>,
    /// The TLS feature the generated crate turns on by default: `rustls`,
    /// `rustls-ring`, `rustls-no-provider`, `native-tls` or `none` (default
    /// `rustls-ring`).
    pub tls: Option<String>,
    /// Generate a module of another crate at `crate::{module}` instead of a
    /// crate: its Rust files only (`lib.rs` the module's root), no
    /// `Cargo.toml` or `README.md`.
    pub module: Option<String>,
    /// Which operations are generated.
    pub selection: Selection,
    /// Overlay files to read into `overlays` ([`Settings::read_overlays`]):
    /// the config file's `overlays` (relative to it), then each `--overlay`.
    pub overlay_files: Vec<PathBuf>,
    /// OpenAPI Overlays applied to the spec, in order, before it is read.
    pub overlays: Vec<Overlay>,
}

/// Which operations are generated: those that match an include (all, where
/// none is given) and no exclude. A path ending in `*` matches every path
/// it starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub include_tags: Vec<String>,
    pub exclude_tags: Vec<String>,
    pub include_operations: Vec<String>,
    pub exclude_operations: Vec<String>,
    pub include_paths: Vec<String>,
    pub exclude_paths: Vec<String>,
}

impl Selection {
    fn has_includes(&self) -> bool {
        !(self.include_tags.is_empty()
            && self.include_operations.is_empty()
            && self.include_paths.is_empty())
    }

    /// Whether the operation at `path` with this id and these tags is generated.
    pub fn selects(&self, path: &str, operation_id: Option<&str>, tags: &[String]) -> bool {
        let tagged = |list: &[String]| tags.iter().any(|tag| list.contains(tag));
        let named = |list: &[String]| operation_id.is_some_and(|id| list.iter().any(|i| i == id));
        let at = |list: &[String]| list.iter().any(|pattern| path_matches(pattern, path));
        let included = !self.has_includes()
            || tagged(&self.include_tags)
            || named(&self.include_operations)
            || at(&self.include_paths);
        let excluded = tagged(&self.exclude_tags)
            || named(&self.exclude_operations)
            || at(&self.exclude_paths);
        included && !excluded
    }

    /// Every tag, operation id and path the selection names, by its setting's
    /// key, to tell the user of one that matches nothing.
    pub fn names(&self) -> Vec<(&'static str, &str)> {
        let lists: [(&'static str, &Vec<String>); 6] = [
            ("include-tag", &self.include_tags),
            ("exclude-tag", &self.exclude_tags),
            ("include-operation", &self.include_operations),
            ("exclude-operation", &self.exclude_operations),
            ("include-path", &self.include_paths),
            ("exclude-path", &self.exclude_paths),
        ];
        lists
            .into_iter()
            .flat_map(|(key, list)| list.iter().map(move |name| (key, name.as_str())))
            .collect()
    }
}

/// `/v3/chats/*` matches `/v3/chats/{chatId}`; any other pattern only itself.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

impl Settings {
    /// These settings, each replaced by `over`'s where it has one: flags over
    /// a config file. Lists are replaced whole, not merged.
    pub fn overridden_by(self, over: Settings) -> Settings {
        let list = |mine: Vec<String>, theirs: Vec<String>| match theirs.is_empty() {
            true => mine,
            false => theirs,
        };
        let (mine, theirs) = (self.selection, over.selection);
        Settings {
            crate_name: over.crate_name.or(self.crate_name),
            crate_version: over.crate_version.or(self.crate_version),
            env_prefix: over.env_prefix.or(self.env_prefix),
            tls: over.tls.or(self.tls),
            module: over.module.or(self.module),
            selection: Selection {
                include_tags: list(mine.include_tags, theirs.include_tags),
                exclude_tags: list(mine.exclude_tags, theirs.exclude_tags),
                include_operations: list(mine.include_operations, theirs.include_operations),
                exclude_operations: list(mine.exclude_operations, theirs.exclude_operations),
                include_paths: list(mine.include_paths, theirs.include_paths),
                exclude_paths: list(mine.exclude_paths, theirs.exclude_paths),
            },
            // Overlays add up: the config's first, each on the one before.
            overlay_files: [self.overlay_files, over.overlay_files].concat(),
            overlays: [self.overlays, over.overlays].concat(),
        }
    }

    /// Reads every file of `overlay_files` into `overlays`, after those
    /// already there; an unreadable one is an error naming it.
    pub fn read_overlays(&mut self) -> Result<(), Box<Diagnostic>> {
        for path in std::mem::take(&mut self.overlay_files) {
            let overlay = Overlay::read(&path).map_err(|err| {
                let mut diagnostic =
                    Diagnostic::error(format!("cannot read the overlay {}: {err}", path.display()));
                diagnostic.file = Some(path.display().to_string());
                Box::new(diagnostic)
            })?;
            self.overlays.push(overlay);
        }
        Ok(())
    }

    /// What is wrong with the values, by key (`crate-name`), with a hint each.
    pub fn problems(&self) -> Vec<(&'static str, String, &'static str)> {
        let mut problems = Vec::new();
        if let Some((name, hint)) = self
            .crate_name
            .as_ref()
            .and_then(|name| Some((name, crate_name_problem(name)?)))
        {
            problems.push((
                "crate-name",
                format!("`{name}` is not a valid crate name"),
                hint,
            ));
        }
        if let Some((version, err)) = self
            .crate_version
            .as_ref()
            .and_then(|v| Some((v, semver::Version::parse(v).err()?)))
        {
            problems.push((
                "crate-version",
                format!("`{version}` is not a semver version: {err}"),
                "cargo reads versions such as `1.2.3` or `1.2.3-beta.1`",
            ));
        }
        if let Some(prefix) = self.env_prefix.as_ref().filter(|p| env_prefix_problem(p)) {
            problems.push((
                "env-prefix",
                format!("`{prefix}` is not a valid environment variable prefix"),
                "use upper-case ASCII letters, digits and `_`",
            ));
        }
        if let Some(tls) = self
            .tls
            .as_ref()
            .filter(|t| !TLS_CHOICES.contains(&t.as_str()))
        {
            problems.push((
                "tls",
                format!("`{tls}` is not a TLS choice of the generated crate"),
                "one of `rustls`, `rustls-ring`, `rustls-no-provider`, `native-tls` or `none`",
            ));
        }
        if let Some(module) = self
            .module
            .as_ref()
            .filter(|m| !crate::build::is_module_name(m))
        {
            problems.push((
                "module",
                format!("`{module}` is not a module name"),
                "snake case: lower-case ASCII letters, digits and `_`",
            ));
        }
        problems
    }

    /// The settings of a config file, or every problem in it, located.
    ///
    /// ```toml
    /// crate-name = "acme-client"
    /// crate-version = "2.1.0"
    /// env-prefix = "ACME"
    /// include-tags = ["orders", "customers"]
    /// exclude-operations = ["deleteEverything"]
    /// exclude-paths = ["/internal/*"]
    /// overlays = ["names.overlay.yaml"]
    /// ```
    ///
    /// Overlay paths are taken relative to the config file's folder,
    /// `file_name`'s parent.
    pub fn from_toml(text: &str, file_name: &str) -> Result<Settings, Vec<Diagnostic>> {
        let located = |message: String, span: Option<std::ops::Range<usize>>| {
            let mut diagnostic = Diagnostic::error(message);
            diagnostic.file = Some(file_name.to_owned());
            if let Some(span) = span {
                let (position, line) = position_of(text, span.start);
                diagnostic = diagnostic.at_position(position);
                diagnostic.source_line = Some(line.to_owned());
            }
            diagnostic
        };
        let config: Config = toml::from_str(text).map_err(|err| {
            vec![
                located(format!("invalid config: {}", err.message()), err.span())
                    .with_hint("the keys are listed in README.md, section \"Settings\""),
            ]
        })?;
        let plain = |value: &Option<toml::Spanned<String>>| {
            value.as_ref().map(|value| value.get_ref().clone())
        };
        let list = |value: &Option<Vec<String>>| value.clone().unwrap_or_default();
        let settings = Settings {
            crate_name: plain(&config.crate_name),
            crate_version: plain(&config.crate_version),
            env_prefix: plain(&config.env_prefix),
            tls: plain(&config.tls),
            module: plain(&config.module),
            selection: Selection {
                include_tags: list(&config.include_tags),
                exclude_tags: list(&config.exclude_tags),
                include_operations: list(&config.include_operations),
                exclude_operations: list(&config.exclude_operations),
                include_paths: list(&config.include_paths),
                exclude_paths: list(&config.exclude_paths),
            },
            overlay_files: {
                let folder = Path::new(file_name).parent().unwrap_or(Path::new(""));
                list(&config.overlays)
                    .iter()
                    .map(|path| folder.join(path))
                    .collect()
            },
            overlays: Vec::new(),
        };
        let span_of = |key: &str| match key {
            "crate-name" => config.crate_name.as_ref().map(toml::Spanned::span),
            "crate-version" => config.crate_version.as_ref().map(toml::Spanned::span),
            "tls" => config.tls.as_ref().map(toml::Spanned::span),
            "module" => config.module.as_ref().map(toml::Spanned::span),
            _ => config.env_prefix.as_ref().map(toml::Spanned::span),
        };
        let problems: Vec<Diagnostic> = settings
            .problems()
            .into_iter()
            .map(|(key, message, hint)| {
                located(format!("`{key}`: {message}"), span_of(key)).with_hint(hint)
            })
            .collect();
        match problems.is_empty() {
            true => Ok(settings),
            false => Err(problems),
        }
    }
}

/// The config file's keys; any other is an error.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Config {
    crate_name: Option<toml::Spanned<String>>,
    crate_version: Option<toml::Spanned<String>>,
    env_prefix: Option<toml::Spanned<String>>,
    tls: Option<toml::Spanned<String>>,
    module: Option<toml::Spanned<String>>,
    include_tags: Option<Vec<String>>,
    exclude_tags: Option<Vec<String>>,
    include_operations: Option<Vec<String>>,
    exclude_operations: Option<Vec<String>>,
    include_paths: Option<Vec<String>>,
    exclude_paths: Option<Vec<String>>,
    overlays: Option<Vec<String>>,
}

/// The line and column (from 1) of a byte offset, and the line's text.
fn position_of(text: &str, offset: usize) -> (Position, &str) {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = text[offset..]
        .find('\n')
        .map_or(text.len(), |at| offset + at);
    let line = text[..offset].matches('\n').count() + 1;
    let column = text[start..offset].chars().count() + 1;
    (
        Position { line, column },
        text[start..end].trim_end_matches('\r'),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_select_and_excludes_win() {
        let tags = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let all = Selection::default();
        assert!(all.selects("/a", None, &[]));
        let orders = Selection {
            include_tags: tags(&["orders"]),
            exclude_operations: tags(&["deleteOrder"]),
            include_paths: tags(&["/health"]),
            exclude_paths: tags(&["/orders/internal/*"]),
            ..Selection::default()
        };
        assert!(orders.selects("/orders", Some("listOrders"), &tags(&["orders"])));
        assert!(orders.selects("/health", None, &[]));
        assert!(!orders.selects("/users", Some("listUsers"), &tags(&["users"])));
        assert!(!orders.selects("/orders/{id}", Some("deleteOrder"), &tags(&["orders"])));
        assert!(!orders.selects("/orders/internal/sync", None, &tags(&["orders"])));
    }

    #[test]
    fn a_flag_wins_over_the_config_file_key_by_key() {
        let config = Settings {
            crate_name: Some("from-config".into()),
            env_prefix: Some("CONFIG".into()),
            selection: Selection {
                include_tags: vec!["a".into()],
                ..Selection::default()
            },
            ..Settings::default()
        };
        let flags = Settings {
            crate_name: Some("from-flag".into()),
            ..Settings::default()
        };
        let merged = config.overridden_by(flags);
        assert_eq!(merged.crate_name.as_deref(), Some("from-flag"));
        assert_eq!(merged.env_prefix.as_deref(), Some("CONFIG"));
        assert_eq!(merged.selection.include_tags, ["a"]);
    }

    #[test]
    fn a_config_file_reads_every_key_and_locates_a_bad_one() {
        let settings = Settings::from_toml(
            "crate-name = \"acme\"\ncrate-version = \"2.0.0\"\nenv-prefix = \"ACME\"\n\
             include-tags = [\"a\"]\nexclude-tags = [\"b\"]\ninclude-operations = [\"c\"]\n\
             exclude-operations = [\"d\"]\ninclude-paths = [\"/e\"]\nexclude-paths = [\"/f/*\"]\n",
            "generator.toml",
        )
        .unwrap();
        assert_eq!(settings.crate_name.as_deref(), Some("acme"));
        assert_eq!(settings.crate_version.as_deref(), Some("2.0.0"));
        assert_eq!(settings.env_prefix.as_deref(), Some("ACME"));
        assert_eq!(settings.selection.exclude_paths, ["/f/*"]);

        let unknown =
            Settings::from_toml("crate-name = \"a\"\ncrate_nmae = \"b\"\n", "g.toml").unwrap_err();
        let shown = unknown[0].to_string();
        assert!(shown.contains("crate_nmae"), "{shown}");
        assert!(shown.contains("g.toml:2:1"), "{shown}");

        let bad = Settings::from_toml("\ncrate-version = \"1.0\"\n", "g.toml").unwrap_err();
        let shown = bad[0].to_string();
        assert!(shown.contains("`1.0` is not a semver version"), "{shown}");
        assert!(shown.contains("g.toml:2:17"), "{shown}");
    }
}
