//! `--names`: how the generated clients read, spec by spec. For each, the
//! number of methods and of resources, the methods whose name repeats
//! the resource they sit on (`client.issues().issues_list_for_repo()`), and
//! the list operations whose pages the client streams (beside those marked
//! `x-dropshot-pagination`, which progenitor streams);
//! with `-v`, every method as it is called (`chats.typing.start`), its HTTP
//! method and path.

use std::fmt::Write as _;
use std::path::Path;

use generator::model::{Resource, repeats_resource};

/// One spec's names.
pub struct Names {
    pub spec: String,
    pub methods: usize,
    pub resources: usize,
    /// `resource.path.method`, for the methods that repeat their resource.
    pub repeating: Vec<String>,
    /// `resource.path.method  METHOD /path`, every method.
    pub calls: Vec<String>,
    /// Operations with `pages()` and `items()`.
    pub paginated: usize,
    /// Operations marked `x-dropshot-pagination`.
    pub dropshot: usize,
}

/// The names of the client of the spec at `path`, or why it has none.
pub fn names(path: &Path, spec: &str) -> Result<Names, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read: {err}"))?;
    let loaded = generator::load::load(&text).map_err(|d| first_error(&d))?;
    let (api, _) = generator::model::build(&loaded.document).map_err(|d| first_error(&d))?;
    let mut names = Names {
        spec: spec.to_owned(),
        methods: 0,
        resources: 0,
        repeating: Vec::new(),
        calls: Vec::new(),
        paginated: 0,
        dropshot: 0,
    };
    names.dropshot = loaded
        .document
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter())
        .filter(|(_, op)| op.extensions.contains_key("x-dropshot-pagination"))
        .count();
    let mut pending: Vec<&Resource> = api.resources.iter().collect();
    while let Some(resource) = pending.pop() {
        names.resources += 1;
        pending.extend(&resource.children);
        let leaf = resource.path.last().map(String::as_str).unwrap_or_default();
        for op in &resource.operations {
            names.methods += 1;
            names.paginated += usize::from(op.pagination.is_some());
            let call = format!("{}.{}", resource.path.join("."), op.method_name);
            if repeats_resource(&op.method_name, leaf) {
                names.repeating.push(call.clone());
            }
            names
                .calls
                .push(format!("{call}  {} {}", op.http_method, op.path));
        }
    }
    names.calls.sort();
    names.repeating.sort();
    Ok(names)
}

fn first_error(diagnostics: &[generator::Diagnostic]) -> String {
    diagnostics
        .iter()
        .find(|d| d.is_error())
        .map(|d| d.message.clone())
        .unwrap_or_default()
}

/// The Markdown table of every spec's names; every call with `verbose`.
pub fn table(rows: &[Result<Names, (String, String)>], verbose: bool) -> String {
    let mut out = String::from(
        "| spec | methods | resources | methods repeating their resource | paginated | `x-dropshot-pagination` |\n|---|---:|---:|---|---:|---:|\n",
    );
    for row in rows {
        match row {
            Ok(names) => {
                let repeating = if names.repeating.is_empty() {
                    "0".to_owned()
                } else {
                    format!("{}: {}", names.repeating.len(), names.repeating.join(", "))
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {repeating} | {} | {} |",
                    names.spec, names.methods, names.resources, names.paginated, names.dropshot
                );
            }
            Err((spec, error)) => {
                let _ = writeln!(
                    out,
                    "| {spec} | - | - | does not generate: {error} | - | - |"
                );
            }
        }
    }
    if verbose {
        for names in rows.iter().flatten() {
            let _ = writeln!(out, "\n{}:\n", names.spec);
            for call in &names.calls {
                let _ = writeln!(out, "    {call}");
            }
        }
    }
    out
}
