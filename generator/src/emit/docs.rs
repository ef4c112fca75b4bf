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
    let mut lines: Vec<String> = prose_lines(text.trim())
        .map(|line| {
            let line = line.trim_end();
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
        .collect();
    // A fence left open would swallow what follows the text (in `lib.rs`,
    // the example, which would then run as a doctest).
    if in_fence {
        lines.push(" ```".to_owned());
    }
    lines
}

/// Spec text on one line of a comment or a Markdown table: every run of
/// whitespace, line breaks included, is one space, and what no comment may
/// hold is escaped.
pub fn one_line(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().map(visible).collect();
    words.join(" ")
}

/// Every line break Unicode knows ends a line: a lone CR (which rustc refuses
/// in a doc comment), NEL, the line and paragraph separators, vertical tab and
/// form feed as well as LF and CRLF. Each line comes back [`visible`].
fn prose_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.find(is_line_break) {
            Some(at) => {
                let end = if text[at..].starts_with("\r\n") {
                    at + 2
                } else {
                    at + text[at..].chars().next().map_or(1, char::len_utf8)
                };
                rest = Some(&text[end..]);
                Some(visible(&text[..at]))
            }
            None => {
                rest = None;
                Some(visible(text))
            }
        }
    })
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The text with what must not reach a comment written as an escape
/// (`\u{202e}`): control characters, and the code points that change the
/// direction text is shown in (rustc denies them in comments, for they can
/// make code read differently from how it compiles). Tabs become four spaces,
/// as clippy wants no tabs in docs and rustdoc's code blocks stop at four.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if c.is_control() || is_text_direction(c) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// The bidirectional formatting code points: embeddings and overrides,
/// isolates, and the implicit marks.
fn is_text_direction(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// Spec text in a Markdown paragraph of the README: one line, with the
/// characters that would start markup or HTML escaped.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::new();
    for c in one_line(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Spec text as a Markdown code span: fenced by one more backtick than the
/// longest run inside it, padded when it starts or ends with one.
pub fn markdown_code(text: &str) -> String {
    let text = one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // In a table a `|` ends the cell even inside a code span.
    let text = text.replace('|', "\\|");
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A parameter's doc: the spec's description, then where it goes.
pub fn param_doc(param: &crate::model::Param) -> String {
    use crate::model::ParamLocation;
    let location = match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    match &param.description {
        Some(description) => format!(
            "{}\n\nThe `{}` {location} parameter.",
            description.trim(),
            param.name
        ),
        None => format!("The `{}` {location} parameter.", param.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_ends_a_line_and_no_control_or_direction_character_is_left() {
        let text = "a\rb\r\nc\u{2028}d\u{2029}e\u{85}f\u{b}g\u{c}h\ni";
        assert_eq!(
            rustdoc_safe(text),
            [" a", " b", " c", " d", " e", " f", " g", " h", " i"]
        );
        let hostile = "x\u{202e}y\u{2066}z\u{200f}\u{61c}\u{7}\u{9b}\u{7f}\tw";
        assert_eq!(
            rustdoc_safe(hostile),
            [" x\\u{202e}y\\u{2066}z\\u{200f}\\u{61c}\\u{7}\\u{9b}\\u{7f}    w"]
        );
        assert_eq!(one_line("  a\r\u{2028} b\u{202d} "), "a b\\u{202d}");
    }

    #[test]
    fn markdown_escapes_markup_and_fences_code_spans() {
        assert_eq!(
            markdown_text("a *b* <i>|</i>\nc"),
            "a \\*b\\* \\<i\\>\\|\\</i\\> c"
        );
        assert_eq!(markdown_code("GET /a"), "`GET /a`");
        assert_eq!(markdown_code("a`b``c|d"), "```a`b``c\\|d```");
        assert_eq!(markdown_code("`x"), "`` `x ``");
    }
}
