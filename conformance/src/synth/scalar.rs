//! Strings and numbers: formats, patterns, lengths, bounds and `multipleOf`.
//!
//! Each function proposes a value from the (flattened, 2020-12) schema; the
//! caller validates the whole value afterwards, so a proposal that misses a
//! rare combination of keywords is caught and retried, never used.

use rand::RngExt as _;
use rand::rngs::StdRng;
use regex_syntax::hir::{self, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};
use serde_json::{Map, Number, Value};

use super::SynthError;

/// How many samples of a `pattern` are drawn to find one within the length
/// bounds.
const PATTERN_SAMPLES: usize = 32;

fn number_of(schema: &Map<String, Value>, key: &str) -> Option<f64> {
    schema.get(key).and_then(Value::as_f64)
}

/// A number (or an integer when `integer`) within the schema's bounds and a
/// multiple of its `multipleOf`.
pub fn number(
    schema: &Map<String, Value>,
    integer: bool,
    hint: Option<&Value>,
    rng: &mut StdRng,
    at: &str,
) -> Result<Value, SynthError> {
    let minimum = number_of(schema, "minimum");
    let maximum = number_of(schema, "maximum");
    let exclusive_minimum = number_of(schema, "exclusiveMinimum");
    let exclusive_maximum = number_of(schema, "exclusiveMaximum");
    let multiple_of = number_of(schema, "multipleOf").filter(|m| *m > 0.0);
    let fits = |n: f64| {
        minimum.is_none_or(|m| n >= m)
            && maximum.is_none_or(|m| n <= m)
            && exclusive_minimum.is_none_or(|m| n > m)
            && exclusive_maximum.is_none_or(|m| n < m)
            && (!integer || n.fract() == 0.0)
            && multiple_of.is_none_or(|m| ((n / m) - (n / m).round()).abs() < 1e-9)
    };
    if let Some(n) = hint.and_then(Value::as_f64).filter(|n| fits(*n)) {
        return Ok(hint.cloned().unwrap_or(Value::from(n)));
    }
    // The lowest and highest allowed, before `multipleOf` and integrality.
    let low = [minimum, exclusive_minimum]
        .into_iter()
        .flatten()
        .fold(f64::NEG_INFINITY, f64::max);
    let high = [maximum, exclusive_maximum]
        .into_iter()
        .flatten()
        .fold(f64::INFINITY, f64::min);
    // Small positive numbers where allowed: they read well and fit most
    // fields (a count, a page size).
    let start = if low <= 1.0 && high >= 1.0 {
        1.0
    } else if high < 1.0 {
        low.max(high - 1000.0)
    } else {
        low
    };
    let (low, high) = (start, high.min(start + 1000.0));
    let step = match (multiple_of, integer) {
        (Some(m), true) if m.fract() != 0.0 => lcm_with_one(m),
        (Some(m), _) => m,
        (None, true) => 1.0,
        (None, false) => 0.5,
    };
    let first = (low / step).ceil() as i128;
    let last = (high / step).floor() as i128;
    if first > last {
        return Err(SynthError::unsatisfiable(
            at,
            format!("no multiple of {step} between {low} and {high}"),
        ));
    }
    // A few tries cover exclusive bounds landing exactly on a multiple.
    for _ in 0..8 {
        let span = (last - first).min(1000);
        let k = first + rng.random_range(0..=span);
        let n = k as f64 * step;
        if fits(n) {
            return Ok(if integer && n.abs() < 9.0e18 {
                Value::from(n as i64)
            } else {
                Number::from_f64(n).map_or(Value::Null, Value::Number)
            });
        }
    }
    Err(SynthError::unsatisfiable(
        at,
        "no number fits the bounds".to_string(),
    ))
}

/// The smallest multiple of a fractional `m` that is an integer (0.5 → 1,
/// 0.25 → 1, 1.5 → 3), or `m` itself when there is none within reason.
fn lcm_with_one(m: f64) -> f64 {
    (1..=1000)
        .map(|k| k as f64 * m)
        .find(|n| (n - n.round()).abs() < 1e-9)
        .unwrap_or(m)
}

/// A string for the schema's `pattern`, `format` and length bounds.
pub fn string(
    schema: &Map<String, Value>,
    hint: Option<&Value>,
    rng: &mut StdRng,
    at: &str,
) -> Result<Value, SynthError> {
    let min_length = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max_length = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|n| n as usize);
    let length_fits = |s: &str| {
        let n = s.chars().count();
        n >= min_length && max_length.is_none_or(|max| n <= max)
    };
    if let Some(text) = hint.and_then(Value::as_str).filter(|s| length_fits(s)) {
        return Ok(Value::String(text.to_string()));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        return pattern_sample(pattern, min_length, max_length, rng, at).map(Value::String);
    }
    let format = schema
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(text) = formatted(format, rng) {
        return Ok(Value::String(text));
    }
    let mut text = format!("text-{}", rng.random_range(100..1000));
    while text.chars().count() < min_length {
        text.push('x');
    }
    if let Some(max) = max_length {
        text = text.chars().take(max).collect();
    }
    Ok(Value::String(text))
}

/// A value for a known `format`, `None` for a format that constrains nothing
/// we know of.
pub fn formatted(format: &str, rng: &mut StdRng) -> Option<String> {
    let n: u32 = rng.random_range(1..250);
    let text = match format {
        "date-time" => format!(
            "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            1 + n % 12,
            1 + n % 28,
            n % 24,
            n % 60,
            (n * 7) % 60
        ),
        "date" => format!("2024-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
        "time" => format!("{:02}:{:02}:{:02}Z", n % 24, n % 60, (n * 7) % 60),
        "duration" => format!("P{}DT{}H", n % 30, n % 24),
        "uuid" => {
            let bits: u128 = rng.random();
            // Version 4, RFC 4122 variant.
            let bits = (bits & !(0xF << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
            let hex = format!("{bits:032x}");
            format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            )
        }
        "email" | "idn-email" => format!("user{n}@example.com"),
        "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => {
            format!("https://example.com/items/{n}")
        }
        "uri-template" => "https://example.com/items/{id}".to_string(),
        "hostname" | "idn-hostname" => format!("host{n}.example.com"),
        "ipv4" => format!("192.0.2.{n}"),
        "ipv6" => format!("2001:db8::{n:x}"),
        "byte" => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(format!("sample-{n}"))
        }
        "binary" => format!("binary-{n}"),
        "password" => format!("secret-{n}"),
        "int32" | "int64" | "integer" => n.to_string(),
        "double" | "float" | "decimal" | "number" => format!("{n}.5"),
        "json-pointer" => format!("/items/{n}"),
        "relative-json-pointer" => "0/items".to_string(),
        "regex" => "^[a-z]+$".to_string(),
        _ => return None,
    };
    Some(text)
}

/// A string matching `pattern` (an ECMA-262 regex, unanchored as JSON Schema
/// reads it) within the length bounds.
fn pattern_sample(
    pattern: &str,
    min_length: usize,
    max_length: Option<usize>,
    rng: &mut StdRng,
    at: &str,
) -> Result<String, SynthError> {
    let unsupported = |why: String| {
        SynthError::unsatisfiable(
            at,
            format!("cannot generate a string for pattern `{pattern}`: {why}"),
        )
    };
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&ascii_classes(&without_lookarounds(pattern)))
        .map_err(|err| unsupported(err.to_string()))?;
    let hir = printable(without_looks(hir));
    let fits = |n: usize| n >= min_length && max_length.is_none_or(|max| n <= max);
    let mut last = String::new();
    // Short repetitions first (readable values); then, for a string longer
    // than they reach (GitHub's 40-character hex `commit_sha`), every open
    // repetition made at least that long, up to the longest allowed.
    let mut attempts = vec![(hir.clone(), max_length.unwrap_or(16).clamp(1, 16) as u32)];
    if min_length > 16 {
        // rand_regex's `max_repeat` counts repeats beyond a repetition's minimum.
        let extra = max_length
            .map_or(16, |max| max.saturating_sub(min_length))
            .min(1024);
        let short =
            (min_length - hir.properties().minimum_len().unwrap_or(0).min(min_length)) as u32;
        attempts.push((lengthened(hir, &mut { short }), extra as u32));
    }
    for (hir, max_repeat) in attempts {
        let generator = rand_regex::Regex::with_hir(hir, max_repeat)
            .map_err(|err| unsupported(format!("{err:?}")))?;
        if !generator.is_utf8() {
            return Err(unsupported("it matches bytes that are not UTF-8".into()));
        }
        for _ in 0..PATTERN_SAMPLES {
            let sample: String = rng.sample(&generator);
            if fits(sample.chars().count()) {
                return Ok(sample);
            }
            last = sample;
        }
    }
    Err(SynthError::unsatisfiable(
        at,
        format!(
            "no sample of pattern `{pattern}` is {min_length}..{max_length:?} characters long (last: {last:?})"
        ),
    ))
}

/// The pattern without its lookaround groups (`(?!…)`, `(?=…)`, `(?<=…)`,
/// `(?<!…)`), which the `regex` crate does not have: the sample is drawn
/// from the rest, and the validator (which has them) judges the result.
fn without_lookarounds(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        let is_lookaround = ["(?=", "(?!", "(?<=", "(?<!"]
            .iter()
            .any(|p| rest.starts_with(p));
        if chars[i] == '\\' {
            out.push(chars[i]);
            if let Some(next) = chars.get(i + 1) {
                out.push(*next);
            }
            i += 2;
        } else if is_lookaround {
            // Skip to the matching parenthesis, escapes and classes included.
            let mut depth = 0;
            let mut in_class = false;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 1,
                    '[' => in_class = true,
                    ']' => in_class = false,
                    '(' if !in_class => depth += 1,
                    ')' if !in_class => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// ECMA-262's `\d` and `\w` are ASCII; the `regex` crate's are Unicode.
/// Outside a class they become ASCII classes; inside one, their ranges.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some('D') if !in_class => out.push_str("[^0-9]"),
                Some('w') if in_class => out.push_str("A-Za-z0-9_"),
                Some('w') => out.push_str("[A-Za-z0-9_]"),
                Some('W') if !in_class => out.push_str("[^A-Za-z0-9_]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The pattern without its anchors and word boundaries, which `rand_regex`
/// refuses: a string generated for `a+` matches `^a+$` too. (A boundary in
/// the middle may then not hold: the validator catches that.)
fn without_looks(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Capture(capture) => Hir::capture(hir::Capture {
            sub: Box::new(without_looks(*capture.sub)),
            ..capture
        }),
        HirKind::Repetition(repetition) => Hir::repetition(hir::Repetition {
            sub: Box::new(without_looks(*repetition.sub)),
            ..repetition
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(without_looks).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.into_iter().map(without_looks).collect())
        }
        kind @ (HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_)) => hir_of(kind),
    }
}

/// The first repetition with no upper bound (`+`, `*`, `{n,}`) repeated
/// enough more times to write `short` more characters (by its own
/// narrowest match), the rest of the pattern as it is: `^ghp_[a-z]+$` of 40
/// characters is `ghp_` and 36 letters.
fn lengthened(hir: Hir, short: &mut u32) -> Hir {
    match hir.into_kind() {
        HirKind::Repetition(repetition) if repetition.max.is_none() && *short > 0 => {
            let width = repetition
                .sub
                .properties()
                .minimum_len()
                .unwrap_or(1)
                .max(1) as u32;
            let more = short.div_ceil(width);
            *short = 0;
            Hir::repetition(hir::Repetition {
                min: repetition.min + more,
                ..repetition
            })
        }
        HirKind::Repetition(repetition) => Hir::repetition(hir::Repetition {
            sub: Box::new(lengthened(*repetition.sub, short)),
            ..repetition
        }),
        HirKind::Capture(capture) => Hir::capture(hir::Capture {
            sub: Box::new(lengthened(*capture.sub, short)),
            ..capture
        }),
        HirKind::Concat(subs) => {
            Hir::concat(subs.into_iter().map(|h| lengthened(h, short)).collect())
        }
        HirKind::Alternation(subs) => {
            let budget = *short;
            let out = subs
                .into_iter()
                .map(|h| {
                    // Each branch is a way of its own to the length.
                    let mut each = budget;
                    lengthened(h, &mut each)
                })
                .collect();
            *short = 0;
            Hir::alternation(out)
        }
        kind => hir_of(kind),
    }
}

/// Character classes narrowed to printable ASCII where they allow any of it
/// (`.`, `[^,]`): the values stay readable in a log and survive every
/// transport; a class of other characters only is kept as it is.
fn printable(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut narrowed = class.clone();
            narrowed.intersect(&ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]));
            let kept = if narrowed.ranges().is_empty() {
                class
            } else {
                narrowed
            };
            Hir::class(Class::Unicode(kept))
        }
        HirKind::Capture(capture) => Hir::capture(hir::Capture {
            sub: Box::new(printable(*capture.sub)),
            ..capture
        }),
        HirKind::Repetition(repetition) => Hir::repetition(hir::Repetition {
            sub: Box::new(printable(*repetition.sub)),
            ..repetition
        }),
        HirKind::Concat(subs) => Hir::concat(subs.into_iter().map(printable).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.into_iter().map(printable).collect()),
        kind => hir_of(kind),
    }
}

fn hir_of(kind: HirKind) -> Hir {
    match kind {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(hir::Literal(bytes)) => Hir::literal(bytes),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(repetition) => Hir::repetition(repetition),
        HirKind::Capture(capture) => Hir::capture(capture),
        HirKind::Concat(subs) => Hir::concat(subs),
        HirKind::Alternation(subs) => Hir::alternation(subs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;
    use serde_json::json;

    fn rng() -> StdRng {
        StdRng::seed_from_u64(7)
    }

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn anchored_patterns_with_ecma_classes_give_ascii_matches() {
        for _ in 0..20 {
            let value = string(
                &map(json!({"pattern": "^\\d{3}-[\\w]{2}$"})),
                None,
                &mut rng(),
                "",
            )
            .unwrap();
            let text = value.as_str().unwrap();
            assert_eq!(text.len(), 6, "{text}");
            assert!(text[..3].bytes().all(|b| b.is_ascii_digit()), "{text}");
        }
    }

    #[test]
    fn lookarounds_are_left_to_the_validator() {
        assert_eq!(
            without_lookarounds("^(?![0-9a-f]{8}-(x))^[a-z][a-z0-9-]*$"),
            "^^[a-z][a-z0-9-]*$"
        );
        assert_eq!(without_lookarounds("a\\(?!b"), "a\\(?!b");
        let value = string(
            &map(json!({"pattern": "^(?!abc)[a-z]{3}$"})),
            None,
            &mut rng(),
            "",
        )
        .unwrap();
        assert_eq!(value.as_str().unwrap().len(), 3);
    }

    #[test]
    fn lengths_bound_plain_strings() {
        let value = string(
            &map(json!({"minLength": 20, "maxLength": 22})),
            None,
            &mut rng(),
            "",
        )
        .unwrap();
        let n = value.as_str().unwrap().len();
        assert!((20..=22).contains(&n));
    }

    #[test]
    fn numbers_honour_exclusive_bounds_and_multiples() {
        let mut rng = rng();
        for _ in 0..50 {
            let value = number(
                &map(json!({"exclusiveMinimum": 10, "maximum": 20, "multipleOf": 5})),
                true,
                None,
                &mut rng,
                "",
            )
            .unwrap();
            assert!(value == json!(15) || value == json!(20), "{value}");
        }
        let value = number(
            &map(json!({"minimum": 0.1, "maximum": 0.3, "multipleOf": 0.1})),
            false,
            None,
            &mut rng,
            "",
        )
        .unwrap();
        assert!((0.1..=0.3).contains(&value.as_f64().unwrap()));
        let err = number(
            &map(json!({"minimum": 5, "maximum": 3})),
            true,
            None,
            &mut rng,
            "/x",
        )
        .unwrap_err();
        assert!(err.to_string().contains("/x"), "{err}");
    }
}
