//! Spec names → valid, idiomatic Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const PLAIN_KEYWORDS: &[&str] = &["crate", "self", "super", "Self", "_"];

pub fn is_raw_keyword(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name)
}

/// Keeps ASCII letters and digits, and Latin letters with accents without
/// them (`déjà` → `deja`); everything else separates words.
fn ascii_words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = unaccented(c) {
            out.push_str(plain);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The Latin-1 letters with diacritics, as ASCII.
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "O",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ß' => "ss",
        'æ' => "ae",
        'Æ' => "Ae",
        'œ' => "oe",
        'Œ' => "Oe",
        _ => return None,
    })
}

/// `chat.typing-indicator` → `ChatTypingIndicator`.
pub fn to_type_name(name: &str) -> String {
    let camel = ascii_words(name).to_upper_camel_case();
    let camel = if camel.is_empty() {
        "Unnamed".to_owned()
    } else {
        camel
    };
    let camel = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("N{camel}")
    } else {
        camel
    };
    if PLAIN_KEYWORDS.contains(&camel.as_str()) {
        format!("{camel}_")
    } else {
        camel
    }
}

/// `chatId` → `chat_id`; `type` → `r#type`; `3ds` → `n3ds`.
pub fn to_snake_name(name: &str) -> String {
    let snake = ascii_words(name).to_snake_case();
    let snake = if snake.is_empty() {
        "value".to_owned()
    } else {
        snake
    };
    let snake = if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    };
    if is_raw_keyword(&snake) {
        format!("r#{snake}")
    } else if PLAIN_KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// `LINQ_API_V3` from `linq-api-v3`.
pub fn to_env_prefix(name: &str) -> String {
    ascii_words(name).to_snake_case().to_uppercase()
}

/// `linq-partner-api` from `Linq Partner API`.
pub fn to_crate_name(name: &str) -> String {
    let kebab = ascii_words(name).to_snake_case().replace('_', "-");
    if kebab.is_empty() {
        "api-client".to_owned()
    } else {
        kebab
    }
}

/// Hands out names unique within one namespace, in the order asked: the first
/// keeps its name, later ones get `2`, `3`, … appended.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: std::collections::HashSet<String>,
}

impl Namespace {
    pub fn claim(&mut self, wanted: &str) -> String {
        let bare = wanted.strip_prefix("r#").unwrap_or(wanted);
        if self.taken.insert(bare.to_owned()) {
            return wanted.to_owned();
        }
        let separator = if bare.chars().next().is_some_and(char::is_uppercase) {
            ""
        } else {
            "_"
        };
        (2..)
            .map(|n| format!("{bare}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_valid_and_idiomatic() {
        assert_eq!(to_snake_name("chatId"), "chat_id");
        assert_eq!(to_snake_name("type"), "r#type");
        assert_eq!(to_snake_name("self"), "self_");
        assert_eq!(to_snake_name("3ds"), "n3ds");
        assert_eq!(to_snake_name("x-rate-limit"), "x_rate_limit");
        assert_eq!(to_type_name("chat.typing-indicator"), "ChatTypingIndicator");
        assert_eq!(to_type_name("Self"), "Self_");
        assert_eq!(to_type_name("2fa"), "N2fa");
        assert_eq!(to_type_name("café"), "Cafe");
        assert_eq!(to_snake_name("déjà-vu"), "deja_vu");
        assert_eq!(to_type_name("日本"), "Unnamed");
        assert_eq!(to_env_prefix("linq-api-v3"), "LINQ_API_V3");
        assert_eq!(to_crate_name("Linq Partner API"), "linq-partner-api");
    }

    #[test]
    fn namespace_suffixes_later_claims() {
        let mut names = Namespace::default();
        assert_eq!(names.claim("get"), "get");
        assert_eq!(names.claim("get"), "get_2");
        assert_eq!(names.claim("r#type"), "r#type");
        assert_eq!(names.claim("type"), "type_2");
        assert_eq!(names.claim("Pet"), "Pet");
        assert_eq!(names.claim("Pet"), "Pet2");
    }
}
