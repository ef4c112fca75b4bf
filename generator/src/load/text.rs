//! The spec's bytes → its text: the size limit, then UTF-8, both refused at
//! the place in the text where they fail.

use std::io::Read;

use super::parse::MAX_TEXT_BYTES;
use crate::diagnostic::{Diagnostic, Position};

/// Reads at most one byte past the size limit: enough to tell that a text is
/// too large without reading all of it (`/dev/zero` never ends).
pub fn read_bounded(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_TEXT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The spec's text, if it is within the size limit and UTF-8.
pub fn decode(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Box::new(
            Diagnostic::error(format!(
                "the spec is larger than the {} MiB the generator reads",
                MAX_TEXT_BYTES / (1024 * 1024)
            ))
            .at_position(position_of(bytes, MAX_TEXT_BYTES))
            .with_hint("is this the right file?"),
        ));
    }
    std::str::from_utf8(bytes).map_err(|err| {
        let at = err.valid_up_to();
        let bad = &bytes[at..at + err.error_len().unwrap_or(bytes.len() - at)];
        let shown: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
        let hint = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            "the file is UTF-16: save it as UTF-8"
        } else {
            "the generator reads UTF-8 text; save the file as UTF-8 (is it Latin-1, or binary?)"
        };
        Box::new(
            Diagnostic::error(format!(
                "the spec is not UTF-8 text: byte {} at offset {at} is not valid UTF-8",
                shown.join(" ")
            ))
            .at_position(position_of(bytes, at))
            .with_hint(hint),
        )
    })
}

/// The line and column (in characters) of byte `offset`, from the valid text before it.
fn position_of(bytes: &[u8], offset: usize) -> Position {
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Position { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_refused_at_its_byte_line_and_column() {
        let err = decode(b"openapi: 3.0.3\ninfo:\n  title: \xC3\xA9t\xE9\n").unwrap_err();
        assert_eq!(
            err.message,
            "the spec is not UTF-8 text: byte 0xE9 at offset 33 is not valid UTF-8"
        );
        assert_eq!(
            err.position,
            Some(Position {
                line: 3,
                column: 12
            })
        );
        let err = decode(b"\xFF\xFEo\0p\0").unwrap_err();
        assert_eq!(err.position, Some(Position { line: 1, column: 1 }));
        assert!(err.hint.as_deref().unwrap().contains("UTF-16"));
        assert_eq!(decode("é: ok".as_bytes()).unwrap(), "é: ok");
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let endless = std::io::repeat(b'a');
        let bytes = read_bounded(endless).unwrap();
        assert_eq!(bytes.len(), MAX_TEXT_BYTES + 1);
        let err = decode(&bytes).unwrap_err();
        assert!(err.message.contains("larger than"), "{}", err.message);
        assert_eq!(
            err.position,
            Some(Position {
                line: 1,
                column: MAX_TEXT_BYTES + 1
            })
        );
    }
}
