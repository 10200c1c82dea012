//! Lenient field decoders: lenient in shape, strict in meaning.
//!
//! Panels disagree on how they spell a value: `100` or `"100"`, `true`, `"1"`
//! or `1`, `"0.27819"` or `0.27819000001`. Each decoder here accepts every
//! spelling of the same value and turns anything else into an error that
//! says what it expected and what it got. Decimals are read from the exact
//! text of the JSON token, so a bare number such as `0.12345678901` keeps
//! every digit and never passes through a float.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde_json::value::RawValue;

/// `str::trim`, without its Unicode scan when the text starts and ends
/// with a visible ASCII character, as almost every value of a catalog does.
pub(crate) fn trimmed(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Whether `text` is empty or only whitespace.
pub(crate) fn blank(text: &str) -> bool {
    trimmed(text).is_empty()
}

/// Parses a whole, non-negative number written as text (`"42"`, `" 42 "`).
pub(crate) fn parse_u64(text: &str) -> Option<u64> {
    let t = trimmed(text);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    // One pass: every id, min and max of a catalog comes through here.
    t.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d < 10)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// Parses a whole number that may be negative (`"-5"`).
pub(crate) fn parse_i64(text: &str) -> Option<i64> {
    let t = trimmed(text);
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: i128 = digits.parse().ok()?;
    i64::try_from(if neg { -magnitude } else { magnitude }).ok()
}

/// Parses a decimal written as text, exactly: `"18.6640"`, `"1e-5"`.
///
/// Returns `None` for anything that is not a finite decimal or that has
/// more significant digits than a [`Decimal`] holds without rounding.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    if let Some(d) = plain_decimal(text.as_bytes()) {
        return Some(d);
    }
    let t = trimmed(text);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    let plain = t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    if plain {
        Decimal::from_str_exact(t).ok()
    } else if t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        Decimal::from_scientific(t).ok()
    } else {
        None
    }
}

/// `digits` or `digits.digits`, at most 19 bytes (every digit fits a
/// `u64`): how almost every rate is written, read in one pass. `None` for
/// anything else, which [`parse_decimal`] reads the longer way.
fn plain_decimal(bytes: &[u8]) -> Option<Decimal> {
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut mantissa = 0u64;
    let mut scale = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(b - b'0'),
            // One point, with a digit on each side.
            b'.' if scale == 0 && i > 0 && i + 1 < bytes.len() => scale = bytes.len() - i - 1,
            _ => return None,
        }
    }
    let scale = u32::try_from(scale).ok()?;
    Decimal::try_from_i128_with_scale(i128::from(mantissa), scale).ok()
}

/// Parses a flag written as text: `true`/`false`, `1`/`0`, `yes`/`no`.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    let t = trimmed(text);
    for (word, value) in [
        ("true", true),
        ("1", true),
        ("yes", true),
        ("false", false),
        ("0", false),
        ("no", false),
    ] {
        if t.eq_ignore_ascii_case(word) {
            return Some(value);
        }
    }
    None
}

/// Shows a bad value in an error message: short, one line.
pub(crate) fn shown(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(40)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A value of the right JSON syntax but the wrong meaning (`"12a"` for a
/// number): what a lenient decoder says about it, in words.
pub(crate) type Invalid = String;

/// What a field decoder gives: `Ok(None)` for null or an empty string,
/// `Err` for a value it cannot read. Only broken JSON is a serde error, so
/// a caller can note a bad value and read on.
pub(crate) type Checked<T> = Result<Option<T>, Invalid>;

/// A decoder for one field, usable as a serde seed.
pub(crate) trait Field: Sized + Copy {
    type Value;
    /// What the decoder expects, for error messages.
    const EXPECTING: &'static str;

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<Self::Value>, D::Error>;

    /// Decodes a value that must be present and not null.
    fn deserialize_in<'de, D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.decode(d)?.map_err(de::Error::custom)?.ok_or_else(|| {
            de::Error::custom(format_args!("expected {}, got null", Self::EXPECTING))
        })
    }
}

/// Seed wrapper: `null` (and an empty string) decode to `None`; a bad
/// value is an error.
#[derive(Clone, Copy)]
pub(crate) struct Optional<F>(pub(crate) F);

impl<'de, F: Field> DeserializeSeed<'de> for Optional<F> {
    type Value = Option<F::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<F::Value>, D::Error> {
        self.0.decode(d)?.map_err(de::Error::custom)
    }
}

/// Seed wrapper: a bad value is kept as [`Invalid`], not an error.
#[derive(Clone, Copy)]
pub(crate) struct Lenient<F>(pub(crate) F);

impl<'de, F: Field> DeserializeSeed<'de> for Lenient<F> {
    type Value = Checked<F::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Checked<F::Value>, D::Error> {
        self.0.decode(d)
    }
}

/// A whole number ≥ 0, as a number or a numeric string.
#[derive(Clone, Copy)]
pub(crate) struct U64;

/// A whole number that may be negative, as a number or a numeric string.
#[derive(Clone, Copy)]
pub(crate) struct I64;

/// A flag, as a boolean, `0`/`1` or a word.
#[derive(Clone, Copy)]
pub(crate) struct Bool;

/// Text; a number is kept as its digits.
#[derive(Clone, Copy)]
pub(crate) struct Text;

/// An exact decimal from a string or a bare number.
#[derive(Clone, Copy)]
pub(crate) struct Dec;

/// Reads past an object or a list that is not what a field holds, so that
/// the value after it can still be read.
fn skip_map<'de, A: de::MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map
        .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
        .is_some()
    {}
    Ok(())
}

fn skip_seq<'de, A: de::SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<de::IgnoredAny>()?.is_some() {}
    Ok(())
}

fn got(expecting: &str, what: impl fmt::Display) -> Invalid {
    format!("expected {expecting}, got {what}")
}

/// The visitor methods every lenient field shares: null is `None`, an
/// object or a list is read past and is [`Invalid`].
macro_rules! absent_and_nested {
    ($expecting:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Ok(None))
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Ok(None))
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            skip_map(map)?;
            Ok(Err(got($expecting, "an object")))
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            skip_seq(seq)?;
            Ok(Err(got($expecting, "a list")))
        }
    };
}

struct IntVisitor<const SIGNED: bool>;

/// The value of an [`IntVisitor`]: whole numbers within i64 or u64.
enum Int {
    U(u64),
    I(i64),
}

impl<const SIGNED: bool> IntVisitor<SIGNED> {
    const EXPECTING: &'static str = if SIGNED {
        "a whole number"
    } else {
        "a whole number ≥ 0"
    };
}

impl<'de, const SIGNED: bool> Visitor<'de> for IntVisitor<SIGNED> {
    type Value = Checked<Int>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::EXPECTING)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ok(Some(Int::U(v))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Ok(Some(Int::I(v))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // `100.0` is a whole number written with a fraction; `1.5` is not.
        if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            let whole = v as i64;
            Ok(Ok(Some(Int::I(whole))))
        } else {
            Ok(Err(got(Self::EXPECTING, v)))
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Err(got(Self::EXPECTING, v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if let Some(n) = parse_u64(v) {
            return Ok(Ok(Some(Int::U(n))));
        }
        if blank(v) {
            return Ok(Ok(None));
        }
        if SIGNED && let Some(n) = parse_i64(v) {
            return Ok(Ok(Some(Int::I(n))));
        }
        // "100.00" — a whole number written as a decimal.
        if let Some(d) = parse_decimal(v)
            && d.fract().is_zero()
            && let Ok(n) = i64::try_from(d)
        {
            return Ok(Ok(Some(Int::I(n))));
        }
        Ok(Err(got(Self::EXPECTING, format_args!("\"{}\"", shown(v)))))
    }
    absent_and_nested!(Self::EXPECTING);
}

impl Field for U64 {
    type Value = u64;
    const EXPECTING: &'static str = "a whole number ≥ 0";

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<u64>, D::Error> {
        Ok(match d.deserialize_any(IntVisitor::<false>)? {
            Err(e) => Err(e),
            Ok(None) => Ok(None),
            Ok(Some(Int::U(v))) => Ok(Some(v)),
            Ok(Some(Int::I(v))) => u64::try_from(v)
                .map(Some)
                .map_err(|_| got(Self::EXPECTING, v)),
        })
    }
}

impl Field for I64 {
    type Value = i64;
    const EXPECTING: &'static str = "a whole number";

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<i64>, D::Error> {
        Ok(match d.deserialize_any(IntVisitor::<true>)? {
            Err(e) => Err(e),
            Ok(None) => Ok(None),
            Ok(Some(Int::I(v))) => Ok(Some(v)),
            Ok(Some(Int::U(v))) => i64::try_from(v)
                .map(Some)
                .map_err(|_| format!("whole number {v} is too large")),
        })
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Checked<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Bool::EXPECTING)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Ok(Some(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(got(Bool::EXPECTING, v)),
        })
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Err(got(Bool::EXPECTING, v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Err(got(Bool::EXPECTING, v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if blank(v) {
            return Ok(Ok(None));
        }
        Ok(parse_bool(v)
            .map(Some)
            .ok_or_else(|| got(Bool::EXPECTING, format_args!("\"{}\"", shown(v)))))
    }
    absent_and_nested!(Bool::EXPECTING);
}

impl Field for Bool {
    type Value = bool;
    const EXPECTING: &'static str = "true/false, 1/0 or \"true\"/\"false\"";

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<bool>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

/// A word, mapped to a value without copying it first (type names, status
/// words: they repeat in every entry of a list).
pub(crate) struct Word<T>(pub(crate) fn(&str) -> T);

impl<T> Clone for Word<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Word<T> {}

struct WordVisitor<T>(fn(&str) -> T);

impl<'de, T> Visitor<'de> for WordVisitor<T> {
    type Value = Checked<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a word")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Ok((!blank(v)).then(|| (self.0)(v))))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ok(Some((self.0)(&v.to_string()))))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Ok(Some((self.0)(&v.to_string()))))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Ok(Some((self.0)(&v.to_string()))))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Ok(Some((self.0)(&v.to_string()))))
    }
    absent_and_nested!("a word");
}

impl<T> Field for Word<T> {
    type Value = T;
    const EXPECTING: &'static str = "a word";

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<T>, D::Error> {
        d.deserialize_any(WordVisitor(self.0))
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Checked<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Text::EXPECTING)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Ok(Some(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Ok(Some(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Ok(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Ok(Some(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Ok(Some(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Ok(Some(v.to_string())))
    }
    absent_and_nested!(Text::EXPECTING);
}

impl Field for Text {
    type Value = String;
    const EXPECTING: &'static str = "text";

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<String>, D::Error> {
        Ok(d.deserialize_any(TextVisitor)?
            .map(|t| t.filter(|s| !blank(s))))
    }
}

impl Field for Dec {
    type Value = Decimal;
    const EXPECTING: &'static str = "a decimal number";

    fn decode<'de, D: Deserializer<'de>>(self, d: D) -> Result<Checked<Decimal>, D::Error> {
        // The raw token keeps every digit the panel sent.
        let raw: &RawValue = serde::Deserialize::deserialize(d)?;
        Ok(dec_from_raw(raw.get()))
    }
}

/// An exact decimal from the text of a JSON token: a string or a bare
/// number, every digit kept.
pub(crate) fn dec_from_raw(text: &str) -> Checked<Decimal> {
    let plain = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.contains('\\'));
    if let Some(inner) = plain {
        // The common case, "1.30": no escape to undo.
        return dec_from_text(text, inner);
    }
    let unquoted: Cow<'_, str> = if text.starts_with('"') {
        match serde_json::from_str::<Cow<'_, str>>(text) {
            Ok(t) => t,
            Err(e) => return Err(e.to_string()),
        }
    } else if text == "null" {
        return Ok(None);
    } else {
        Cow::Borrowed(text)
    };
    dec_from_text(text, &unquoted)
}

/// An exact decimal from `unquoted`, the value of the JSON token `text`
/// (a string's text without its quotes and escapes, or the token itself).
pub(crate) fn dec_from_text(text: &str, unquoted: &str) -> Checked<Decimal> {
    if blank(unquoted) {
        return Ok(None);
    }
    // The text of the error is made only for a value that is wrong.
    parse_decimal(unquoted).map(Some).ok_or_else(|| {
        let what = match text.as_bytes().first() {
            Some(b'{') => "an object".to_owned(),
            Some(b'[') => "a list".to_owned(),
            _ => shown(text),
        };
        got(Dec::EXPECTING, what)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeSeed;

    fn run<F: Field>(f: F, json: &str) -> Result<Option<F::Value>, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        Optional(f).deserialize(&mut de)
    }

    #[test]
    fn a_bad_value_is_read_past_so_the_next_can_be_read() {
        // `{"max": {...}, "min": 5}`: the nested object is skipped whole.
        let mut de = serde_json::Deserializer::from_str(r#"[{"a":[1,{"b":2}]}, [3, 4], "7"]"#);
        struct Three;
        impl<'de> Visitor<'de> for Three {
            type Value = Vec<Checked<u64>>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element_seed(Lenient(U64))? {
                    out.push(v);
                }
                Ok(out)
            }
        }
        let got = de.deserialize_seq(Three).unwrap();
        assert_eq!(
            got,
            vec![
                Err("expected a whole number ≥ 0, got an object".to_owned()),
                Err("expected a whole number ≥ 0, got a list".to_owned()),
                Ok(Some(7))
            ]
        );
    }

    #[test]
    fn trimming_matches_str_trim() {
        for text in [
            "",
            " ",
            "42",
            " 42 ",
            "\t7\n",
            "a b",
            "\u{a0}5\u{a0}",
            "\u{3000}",
            "x\u{2003}",
            "\u{2003}x",
            "Ж",
            " Ж ",
            "🔥",
            "a🔥",
            "🔥a",
        ] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
            assert_eq!(blank(text), text.trim().is_empty(), "{text:?}");
        }
    }

    #[test]
    fn whole_numbers_from_numbers_and_strings() {
        assert_eq!(run(U64, "42").unwrap(), Some(42));
        assert_eq!(run(U64, "\"42\"").unwrap(), Some(42));
        assert_eq!(run(U64, "\" 42 \"").unwrap(), Some(42));
        assert_eq!(run(U64, "100.0").unwrap(), Some(100));
        assert_eq!(run(U64, "\"100.00\"").unwrap(), Some(100));
        assert_eq!(run(U64, "null").unwrap(), None);
        assert_eq!(run(U64, "\"\"").unwrap(), None);
        assert_eq!(run(U64, "2147483647").unwrap(), Some(2_147_483_647));
        assert!(run(U64, "-1").is_err());
        assert!(run(U64, "1.5").is_err());
        assert!(run(U64, "\"12a\"").is_err());
        assert!(run(U64, "true").is_err());
        assert!(run(U64, "{}").is_err());
        assert_eq!(run(I64, "\"-5\"").unwrap(), Some(-5));
        assert_eq!(run(I64, "-5").unwrap(), Some(-5));
        assert!(run(I64, "18446744073709551615").is_err());
    }

    #[test]
    fn decimals_keep_every_digit() {
        let d = |s: &str| run(Dec, s).unwrap().unwrap().to_string();
        assert_eq!(d("\"1.30\""), "1.30");
        assert_eq!(d("\"120.00000000\""), "120.00000000");
        assert_eq!(d("0.27819000001"), "0.27819000001");
        assert_eq!(
            d("0.12345678901234567890123456"),
            "0.12345678901234567890123456"
        );
        assert_eq!(d("18"), "18");
        assert_eq!(d("1e-5"), "0.00001");
        assert_eq!(d("\"\\u0031.5\""), "1.5");
        assert_eq!(run(Dec, "null").unwrap(), None);
        assert!(run(Dec, "\"1,30\"").is_err());
        assert!(run(Dec, "\"NaN\"").is_err());
        assert!(run(Dec, "true").is_err());
        assert!(run(Dec, "[1]").is_err());
        // More digits than a Decimal holds exactly is an error, not a rounding.
        assert!(run(Dec, "0.123456789012345678901234567890123").is_err());
    }

    #[test]
    fn flags_in_every_spelling() {
        for yes in ["true", "\"true\"", "1", "\"1\"", "\"TRUE\"", "\"yes\""] {
            assert_eq!(run(Bool, yes).unwrap(), Some(true), "{yes}");
        }
        for no in ["false", "\"false\"", "0", "\"0\"", "\"no\""] {
            assert_eq!(run(Bool, no).unwrap(), Some(false), "{no}");
        }
        assert_eq!(run(Bool, "null").unwrap(), None);
        assert!(run(Bool, "2").is_err());
        assert!(run(Bool, "\"maybe\"").is_err());
    }

    #[test]
    fn text_keeps_html_escapes_as_sent() {
        assert_eq!(
            run(Text, "\"Likes &amp; views\"").unwrap().unwrap(),
            "Likes &amp; views"
        );
        assert_eq!(run(Text, "12").unwrap().unwrap(), "12");
        assert_eq!(run(Text, "null").unwrap(), None);
        assert_eq!(run(Text, "\"  \"").unwrap(), None);
    }

    #[test]
    fn parse_helpers() {
        assert_eq!(parse_i64("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64("9223372036854775808"), None);
        assert_eq!(parse_u64("+7"), Some(7));
        assert_eq!(parse_u64(""), None);
        assert_eq!(parse_u64("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64("18446744073709551616"), None);
        assert_eq!(parse_u64("1 2"), None);
        assert_eq!(parse_u64("-1"), None);
        assert_eq!(parse_bool(" 0 "), Some(false));
    }

    /// What `rust_decimal` reads from the same text, scale and all.
    fn the_long_way(text: &str) -> Option<String> {
        Decimal::from_str_exact(text).ok().map(|d| d.to_string())
    }

    #[test]
    fn plain_decimals_read_as_rust_decimal_reads_them() {
        for text in [
            "0",
            "7",
            "00",
            "007",
            "1.30",
            "0.000",
            "18.6640",
            "120.00000000",
            "9999999999999999999",
            "0.00000000000000001",
            "999999999.999999999",
        ] {
            let fast = plain_decimal(text.as_bytes()).map(|d| d.to_string());
            assert_eq!(fast, the_long_way(text), "{text}");
            assert!(fast.is_some(), "{text} is read in one pass");
        }
        // Left to the longer way: no digit on a side of the point, two
        // points, a sign, an exponent, space, 20 bytes or more.
        for text in [
            "",
            ".",
            "1.",
            ".5",
            "1..2",
            "1.2.3",
            "-1.5",
            "+1",
            "1e5",
            " 1",
            "1 ",
            "12345678901234567890",
            "0.123456789012345678",
        ] {
            assert_eq!(plain_decimal(text.as_bytes()), None, "{text}");
        }
        assert_eq!(
            parse_decimal("1.").map(|d| d.to_string()),
            the_long_way("1.")
        );
        assert_eq!(
            parse_decimal(" 1.5 ").map(|d| d.to_string()).as_deref(),
            Some("1.5")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
        #[test]
        fn any_digits_and_points_read_as_rust_decimal_reads_them(text in "[0-9.]{0,21}") {
            if let Some(fast) = plain_decimal(text.as_bytes()) {
                proptest::prop_assert_eq!(Some(fast.to_string()), the_long_way(&text));
            }
            proptest::prop_assert_eq!(
                parse_decimal(&text).map(|d| d.to_string()),
                the_long_way(&text).filter(|_| !text.is_empty())
            );
        }
    }
}
