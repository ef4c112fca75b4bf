//! Problems found in a spec, reported the way rustc reports them: what, where
//! (file:line:column and JSON pointer), the offending line, and a hint.

use std::fmt;

/// How bad a problem is: an error stops generation, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A line and column in the spec's text, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One problem with a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where in the document, as a JSON pointer (`/paths/~1pets/get`).
    pub pointer: Option<String>,
    /// Where in the text; filled in by the locator once the pipeline stops.
    pub position: Option<Position>,
    /// The text of the line at `position`, to quote under the message.
    pub source_line: Option<String>,
    /// The column (from 1) of `source_line`'s first character: a very long
    /// line (minified JSON is one line) is quoted around the position only.
    pub source_start: usize,
    pub hint: Option<String>,
    /// The spec's file name, as given to the generator.
    pub file: Option<String>,
    /// Other places the problem involves (the first of two duplicates).
    pub related: Vec<Related>,
}

/// A second place in the spec that a diagnostic refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// What is there, e.g. "first used".
    pub label: String,
    pub pointer: String,
    /// Filled in by the locator, like the diagnostic's own.
    pub position: Option<Position>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message.into())
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message.into())
    }

    fn new(severity: Severity, message: String) -> Self {
        Self {
            severity,
            message,
            pointer: None,
            position: None,
            source_line: None,
            source_start: 1,
            hint: None,
            file: None,
            related: Vec::new(),
        }
    }

    /// Places the problem at a JSON pointer into the document.
    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Places the problem at a position in the text (a syntax error has no pointer).
    pub fn at_position(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Names another place in the document that the problem involves.
    pub fn with_related(mut self, label: impl Into<String>, pointer: impl Into<String>) -> Self {
        self.related.push(Related {
            label: label.into(),
            pointer: pointer.into(),
            position: None,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let file = self.file.as_deref().unwrap_or("<spec>");
        let gutter = self.position.map_or(1, |p| p.line.to_string().len());
        let pad = " ".repeat(gutter);
        match self.position {
            Some(p) => writeln!(f, "{pad}--> {file}:{}:{}", p.line, p.column)?,
            None => writeln!(f, "{pad}--> {file}")?,
        }
        if let (Some(p), Some(line)) = (self.position, &self.source_line) {
            writeln!(f, "{pad} |")?;
            let cut = if self.source_start > 1 { "…" } else { "" };
            writeln!(f, "{} | {cut}{line}", p.line)?;
            let caret_pad: String = cut
                .chars()
                .chain(line.chars())
                .take(cut.chars().count() + p.column.saturating_sub(self.source_start))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {caret_pad}^")?;
        }
        if let Some(pointer) = &self.pointer {
            let shown = if pointer.is_empty() { "/" } else { pointer };
            writeln!(f, "{pad} = at: {shown}")?;
        }
        for related in &self.related {
            match related.position {
                Some(p) => writeln!(
                    f,
                    "{pad} = note: {} at {file}:{}:{} ({})",
                    related.label, p.line, p.column, related.pointer
                )?,
                None => writeln!(f, "{pad} = note: {} at {}", related.label, related.pointer)?,
            }
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Escapes one segment of a JSON pointer (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Appends a segment to a JSON pointer.
pub fn join(pointer: &str, segment: &str) -> String {
    let mut joined = String::with_capacity(pointer.len() + segment.len() + 1);
    joined.push_str(pointer);
    push_segment(&mut joined, segment);
    joined
}

/// Appends a segment to a JSON pointer in place (the walks over a whole
/// document build every pointer this way, in one buffer).
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if !segment.contains(['~', '/']) {
        pointer.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}
