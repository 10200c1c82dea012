//! A catalog crosses to JavaScript as columns rather than as JSON text.
//!
//! Turning 10,000 decoded services back into JSON and having V8 parse it
//! again cost twice what decoding did (bench/README.md). Instead, the text
//! fields of every service go into two strings, back to back — the ASCII
//! pieces in a one-byte string, the others in UTF-16, both of which V8
//! copies as they are instead of decoding them — with their lengths (in
//! UTF-16 units, as JavaScript counts) in a typed array; a name, type,
//! category, description or extra field already sent is sent as a
//! reference to the first. Ids, minimums and maximums go in a
//! `Float64Array`, flags in a `Uint8Array`; the raw texts, where they
//! differ from the readable ones, and the extra fields (name and value, or
//! the JSON of a value that is not text) are pieces too. The entries of
//! the catalog that could not be read, and ids a JavaScript number cannot
//! hold, come as small JSON lists. A large catalog's columns are built on
//! every core as it is decoded (each part of the catalog into its own
//! columns, the services freed as they go), then joined in order. The
//! package's JavaScript slices the strings and builds one object literal
//! per service: it decodes nothing but extra values that are not text.

use std::hash::Hasher;

use napi::bindgen_prelude::{
    Float64Array, Latin1String, ToNapiValue, TypeName, Uint8Array, Uint32Array, ValueType,
};
use napi::sys;
use napi_derive::napi;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use smmkit::wire::{ServiceSink, SunkServices};
use smmkit::{DecimalText, Service, ServiceList, SkippedService};

use crate::json::{MAX_SAFE_INTEGER, err};

/// Flag bits of a service.
const REFILL: u8 = 1;
const CANCEL: u8 = 2;
const DRIPFEED_KNOWN: u8 = 4;
const DRIPFEED: u8 = 8;
const DESCRIPTION: u8 = 16;
const RAW_NAME: u8 = 32;
const RAW_CATEGORY: u8 = 64;
const RAW_DESCRIPTION: u8 = 128;

/// Text in UTF-16 code units, made a JavaScript string by one copy.
pub struct Utf16Text(Vec<u16>);

/// A piece of `wide` rather than of `narrow`: the high bit of its length.
const WIDE: u32 = 1 << 31;

/// A piece that repeats an earlier one: the next bit, with the number of
/// the earlier piece (counting the pieces that were not repeats) in the
/// bits below.
const REPEAT: u32 = 1 << 30;

/// Why the columns cannot hold a catalog, which then is a decode error.
const TOO_LONG: &str = "a text of the catalog is too long to be sent to JavaScript";

/// The text pieces of a catalog: pure ASCII ones (most) in one string of
/// one byte per character, the others in a UTF-16 one; both are copied
/// into V8 as they are, without decoding, and the narrow one takes half
/// the memory. A text seen before in the same part (a name, type,
/// category, description, or an extra field's name or text value) is sent
/// as a reference to it: JavaScript then makes the string once, and the
/// services share it.
#[derive(Default)]
struct Pieces {
    narrow: String,
    wide: Vec<u16>,
    lengths: Vec<u32>,
    /// How many pieces are not repeats.
    new: u32,
    /// The pieces that may be repeated, by the hash of their text.
    seen: FxHashMap<u64, Seen>,
    /// The pieces of `wide` as UTF-8, to compare a piece with them.
    wide_text: String,
}

/// A piece sent whole: its number (counting the pieces that were not
/// repeats), and where its text is in `narrow` or, when `wide`, in
/// `wide_text`.
#[derive(Clone, Copy)]
struct Seen {
    number: u32,
    wide: bool,
    start: usize,
    len: usize,
}

impl Pieces {
    /// Appends `piece` and its length in UTF-16 units, marked [`WIDE`] when
    /// it is in `wide`; an error for a piece of 2^30 units or more, whose
    /// length has no room beside the marks.
    fn push(&mut self, piece: &str) -> Result<(), &'static str> {
        self.push_as(piece, piece.is_ascii()).map(|_| ())
    }

    /// [`Pieces::push`] of a piece known to be ASCII or not; where it went.
    fn push_as(&mut self, piece: &str, ascii: bool) -> Result<Seen, &'static str> {
        let (start, units, wide) = if ascii {
            let start = self.narrow.len();
            self.narrow.push_str(piece);
            (start, piece.len(), false)
        } else {
            let start = self.wide_text.len();
            self.wide_text.push_str(piece);
            let before = self.wide.len();
            // At most one unit per byte of UTF-8.
            self.wide.reserve(piece.len());
            self.wide.extend(piece.encode_utf16());
            (start, self.wide.len() - before, true)
        };
        let mark = u32::try_from(units)
            .ok()
            .filter(|n| *n < REPEAT)
            .ok_or(TOO_LONG)?;
        self.lengths.push(if wide { mark | WIDE } else { mark });
        let number = self.new;
        self.new = number
            .checked_add(1)
            .filter(|n| *n <= REPEAT)
            .ok_or(TOO_LONG)?;
        Ok(Seen {
            number,
            wide,
            start,
            len: piece.len(),
        })
    }

    /// Whether `seen` is the text `piece`.
    fn is(&self, seen: Seen, piece: &str) -> bool {
        let text = if seen.wide {
            &self.wide_text
        } else {
            &self.narrow
        };
        text.get(seen.start..seen.start + seen.len) == Some(piece)
    }

    /// [`Pieces::push`], or a reference to the same text pushed before.
    fn push_shared(&mut self, piece: &str) -> Result<(), &'static str> {
        let mut hasher = FxHasher::default();
        hasher.write(piece.as_bytes());
        let hash = hasher.finish();
        if let Some(&seen) = self.seen.get(&hash) {
            if self.is(seen, piece) {
                self.lengths.push(REPEAT | seen.number);
                return Ok(());
            }
            // Another text with the same hash: sent whole.
            return self.push(piece);
        }
        let seen = self.push_as(piece, piece.is_ascii())?;
        self.seen.insert(hash, seen);
        Ok(())
    }
}

impl TypeName for Utf16Text {
    fn type_name() -> &'static str {
        "string"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ToNapiValue for Utf16Text {
    unsafe fn to_napi_value(env: sys::napi_env, val: Utf16Text) -> napi::Result<sys::napi_value> {
        let mut value = std::ptr::null_mut();
        let len = isize::try_from(val.0.len())
            .map_err(|_| napi::Error::from_reason("the catalog's text is too long"))?;
        // SAFETY: `val.0` is a live buffer of `len` UTF-16 units, which
        // napi copies before returning; `value` is a valid place for the
        // result, and `env` is the environment napi gave this call.
        let status = unsafe { sys::napi_create_string_utf16(env, val.0.as_ptr(), len, &mut value) };
        if status == sys::Status::napi_ok {
            Ok(value)
        } else {
            Err(napi::Error::from_reason(
                "the catalog's text could not be made a string",
            ))
        }
    }
}

/// A catalog in columns, or the JSON envelope when it cannot be (an
/// error).
#[napi(object, object_from_js = false)]
pub struct ServiceColumns {
    /// `{"ok": ...}` or `{"error": ...}` when the columns are not used.
    pub json: Option<String>,
    /// How many services.
    pub count: u32,
    /// name, type, category, rate and, when present, description of each
    /// service, then its raw name, category and description where they
    /// differ from the readable ones, back to back: the pieces that are
    /// ASCII.
    pub narrow: Latin1String,
    /// The other pieces, back to back.
    #[napi(ts_type = "string")]
    pub wide: Utf16Text,
    /// The length of each piece, in UTF-16 units, with the high bit set
    /// for a piece of `wide`; or, with the next bit set, the number of the
    /// earlier piece it repeats (counting the pieces that are not repeats).
    pub lengths: Uint32Array,
    /// id, min and max of each service (an id beyond 2^53 − 1 is in
    /// `bigIds` instead).
    pub numbers: Float64Array,
    /// Flag bits of each service.
    pub flags: Uint8Array,
    /// The index of each service that has extra fields.
    pub extras_at: Uint32Array,
    /// How many extra fields each of those has: as many pairs of pieces
    /// (name, value) follow its other pieces.
    pub extra_fields: Uint32Array,
    /// What the value of each extra field is: 0 its text, 1 the JSON of a
    /// value that is not text.
    pub extra_kinds: Uint8Array,
    /// The ids beyond 2^53 − 1, which a JavaScript number cannot hold
    /// exactly: a JSON list of `[index, "digits"]`, or empty.
    pub big_ids: String,
    /// The entries that could not be read, as a JSON list.
    pub skipped: String,
}

impl ServiceColumns {
    fn envelope(json: String) -> ServiceColumns {
        ServiceColumns {
            json: Some(json),
            count: 0,
            narrow: Latin1String::from(String::new()),
            wide: Utf16Text(Vec::new()),
            lengths: Uint32Array::new(Vec::new()),
            numbers: Float64Array::new(Vec::new()),
            flags: Uint8Array::new(Vec::new()),
            extras_at: Uint32Array::new(Vec::new()),
            extra_fields: Uint32Array::new(Vec::new()),
            extra_kinds: Uint8Array::new(Vec::new()),
            big_ids: String::new(),
            skipped: String::new(),
        }
    }

    /// The columns of a catalog decoded into parts of columns.
    pub(crate) fn from_parts(result: smmkit::Result<SunkServices<Part>>) -> ServiceColumns {
        match result {
            Ok(sunk) => ServiceColumns::joined(sunk.parts, &sunk.skipped),
            Err(e) => ServiceColumns::envelope(err(&e)),
        }
    }

    /// The columns of a catalog decoded into a list.
    pub(crate) fn from_result(result: smmkit::Result<ServiceList>) -> ServiceColumns {
        match result {
            Ok(ServiceList {
                services: list,
                skipped,
            }) => {
                // A large catalog's columns are built in parts, one per core.
                let per_part = list
                    .len()
                    .div_ceil(rayon::current_num_threads().max(1))
                    .max(PART);
                let parts: Vec<Part> = list.par_chunks(per_part).map(Part::of).collect();
                // Freeing tens of thousands of strings takes a millisecond
                // the caller need not wait for.
                // When no thread can be started, the list is freed here,
                // with the closure that holds it.
                if list.len() > 1000 {
                    let _ = std::thread::Builder::new()
                        .name("smmkit-free".into())
                        .spawn(move || drop(list));
                }
                ServiceColumns::joined(parts, &skipped)
            }
            Err(e) => ServiceColumns::envelope(err(&e)),
        }
    }

    /// The parts joined in order, with the entries set aside, or an error
    /// when a part could not hold its services.
    fn joined(parts: Vec<Part>, skipped: &[SkippedService]) -> ServiceColumns {
        let mut parts = parts.into_iter();
        let mut all = parts.next().unwrap_or_default();
        for part in parts {
            all.append(part);
        }
        if let Some(why) = all.broken {
            return ServiceColumns::envelope(err(&smmkit::Error::Decode {
                action: smmkit::Action::Services,
                message: why.into(),
                snippet: String::new(),
            }));
        }
        let big_ids = if all.big_ids.is_empty() {
            String::new()
        } else {
            let digits: Vec<(u32, String)> = all
                .big_ids
                .iter()
                .map(|&(at, id)| (at, id.to_string()))
                .collect();
            serde_json::to_string(&digits).unwrap_or_default()
        };
        ServiceColumns {
            json: None,
            count: all.count,
            narrow: Latin1String::from(all.pieces.narrow),
            wide: Utf16Text(all.pieces.wide),
            lengths: Uint32Array::new(all.pieces.lengths),
            numbers: Float64Array::new(all.numbers),
            flags: Uint8Array::new(all.flags),
            extras_at: Uint32Array::new(all.extras_at),
            extra_fields: Uint32Array::new(all.extra_fields),
            extra_kinds: Uint8Array::new(all.extra_kinds),
            big_ids,
            skipped: serde_json::to_string(skipped).unwrap_or_default(),
        }
    }
}

/// Services from this many on are put in columns on several cores.
const PART: usize = 2048;

/// The columns of some consecutive services of a catalog: a sink the
/// catalog is decoded into, one per part decoded on its own core.
#[derive(Default)]
pub(crate) struct Part {
    pieces: Pieces,
    numbers: Vec<f64>,
    flags: Vec<u8>,
    /// The index of each service that has extra fields, in this part (in
    /// the catalog once parts are joined).
    extras_at: Vec<u32>,
    /// How many extra fields each of those has.
    extra_fields: Vec<u32>,
    /// Whether the value of each extra field is JSON (1) or text (0).
    extra_kinds: Vec<u8>,
    /// The ids beyond 2^53 − 1 and the index of their service, counted as
    /// `extras_at` is.
    big_ids: Vec<(u32, u64)>,
    /// How many services.
    count: u32,
    /// Why the columns cannot hold a service, if one could not be added.
    broken: Option<&'static str>,
}

impl ServiceSink for Part {
    fn push(&mut self, service: Service) {
        self.add(&service);
    }

    fn reserve(&mut self, services: usize) {
        // About what a catalog takes: 40 bytes of ASCII text and five
        // pieces a service.
        self.pieces.narrow.reserve(services * 40);
        self.pieces.lengths.reserve(services * 5);
        self.numbers.reserve(services * 3);
        self.flags.reserve(services);
    }
}

impl Part {
    /// The columns of `list`.
    fn of(list: &[Service]) -> Part {
        let mut part = Part::default();
        part.reserve(list.len());
        for s in list {
            part.add(s);
        }
        part
    }

    /// Adds the columns of `s`, or notes why they cannot be.
    fn add(&mut self, s: &Service) {
        if self.broken.is_none()
            && let Err(why) = self.columns_of(s)
        {
            self.broken = Some(why);
        }
    }

    fn columns_of(&mut self, s: &Service) -> Result<(), &'static str> {
        let index = self.count;
        self.count = index.checked_add(1).ok_or(TOO_LONG)?;
        let pieces = &mut self.pieces;
        for piece in [s.name.as_str(), s.kind.as_str(), s.category.as_str()] {
            pieces.push_shared(piece)?;
        }
        pieces.push(&DecimalText::new(&s.rate))?;
        let mut f = 0;
        if let Some(d) = &s.description {
            pieces.push_shared(d)?;
            f |= DESCRIPTION;
        }
        if let Some(raw) = &s.raw {
            for (piece, bit) in [
                (&raw.name, RAW_NAME),
                (&raw.category, RAW_CATEGORY),
                (&raw.description, RAW_DESCRIPTION),
            ] {
                if let Some(piece) = piece {
                    pieces.push_shared(piece)?;
                    f |= bit;
                }
            }
        }
        let id = s.id.get();
        if id > MAX_SAFE_INTEGER {
            self.big_ids.push((index, id));
        }
        // Exact: every one is at most 2^53 − 1.
        #[allow(clippy::cast_precision_loss)]
        // Limits beyond 2^53 − 1 are given as 2^53 − 1 (see json.rs), and
        // so are ids, whose exact value is in `big_ids`.
        let safe = |n: u64| n.min(MAX_SAFE_INTEGER) as f64;
        self.numbers.extend([safe(id), safe(s.min), safe(s.max)]);
        if s.refill {
            f |= REFILL;
        }
        if s.cancel {
            f |= CANCEL;
        }
        if let Some(d) = s.dripfeed {
            f |= DRIPFEED_KNOWN | if d { DRIPFEED } else { 0 };
        }
        self.flags.push(f);
        if !s.extra.is_empty() {
            let fields = u32::try_from(s.extra.len()).map_err(|_| TOO_LONG)?;
            for (name, value) in s.extra.iter() {
                self.pieces.push_shared(name)?;
                if let serde_json::Value::String(text) = value {
                    self.pieces.push_shared(text)?;
                    self.extra_kinds.push(0);
                } else {
                    let json = serde_json::to_string(value).map_err(
                        |_| "an extra field of the catalog cannot be sent to JavaScript",
                    )?;
                    self.pieces.push(&json)?;
                    self.extra_kinds.push(1);
                }
            }
            self.extras_at.push(index);
            self.extra_fields.push(fields);
        }
        Ok(())
    }

    /// `next`, the columns of the services that follow, after these: its
    /// indexes and repeats now count from the start of these.
    fn append(&mut self, next: Part) {
        self.broken = self.broken.or(next.broken);
        let (pieces, services) = (self.pieces.new, self.count);
        let (Some(new), Some(count)) = (
            pieces.checked_add(next.pieces.new).filter(|n| *n <= REPEAT),
            services.checked_add(next.count),
        ) else {
            self.broken = Some(TOO_LONG);
            return;
        };
        self.pieces.new = new;
        self.count = count;
        self.pieces.narrow.push_str(&next.pieces.narrow);
        self.pieces.wide.extend_from_slice(&next.pieces.wide);
        self.pieces
            .lengths
            .extend(next.pieces.lengths.iter().map(|&len| {
                if len & WIDE == 0 && len & REPEAT != 0 {
                    len + pieces
                } else {
                    len
                }
            }));
        self.numbers.extend_from_slice(&next.numbers);
        self.flags.extend_from_slice(&next.flags);
        self.extra_fields.extend_from_slice(&next.extra_fields);
        self.extra_kinds.extend_from_slice(&next.extra_kinds);
        self.extras_at
            .extend(next.extras_at.iter().map(|at| at + services));
        self.big_ids
            .extend(next.big_ids.iter().map(|&(at, id)| (at + services, id)));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    use super::*;

    fn catalog(n: usize) -> Vec<Service> {
        let entries: Vec<String> = (1..=n)
            .map(|i| {
                let name = if i % 3 == 0 { "Лайки &amp; 🔥" } else { "Likes" };
                let extra = if i % 4 == 0 { r#","tiers":[1,{"a":"Ж"}]"# } else { "" };
                format!(
                    r#"{{"service":{i},"name":"{name} {i}","category":"C","rate":"0.{i}","min":1,"max":9{extra}}}"#
                )
            })
            .collect();
        smmkit::wire::decode_services(format!("[{}]", entries.join(",")).as_bytes())
            .expect("a catalog")
            .services
    }

    /// The text of every piece, repeats resolved, as JavaScript reads them.
    fn texts(part: &Part) -> Vec<String> {
        let (mut narrow, mut wide) = (0, 0);
        let mut made: Vec<String> = Vec::new();
        let mut texts = Vec::new();
        for &len in &part.pieces.lengths {
            let text = if len & WIDE != 0 {
                let len = (len & !WIDE) as usize;
                wide += len;
                String::from_utf16(&part.pieces.wide[wide - len..wide]).expect("UTF-16")
            } else if len & REPEAT != 0 {
                texts.push(made[(len & !REPEAT) as usize].clone());
                continue;
            } else {
                narrow += len as usize;
                part.pieces.narrow[narrow - len as usize..narrow].to_owned()
            };
            made.push(text.clone());
            texts.push(text);
        }
        assert_eq!(made.len(), part.pieces.new as usize);
        texts
    }

    /// What JavaScript makes of `part`, as text to compare.
    fn columns(part: &Part) -> String {
        format!(
            "{:?}",
            (
                texts(part),
                &part.numbers,
                &part.flags,
                &part.extras_at,
                &part.extra_fields,
                &part.extra_kinds,
                &part.big_ids,
                part.count,
                part.broken,
            )
        )
    }

    #[test]
    fn parts_joined_are_the_columns_of_the_whole() {
        let list = catalog(40);
        let whole = Part::of(&list);
        assert_eq!(whole.extras_at, vec![3, 7, 11, 15, 19, 23, 27, 31, 35, 39]);
        assert!(whole.pieces.lengths.iter().any(|l| l & WIDE != 0));
        // The category and type of every service but the first are
        // repeats, and so is the name of the extra field of every service
        // that has one but the first.
        let repeats = whole.pieces.lengths.iter();
        let repeats = repeats.filter(|l| *l & WIDE == 0 && *l & REPEAT != 0);
        assert_eq!(repeats.count(), 2 * 39 + 9);
        let all = texts(&whole);
        // Service 4, after service 3 and its raw name: name, type,
        // category, rate, then its extra field.
        assert_eq!(all[13..18], ["Likes 4", "Default", "C", "0.4", "tiers"]);
        assert_eq!(all[18], r#"[1,{"a":"Ж"}]"#);
        assert_eq!(
            (whole.extra_fields.len(), whole.extra_kinds.len()),
            (10, 10)
        );
        assert!(whole.extra_kinds.iter().all(|k| *k == 1));
        assert_eq!(all[..5], ["Likes 1", "Default", "C", "0.1", "Likes 2"]);
        for cut in [1, 3, 4, 17, 39] {
            let mut joined = Part::of(&list[..cut]);
            joined.append(Part::of(&list[cut..]));
            assert_eq!(columns(&joined), columns(&whole), "cut at {cut}");
        }
    }

    #[test]
    fn a_text_that_is_not_ascii_is_sent_once_then_referenced() {
        let body = r#"[
            {"service":1,"name":"Лайки 🔥","category":"Ж","rate":"1","min":1,"max":2},
            {"service":2,"name":"Лайки 🔥","category":"Ж","rate":"2","min":1,"max":2},
            {"service":3,"name":"Likes","category":"Жж","rate":"3","min":1,"max":2}]"#;
        let list = smmkit::wire::decode_services(body.as_bytes()).expect("a catalog");
        let part = Part::of(&list);
        // Sent whole: the name and the two categories; the second service's
        // name and category are references to the first's.
        let wide = String::from_utf16(&part.pieces.wide).expect("UTF-16");
        assert_eq!(wide, "Лайки 🔥ЖЖж");
        let repeats = part.pieces.lengths.iter().filter(|l| *l & REPEAT != 0);
        assert_eq!(repeats.count(), 4, "name, type, category of 2; type of 3");
        assert_eq!(
            texts(&part),
            [
                "Лайки 🔥",
                "Default",
                "Ж",
                "1",
                "Лайки 🔥",
                "Default",
                "Ж",
                "2",
                "Likes",
                "Default",
                "Жж",
                "3"
            ]
        );
    }

    #[test]
    fn a_catalog_decoded_into_parts_has_the_columns_of_its_list() {
        // Large enough to be decoded on every core.
        let entries: Vec<String> = (1..=6000)
            .map(|i| {
                let name = if i % 3 == 0 { "Лайки &amp; 🔥" } else { "Likes" };
                format!(
                    r#"{{"service":"{i}","name":"{name} {}","type":"Default","category":"C{}","rate":"0.{i}","min":"1","max":"9","average_time":"{i} minutes"}}"#,
                    i % 50,
                    i % 7
                )
            })
            .collect();
        let body = format!("[{}]", entries.join(",")).into_bytes();
        let list = smmkit::wire::decode_services(&body).expect("a catalog");
        let sunk = smmkit::wire::decode_services_into(&body, Part::default).expect("parts");
        assert!(sunk.parts.len() > 1 || rayon::current_num_threads() == 1);
        let mut parts = sunk.parts.into_iter();
        let mut joined = parts.next().expect("a part");
        for part in parts {
            joined.append(part);
        }
        assert_eq!(joined.count, 6000);
        assert_eq!(columns(&joined), columns(&Part::of(&list)));
    }

    #[test]
    fn an_id_beyond_what_javascript_holds_exactly_is_kept_as_digits() {
        let body = br#"[{"service":"1","name":"a","rate":"1","min":1,"max":2},
            {"service":"9007199254740993","name":"b","rate":"1","min":1,"max":9007199254740995}]"#;
        let list = smmkit::wire::decode_services(body).expect("a catalog");
        let mut first = Part::of(&list[..1]);
        first.append(Part::of(&list[1..]));
        assert_eq!(first.big_ids, vec![(1, 9_007_199_254_740_993)]);
        #[allow(clippy::cast_precision_loss)]
        let safe = MAX_SAFE_INTEGER as f64;
        assert_eq!(first.numbers, vec![1.0, 1.0, 2.0, safe, 1.0, safe]);
        assert_eq!(first.broken, None);
    }

    #[test]
    fn a_part_that_cannot_hold_its_services_makes_the_catalog_a_decode_error() {
        let list = catalog(5);
        let mut broken = Part::of(&list[2..]);
        broken.broken = Some(TOO_LONG);
        let columns = ServiceColumns::joined(vec![Part::of(&list[..2]), broken], &[]);
        let json = columns.json.expect("an error envelope, not columns");
        assert!(json.contains(r#""kind":"decode""#), "{json}");
        assert!(json.contains("too long to be sent to JavaScript"), "{json}");
        let whole = ServiceColumns::joined(vec![Part::of(&list[..2]), Part::of(&list[2..])], &[]);
        assert_eq!((whole.json, whole.count), (None, 5));
    }
}
