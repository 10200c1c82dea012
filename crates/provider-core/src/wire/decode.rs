//! Decoding of API v2 answers into typed models, one function per answer.
//!
//! Every function takes the body as the panel sent it and returns a typed
//! model or an [`Error`]: `{"error": "..."}` becomes [`Error::Api`]
//! whatever else the body holds; an HTML page, an empty or cut-off body or
//! a wrong shape becomes [`Error::Decode`] naming the action, with a short
//! excerpt of the body. Multi answers (`orders=`, `refills=`) return one
//! result per entry, so that one bad id never fails the others.

use std::fmt;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Action, ApiErrorKind, Error, HTML_PAGE, Result, TRUNCATED};
use crate::ids::{OrderId, RefillId, ServiceId};
use crate::models::{
    Balance, CancelRequested, Extras, OrderState, OrderStatus, RefillState, Service, ServiceType,
};
use crate::wire::lenient::{Bool, Dec, Field, I64, Optional, Required, Text, U64, Word, shown};
use crate::wire::snippet::snippet;

/// One result per entry of a multi answer, in the panel's order.
pub type Entries<I, T> = Vec<(I, Result<T>)>;

fn decode_error(action: Action, body: &[u8], message: impl Into<String>) -> Error {
    Error::Decode {
        action,
        message: message.into(),
        snippet: snippet(body),
    }
}

fn first_byte(body: &[u8]) -> Option<u8> {
    body.iter().copied().find(|b| !b.is_ascii_whitespace())
}

/// Turns a serde_json failure into a decode error that says what went wrong.
fn json_error(action: Action, body: &[u8], e: &serde_json::Error) -> Error {
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
fn precheck(action: Action, body: &[u8]) -> Result<()> {
    match first_byte(body) {
        None => Err(decode_error(action, body, "the body is empty")),
        Some(b'<') => Err(decode_error(action, body, HTML_PAGE)),
        Some(_) => Ok(()),
    }
}

/// A JSON value seen one level deep, its members kept as raw text.
enum Shape<'a> {
    Object(Vec<(String, &'a RawValue)>),
    Array(Vec<&'a RawValue>),
    Text(String),
    Scalar(&'a RawValue),
}

struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Vec<(String, &'de RawValue)>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
            out.push((k, v));
        }
        Ok(out)
    }
}

fn shape(raw: &RawValue) -> Result<Shape<'_>, serde_json::Error> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'{') => serde_json::Deserializer::from_str(text)
            .deserialize_map(Members)
            .map(Shape::Object),
        Some(b'[') => serde_json::from_str(text).map(Shape::Array),
        Some(b'"') => serde_json::from_str(text).map(Shape::Text),
        _ => Ok(Shape::Scalar(raw)),
    }
}

/// Parses a whole body one level deep.
fn parse_body(action: Action, body: &[u8]) -> Result<Shape<'_>> {
    precheck(action, body)?;
    let raw: &RawValue = serde_json::from_slice(body).map_err(|e| json_error(action, body, &e))?;
    shape(raw).map_err(|e| json_error(action, body, &e))
}

fn describe(shape: &Shape<'_>) -> String {
    match shape {
        Shape::Object(_) => "an object".into(),
        Shape::Array(_) => "a list".into(),
        Shape::Text(t) => format!("the text \"{}\"", shown(t)),
        Shape::Scalar(raw) => format!("`{}`", shown(raw.get())),
    }
}

/// Reads one field's raw value with a lenient decoder.
fn field<F: Field>(raw: &RawValue, f: F) -> Result<Option<F::Value>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    Optional(f).deserialize(&mut de)
}

/// The text of an `error` member: a string as sent, anything else as JSON.
/// `None` when it is null, false or empty.
fn error_text(raw: &RawValue) -> Option<String> {
    match raw.get() {
        "null" | "false" | "\"\"" => None,
        t if t.starts_with('"') => serde_json::from_str::<String>(t)
            .ok()
            .filter(|s| !s.trim().is_empty()),
        t => Some(t.to_owned()),
    }
}

fn member<'a>(members: &[(String, &'a RawValue)], name: &str) -> Option<&'a RawValue> {
    members
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| *v)
}

/// The panel's error, if the object is an `{"error": ...}` answer.
fn api_error_of(members: &[(String, &RawValue)]) -> Option<String> {
    member(members, "error").and_then(error_text)
}

/// Wraps a field's decode failure with the field's name.
fn in_field(action: Action, body: &[u8], name: &str, e: &serde_json::Error) -> Error {
    decode_error(action, body, format!("field `{name}`: {e}"))
}

fn required<F: Field>(
    action: Action,
    body: &[u8],
    members: &[(String, &RawValue)],
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

fn optional<F: Field>(
    action: Action,
    body: &[u8],
    members: &[(String, &RawValue)],
    name: &str,
    f: F,
) -> Result<Option<F::Value>> {
    match member(members, name) {
        None => Ok(None),
        Some(raw) => field(raw, f).map_err(|e| in_field(action, body, name, &e)),
    }
}

/// Expects an object; an `{"error": ...}` object becomes an API error.
fn object<'a>(
    action: Action,
    body: &[u8],
    shape: Shape<'a>,
) -> Result<Vec<(String, &'a RawValue)>> {
    match shape {
        Shape::Object(members) => match api_error_of(&members) {
            Some(text) => Err(Error::api(action, text)),
            None => Ok(members),
        },
        other => Err(decode_error(
            action,
            body,
            format!("expected an object, got {}", describe(&other)),
        )),
    }
}

fn extras(members: &[(String, &RawValue)], known: &[&str]) -> Result<Extras, serde_json::Error> {
    members
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| Ok((k.clone(), serde_json::from_str(v.get())?)))
        .collect()
}

// ---------------------------------------------------------------- services

/// Decodes the answer to `action=services`.
///
/// Accepts a bare list, a list wrapped in an object (`{"services": [...]}`,
/// `{"data": [...]}`) and an object keyed by service id. Numbers may be
/// strings; `rate` keeps every digit; unknown fields land in
/// [`Service::extra`]. One malformed service fails the whole answer with
/// an error that names it: a catalog is never returned with holes.
///
/// ```
/// use smmkit_provider_core::wire::decode_services;
/// let keyed = br#"{"7": {"name": "Views", "type": "Default", "rate": 0.5, "min": "100", "max": "1000000"}}"#;
/// assert_eq!(decode_services(keyed)?[0].id.get(), 7);
/// let err = decode_services(br#"{"error": "Invalid API key"}"#).unwrap_err();
/// assert_eq!(err.code(), "invalid_key");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_services(body: &[u8]) -> Result<Vec<Service>> {
    if body.len() >= PARALLEL_FROM {
        return decode_services_in_place(&mut body.to_vec());
    }
    decode_services_on_one_thread(body)
}

/// Decodes the answer to `action=services` as [`decode_services`] does,
/// borrowing `body` as scratch space: a large catalog is then decoded on
/// every core without copying it first. A few bytes of `body` change while
/// it decodes; all are put back before this returns.
///
/// ```
/// use smmkit_provider_core::wire::decode_services_in_place;
/// let mut body = br#"[{"service":"1","name":"Likes","rate":"0.90","min":"10","max":"5000"}]"#.to_vec();
/// let before = body.clone();
/// assert_eq!(decode_services_in_place(&mut body)?[0].max, 5000);
/// assert_eq!(body, before);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_services_in_place(body: &mut [u8]) -> Result<Vec<Service>> {
    // An empty body or a page is no bare list: the parallel path leaves it
    // to `decode_services_on_one_thread`, which says what it is.
    if body.len() >= PARALLEL_FROM
        && let Some(list) = super::parallel::decode(body, super::parallel::threads())
    {
        return Ok(list);
    }
    decode_services_on_one_thread(body)
}

fn decode_services_on_one_thread(body: &[u8]) -> Result<Vec<Service>> {
    let action = Action::Services;
    precheck(action, body)?;
    // One UTF-8 check of the whole body instead of one per string; an
    // invalid body goes the slower way, which says where it is invalid.
    let Ok(text) = std::str::from_utf8(body) else {
        return services_from(action, body, serde_json::Deserializer::from_slice(body));
    };
    services_from(action, body, serde_json::Deserializer::from_str(text))
}

/// Decodes a services body with a deserializer over it.
fn services_from<'de, R: serde_json::de::Read<'de>>(
    action: Action,
    body: &[u8],
    mut de: serde_json::Deserializer<R>,
) -> Result<Vec<Service>> {
    let top = match first_byte(body) {
        Some(b'[') => de
            .deserialize_seq(ServiceList { start: 0 })
            .map(Top::Services),
        Some(b'{') => de.deserialize_map(ServicesObject),
        _ => {
            let found = parse_body(action, body).map(|s| describe(&s))?;
            return Err(decode_error(
                action,
                body,
                format!("expected a list of services, got {found}"),
            ));
        }
    };
    let top = top
        .and_then(|t| de.end().map(|()| t))
        .map_err(|e| json_error(action, body, &e))?;
    match top {
        Top::Services(list) => Ok(list),
        Top::Error(text) => Err(Error::api(action, text)),
    }
}

/// Catalogs from this size on are decoded on several threads.
const PARALLEL_FROM: usize = 512 * 1024;

/// A bare list of services, as one part of a catalog; `None` on any error.
pub(super) fn service_list(text: &str) -> Option<Vec<Service>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let list = de.deserialize_seq(ServiceList { start: 0 }).ok()?;
    de.end().ok()?;
    Some(list)
}

/// One service object on its own; `None` on any error.
pub(super) fn one_service(text: &str) -> Option<Service> {
    let mut de = serde_json::Deserializer::from_str(text);
    let service = ServiceSeed {
        index: 0,
        key_id: None,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    Some(service)
}

enum Top {
    Services(Vec<Service>),
    Error(String),
}

/// A key of a service object, without allocating for the known ones.
enum ServiceKey {
    Id,
    Name,
    Type,
    Category,
    Rate,
    Min,
    Max,
    Refill,
    Cancel,
    Dripfeed,
    Desc,
    Description,
    Other(String),
}

struct ServiceKeyVisitor;

impl<'de> Visitor<'de> for ServiceKeyVisitor {
    type Value = ServiceKey;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ServiceKey, E> {
        Ok(match v {
            "service" => ServiceKey::Id,
            "name" => ServiceKey::Name,
            "type" => ServiceKey::Type,
            "category" => ServiceKey::Category,
            "rate" => ServiceKey::Rate,
            "min" => ServiceKey::Min,
            "max" => ServiceKey::Max,
            "refill" => ServiceKey::Refill,
            "cancel" | "canceling_is_available" => ServiceKey::Cancel,
            "dripfeed" => ServiceKey::Dripfeed,
            "desc" => ServiceKey::Desc,
            "description" => ServiceKey::Description,
            other => ServiceKey::Other(other.to_owned()),
        })
    }
}

impl<'de> de::Deserialize<'de> for ServiceKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(ServiceKeyVisitor)
    }
}

/// Decodes one service object; `key_id` is the id it was keyed by, if any.
struct ServiceSeed {
    index: usize,
    key_id: Option<ServiceId>,
}

impl<'de> DeserializeSeed<'de> for ServiceSeed {
    type Value = Service;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Service, D::Error> {
        d.deserialize_map(self)
    }
}

fn field_err<E: de::Error>(name: &str, e: &E) -> E {
    E::custom(format_args!("field `{name}`: {e}"))
}

impl<'de> Visitor<'de> for ServiceSeed {
    type Value = Service;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a service object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Service, A::Error> {
        let mut id = None;
        let mut name = None;
        let mut kind = None;
        let mut category = None;
        let mut rate = None;
        let mut min = None;
        let mut max = None;
        let mut refill = None;
        let mut cancel = None;
        let mut dripfeed = None;
        let mut desc: Option<serde_json::Value> = None;
        let mut description: Option<serde_json::Value> = None;
        let mut extra = Extras::new();
        let index = self.index;
        let at = |id: Option<u64>, name: &str, e: A::Error| -> A::Error {
            let e = field_err(name, &e);
            match id {
                Some(id) => {
                    de::Error::custom(format_args!("services[{index}] (service {id}): {e}"))
                }
                None => de::Error::custom(format_args!("services[{index}]: {e}")),
            }
        };
        while let Some(key) = map.next_key::<ServiceKey>()? {
            match key {
                ServiceKey::Id => {
                    id = Some(
                        map.next_value_seed(Required(U64))
                            .map_err(|e| at(id, "service", e))?,
                    )
                }
                ServiceKey::Name => {
                    name = map
                        .next_value_seed(Optional(Text))
                        .map_err(|e| at(id, "name", e))?
                }
                ServiceKey::Type => {
                    kind = map
                        .next_value_seed(Optional(Word(ServiceType::parse)))
                        .map_err(|e| at(id, "type", e))?;
                }
                ServiceKey::Category => {
                    category = map
                        .next_value_seed(Optional(Text))
                        .map_err(|e| at(id, "category", e))?
                }
                ServiceKey::Rate => {
                    rate = map
                        .next_value_seed(Optional(Dec))
                        .map_err(|e| at(id, "rate", e))?
                }
                ServiceKey::Min => {
                    min = map
                        .next_value_seed(Optional(U64))
                        .map_err(|e| at(id, "min", e))?
                }
                ServiceKey::Max => {
                    max = map
                        .next_value_seed(Optional(U64))
                        .map_err(|e| at(id, "max", e))?
                }
                ServiceKey::Refill => {
                    refill = map
                        .next_value_seed(Optional(Bool))
                        .map_err(|e| at(id, "refill", e))?
                }
                ServiceKey::Cancel => {
                    cancel = map
                        .next_value_seed(Optional(Bool))
                        .map_err(|e| at(id, "cancel", e))?
                }
                ServiceKey::Dripfeed => {
                    dripfeed = map
                        .next_value_seed(Optional(Bool))
                        .map_err(|e| at(id, "dripfeed", e))?
                }
                ServiceKey::Desc => desc = Some(map.next_value()?),
                ServiceKey::Description => description = Some(map.next_value()?),
                ServiceKey::Other(k) => {
                    let v: serde_json::Value = map.next_value()?;
                    extra.insert(k, v);
                }
            }
        }
        let id = id
            .or(self.key_id.map(ServiceId::get))
            .ok_or_else(|| at(None, "service", de::Error::custom("missing")))?;
        let missing = |name: &str| -> A::Error {
            de::Error::custom(format_args!(
                "services[{}] (service {id}): missing field `{name}`",
                self.index
            ))
        };
        let rate = rate.ok_or_else(|| missing("rate"))?;
        if rate.is_sign_negative() && !rate.is_zero() {
            return Err(de::Error::custom(format_args!(
                "services[{}] (service {id}): field `rate`: a price cannot be negative ({rate})",
                self.index
            )));
        }
        // `description` wins; `desc` fills in for it, and is kept in
        // `extra` when both are there, so nothing is lost.
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        let description_text = match (description, desc) {
            (Some(d), desc) if !d.is_null() => {
                if let Some(desc) = desc {
                    extra.insert("desc".into(), desc);
                }
                match text(&d) {
                    Some(t) => Some(t),
                    None => {
                        extra.insert("description".into(), d);
                        None
                    }
                }
            }
            (_, Some(desc)) => match text(&desc) {
                Some(t) => Some(t),
                None if desc.is_null() => None,
                None => {
                    extra.insert("desc".into(), desc);
                    None
                }
            },
            (_, None) => None,
        };
        Ok(Service {
            id: ServiceId(id),
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(ServiceType::Default),
            category: category.unwrap_or_default(),
            rate,
            min: min.ok_or_else(|| missing("min"))?,
            max: max.ok_or_else(|| missing("max"))?,
            refill: refill.unwrap_or(false),
            cancel: cancel.unwrap_or(false),
            dripfeed,
            description: description_text,
            extra,
        })
    }
}

/// A list of services; `start` numbers them in error messages.
struct ServiceList {
    start: usize,
}

impl<'de> Visitor<'de> for ServiceList {
    type Value = Vec<Service>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of services")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Service>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(256));
        while let Some(s) = seq.next_element_seed(ServiceSeed {
            index: self.start + out.len(),
            key_id: None,
        })? {
            out.push(s);
        }
        Ok(out)
    }
}

/// One member of an object-shaped services answer.
enum ServicesPart {
    List(Vec<Service>),
    One(Service),
    Ignored,
}

struct ServicesPartSeed {
    index: usize,
    key_id: Option<ServiceId>,
}

impl<'de> DeserializeSeed<'de> for ServicesPartSeed {
    type Value = ServicesPart;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<ServicesPart, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ServicesPartSeed {
    type Value = ServicesPart;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of services or a service")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ServicesPart, A::Error> {
        ServiceList { start: self.index }
            .visit_seq(seq)
            .map(ServicesPart::List)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ServicesPart, A::Error> {
        ServiceSeed {
            index: self.index,
            key_id: self.key_id,
        }
        .visit_map(map)
        .map(ServicesPart::One)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<ServicesPart, E> {
        Ok(ServicesPart::Ignored)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ServicesPart, E> {
        Ok(ServicesPart::Ignored)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ServicesPart, E> {
        Ok(ServicesPart::Ignored)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ServicesPart, E> {
        Ok(ServicesPart::Ignored)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ServicesPart, E> {
        Ok(ServicesPart::Ignored)
    }
    fn visit_unit<E: de::Error>(self) -> Result<ServicesPart, E> {
        Ok(ServicesPart::Ignored)
    }
}

/// `{"services": [...]}`, `{"data": [...]}`, `{"1": {...}, "2": {...}}` or
/// `{"error": "..."}`.
struct ServicesObject;

impl<'de> Visitor<'de> for ServicesObject {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of services")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut services = Vec::new();
        let mut error = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "error" {
                let raw: &RawValue = map.next_value()?;
                error = error_text(raw);
                continue;
            }
            let key_id = super::lenient::parse_u64(&key).map(ServiceId);
            match map.next_value_seed(ServicesPartSeed {
                index: services.len(),
                key_id,
            })? {
                ServicesPart::List(list) => services.extend(list),
                ServicesPart::One(s) => services.push(s),
                ServicesPart::Ignored => {}
            }
        }
        Ok(match error {
            Some(text) if services.is_empty() => Top::Error(text),
            _ => Top::Services(services),
        })
    }
}

/// The panel's error text, when `body` is an `{"error": ...}` object.
///
/// Clients use it to honour an error body whatever the HTTP status was.
///
/// ```
/// use smmkit_provider_core::wire::error_message;
/// assert_eq!(error_message(br#"{"error":"Invalid API key"}"#).as_deref(), Some("Invalid API key"));
/// assert_eq!(error_message(b"<html>502</html>"), None);
/// assert_eq!(error_message(br#"{"order":1}"#), None);
/// ```
pub fn error_message(body: &[u8]) -> Option<String> {
    match first_byte(body) {
        Some(b'{') => match parse_body(Action::Status, body) {
            Ok(Shape::Object(members)) => api_error_of(&members),
            _ => None,
        },
        _ => None,
    }
}

// --------------------------------------------------------------------- add

/// Decodes the answer to `action=add`: `{"order": 203521833}`, the id
/// possibly a string.
///
/// An answer that holds both an order id and an error cannot be read
/// safely and is a decode error (the order may exist).
///
/// ```
/// use smmkit_provider_core::wire::decode_add;
/// assert_eq!(decode_add(br#"{"order":"23501"}"#)?.get(), 23501);
/// assert_eq!(decode_add(br#"{"error":"Not enough funds on balance"}"#).unwrap_err().code(), "insufficient_funds");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_add(body: &[u8]) -> Result<OrderId> {
    let action = Action::Add;
    let members = match parse_body(action, body)? {
        Shape::Object(m) => m,
        other => {
            return Err(decode_error(
                action,
                body,
                format!("expected an object, got {}", describe(&other)),
            ));
        }
    };
    match (member(&members, "order"), api_error_of(&members)) {
        (Some(_), Some(err)) => Err(decode_error(
            action,
            body,
            format!(
                "the answer holds both an order id and the error \"{}\"",
                shown(&err)
            ),
        )),
        (None, Some(err)) => Err(Error::api(action, err)),
        (_, None) => required(action, body, &members, "order", U64).map(OrderId),
    }
}

// ------------------------------------------------------------------ status

const STATUS_FIELDS: [&str; 6] = [
    "charge",
    "start_count",
    "status",
    "remains",
    "currency",
    "error",
];

fn status_from(
    action: Action,
    body: &[u8],
    members: &[(String, &RawValue)],
) -> Result<OrderStatus> {
    let word = required(action, body, members, "status", Text)?;
    Ok(OrderStatus {
        charge: optional(action, body, members, "charge", Dec)?,
        start_count: optional(action, body, members, "start_count", U64)?,
        status: OrderState::parse(&word),
        remains: optional(action, body, members, "remains", I64)?,
        currency: optional(action, body, members, "currency", Text)?,
        extra: extras(members, &STATUS_FIELDS)
            .map_err(|e| decode_error(action, body, e.to_string()))?,
    })
}

/// Decodes the answer to `action=status&order=ID`.
///
/// ```
/// use smmkit_provider_core::{OrderState, wire::decode_status};
/// let s = decode_status(br#"{"charge":"9.9980","start_count":0,"status":"In progress","remains":"100","currency":"INR"}"#)?;
/// assert_eq!(s.status, OrderState::InProgress);
/// assert_eq!(s.charge.unwrap().to_string(), "9.9980");
/// assert_eq!((s.start_count, s.remains), (Some(0), Some(100)));
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_status(body: &[u8]) -> Result<OrderStatus> {
    let action = Action::Status;
    let members = object(action, body, parse_body(action, body)?)?;
    status_from(action, body, &members)
}

/// Decodes one entry of a multi answer: an object, or a bare string that
/// is the panel's error for that entry.
fn entry<T>(action: Action, raw: &RawValue, decode: impl FnOnce(&[u8]) -> Result<T>) -> Result<T> {
    let text = raw.get();
    if text.starts_with('"') {
        let message = serde_json::from_str::<String>(text).unwrap_or_else(|_| text.to_owned());
        return Err(Error::api(action, message));
    }
    if text == "null" {
        return Err(decode_error(
            action,
            text.as_bytes(),
            "the panel sent null for this entry",
        ));
    }
    decode(text.as_bytes())
}

/// Reads the members of a multi answer keyed by id (`{"1": ..., "2": ...}`).
fn keyed<'a, I: From<u64>>(
    action: Action,
    body: &[u8],
    members: Vec<(String, &'a RawValue)>,
) -> Result<Vec<(I, &'a RawValue)>> {
    members
        .into_iter()
        .map(|(k, v)| match super::lenient::parse_u64(&k) {
            Some(id) => Ok((I::from(id), v)),
            None => Err(decode_error(
                action,
                body,
                format!("expected ids as keys, got \"{}\"", shown(&k)),
            )),
        })
        .collect()
}

/// Decodes the answer to `action=status&orders=1,2,3`: an object keyed by
/// order id whose values are statuses, `{"error": ...}` objects or bare
/// error strings.
///
/// ```
/// use smmkit_provider_core::wire::decode_statuses;
/// let all = decode_statuses(br#"{"1":{"status":"Completed","charge":"1.5"},"2":"Incorrect order ID"}"#)?;
/// assert!(all[0].1.is_ok());
/// assert_eq!(all[1].1.as_ref().unwrap_err().code(), "incorrect_order_id");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_statuses(body: &[u8]) -> Result<Entries<OrderId, OrderStatus>> {
    let action = Action::Status;
    let members = object(action, body, parse_body(action, body)?)?;
    Ok(keyed::<OrderId>(action, body, members)?
        .into_iter()
        .map(|(id, raw)| (id, entry(action, raw, decode_status)))
        .collect())
}

// ------------------------------------------------------------------ refill

/// Reads an id member that may instead hold the panel's error: `1`, `"1"`,
/// `{"error": "..."}` or an error text.
fn id_or_error(action: Action, body: &[u8], name: &str, raw: &RawValue) -> Result<u64> {
    if let Ok(Some(id)) = field(raw, U64) {
        return Ok(id);
    }
    match shape(raw).map_err(|e| in_field(action, body, name, &e))? {
        Shape::Text(t) => Err(Error::api(action, t)),
        Shape::Object(m) => match api_error_of(&m) {
            Some(text) => Err(Error::api(action, text)),
            None => Err(decode_error(
                action,
                body,
                format!("field `{name}`: expected an id or an error, got an object"),
            )),
        },
        other => Err(decode_error(
            action,
            body,
            format!("field `{name}`: expected an id, got {}", describe(&other)),
        )),
    }
}

/// Decodes the answer to `action=refill&order=ID`: `{"refill": 1}`.
///
/// ```
/// use smmkit_provider_core::wire::decode_refill;
/// assert_eq!(decode_refill(br#"{"refill":"1","success":"Refill request accepted"}"#)?.get(), 1);
/// assert_eq!(decode_refill(br#"{"error":"Order not eligible for refill."}"#).unwrap_err().code(), "refill_not_possible");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_refill(body: &[u8]) -> Result<RefillId> {
    let action = Action::Refill;
    let members = object(action, body, parse_body(action, body)?)?;
    match member(&members, "refill") {
        Some(raw) => id_or_error(action, body, "refill", raw).map(RefillId),
        None => Err(decode_error(action, body, "missing field `refill`")),
    }
}

/// Parses a multi answer that is a list of objects naming their id in
/// `id_field`, or an object keyed by id.
fn listed<'a, I: From<u64>>(
    action: Action,
    body: &'a [u8],
    id_field: &str,
) -> Result<Vec<(I, &'a RawValue)>> {
    match parse_body(action, body)? {
        Shape::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for raw in items {
                // An entry that names no id cannot be matched to a request;
                // the ids it should have answered are reported as missing.
                if let Ok(Shape::Object(m)) = shape(raw)
                    && let Some(id_raw) = member(&m, id_field)
                    && let Ok(Some(id)) = field(id_raw, U64)
                {
                    out.push((I::from(id), raw));
                }
            }
            Ok(out)
        }
        shape @ Shape::Object(_) => keyed(action, body, object(action, body, shape)?),
        other => Err(decode_error(
            action,
            body,
            format!("expected a list, got {}", describe(&other)),
        )),
    }
}

/// Decodes the answer to `action=refill&orders=1,2,3`:
/// `[{"order":1,"refill":1},{"order":3,"refill":{"error":"Incorrect order ID"}}]`.
pub fn decode_refills(body: &[u8]) -> Result<Entries<OrderId, RefillId>> {
    let action = Action::Refill;
    Ok(listed::<OrderId>(action, body, "order")?
        .into_iter()
        .map(|(id, raw)| (id, entry(action, raw, decode_refill)))
        .collect())
}

// ----------------------------------------------------------- refill_status

fn refill_state_of(
    action: Action,
    body: &[u8],
    members: &[(String, &RawValue)],
) -> Result<RefillState> {
    let Some(raw) = member(members, "status") else {
        return Err(decode_error(action, body, "missing field `status`"));
    };
    match shape(raw).map_err(|e| in_field(action, body, "status", &e))? {
        Shape::Text(t) if !t.trim().is_empty() => Ok(RefillState::parse(&t)),
        Shape::Object(m) => match api_error_of(&m) {
            Some(text) => Err(Error::api(action, text)),
            None => Err(decode_error(
                action,
                body,
                "field `status`: expected a status word, got an object",
            )),
        },
        other => Err(decode_error(
            action,
            body,
            format!(
                "field `status`: expected a status word, got {}",
                describe(&other)
            ),
        )),
    }
}

/// Decodes the answer to `action=refill_status&refill=ID`: `{"status":"Completed"}`.
///
/// ```
/// use smmkit_provider_core::{RefillState, wire::decode_refill_status};
/// assert_eq!(decode_refill_status(br#"{"status":"Rejected"}"#)?, RefillState::Rejected);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_refill_status(body: &[u8]) -> Result<RefillState> {
    let action = Action::RefillStatus;
    let members = object(action, body, parse_body(action, body)?)?;
    refill_state_of(action, body, &members)
}

/// Decodes the answer to `action=refill_status&refills=1,2,3`:
/// `[{"refill":1,"status":"Completed"},{"refill":3,"status":{"error":"Refill not found"}}]`.
pub fn decode_refill_statuses(body: &[u8]) -> Result<Entries<RefillId, RefillState>> {
    let action = Action::RefillStatus;
    Ok(listed::<RefillId>(action, body, "refill")?
        .into_iter()
        .map(|(id, raw)| (id, entry(action, raw, decode_refill_status)))
        .collect())
}

// ------------------------------------------------------------------ cancel

/// Words a panel uses to say a cancellation was taken.
const ACCEPTED_WORDS: [&str; 8] = [
    "requested",
    "accepted",
    "ok",
    "success",
    "queued",
    "pending",
    "true",
    "yes",
];

fn cancel_value(
    action: Action,
    body: &[u8],
    name: &str,
    raw: &RawValue,
) -> Result<CancelRequested> {
    match shape(raw).map_err(|e| in_field(action, body, name, &e))? {
        Shape::Object(m) => match api_error_of(&m) {
            Some(text) => Err(Error::api(action, text)),
            None => Err(decode_error(
                action,
                body,
                format!("field `{name}`: expected a flag or an error, got an object"),
            )),
        },
        Shape::Text(t) => {
            let word = t.trim().to_lowercase();
            if ACCEPTED_WORDS.contains(&word.as_str()) || word == "1" {
                Ok(CancelRequested { note: Some(t) })
            } else if matches!(word.as_str(), "false" | "0" | "no") {
                Err(Error::Api {
                    action,
                    kind: ApiErrorKind::CancelNotPossible,
                    message: format!("{name}: {t}"),
                })
            } else {
                Err(Error::api(action, t))
            }
        }
        Shape::Scalar(s) => match field(s, Bool) {
            Ok(Some(true)) => Ok(CancelRequested { note: None }),
            Ok(Some(false)) => Err(Error::Api {
                action,
                kind: ApiErrorKind::CancelNotPossible,
                message: format!("{name}: {}", s.get()),
            }),
            _ => Err(decode_error(
                action,
                body,
                format!("field `{name}`: expected a flag, got `{}`", shown(s.get())),
            )),
        },
        Shape::Array(_) => Err(decode_error(
            action,
            body,
            format!("field `{name}`: expected a flag, got a list"),
        )),
    }
}

/// Decodes the answer to `action=cancel&order=ID` (fampage): `{"ok":"true"}`,
/// or `{"cancel": 1}`.
///
/// ```
/// use smmkit_provider_core::wire::decode_cancel;
/// assert!(decode_cancel(br#"{"ok":"true"}"#).is_ok());
/// assert_eq!(decode_cancel(br#"{"ok":"false"}"#).unwrap_err().code(), "cancel_not_possible");
/// ```
pub fn decode_cancel(body: &[u8]) -> Result<CancelRequested> {
    let action = Action::Cancel;
    let members = object(action, body, parse_body(action, body)?)?;
    let (name, raw) = match (member(&members, "ok"), member(&members, "cancel")) {
        (Some(raw), _) => ("ok", raw),
        (None, Some(raw)) => ("cancel", raw),
        (None, None) => return Err(decode_error(action, body, "missing field `ok` or `cancel`")),
    };
    cancel_value(action, body, name, raw)
}

/// Decodes the answer to `action=cancel&orders=1,2,3`:
/// `[{"order":9,"cancel":{"error":"Incorrect order ID"}},{"order":2,"cancel":1}]`
/// or `{"4218":{"cancel":"requested"}}`.
pub fn decode_cancels(body: &[u8]) -> Result<Entries<OrderId, CancelRequested>> {
    let action = Action::Cancel;
    Ok(listed::<OrderId>(action, body, "order")?
        .into_iter()
        .map(|(id, raw)| (id, entry(action, raw, decode_cancel)))
        .collect())
}

// ----------------------------------------------------------------- balance

/// Decodes the answer to `action=balance`: `{"balance":"99.80","currency":"USD"}`.
///
/// ```
/// use smmkit_provider_core::wire::decode_balance;
/// let b = decode_balance(br#"{"balance":"12.3456789","currency":"USD"}"#)?;
/// assert_eq!(b.amount.to_string(), "12.3456789");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_balance(body: &[u8]) -> Result<Balance> {
    let action = Action::Balance;
    let members = object(action, body, parse_body(action, body)?)?;
    Ok(Balance {
        amount: required(action, body, &members, "balance", Dec)?,
        currency: optional(action, body, &members, "currency", Text)?,
    })
}

// ------------------------------------------------------------ by payload kind

/// Which answer a body is, for [`decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    /// `action=services`.
    Services,
    /// `action=add`.
    Add,
    /// `action=status&order=`.
    Status,
    /// `action=status&orders=`.
    Statuses,
    /// `action=refill&order=`.
    Refill,
    /// `action=refill&orders=`.
    Refills,
    /// `action=refill_status&refill=`.
    RefillStatus,
    /// `action=refill_status&refills=`.
    RefillStatuses,
    /// `action=cancel&order=`.
    Cancel,
    /// `action=cancel&orders=`.
    Cancels,
    /// `action=balance`.
    Balance,
}

impl Payload {
    /// Every payload kind.
    pub const ALL: [Payload; 11] = [
        Payload::Services,
        Payload::Add,
        Payload::Status,
        Payload::Statuses,
        Payload::Refill,
        Payload::Refills,
        Payload::RefillStatus,
        Payload::RefillStatuses,
        Payload::Cancel,
        Payload::Cancels,
        Payload::Balance,
    ];

    /// The payload's name (`"refill_statuses"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Payload::Services => "services",
            Payload::Add => "add",
            Payload::Status => "status",
            Payload::Statuses => "statuses",
            Payload::Refill => "refill",
            Payload::Refills => "refills",
            Payload::RefillStatus => "refill_status",
            Payload::RefillStatuses => "refill_statuses",
            Payload::Cancel => "cancel",
            Payload::Cancels => "cancels",
            Payload::Balance => "balance",
        }
    }

    /// Reads a payload's name.
    pub fn parse(name: &str) -> Option<Payload> {
        Payload::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// A decoded answer of any kind.
///
/// Serializes to the canonical JSON that the snapshot tests and the Python
/// and Node test vectors compare: models as their fields, money as decimal
/// strings, and multi answers as `[{"id": 1, "ok": …} | {"id": 2, "error": …}]`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "payload", content = "value", rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Decoded {
    Services(Vec<Service>),
    Add(OrderId),
    Status(OrderStatus),
    #[serde(serialize_with = "entries")]
    Statuses(Entries<OrderId, OrderStatus>),
    Refill(RefillId),
    #[serde(serialize_with = "entries")]
    Refills(Entries<OrderId, RefillId>),
    RefillStatus(RefillState),
    #[serde(serialize_with = "entries")]
    RefillStatuses(Entries<RefillId, RefillState>),
    Cancel(CancelRequested),
    #[serde(serialize_with = "entries")]
    Cancels(Entries<OrderId, CancelRequested>),
    Balance(Balance),
}

fn entries<S, I, T>(list: &Entries<I, T>, s: S) -> std::result::Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    I: Serialize,
    T: Serialize,
{
    use serde::ser::{SerializeMap, SerializeSeq};
    struct One<'a, I, T>(&'a I, &'a Result<T>);
    impl<I: Serialize, T: Serialize> Serialize for One<'_, I, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(2))?;
            m.serialize_entry("id", self.0)?;
            match self.1 {
                Ok(v) => m.serialize_entry("ok", v)?,
                Err(e) => m.serialize_entry("error", e)?,
            }
            m.end()
        }
    }
    let mut seq = s.serialize_seq(Some(list.len()))?;
    for (id, r) in list {
        seq.serialize_element(&One(id, r))?;
    }
    seq.end()
}

/// Decodes a body as the answer `payload` names.
///
/// ```
/// use smmkit_provider_core::wire::{decode, Decoded, Payload};
/// let Decoded::Balance(b) = decode(Payload::Balance, br#"{"balance":"99.80","currency":"USD"}"#)? else { unreachable!() };
/// assert_eq!(b.currency.as_deref(), Some("USD"));
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode(payload: Payload, body: &[u8]) -> Result<Decoded> {
    Ok(match payload {
        Payload::Services => Decoded::Services(decode_services(body)?),
        Payload::Add => Decoded::Add(decode_add(body)?),
        Payload::Status => Decoded::Status(decode_status(body)?),
        Payload::Statuses => Decoded::Statuses(decode_statuses(body)?),
        Payload::Refill => Decoded::Refill(decode_refill(body)?),
        Payload::Refills => Decoded::Refills(decode_refills(body)?),
        Payload::RefillStatus => Decoded::RefillStatus(decode_refill_status(body)?),
        Payload::RefillStatuses => Decoded::RefillStatuses(decode_refill_statuses(body)?),
        Payload::Cancel => Decoded::Cancel(decode_cancel(body)?),
        Payload::Cancels => Decoded::Cancels(decode_cancels(body)?),
        Payload::Balance => Decoded::Balance(decode_balance(body)?),
    })
}
