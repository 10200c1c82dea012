//! Decoding the catalog (`action=services`), streaming, one service at a
//! time, with a malformed entry set aside rather than failing the rest.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::error::{Action, Error, Result};
use crate::ids::ServiceId;
use crate::models::extras::{Name, field_name};
use crate::models::{
    Extras, RawText, Service, ServiceList, ServiceType, SkippedService, readable_text,
};
use crate::wire::lenient::{Bool, Checked, Dec, Lenient, Text, U64, Word, parse_u64};
use crate::wire::panel_error::error_answer_of;
use crate::wire::parallel::Part;
use crate::wire::shape::{
    Shape, decode_error, describe, json_error, json_start, parse_body, precheck,
};

/// Catalogs from this size on are decoded on several threads.
const PARALLEL_FROM: usize = 512 * 1024;

/// Decodes the answer to `action=services`.
///
/// Accepts a bare list, a list wrapped in an object (`{"services": [...]}`,
/// `{"data": [...]}`) and an object keyed by service id. Numbers may be
/// strings; `rate` keeps every digit; unknown fields land in
/// [`Service::extra`]; names, categories and descriptions are made
/// readable (HTML entities decoded). An entry that cannot be read (a field
/// of the wrong kind, an empty `max`, an id that is no number) is set aside
/// in [`ServiceList::skipped`] with its position and why; the others are
/// returned. A catalog whose every entry is malformed is an error.
///
/// ```
/// use smmkit_provider_core::wire::decode_services;
/// let keyed = br#"{"7": {"name": "Views", "type": "Default", "rate": 0.5, "min": "100", "max": "1000000"}}"#;
/// assert_eq!(decode_services(keyed)?[0].id.get(), 7);
/// let err = decode_services(br#"{"error": "Invalid API key"}"#).unwrap_err();
/// assert_eq!(err.code(), "invalid_key");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_services(body: &[u8]) -> Result<ServiceList> {
    decode_services_into(body, Vec::new).map(ServiceList::from)
}

/// Where a catalog's services go as they are decoded, one at a time: a
/// list of them (`Vec<Service>`), or whatever is built from them on the
/// way, without the list of every service in between.
pub trait ServiceSink {
    /// Takes the next service.
    fn push(&mut self, service: Service);

    /// Makes room for about `services` more, where that helps.
    fn reserve(&mut self, services: usize) {
        let _ = services;
    }
}

impl ServiceSink for Vec<Service> {
    fn push(&mut self, service: Service) {
        Vec::push(self, service);
    }

    fn reserve(&mut self, services: usize) {
        Vec::reserve(self, services);
    }
}

/// A catalog decoded by [`decode_services_into`]: the sinks its services
/// went to, in the catalog's order, and the entries set aside.
#[derive(Debug)]
pub struct SunkServices<S> {
    /// The sinks, in order: the services of the first, then of the next…
    pub parts: Vec<S>,
    /// The entries that could not be read, with their positions in the
    /// whole catalog.
    pub skipped: Vec<SkippedService>,
}

impl From<SunkServices<Vec<Service>>> for ServiceList {
    /// The parts' services joined in order.
    fn from(sunk: SunkServices<Vec<Service>>) -> ServiceList {
        let mut parts = sunk.parts.into_iter();
        let mut services = parts.next().unwrap_or_default();
        let rest: Vec<Vec<Service>> = parts.collect();
        services.reserve_exact(rest.iter().map(Vec::len).sum());
        for part in rest {
            services.extend(part);
        }
        ServiceList {
            services,
            skipped: sunk.skipped,
        }
    }
}

/// Decodes the answer to `action=services` as [`decode_services`] does,
/// handing each service to a sink as it is read instead of
/// collecting a list: a large catalog goes to several sinks made by
/// `sink`, one per part (a few for each core, the parts decoded side by
/// side), returned in order.
/// Errors, entries set aside and the order of services are those of
/// [`decode_services`].
///
/// ```
/// use smmkit_provider_core::wire::decode_services_into;
/// let body = br#"[{"service":1,"name":"A","rate":"1","min":1,"max":9},
///                 {"service":2,"name":"B","rate":"2","min":1,"max":9}]"#;
/// let sunk = decode_services_into(body, Vec::new)?;
/// let ids: Vec<u64> = sunk.parts.iter().flatten().map(|s| s.id.get()).collect();
/// assert_eq!(ids, [1, 2]);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_services_into<S: ServiceSink + Send>(
    body: &[u8],
    sink: impl Fn() -> S + Sync,
) -> Result<SunkServices<S>> {
    if body.len() >= PARALLEL_FROM {
        let parts = super::parallel::decode(json_start(body), super::parallel::threads(), |part| {
            service_part(part, &sink)
        });
        // An empty body, a page or a part that is not valid JSON: the one
        // thread says what it is.
        if let Some(parts) = parts {
            let mut all = Listed::new(Vec::with_capacity(parts.len()));
            for part in parts {
                all.append(part);
            }
            all.check(body)?;
            return Ok(SunkServices {
                parts: all.services,
                skipped: all.skipped,
            });
        }
    }
    let listed = on_one_thread(body, sink)?;
    Ok(SunkServices {
        parts: vec![listed.services],
        skipped: listed.skipped,
    })
}

/// Decodes the catalog in `body` on this thread into a sink made by `sink`
/// (a second one when the list is read again the serde way).
fn on_one_thread<S: ServiceSink>(body: &[u8], sink: impl Fn() -> S) -> Result<Listed<S>> {
    let action = Action::Services;
    precheck(action, body)?;
    let json = json_start(body);
    if json.first() == Some(&b'{') {
        return services_object(body, sink());
    }
    // One UTF-8 check of the whole body instead of one per string.
    let text = std::str::from_utf8(json);
    if let Ok(text) = text
        && let Some(listed) = super::flat::read_list(text, with_room(sink(), text.len()))
    {
        listed.check(body)?;
        return Ok(listed);
    }
    let mut listed = Listed::new(sink());
    let read = match text {
        Ok(text) => list_from(serde_json::Deserializer::from_str(text), &mut listed),
        // An invalid body goes the slower way, which says where it is invalid.
        Err(_) => list_from(serde_json::Deserializer::from_slice(json), &mut listed),
    };
    match read {
        Ok(true) => {
            listed.check(body)?;
            Ok(listed)
        }
        Ok(false) => {
            let found = parse_body(action, body).map(|s| describe(&s))?;
            Err(decode_error(
                action,
                body,
                format!("expected a list of services, got {found}"),
            ))
        }
        Err(e) => Err(json_error(action, body, &e)),
    }
}

/// What was read of a list: the services (in a sink), how many, the
/// entries set aside, and how many entries there were.
pub(crate) struct Listed<S> {
    services: S,
    count: usize,
    skipped: Vec<SkippedService>,
    entries: usize,
}

impl Listed<Vec<Service>> {
    /// The services, without the entries set aside.
    #[cfg(test)]
    pub(crate) fn into_services(self) -> Vec<Service> {
        self.services
    }

    /// The services, the entries set aside and how many entries there were.
    #[cfg(test)]
    pub(super) fn outcome(self) -> (Vec<Service>, Vec<SkippedService>, usize) {
        assert_eq!(self.count, self.services.len());
        (self.services, self.skipped, self.entries)
    }
}

impl<S> Listed<S> {
    pub(super) fn new(services: S) -> Listed<S> {
        Listed {
            services,
            count: 0,
            skipped: Vec::new(),
            entries: 0,
        }
    }

    /// An error when there were entries and none could be read.
    fn check(&self, body: &[u8]) -> Result<()> {
        if self.count == 0
            && let Some(first) = self.skipped.first()
        {
            return Err(decode_error(
                Action::Services,
                body,
                format!(
                    "none of the {} services could be read; the first: {first}",
                    self.entries
                ),
            ));
        }
        Ok(())
    }
}

impl<S: ServiceSink> Listed<S> {
    pub(super) fn push(&mut self, entry: Entry) {
        match entry {
            Ok(s) => {
                self.services.push(s);
                self.count += 1;
            }
            Err(mut skip) => {
                skip.index = self.entries;
                self.skipped.push(skip);
            }
        }
        self.entries += 1;
    }

    /// Makes room for about `services` more.
    fn reserve(&mut self, services: usize) {
        self.services.reserve(services);
    }
}

impl<S> Listed<Vec<S>> {
    /// The part read after these, its sink kept whole.
    fn append(&mut self, other: Listed<S>) {
        let offset = self.entries;
        self.services.push(other.services);
        self.count += other.count;
        self.skipped.extend(other.skipped.into_iter().map(|mut s| {
            s.index += offset;
            s
        }));
        self.entries += other.entries;
    }
}

/// One entry: a service, or why it was set aside (its index set by the list).
pub(super) type Entry = std::result::Result<Service, SkippedService>;

/// Decodes a bare list with `de` into `listed`: `false` when the body is
/// not a list.
fn list_from<'de, R: serde_json::de::Read<'de>, S: ServiceSink>(
    mut de: serde_json::Deserializer<R>,
    listed: &mut Listed<S>,
) -> std::result::Result<bool, serde_json::Error> {
    if !de.deserialize_any(ListOrNot(ServiceListVisitor { listed }))? {
        return Ok(false);
    }
    de.end()?;
    Ok(true)
}

/// A part of a bare list of services into `sink`; `None` when the part
/// does not read here: the caller then decodes the whole catalog on one
/// thread, which reads it the serde way or says what is wrong.
pub(super) fn service_part<S: ServiceSink>(
    part: Part<'_>,
    sink: impl Fn() -> S,
) -> Option<Listed<S>> {
    super::flat::read_part(part, with_room(sink(), part.text.len()))
}

/// A list into `sink` with room made up front for the services of `len`
/// bytes of a catalog, so that it does not grow as they are read: a part,
/// or a whole catalog read on one thread (bench/README.md, section 16).
fn with_room<S: ServiceSink>(sink: S, len: usize) -> Listed<S> {
    let mut listed = Listed::new(sink);
    listed.reserve(room(len));
    listed
}

/// Reads the bare list `text` into `listed`; `false` when it is not valid
/// JSON.
pub(super) fn read_list<S: ServiceSink>(text: &str, listed: &mut Listed<S>) -> bool {
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_seq(ServiceListVisitor { listed })
        .and_then(|()| de.end())
        .is_ok()
}

/// An object-shaped answer: `{"services": [...]}`, `{"data": [...]}`,
/// `{"1": {...}, "2": {...}}`, or a refusal.
fn services_object<S: ServiceSink>(body: &[u8], sink: S) -> Result<Listed<S>> {
    let action = Action::Services;
    let Shape::Object(members) = parse_body(action, body)? else {
        return Err(decode_error(action, body, "expected a list of services"));
    };
    if let Some(refusal) = error_answer_of(&members) {
        return Err(Error::api(action, refusal.message));
    }
    let mut listed = Listed::new(sink);
    for (key, raw) in &members {
        let text = raw.get();
        match text.as_bytes().first() {
            // A list is read into the others; one that is not valid JSON
            // is an error.
            Some(b'[') if !read_list(text, &mut listed) => {
                return Err(decode_error(
                    action,
                    body,
                    format!("member `{key}` is not a list of services"),
                ));
            }
            Some(b'{') => {
                let key_id = parse_u64(key).map(ServiceId);
                let mut de = serde_json::Deserializer::from_str(text);
                let entry = ServiceSeed { key_id }
                    .deserialize(&mut de)
                    .map_err(|e| json_error(action, body, &e))?;
                listed.push(entry);
            }
            _ => {}
        }
    }
    listed.check(body)?;
    Ok(listed)
}

/// A list, read by the visitor it holds, or `false` for any other JSON
/// value (read whole).
struct ListOrNot<'a, S>(ServiceListVisitor<'a, S>);

impl<'de, S: ServiceSink> Visitor<'de> for ListOrNot<'_, S> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of services")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<bool, A::Error> {
        self.0.visit_seq(seq).map(|()| true)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<bool, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(false)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<bool, E> {
        Ok(false)
    }
}

/// A list of service objects, read into `listed`; an entry that is not an
/// object is set aside.
struct ServiceListVisitor<'a, S> {
    listed: &'a mut Listed<S>,
}

/// A service takes 150 to 300 bytes of a catalog: room for the services
/// of `len` bytes, without growing the list as they come.
fn room(len: usize) -> usize {
    len / 160 + 1
}

impl<'de, S: ServiceSink> Visitor<'de> for ServiceListVisitor<'_, S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of services")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq
            .next_element_seed(EntrySeed {
                listed: &mut *self.listed,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// One entry of a list, pushed into `listed` as it is read: a service
/// object, or anything else set aside. The entry goes straight from the
/// fields read to the sink, not back up through the parser's calls.
pub(super) struct EntrySeed<'a, S> {
    listed: &'a mut Listed<S>,
}

impl<'a, S> EntrySeed<'a, S> {
    pub(super) fn new(listed: &'a mut Listed<S>) -> EntrySeed<'a, S> {
        EntrySeed { listed }
    }
}

impl<'de, S: ServiceSink> DeserializeSeed<'de> for EntrySeed<'_, S> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

fn not_a_service(what: impl fmt::Display) -> Entry {
    Err(skipped(
        None,
        format!("expected a service object, got {what}"),
    ))
}

impl<S: ServiceSink> EntrySeed<'_, S> {
    /// Sets aside an entry that is not a service object.
    fn aside<E>(self, what: impl fmt::Display) -> std::result::Result<(), E> {
        self.listed.push(not_a_service(what));
        Ok(())
    }
}

impl<'de, S: ServiceSink> Visitor<'de> for EntrySeed<'_, S> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a service object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        let entry = ServiceSeed { key_id: None }.visit_map(map)?;
        self.listed.push(entry);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        self.aside("a list")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<(), E> {
        self.aside(format_args!("\"{}\"", crate::wire::lenient::shown(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<(), E> {
        self.aside(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<(), E> {
        self.aside(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<(), E> {
        self.aside(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<(), E> {
        self.aside(v)
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        self.aside("null")
    }
}

fn skipped(id: Option<u64>, reason: String) -> SkippedService {
    SkippedService {
        index: 0,
        id: id.map(ServiceId),
        reason,
    }
}

/// A key of a service object, without allocating for the known ones.
#[derive(Clone)]
pub(super) enum ServiceKey {
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
    Other(Name),
}

struct ServiceKeyVisitor;

impl<'de> Visitor<'de> for ServiceKeyVisitor {
    type Value = ServiceKey;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<ServiceKey, E> {
        Ok(ServiceKey::of(v))
    }
}

impl ServiceKey {
    /// The key named `v`.
    pub(super) fn of(v: &str) -> ServiceKey {
        match v {
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
            other => ServiceKey::Other(field_name(other)),
        }
    }
}

impl<'de> de::Deserialize<'de> for ServiceKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_str(ServiceKeyVisitor)
    }
}

/// Decodes one service object; `key_id` is the id it was keyed by, if any.
struct ServiceSeed {
    key_id: Option<ServiceId>,
}

impl<'de> DeserializeSeed<'de> for ServiceSeed {
    type Value = Entry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Entry, D::Error> {
        d.deserialize_map(self)
    }
}

/// A field that was present: its value, or what was wrong with it.
struct Seen<T> {
    value: Option<T>,
}

impl<T> Seen<T> {
    /// Reads a field's checked value, noting the first problem of the entry.
    fn read(checked: Checked<T>, name: &'static str, problem: &mut Option<String>) -> Seen<T> {
        match checked {
            Ok(value) => Seen { value },
            Err(e) => {
                problem.get_or_insert_with(|| format!("field `{name}`: {e}"));
                Seen { value: None }
            }
        }
    }
}

/// A required field: its value, or why there is none.
fn need<T>(seen: Option<Seen<T>>, name: &str) -> std::result::Result<T, String> {
    match seen {
        None => Err(format!("missing field `{name}`")),
        Some(Seen { value: None }) => Err(format!("`{name}` is empty")),
        Some(Seen { value: Some(v) }) => Ok(v),
    }
}

fn flag(seen: Option<Seen<bool>>) -> Option<bool> {
    seen.and_then(|s| s.value)
}

/// Readable text, the raw text kept in `raw` where it differs.
fn readable(
    text: String,
    raw: &mut Option<Box<RawText>>,
    field: fn(&mut RawText) -> &mut Option<String>,
) -> String {
    match readable_text(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => {
            RawText::keep(raw, field, text, &clean);
            clean
        }
    }
}

impl<'de> Visitor<'de> for ServiceSeed {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a service object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Entry, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<ServiceKey>()? {
            map.next_value_seed(FieldSeed {
                fields: &mut fields,
                key,
            })?;
        }
        Ok(fields.finish(self.key_id))
    }
}

/// The fields of one service object as they are read, in any order.
#[derive(Default)]
pub(super) struct Fields {
    /// The first field that could not be read, and why.
    problem: Option<String>,
    id: Option<Seen<u64>>,
    name: Option<Seen<String>>,
    kind: Option<Seen<ServiceType>>,
    category: Option<Seen<String>>,
    rate: Option<Seen<rust_decimal::Decimal>>,
    min: Option<Seen<u64>>,
    max: Option<Seen<u64>>,
    refill: Option<Seen<bool>>,
    cancel: Option<Seen<bool>>,
    dripfeed: Option<Seen<bool>>,
    desc: Option<serde_json::Value>,
    description: Option<serde_json::Value>,
    extra: Extras,
}

/// Reads the value of the field `key` into `fields`.
pub(super) struct FieldSeed<'a> {
    fields: &'a mut Fields,
    key: ServiceKey,
}

impl<'a> FieldSeed<'a> {
    pub(super) fn new(fields: &'a mut Fields, key: ServiceKey) -> FieldSeed<'a> {
        FieldSeed { fields, key }
    }
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        let f = self.fields;
        let p = &mut f.problem;
        match self.key {
            ServiceKey::Id => f.id = Some(Seen::read(Lenient(U64).deserialize(d)?, "service", p)),
            ServiceKey::Name => f.name = Some(Seen::read(Lenient(Text).deserialize(d)?, "name", p)),
            ServiceKey::Type => {
                let word = Lenient(Word(ServiceType::parse)).deserialize(d)?;
                f.kind = Some(Seen::read(word, "type", p));
            }
            ServiceKey::Category => {
                f.category = Some(Seen::read(Lenient(Text).deserialize(d)?, "category", p));
            }
            ServiceKey::Rate => f.rate(Lenient(Dec).deserialize(d)?),
            ServiceKey::Min => f.min = Some(Seen::read(Lenient(U64).deserialize(d)?, "min", p)),
            ServiceKey::Max => f.max = Some(Seen::read(Lenient(U64).deserialize(d)?, "max", p)),
            ServiceKey::Refill => {
                f.refill = Some(Seen::read(Lenient(Bool).deserialize(d)?, "refill", p));
            }
            ServiceKey::Cancel => {
                f.cancel = Some(Seen::read(Lenient(Bool).deserialize(d)?, "cancel", p));
            }
            ServiceKey::Dripfeed => {
                f.dripfeed = Some(Seen::read(Lenient(Bool).deserialize(d)?, "dripfeed", p));
            }
            ServiceKey::Desc => f.desc = Some(serde::Deserialize::deserialize(d)?),
            ServiceKey::Description => f.description = Some(serde::Deserialize::deserialize(d)?),
            ServiceKey::Other(k) => {
                let v: serde_json::Value = serde::Deserialize::deserialize(d)?;
                f.extra.insert_named(k, v);
            }
        }
        Ok(())
    }
}

impl Fields {
    /// Sets the rate: its exact decimal, or what is wrong with it.
    pub(super) fn rate(&mut self, checked: Checked<rust_decimal::Decimal>) {
        self.rate = Some(Seen::read(checked, "rate", &mut self.problem));
    }

    /// The service, or why it was set aside; `key_id` is the id the object
    /// was keyed by, if any.
    pub(super) fn finish(self, key_id: Option<ServiceId>) -> Entry {
        let Fields {
            problem,
            id,
            name,
            kind,
            category,
            rate,
            min,
            max,
            refill,
            cancel,
            dripfeed,
            desc,
            description,
            mut extra,
        } = self;
        let id_value = id
            .as_ref()
            .and_then(|s| s.value)
            .or(key_id.map(ServiceId::get));
        if let Some(problem) = problem {
            return Err(skipped(id_value, problem));
        }
        let id = match (id, key_id) {
            (None, Some(key)) => key.get(),
            (seen, _) => match need(seen, "service") {
                Ok(id) => id,
                Err(reason) => return Err(skipped(None, reason)),
            },
        };
        let fail = |reason: String| Err(skipped(Some(id), reason));
        let rate = match need(rate, "rate") {
            Ok(r) => r,
            Err(reason) => return fail(reason),
        };
        if rate.is_sign_negative() && !rate.is_zero() {
            return fail(format!("field `rate`: a price cannot be negative ({rate})"));
        }
        let (min, max) = match (need(min, "min"), need(max, "max")) {
            (Ok(min), Ok(max)) => (min, max),
            (Err(reason), _) | (_, Err(reason)) => return fail(reason),
        };
        let mut raw = None;
        // `description` wins; `desc` fills in for it, and is kept in
        // `extra` when both are there, so nothing is lost.
        use serde_json::Value;
        let description_text = match (description, desc) {
            (Some(d), desc) if !d.is_null() => {
                if let Some(desc) = desc {
                    extra.insert("desc".into(), desc);
                }
                match d {
                    Value::String(t) => Some(t),
                    other => {
                        extra.insert("description".into(), other);
                        None
                    }
                }
            }
            (_, Some(desc)) => match desc {
                Value::String(t) => Some(t),
                Value::Null => None,
                other => {
                    extra.insert("desc".into(), other);
                    None
                }
            },
            (_, None) => None,
        };
        let name = name.and_then(|s| s.value).unwrap_or_default();
        let category = category.and_then(|s| s.value).unwrap_or_default();
        Ok(Service {
            id: ServiceId(id),
            name: readable(name, &mut raw, |r| &mut r.name),
            kind: kind.and_then(|s| s.value).unwrap_or(ServiceType::Default),
            category: readable(category, &mut raw, |r| &mut r.category),
            rate,
            min,
            max,
            refill: flag(refill).unwrap_or(false),
            cancel: flag(cancel).unwrap_or(false),
            dripfeed: flag(dripfeed),
            description: description_text.map(|d| readable(d, &mut raw, |r| &mut r.description)),
            extra,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skipped_of(body: &str) -> (Vec<u64>, Vec<String>) {
        let list = decode_services(body.as_bytes()).expect("decodes");
        (
            list.iter().map(|s| s.id.get()).collect(),
            list.skipped.iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn a_malformed_entry_is_set_aside_with_its_position_and_reason() {
        let good =
            |id: u32| format!(r#"{{"service":{id},"name":"ok","rate":"1.0","min":1,"max":10}}"#);
        for (bad, reason) in [
            (
                r#"{"service":5,"name":"x","rate":"1","min":1,"max":""}"#,
                "services[1] (service 5): `max` is empty",
            ),
            (
                r#"{"service":5,"name":"x","rate":"1","min":1,"max":null}"#,
                "services[1] (service 5): `max` is empty",
            ),
            (
                r#"{"service":5,"name":"x","rate":"","min":1,"max":9}"#,
                "services[1] (service 5): `rate` is empty",
            ),
            (
                r#"{"service":5,"name":"x","rate":"0,90","min":1,"max":9}"#,
                "services[1] (service 5): field `rate`: expected a decimal number, got \"0,90\"",
            ),
            (
                r#"{"service":5,"name":"x","rate":"1","min":"1k","max":9}"#,
                "services[1] (service 5): field `min`: expected a whole number ≥ 0, got \"1k\"",
            ),
            (
                r#"{"service":"12a","name":"x","rate":"1","min":1,"max":9}"#,
                "services[1]: field `service`: expected a whole number ≥ 0, got \"12a\"",
            ),
            (
                r#"{"service":5,"name":"x","rate":"1","min":{"a":[1]},"max":9}"#,
                "services[1] (service 5): field `min`: expected a whole number ≥ 0, got an object",
            ),
            (
                r#"{"name":"x","rate":"1","min":1,"max":9}"#,
                "services[1]: missing field `service`",
            ),
            (
                r#""just text""#,
                "services[1]: expected a service object, got \"just text\"",
            ),
            ("null", "services[1]: expected a service object, got null"),
        ] {
            let body = format!("[{},{bad},{}]", good(1), good(3));
            assert_eq!(
                skipped_of(&body),
                (vec![1, 3], vec![reason.to_owned()]),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_catalog_of_only_malformed_entries_is_an_error() {
        let e = decode_services(br#"[{"service":1,"rate":"x","min":1,"max":2}]"#).unwrap_err();
        assert_eq!(e.kind(), "decode");
        assert!(
            e.to_string()
                .contains("none of the 1 services could be read"),
            "{e}"
        );
        assert!(decode_services(b"[]").unwrap().is_empty());
    }

    #[test]
    fn keyed_and_wrapped_catalogs_set_entries_aside_too() {
        let (ids, skipped) = skipped_of(
            r#"{"services":[{"service":1,"rate":"1","min":1,"max":2},{"service":2,"rate":"1","min":1}]}"#,
        );
        assert_eq!(ids, vec![1]);
        assert_eq!(
            skipped,
            vec!["services[1] (service 2): missing field `max`"]
        );
        let (ids, skipped) =
            skipped_of(r#"{"4":{"rate":"1","min":1,"max":2},"9":{"rate":"bad","min":1,"max":2}}"#);
        assert_eq!(ids, vec![4]);
        assert_eq!(
            skipped,
            vec!["services[1] (service 9): field `rate`: expected a decimal number, got \"bad\""]
        );
    }

    #[test]
    fn a_byte_order_mark_and_white_space_before_the_list_are_skipped() {
        let list = decode_services(
            b"\xEF\xBB\xBF\r\n [{\"service\":1,\"rate\":\"1\",\"min\":1,\"max\":2}]",
        )
        .unwrap();
        assert_eq!(list.len(), 1);
    }
}
