//! A catalog crosses to JavaScript as columns rather than as JSON text.
//!
//! Turning 10,000 decoded services back into JSON and having V8 parse it
//! again cost twice what decoding did (bench/README.md). Instead, the text
//! fields of every service go into one string, back to back, with their
//! lengths (in UTF-16 units, as JavaScript counts) in a typed array; ids,
//! minimums and maximums go in a `Float64Array`, flags in a `Uint8Array`,
//! and the rare extra fields and raw texts in one small JSON text, as the
//! entries of the catalog that could not be read. The package's
//! JavaScript slices the string and builds one object literal per service:
//! it decodes nothing.

use std::fmt::Write as _;

use napi::bindgen_prelude::{Float64Array, Uint8Array, Uint32Array};
use napi_derive::napi;
use smmkit::{Service, ServiceList};

use crate::json::{MAX_SAFE_INTEGER, err, ok};

/// Flag bits of a service.
const REFILL: u8 = 1;
const CANCEL: u8 = 2;
const DRIPFEED_KNOWN: u8 = 4;
const DRIPFEED: u8 = 8;
const DESCRIPTION: u8 = 16;

/// A catalog in columns, or the JSON envelope when it cannot be (an
/// error, or an id beyond 2^53 − 1 that must cross as a string).
#[napi(object)]
pub struct ServiceColumns {
    /// `{"ok": ...}` or `{"error": ...}` when the columns are not used.
    pub json: Option<String>,
    /// How many services.
    pub count: u32,
    /// name, type, category, rate and, when present, description of each
    /// service, back to back.
    pub text: String,
    /// The length of each piece of `text`, in UTF-16 units.
    pub lengths: Uint32Array,
    /// id, min and max of each service.
    pub numbers: Float64Array,
    /// Flag bits of each service.
    pub flags: Uint8Array,
    /// `{"index": {"extra": {...}, "raw": {...}}}` for the services that
    /// have extra fields or raw texts.
    pub extras: String,
    /// The entries that could not be read, as a JSON list.
    pub skipped: String,
}

fn utf16_len(s: &str) -> u32 {
    let n = if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ServiceColumns {
    fn envelope(json: String) -> ServiceColumns {
        ServiceColumns {
            json: Some(json),
            count: 0,
            text: String::new(),
            lengths: Uint32Array::new(Vec::new()),
            numbers: Float64Array::new(Vec::new()),
            flags: Uint8Array::new(Vec::new()),
            extras: String::new(),
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
        let mut text = String::with_capacity(list.len() * 64);
        let mut lengths = Vec::with_capacity(list.len() * 5);
        let mut numbers = Vec::with_capacity(list.len() * 3);
        let mut flags = Vec::with_capacity(list.len());
        let mut extras = String::new();
        for (i, s) in list.iter().enumerate() {
            for piece in [s.name.as_str(), s.kind.as_str(), s.category.as_str()] {
                text.push_str(piece);
                lengths.push(utf16_len(piece));
            }
            let before = text.len();
            let _ = write!(text, "{}", s.rate);
            // A decimal's digits are ASCII: one UTF-16 unit per byte.
            lengths.push(u32::try_from(text.len() - before).unwrap_or(u32::MAX));
            let mut f = 0;
            if let Some(d) = &s.description {
                text.push_str(d);
                lengths.push(utf16_len(d));
                f |= DESCRIPTION;
            }
            // Exact: every one is at most 2^53 − 1.
            #[allow(clippy::cast_precision_loss)]
            // Limits beyond 2^53 − 1 are given as 2^53 − 1 (see json.rs).
            let limit = |n: u64| n.min(MAX_SAFE_INTEGER) as f64;
            numbers.extend([s.id.get() as f64, limit(s.min), limit(s.max)]);
            if s.refill {
                f |= REFILL;
            }
            if s.cancel {
                f |= CANCEL;
            }
            if let Some(d) = s.dripfeed {
                f |= DRIPFEED_KNOWN | if d { DRIPFEED } else { 0 };
            }
            flags.push(f);
            if !s.extra.is_empty() || s.raw.is_some() {
                extras.push(if extras.is_empty() { '{' } else { ',' });
                let _ = write!(extras, "\"{i}\":");
                let rare = serde_json::json!({ "extra": &s.extra, "raw": &s.raw });
                extras.push_str(&rare.to_string());
            }
        }
        ServiceColumns {
            json: None,
            count: u32::try_from(list.len()).unwrap_or(u32::MAX),
            text,
            lengths: Uint32Array::new(lengths),
            numbers: Float64Array::new(numbers),
            flags: Uint8Array::new(flags),
            extras: if extras.is_empty() {
                extras
            } else {
                extras + "}"
            },
            skipped: String::new(),
        }
    }
}
