//! A catalog crosses to JavaScript as columns rather than as JSON text.
//!
//! Turning 10,000 decoded services back into JSON and having V8 parse it
//! again cost twice what decoding did (bench/README.md). Instead, the text
//! fields of every service go into two strings, back to back — the ASCII
//! pieces in a one-byte string, the others in UTF-16, both of which V8
//! copies as they are instead of decoding them — with their lengths (in
//! UTF-16 units, as JavaScript counts) in a typed array. Ids, minimums and
//! maximums go in a `Float64Array`, flags in a `Uint8Array` (the raw texts,
//! where they differ from the readable ones, are pieces too), and the rare
//! extra fields in one small JSON list with the index of the service of
//! each, as the entries of the catalog that could not be read. A large
//! catalog's columns are built on every core, in parts joined in order.
//! The package's JavaScript slices the strings and builds one object
//! literal per service: it decodes nothing.

use napi::bindgen_prelude::{
    Float64Array, Latin1String, ToNapiValue, TypeName, Uint8Array, Uint32Array, ValueType,
};
use napi::sys;
use napi_derive::napi;
use rayon::prelude::*;
use smmkit::{DecimalText, Service, ServiceList};

use crate::json::{MAX_SAFE_INTEGER, err, ok};

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

/// The text pieces of a catalog: pure ASCII ones (most) in one string of
/// one byte per character, the others in a UTF-16 one; both are copied
/// into V8 as they are, without decoding, and the narrow one takes half
/// the memory.
struct Pieces {
    narrow: String,
    wide: Vec<u16>,
    lengths: Vec<u32>,
}

impl Pieces {
    /// Appends `piece` and its length in UTF-16 units, marked [`WIDE`] when
    /// it is in `wide`; `None` for a piece of 2^31 units or more, whose
    /// length has no room beside the mark.
    fn push(&mut self, piece: &str) -> Option<()> {
        let (len, wide) = if piece.is_ascii() {
            self.narrow.push_str(piece);
            (piece.len(), 0)
        } else {
            let before = self.wide.len();
            self.wide.extend(piece.encode_utf16());
            (self.wide.len() - before, WIDE)
        };
        let len = u32::try_from(len).ok().filter(|n| *n < WIDE)?;
        self.lengths.push(len | wide);
        Some(())
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
/// error, or an id beyond 2^53 − 1 that must cross as a string).
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
    /// for a piece of `wide`.
    pub lengths: Uint32Array,
    /// id, min and max of each service.
    pub numbers: Float64Array,
    /// Flag bits of each service.
    pub flags: Uint8Array,
    /// The extra fields of the services that have any, a JSON list of
    /// objects.
    pub extras: String,
    /// The index of the service of each object of `extras`.
    pub extras_at: Uint32Array,
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
            extras: String::new(),
            extras_at: Uint32Array::new(Vec::new()),
            skipped: String::new(),
        }
    }

    pub(crate) fn from_result(result: smmkit::Result<ServiceList>) -> ServiceColumns {
        match result {
            Ok(ServiceList {
                services: list,
                skipped,
            }) => {
                let mut columns = ServiceColumns::from_services(&list);
                columns.skipped = serde_json::to_string(&skipped).unwrap_or_default();
                // Freeing tens of thousands of strings takes a millisecond
                // the caller need not wait for.
                // When no thread can be started, the list is freed here,
                // with the closure that holds it.
                if list.len() > 1000 {
                    let _ = std::thread::Builder::new()
                        .name("smmkit-free".into())
                        .spawn(move || drop(list));
                }
                columns
            }
            Err(e) => ServiceColumns::envelope(err(&e)),
        }
    }

    fn from_services(list: &[Service]) -> ServiceColumns {
        let exact = |n: u64| n <= MAX_SAFE_INTEGER;
        if !list.iter().all(|s| exact(s.id.get())) {
            return ServiceColumns::envelope(ok(list));
        }
        // A large catalog's columns are built in parts, one per core, then
        // joined (a copy of about a third of what was built).
        let per_part = list
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(PART);
        let parts: Vec<Option<Part>> = list
            .par_chunks(per_part)
            .enumerate()
            .map(|(k, chunk)| Part::of(chunk, k * per_part))
            .collect();
        let mut parts = parts.into_iter();
        // An empty catalog has no part: its columns are empty.
        let first = parts.next().unwrap_or_else(|| Part::of(&[], 0));
        let Some(mut all) = first else {
            return ServiceColumns::envelope(ok(list));
        };
        for part in parts {
            let Some(part) = part else {
                return ServiceColumns::envelope(ok(list));
            };
            all.append(part);
        }
        let extras = if all.extras.is_empty() {
            String::new()
        } else {
            format!("[{}]", all.extras)
        };
        ServiceColumns {
            json: None,
            count: u32::try_from(list.len()).unwrap_or(u32::MAX),
            narrow: Latin1String::from(all.pieces.narrow),
            wide: Utf16Text(all.pieces.wide),
            lengths: Uint32Array::new(all.pieces.lengths),
            numbers: Float64Array::new(all.numbers),
            flags: Uint8Array::new(all.flags),
            extras,
            extras_at: Uint32Array::new(all.extras_at),
            skipped: String::new(),
        }
    }
}

/// Services from this many on are put in columns on several cores.
const PART: usize = 2048;

/// The columns of some consecutive services of a catalog.
struct Part {
    pieces: Pieces,
    numbers: Vec<f64>,
    flags: Vec<u8>,
    /// The extra fields of each service that has any, JSON objects
    /// separated by commas.
    extras: String,
    /// The index in the catalog of the service of each object of `extras`.
    extras_at: Vec<u32>,
}

impl Part {
    /// The columns of `list`, whose first service is the catalog's
    /// `first`; `None` if an extra field cannot be written as JSON or a
    /// piece is too long to be measured (the catalog then crosses as JSON).
    fn of(list: &[Service], first: usize) -> Option<Part> {
        // Room for every piece at once: a piece takes no more UTF-16 units
        // than UTF-8 bytes, and a rate at most 32.
        let bytes: usize = list
            .iter()
            .map(|s| {
                let raw = s.raw.as_deref().map_or(0, |r| {
                    [&r.name, &r.category, &r.description]
                        .iter()
                        .map(|p| p.as_ref().map_or(0, String::len))
                        .sum()
                });
                s.name.len()
                    + s.kind.as_str().len()
                    + s.category.len()
                    + s.description.as_ref().map_or(0, String::len)
                    + raw
                    + 32
            })
            .sum();
        let mut part = Part {
            pieces: Pieces {
                narrow: String::with_capacity(bytes),
                wide: Vec::with_capacity(bytes / 4),
                lengths: Vec::with_capacity(list.len() * 5),
            },
            numbers: Vec::with_capacity(list.len() * 3),
            flags: Vec::with_capacity(list.len()),
            extras: String::new(),
            extras_at: Vec::new(),
        };
        let pieces = &mut part.pieces;
        for (i, s) in list.iter().enumerate() {
            for piece in [s.name.as_str(), s.kind.as_str(), s.category.as_str()] {
                pieces.push(piece)?;
            }
            pieces.push(&DecimalText::new(&s.rate))?;
            let mut f = 0;
            if let Some(d) = &s.description {
                pieces.push(d)?;
                f |= DESCRIPTION;
            }
            if let Some(raw) = &s.raw {
                for (piece, bit) in [
                    (&raw.name, RAW_NAME),
                    (&raw.category, RAW_CATEGORY),
                    (&raw.description, RAW_DESCRIPTION),
                ] {
                    if let Some(piece) = piece {
                        pieces.push(piece)?;
                        f |= bit;
                    }
                }
            }
            // Exact: every one is at most 2^53 − 1.
            #[allow(clippy::cast_precision_loss)]
            // Limits beyond 2^53 − 1 are given as 2^53 − 1 (see json.rs).
            let limit = |n: u64| n.min(MAX_SAFE_INTEGER) as f64;
            part.numbers
                .extend([s.id.get() as f64, limit(s.min), limit(s.max)]);
            if s.refill {
                f |= REFILL;
            }
            if s.cancel {
                f |= CANCEL;
            }
            if let Some(d) = s.dripfeed {
                f |= DRIPFEED_KNOWN | if d { DRIPFEED } else { 0 };
            }
            part.flags.push(f);
            if !s.extra.is_empty() {
                if !part.extras.is_empty() {
                    part.extras.push(',');
                }
                part.extras.push_str(&serde_json::to_string(&s.extra).ok()?);
                part.extras_at.push(u32::try_from(first + i).ok()?);
            }
        }
        Some(part)
    }

    /// `next`, the columns of the services that follow, after these.
    fn append(&mut self, next: Part) {
        self.pieces.narrow.push_str(&next.pieces.narrow);
        self.pieces.wide.extend_from_slice(&next.pieces.wide);
        self.pieces.lengths.extend_from_slice(&next.pieces.lengths);
        self.numbers.extend_from_slice(&next.numbers);
        self.flags.extend_from_slice(&next.flags);
        if !next.extras.is_empty() {
            if !self.extras.is_empty() {
                self.extras.push(',');
            }
            self.extras.push_str(&next.extras);
        }
        self.extras_at.extend_from_slice(&next.extras_at);
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

    /// Every column of `part`, as text to compare.
    fn columns(part: &Part) -> String {
        format!(
            "{:?}",
            (
                &part.pieces.narrow,
                &part.pieces.wide,
                &part.pieces.lengths,
                &part.numbers,
                &part.flags,
                &part.extras,
                &part.extras_at,
            )
        )
    }

    #[test]
    fn parts_joined_are_the_columns_of_the_whole() {
        let list = catalog(40);
        let whole = Part::of(&list, 0).expect("columns");
        assert_eq!(whole.extras_at, vec![3, 7, 11, 15, 19, 23, 27, 31, 35, 39]);
        assert!(whole.pieces.lengths.iter().any(|l| l & WIDE != 0));
        for cut in [1, 3, 4, 17, 39] {
            let mut joined = Part::of(&list[..cut], 0).expect("columns");
            joined.append(Part::of(&list[cut..], cut).expect("columns"));
            assert_eq!(columns(&joined), columns(&whole), "cut at {cut}");
        }
    }
}
