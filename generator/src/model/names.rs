//! Spec names → valid, idiomatic Rust identifiers, file names and crate
//! names: every name the generated crate takes from the spec is made here,
//! so that it compiles without a warning (no leading digit, no keyword, no
//! double underscore, no name the runtime already uses) and fits a file
//! system (bounded length, no file name a module folder reserves).

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

/// The longest identifier made from a spec name. Past it, names are cut
/// and end in a hash of the whole name, so that two long names that share
/// their start stay apart, run after run. 64 keeps a module's file name far
/// below the 255 bytes file systems allow.
pub const MAX_NAME_LEN: usize = 64;

/// Names the runtime declares or imports where the spec's types are in scope
/// (`error.rs` imports the error envelope beside its own `Error`; `lib.rs`
/// re-exports `types::*` beside the client), and the prelude's types, which a
/// user's `use crate_name::*` would otherwise shadow.
pub const RUNTIME_TYPE_NAMES: &[&str] = &[
    "ApiError",
    "Bytes",
    "Client",
    "ClientBuilder",
    "Credential",
    "Error",
    "HeaderMap",
    "RawResponse",
    "Request",
    "StatusCode",
    "UnexpectedResponse",
    "Uuid",
    "Box",
    "Err",
    "None",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
];

/// Module names whose file (`src/resources/<name>.rs`) is taken or special:
/// `mod.rs` is the folder's own module, and `lib`/`main` are the crate roots'
/// names, confusing beside them.
const RESERVED_FILE_STEMS: &[&str] = &["mod", "lib", "main"];

/// Whether a module of this name would have a file the crate reserves.
pub fn is_reserved_file_stem(name: &str) -> bool {
    RESERVED_FILE_STEMS.contains(&name.strip_prefix("r#").unwrap_or(name))
}

/// A name cut to [`MAX_NAME_LEN`], ending in `separator` and a stable hash of
/// the whole name when it was longer.
fn bounded(name: String, separator: &str) -> String {
    if name.len() <= MAX_NAME_LEN {
        return name;
    }
    let hash = format!("{:08x}", fnv1a(name.as_bytes()) as u32);
    let keep = MAX_NAME_LEN - separator.len() - hash.len();
    // The names are ASCII here: any byte offset is a char boundary.
    let head = name[..keep].trim_end_matches(['_', '-']);
    format!("{head}{separator}{hash}")
}

/// FNV-1a: the same hash on every platform and Rust version (std's hasher
/// promises neither), which generated names must be.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
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
    let camel = bounded(camel, "");
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
    let snake = bounded(snake, "_");
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

/// `linq-partner-api` from `Linq Partner API`; `api-1password-connect` from
/// `1Password Connect` (cargo wants a letter first); `test-api` from `Test`.
pub fn to_crate_name(name: &str) -> String {
    let kebab = ascii_words(name).to_snake_case().replace('_', "-");
    let kebab = if kebab.is_empty() {
        "api-client".to_owned()
    } else if kebab.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{kebab}")
    } else {
        kebab
    };
    let kebab = bounded(kebab, "-");
    if is_reserved_crate_name(&kebab) {
        format!("{kebab}-api")
    } else {
        kebab
    }
}

/// Whether a prefix cannot begin environment variable names: upper-case
/// ASCII letters, digits and `_` only, and not empty.
pub fn env_prefix_problem(prefix: &str) -> bool {
    prefix.is_empty()
        || !prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Why cargo or rustc would object to a package of this name, if they would.
/// The lib target is the name with `_` for `-`, and rustc warns when that is
/// not snake case.
pub fn crate_name_problem(name: &str) -> Option<&'static str> {
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("start it with a lower-case ASCII letter")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        Some(
            "use lower-case ASCII letters, digits, `-` and `_` (rustc warns about a crate name that is not snake case)",
        )
    } else if name.ends_with(['-', '_'])
        || ["--", "__", "-_", "_-"]
            .iter()
            .any(|pair| name.contains(pair))
    {
        Some("separate words with a single `-` or `_`, and end with a letter or digit")
    } else if name.len() > MAX_NAME_LEN {
        Some("use at most 64 characters, as crates.io does")
    } else if is_reserved_crate_name(name) {
        Some("this name is a Rust keyword or a name cargo reserves")
    } else {
        None
    }
}

/// Rust keywords, the standard crates, cargo's own folders and the device
/// names Windows reserves: cargo refuses a package so named, or warns.
fn is_reserved_crate_name(name: &str) -> bool {
    let snake = name.replace('-', "_");
    let windows_device = |prefix: &str| {
        snake
            .strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    };
    is_raw_keyword(&snake)
        || PLAIN_KEYWORDS.contains(&snake.as_str())
        || [
            "std",
            "core",
            "alloc",
            "proc_macro",
            "test",
            "build",
            "deps",
            "examples",
            "incremental",
            "con",
            "prn",
            "aux",
            "nul",
        ]
        .contains(&snake.as_str())
        || windows_device("com")
        || windows_device("lpt")
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
        // `Self_` and `self_` (keywords made names) continue as `Self2` and
        // `self_2`: rustc warns about `Self_2` and `self__2`.
        let (stem, separator) = if bare.chars().next().is_some_and(char::is_uppercase) {
            (bare.trim_end_matches('_'), "")
        } else if bare.ends_with('_') {
            (bare, "")
        } else {
            (bare, "_")
        };
        (2..)
            .map(|n| format!("{stem}{separator}{n}"))
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
        assert_eq!(names.claim("Self_"), "Self_");
        assert_eq!(names.claim("Self_"), "Self2");
        assert_eq!(names.claim("self_"), "self_");
        assert_eq!(names.claim("self_"), "self_2");
    }

    #[test]
    fn long_names_are_cut_with_a_stable_hash() {
        let long = "a".repeat(300);
        let snake = to_snake_name(&long);
        assert_eq!(snake.len(), MAX_NAME_LEN);
        assert_eq!(snake, to_snake_name(&long), "the same name every run");
        assert_ne!(snake, to_snake_name(&format!("{long}b")));
        assert!(snake.starts_with("aaaa") && snake.as_bytes()[MAX_NAME_LEN - 9] == b'_');
        assert_eq!(to_type_name(&long).len(), MAX_NAME_LEN);
        assert!(to_crate_name(&long).len() <= MAX_NAME_LEN);
        assert_eq!(
            to_snake_name(&"b".repeat(MAX_NAME_LEN)),
            "b".repeat(MAX_NAME_LEN)
        );
    }

    #[test]
    fn crate_names_are_ones_cargo_takes_without_a_warning() {
        assert_eq!(to_crate_name("1Password Connect"), "api-1password-connect");
        assert_eq!(to_crate_name("Test"), "test-api");
        assert_eq!(to_crate_name("Self"), "self-api");
        assert_eq!(to_crate_name("COM1"), "com1-api");
        assert_eq!(to_crate_name("!!!"), "api-client");
        for name in ["A", "1a", "a--b", "a_", "fn", "std", "a b", "é"] {
            assert!(crate_name_problem(name).is_some(), "{name}");
        }
        for name in ["a", "linq-api-v3", "a_b2", "com10"] {
            assert_eq!(crate_name_problem(name), None, "{name}");
        }
        assert!(is_reserved_file_stem("r#mod") && is_reserved_file_stem("lib"));
        assert!(!is_reserved_file_stem("module"));
    }
}
