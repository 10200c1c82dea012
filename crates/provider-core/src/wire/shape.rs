//! The toolkit the decoders share: where a body's JSON starts, its shape
//! one level deep, its members, and the errors that name what was wrong.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Action, Error, HTML_PAGE, Result, TRUNCATED};
use crate::models::Extras;
use crate::wire::lenient::{Field, Optional, shown};
use crate::wire::snippet::snippet;

/// The UTF-8 byte-order mark some PHP set-ups put before their answer.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where the JSON of a body starts: past leading white space and a UTF-8
/// byte-order mark (with white space around it).
///
/// ```
/// use smmkit_provider_core::wire::json_start;
/// assert_eq!(json_start(b"\xEF\xBB\xBF {\"order\":555}"), b"{\"order\":555}");
/// assert_eq!(json_start(b"\r\n[1]"), b"[1]");
/// ```
pub fn json_start(body: &[u8]) -> &[u8] {
    let trim = |b: &[u8]| -> usize { b.iter().take_while(|c| c.is_ascii_whitespace()).count() };
    let mut at = trim(body);
    if body[at..].starts_with(BOM) {
        at += BOM.len();
        at += trim(&body[at..]);
    }
    &body[at..]
}

pub(crate) fn decode_error(action: Action, body: &[u8], message: impl Into<String>) -> Error {
    Error::Decode {
        action,
        message: message.into(),
        snippet: snippet(body),
    }
}

/// The first byte of the JSON, if any.
pub(crate) fn first_byte(body: &[u8]) -> Option<u8> {
    json_start(body).first().copied()
}

/// Turns a serde_json failure into a decode error that says what went wrong.
pub(crate) fn json_error(action: Action, body: &[u8], e: &serde_json::Error) -> Error {
    // Errors raised inside a field keep serde_json's words but not its
    // category, so a cut-off body is also recognised by those words.
    let message = if e.classify() == serde_json::error::Category::Eof
        || e.to_string().contains("EOF while parsing")
    {
        format!("{TRUNCATED} ({e})")
    } else {
        e.to_string()
    };
    decode_error(action, body, message)
}

/// Rejects what cannot be JSON before parsing: empty bodies and HTML pages.
pub(crate) fn precheck(action: Action, body: &[u8]) -> Result<()> {
    match first_byte(body) {
        None => Err(decode_error(action, body, "the body is empty")),
        Some(b'<') => Err(decode_error(action, body, HTML_PAGE)),
        Some(_) => Ok(()),
    }
}

/// A member of an object: its name, borrowed from the body unless it had
/// escapes to undo, and its value kept as raw text.
pub(crate) type Member<'a> = (Cow<'a, str>, &'a RawValue);

/// The members of an object.
pub(crate) type Members<'a> = Vec<Member<'a>>;

/// A JSON value seen one level deep, its members kept as raw text.
pub(crate) enum Shape<'a> {
    Object(Members<'a>),
    Array(Vec<&'a RawValue>),
    Text(String),
    Scalar(&'a RawValue),
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(k) = map.next_key_seed(Name)? {
            out.push((k, map.next_value::<&'de RawValue>()?));
        }
        Ok(out)
    }
}

/// A member's name, borrowed from the text when it holds no escape.
pub(crate) struct Name;

impl<'de> Visitor<'de> for Name {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(name))
    }
    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(name.to_owned()))
    }
}

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

/// A value read one level deep from `de`, whose text starts with `json`;
/// nothing may follow it.
fn read_shape<'de, R: serde_json::de::Read<'de>>(
    json: &[u8],
    de: &mut serde_json::Deserializer<R>,
) -> Result<Shape<'de>, serde_json::Error> {
    let shape = match json.first() {
        Some(b'{') => de.deserialize_map(MembersVisitor).map(Shape::Object),
        Some(b'[') => Vec::deserialize(&mut *de).map(Shape::Array),
        Some(b'"') => String::deserialize(&mut *de).map(Shape::Text),
        _ => <&RawValue>::deserialize(&mut *de).map(Shape::Scalar),
    };
    shape.and_then(|shape| de.end().map(|()| shape))
}

/// A value already checked (a member or an item of a body) read one level
/// deep.
pub(crate) fn shape(raw: &RawValue) -> Result<Shape<'_>, serde_json::Error> {
    let text = raw.get();
    read_shape(
        text.as_bytes(),
        &mut serde_json::Deserializer::from_str(text),
    )
}

/// Parses a whole body one level deep, in one pass: its members or items
/// are checked as they are read, and nothing may follow the value.
pub(crate) fn parse_body(action: Action, body: &[u8]) -> Result<Shape<'_>> {
    precheck(action, body)?;
    let json = json_start(body);
    read_shape(json, &mut serde_json::Deserializer::from_slice(json))
        .map_err(|e| json_error(action, body, &e))
}

pub(crate) fn describe(shape: &Shape<'_>) -> String {
    match shape {
        Shape::Object(_) => "an object".into(),
        Shape::Array(_) => "a list".into(),
        Shape::Text(t) => format!("the text \"{}\"", shown(t)),
        Shape::Scalar(raw) => format!("`{}`", shown(raw.get())),
    }
}

/// Reads one field's raw value with a lenient decoder.
pub(crate) fn field<F: Field>(raw: &RawValue, f: F) -> Result<Option<F::Value>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    Optional(f).deserialize(&mut de)
}

/// The last member named `name` (a later one wins, as in JSON).
pub(crate) fn member<'a>(members: &[Member<'a>], name: &str) -> Option<&'a RawValue> {
    members
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| *v)
}

/// Wraps a field's decode failure with the field's name.
pub(crate) fn in_field(action: Action, body: &[u8], name: &str, e: &serde_json::Error) -> Error {
    decode_error(action, body, format!("field `{name}`: {e}"))
}

pub(crate) fn required<F: Field>(
    action: Action,
    body: &[u8],
    members: &[Member<'_>],
    name: &str,
    f: F,
) -> Result<F::Value> {
    match member(members, name) {
        None => Err(decode_error(
            action,
            body,
            format!("missing field `{name}`"),
        )),
        Some(raw) => field(raw, f)
            .map_err(|e| in_field(action, body, name, &e))?
            .ok_or_else(|| decode_error(action, body, format!("field `{name}` is empty"))),
    }
}

pub(crate) fn optional<F: Field>(
    action: Action,
    body: &[u8],
    members: &[Member<'_>],
    name: &str,
    f: F,
) -> Result<Option<F::Value>> {
    match member(members, name) {
        None => Ok(None),
        Some(raw) => field(raw, f).map_err(|e| in_field(action, body, name, &e)),
    }
}

/// The members not named in `known`, as sent.
pub(crate) fn extras(members: &[Member<'_>], known: &[&str]) -> Result<Extras, serde_json::Error> {
    members
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_ref()))
        .map(|(k, v)| Ok((k.to_string(), serde_json::from_str(v.get())?)))
        .collect()
}
