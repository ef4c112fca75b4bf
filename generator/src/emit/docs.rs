//! Doc comments from the spec's prose.

use proc_macro2::TokenStream;
use quote::quote;

/// Joins non-empty paragraphs with a blank line.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `#[doc = " line"]` attributes, which prettyplease prints as `/// line`.
pub fn outer(text: &str) -> TokenStream {
    let lines = rustdoc_safe(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = " line"]` attributes, printed as `//! line`.
pub fn inner(text: &str) -> TokenStream {
    let lines = rustdoc_safe(text);
    quote! { #( #![doc = #lines] )* }
}

/// The lines of a doc comment, each with its leading space. Code fences without
/// a language are marked `text`: rustdoc would compile them as Rust doctests.
pub fn rustdoc_safe(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.trim()
        .lines()
        .map(|line| {
            // Clippy wants no tabs in docs; a tab stop is four columns in rustdoc's code blocks.
            let line = line.trim_end().replace('\t', "    ");
            let line = line.as_str();
            let trimmed = line.trim_start();
            let line = if let Some(rest) = trimmed.strip_prefix("```") {
                in_fence = !in_fence;
                if in_fence && rest.trim().is_empty() {
                    format!("{line}text")
                } else {
                    line.to_owned()
                }
            } else {
                line.to_owned()
            };
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}
