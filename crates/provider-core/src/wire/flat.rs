//! Reading a bare list of services straight from its text, without going
//! through serde's calls for every key and value.
//!
//! A catalog is a list of flat objects whose values are short strings,
//! whole numbers, `true`, `false` and `null`. This reader reads those
//! itself and hands each value to the same field decoders as the serde
//! path ([`FieldSeed`], the exact rate from the token's text), so a service
//! reads the same either way. Anything else — a nested value, a number
//! with a fraction or a sign, an entry that is not an object — is read by
//! `serde_json` from where it starts, and decoded by the same decoders.
//!
//! What this reader does not accept (broken JSON, a control character in
//! a string, a lone surrogate escape, deep nesting) it does not judge: it
//! gives up, and the caller decodes the whole list the serde way, which
//! says what is wrong in the words it always used.

use serde::de::{DeserializeSeed, Deserializer, Visitor};
use serde_json::value::RawValue;

use super::lenient::{dec_from_raw, dec_from_text};
use super::parallel::Part;
use super::services::{EntrySeed, FieldSeed, Fields, Listed, ServiceKey, ServiceSink};

/// The list could not be read here; the serde path decides what it is.
#[derive(Debug)]
struct GaveUp;

type Read<T> = Result<T, GaveUp>;

/// The bare list `text` read into `listed`; `None` where this reader gives
/// up (`listed`, perhaps part filled, is dropped: the caller starts again
/// with a new sink).
pub(super) fn read_list<S: ServiceSink>(text: &str, listed: Listed<S>) -> Option<Listed<S>> {
    read_part(Part::whole(text), listed)
}

/// A part of a bare list read into `listed`, as [`read_list`] reads a
/// whole one.
pub(super) fn read_part<S: ServiceSink>(
    part: Part<'_>,
    mut listed: Listed<S>,
) -> Option<Listed<S>> {
    entries(part, &mut listed).ok()?;
    Some(listed)
}

/// Reads the entries of `part` into `listed`.
fn entries<S: ServiceSink>(part: Part<'_>, listed: &mut Listed<S>) -> Read<()> {
    let mut r = Reader {
        text: part.text,
        at: 0,
        scratch: String::new(),
        keys: Vec::new(),
    };
    r.space();
    let empty = part.opens && {
        r.expect(b'[')?;
        r.space();
        part.closes && r.peek() == Some(b']')
    };
    if empty {
        r.at += 1;
    } else {
        loop {
            r.space();
            if r.peek() == Some(b'{') {
                r.at += 1;
                let fields = r.object()?;
                listed.push(fields.finish(None));
            } else {
                // Not a service object: set aside by the serde path's rules.
                let raw = r.raw_value(1)?;
                let mut de = serde_json::Deserializer::from_str(raw);
                EntrySeed::new(listed)
                    .deserialize(&mut de)
                    .map_err(|_| GaveUp)?;
            }
            r.space();
            match r.next() {
                Some(b',') => {}
                Some(b']') if part.closes => break,
                // A part cut before the list's end ends after an item.
                None if !part.closes => return Ok(()),
                _ => return Err(GaveUp),
            }
        }
    }
    r.space();
    if r.at == r.text.len() {
        Ok(())
    } else {
        Err(GaveUp)
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    /// Where strings with escapes are undone.
    scratch: String,
    /// The keys of the object before, in its order, as written (with their
    /// quotes): the next object's keys are most likely the same.
    keys: Vec<(Written<'a>, ServiceKey)>,
}

/// A key as written, with its quotes, and its first sixteen bytes as a
/// number, to be compared with the text in one step.
struct Written<'a> {
    text: &'a str,
    head: u128,
    mask: u128,
}

impl<'a> Written<'a> {
    fn new(text: &'a str) -> Written<'a> {
        let mut head = [0u8; 16];
        let n = text.len().min(16);
        head[..n].copy_from_slice(&text.as_bytes()[..n]);
        Written {
            text,
            head: u128::from_le_bytes(head),
            mask: u128::MAX >> (8 * (16 - n)),
        }
    }

    /// Whether `bytes` starts with this key.
    fn starts(&self, bytes: &[u8]) -> bool {
        match bytes.get(..16).and_then(|b| <[u8; 16]>::try_from(b).ok()) {
            Some(head) if self.text.len() <= 16 => {
                u128::from_le_bytes(head) & self.mask == self.head
            }
            _ => bytes.starts_with(self.text.as_bytes()),
        }
    }
}

/// How deep `serde_json` lets values nest: fewer levels than this.
const DEPTH: usize = 128;

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Read<()> {
        if self.next() == Some(byte) {
            Ok(())
        } else {
            Err(GaveUp)
        }
    }

    /// Skips JSON's white space.
    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// The fields of the object whose `{` was just read, through its `}`.
    fn object(&mut self) -> Read<Fields> {
        let mut fields = Fields::default();
        self.space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(fields);
        }
        let mut nth = 0;
        loop {
            self.space();
            let key = self.key(nth)?;
            nth += 1;
            self.space();
            self.expect(b':')?;
            self.space();
            self.value(&mut fields, key)?;
            self.space();
            match self.next() {
                Some(b',') => {}
                Some(b'}') => return Ok(fields),
                _ => return Err(GaveUp),
            }
        }
    }

    /// The `nth` key of an object, which starts here.
    fn key(&mut self, nth: usize) -> Read<ServiceKey> {
        if let Some((written, key)) = self.keys.get(nth)
            && written.starts(&self.text.as_bytes()[self.at..])
        {
            // The same key as the object before had here: a whole string
            // token, since it has no escape and ends with its quote.
            self.at += written.text.len();
            return Ok(key.clone());
        }
        let start = self.at;
        self.expect(b'"')?;
        match self.string()? {
            Str::Borrowed(k) => {
                let key = ServiceKey::of(k);
                self.keys.truncate(nth);
                if self.keys.len() == nth {
                    let written = Written::new(&self.text[start..self.at]);
                    self.keys.push((written, key.clone()));
                }
                Ok(key)
            }
            Str::Scratch => Ok(ServiceKey::of(&self.scratch)),
        }
    }

    /// Reads the value of the field `key` into `fields`.
    fn value(&mut self, fields: &mut Fields, key: ServiceKey) -> Read<()> {
        let start = self.at;
        let token = match self.peek() {
            Some(b'"') => {
                self.at += 1;
                match self.string() {
                    Ok(Str::Borrowed(s)) => Scalar::Borrowed(s),
                    Ok(Str::Scratch) => Scalar::Scratch(&self.scratch),
                    // A rate is read from its token's text, whose escapes
                    // the serde way undoes only then (a lone surrogate
                    // makes that rate wrong, not the list).
                    Err(GaveUp) if matches!(key, ServiceKey::Rate) => {
                        self.at = start;
                        return self.by_serde(fields, key);
                    }
                    Err(GaveUp) => return Err(GaveUp),
                }
            }
            Some(b't') => self.word("true", Scalar::Bool(true))?,
            Some(b'f') => self.word("false", Scalar::Bool(false))?,
            Some(b'n') => self.word("null", Scalar::Null)?,
            Some(b'1'..=b'9') => match self.whole_number() {
                Some(n) => Scalar::U64(n),
                None => return self.by_serde(fields, key),
            },
            Some(b'0') if !self.number_goes_on(start + 1) => {
                self.at += 1;
                Scalar::U64(0)
            }
            _ => return self.by_serde(fields, key),
        };
        if let ServiceKey::Rate = key {
            // The exact decimal is read from the token's own text.
            let raw = &self.text[start..self.at];
            fields.rate(match token {
                Scalar::Borrowed(s) => dec_from_text(raw, s),
                _ => dec_from_raw(raw),
            });
            return Ok(());
        }
        FieldSeed::new(fields, key)
            .deserialize(token)
            .map_err(|_| GaveUp)
    }

    /// A value this reader does not read itself, read by `serde_json`.
    fn by_serde(&mut self, fields: &mut Fields, key: ServiceKey) -> Read<()> {
        let raw = self.raw_value(2)?;
        let mut de = serde_json::Deserializer::from_str(raw);
        FieldSeed::new(fields, key)
            .deserialize(&mut de)
            .map_err(|_| GaveUp)
    }

    /// The text of the JSON value that starts here, `nested` levels deep,
    /// read past; checked by `serde_json`, and no deeper than it allows.
    fn raw_value(&mut self, nested: usize) -> Read<&'a str> {
        let rest = &self.text[self.at..];
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
        let raw = values.next().ok_or(GaveUp)?.map_err(|_| GaveUp)?.get();
        let openers = raw.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
        if openers + nested >= DEPTH {
            return Err(GaveUp);
        }
        self.at += values.byte_offset();
        Ok(raw)
    }

    /// `word` (`true`, `false`, `null`), which starts here.
    fn word<'s>(&mut self, word: &str, token: Scalar<'a, 's>) -> Read<Scalar<'a, 's>> {
        if self.text.as_bytes()[self.at..].starts_with(word.as_bytes())
            && !self.number_goes_on(self.at + word.len())
        {
            self.at += word.len();
            Ok(token)
        } else {
            Err(GaveUp)
        }
    }

    /// Whether the byte at `at` would continue a number or a word.
    fn number_goes_on(&self, at: usize) -> bool {
        self.text
            .as_bytes()
            .get(at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
    }

    /// A whole number of at most 19 digits (it fits a `u64`) with nothing
    /// after it that makes it another kind of number; `None` (nothing
    /// read) otherwise.
    fn whole_number(&mut self) -> Option<u64> {
        let bytes = &self.text.as_bytes()[self.at..];
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 19 || self.number_goes_on(self.at + digits) {
            return None;
        }
        let n = bytes[..digits]
            .iter()
            .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        self.at += digits;
        Some(n)
    }

    /// The string whose `"` was just read, through its closing `"`:
    /// borrowed from the text, or undone into `scratch` when it has
    /// escapes.
    fn string(&mut self) -> Read<Str<'a>> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut end = start + plain_run(&bytes[start..]);
        match bytes.get(end) {
            Some(b'"') => {
                self.at = end + 1;
                return Ok(Str::Borrowed(&self.text[start..end]));
            }
            Some(b'\\') => {}
            _ => return Err(GaveUp),
        }
        self.scratch.clear();
        let mut from = start;
        loop {
            if from < end {
                self.scratch.push_str(&self.text[from..end]);
            }
            match bytes.get(end) {
                Some(b'"') => {
                    self.at = end + 1;
                    return Ok(Str::Scratch);
                }
                Some(b'\\') => {
                    let (c, len) = escape(&bytes[end + 1..]).ok_or(GaveUp)?;
                    self.scratch.push(c);
                    from = end + 1 + len;
                }
                _ => return Err(GaveUp),
            }
            // Escapes often come in runs (`\u0421\u0435…`).
            end = match bytes.get(from) {
                Some(b'\\') => from,
                _ => from + plain_run(&bytes[from..]),
            };
        }
    }
}

/// How many bytes from the start of `bytes` need no attention in a
/// string: up to a `"`, a `\\` or a control character, or the end.
///
/// Eight bytes at a time: a byte of a word is flagged when it is one of
/// those (the lowest flag is exact; flags above it may not be, and are not
/// used).
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let v = u64::from_le_bytes(word);
        let flags = zero_in(v ^ (ONES * u64::from(b'"')))
            | zero_in(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
        if flags != 0 {
            return at + (flags.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(bytes.len() - at)
}

/// The character of the escape whose `\` was just read, and how many bytes
/// after the `\` it took; `None` for what `serde_json` would refuse or
/// read differently (an unknown escape, a lone surrogate).
fn escape(bytes: &[u8]) -> Option<(char, usize)> {
    let c = match bytes.first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(bytes.get(1..5)?)?;
            return match high {
                0xD800..=0xDBFF => {
                    let rest = bytes.get(5..11)?;
                    if !rest.starts_with(b"\\u") {
                        return None;
                    }
                    let low = hex4(&rest[2..])?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    Some((char::from_u32(code)?, 11))
                }
                0xDC00..=0xDFFF => None,
                _ => Some((char::from_u32(high)?, 5)),
            };
        }
        _ => return None,
    };
    Some((c, 1))
}

/// Four hex digits.
fn hex4(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        let digit = HEX[usize::from(b)];
        (digit < 16).then_some(n << 4 | u32::from(digit))
    })
}

/// The value of each byte as a hex digit; 16 for a byte that is not one.
const HEX: [u8; 256] = {
    let mut table = [16u8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// A string read: borrowed from the text, or in the reader's scratch.
enum Str<'a> {
    Borrowed(&'a str),
    Scratch,
}

/// One scalar value, for the field decoders: they see it as `serde_json`
/// shows the same token (a string borrowed or copied, a whole number ≥ 0,
/// a flag, null).
enum Scalar<'de, 's> {
    Borrowed(&'de str),
    Scratch(&'s str),
    U64(u64),
    Bool(bool),
    Null,
}

impl<'de> Deserializer<'de> for Scalar<'de, '_> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Scalar::Borrowed(s) => visitor.visit_borrowed_str(s),
            Scalar::Scratch(s) => visitor.visit_str(s),
            Scalar::U64(n) => visitor.visit_u64(n),
            Scalar::Bool(b) => visitor.visit_bool(b),
            Scalar::Null => visitor.visit_unit(),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self {
            Scalar::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Service, SkippedService};
    use proptest::prelude::*;

    /// What a reading gave: the services, the entries set aside, and how
    /// many entries there were.
    type Outcome = (Vec<Service>, Vec<SkippedService>, usize);

    /// The list read here, or `None` where this reader gives up.
    fn here(text: &str) -> Option<Outcome> {
        read_list(text, Listed::new(Vec::new())).map(Listed::outcome)
    }

    /// The list read the serde way, or `None` for what it refuses.
    fn by_serde(text: &str) -> Option<Outcome> {
        let mut listed = Listed::new(Vec::new());
        super::super::services::read_list(text, &mut listed).then(|| listed.outcome())
    }

    /// Whatever this reader reads, the serde way reads the same; what it
    /// refuses, this reader gives up on.
    fn same(text: &str) -> Option<Outcome> {
        let fast = here(text);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), by_serde(text).as_ref(), "{text}");
        }
        fast
    }

    #[test]
    fn a_catalog_reads_as_the_serde_way_reads_it() {
        let text = concat!(
            "[{\"service\":\"1\",\"name\":\"VK Likes &amp; \\u0421\\u0435\\ud83d\\udd25\",",
            "\"type\":\"Default\",\"category\":\"VK\",\"rate\":\"8.00005\",\"min\":\"1\",",
            "\"max\":\"10000000\",\"refill\":false,\"cancel\":true,\"dripfeed\":null,",
            "\"desc\":\"<p>Start: 0-12 hours<br>Speed: 32K\\/day<\\/p>\",\"average_time\":\"48 min\"},",
            " {\"service\": 2, \"name\": \"B\", \"rate\": 0.5, \"min\": 0, \"max\": 100.0,\n",
            "  \"refill\": \"1\", \"extra\": {\"a\": [1, -2, 3e4]}, \"type\": 7, \"\\u0072ate\": \"2.5\"},",
            "{\"service\":3,\"name\":\"C\",\"rate\":\"x\",\"min\":1,\"max\":2},",
            "\"not an object\", null, [1, 2], 12,",
            "{\"service\":4,\"rate\":-1,\"min\":1,\"max\":2,\"desc\":{\"html\":true}},",
            "{\"service\":5,\"rate\":\"1\",\"min\":1,\"max\":2,\"max\":3,\"k\":\"\\t\\\"q\\\"\"}]",
        );
        let (services, skipped, entries) = same(text).expect("read here");
        assert_eq!(entries, 9);
        let ids: Vec<u64> = services.iter().map(|s| s.id.get()).collect();
        assert_eq!(ids, [1, 2, 5]);
        assert_eq!(services[0].name, "VK Likes & Се🔥");
        assert_eq!(services[1].rate.to_string(), "2.5");
        assert_eq!(services[2].max, 3);
        assert_eq!(skipped.len(), 6);
    }

    #[test]
    fn every_catalog_fixture_reads_as_the_serde_way_reads_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut lists = 0;
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !name.starts_with("services__") {
                continue;
            }
            let body = std::fs::read(&path).expect("readable");
            let Ok(text) = std::str::from_utf8(crate::wire::json_start(&body)) else {
                continue;
            };
            if by_serde(text).is_some() {
                assert!(same(text).is_some(), "{name} is given up");
                lists += 1;
            } else {
                assert_eq!(here(text), None, "{name}");
            }
        }
        assert!(lists >= 15, "{lists} lists");
    }

    #[test]
    fn what_serde_json_refuses_is_given_up() {
        for text in [
            "",
            "[",
            "[{}",
            "[{\"service\":1,}]",
            "[{\"service\":1]",
            "[{\"service\" 1}]",
            "[{\"service\":01}]",
            "[{\"service\":1.}]",
            "[{\"service\":tru}]",
            "[{\"service\":nullx}]",
            "[{\"name\":\"a\u{1}b\"}]",
            "[{\"name\":\"line\nbreak\"}]",
            "[{\"name\":\"\\ud800\"}]",
            "[{\"name\":\"\\udc00\\ud800\"}]",
            "[{\"name\":\"\\ud800\\u0041\"}]",
            "[{\"name\":\"\\x41\"}]",
            "[{\"name\":\"\\u12G4\"}]",
            "[{\"name\":\"open}]",
            "[1,]",
            "[] x",
            "[]]",
            "\u{c}[]",
        ] {
            assert_eq!(here(text), None, "{text:?}");
            assert_eq!(by_serde(text), None, "{text:?}");
        }
    }

    #[test]
    fn values_nested_as_deep_as_serde_json_allows_and_no_deeper() {
        for depth in [1, 100, 125, 126, 127, 128, 200] {
            let value = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            for text in [
                format!("[{{\"service\":1,\"rate\":\"1\",\"min\":1,\"max\":2,\"x\":{value}}}]"),
                format!("[{value}]"),
            ] {
                let serde = by_serde(&text);
                let fast = same(&text);
                assert!(fast.is_none() || serde.is_some(), "{depth}");
                if depth <= 100 {
                    assert!(fast.is_some(), "{depth}");
                }
            }
        }
    }

    /// Values of every kind a panel sends, and some it should not.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "\"[ -~]{0,12}\"",
            "\"[0-9]{1,6}(\\.[0-9]{1,8})?\"",
            "\"(\\\\u[0-9a-fA-F]{4}|\\\\[\"\\\\/bfnrt]|[a-zÀ-ž &<>;#])*\"",
            "\"\\\\ud83d\\\\ude00\"",
            "-?(0|[1-9][0-9]{0,21})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?",
            "true|false|null",
            "\\{\"a\":\\[1,\\{\"b\":null\\}\\]\\}|\\[\\]|\\{\\}",
        ]
    }

    fn entry() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            prop::sample::select(vec![
                "service",
                "name",
                "type",
                "category",
                "rate",
                "min",
                "max",
                "refill",
                "cancel",
                "canceling_is_available",
                "dripfeed",
                "desc",
                "description",
                "average_time",
            ])
            .prop_map(str::to_owned),
            "[a-z_]{1,20}",
        ];
        let space = prop::sample::select(vec!["", "", "", " ", "\n  ", "\t"]);
        prop_oneof![
            9 => prop::collection::vec((key, value(), space), 0..14).prop_map(|fields| {
                let members: Vec<String> = fields
                    .into_iter()
                    .map(|(k, v, s)| format!("{s}\"{k}\"{s}:{s}{v}{s}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
            1 => value(),
        ]
    }

    fn catalog() -> impl Strategy<Value = String> {
        prop::collection::vec(entry(), 0..8).prop_map(|entries| format!("[{}]", entries.join(",")))
    }

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 500,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_catalogs_read_the_same(text in catalog()) {
            let fast = same(&text);
            // A well-formed catalog of shallow values is read here, never
            // handed back.
            prop_assert!(fast.is_some() || by_serde(&text).is_none(), "{}", text);
        }

        #[test]
        fn damaged_catalogs_are_read_the_same_or_given_up(
            text in catalog(),
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"\"\\{}[],: 0a-.\x01\xc3".to_vec()),
            cut in any::<bool>(),
        ) {
            let mut bytes = text.into_bytes();
            let at = at.index(bytes.len());
            if cut {
                bytes.truncate(at);
            } else {
                bytes.insert(at, byte);
            }
            if let Ok(text) = String::from_utf8(bytes) {
                same(&text);
            }
        }
    }
}
