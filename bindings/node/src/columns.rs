//! A catalog crosses to JavaScript as columns rather than as JSON text.
//!
//! Turning 10,000 decoded services back into JSON and having V8 parse it
//! again cost twice what decoding did (bench/README.md). Instead, the text
//! fields of every service go into one string, back to back, with their
//! lengths (in UTF-16 units, as JavaScript counts) in a typed array; the
//! string is handed over in UTF-16, which V8 copies as it is instead of
//! decoding it. Ids, minimums and maximums go in a `Float64Array`, flags
//! in a `Uint8Array` (the raw texts, where they differ from the readable
//! ones, are pieces of the string too), and the rare extra fields in one
//! small JSON list with the index of the service of each, as the entries
//! of the catalog that could not be read. The package's JavaScript slices
//! the string and builds one object literal per service: it decodes
//! nothing.

use napi::bindgen_prelude::{
    Float64Array, Latin1String, ToNapiValue, TypeName, Uint8Array, Uint32Array, ValueType,
};
use napi::sys;
use napi_derive::napi;
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
    /// it is in `wide`.
    fn push(&mut self, piece: &str) {
        let (len, wide) = if piece.is_ascii() {
            self.narrow.push_str(piece);
            (piece.len(), 0)
        } else {
            let before = self.wide.len();
            self.wide.extend(piece.encode_utf16());
            (self.wide.len() - before, WIDE)
        };
        // A piece of 2^31 units or more cannot be: a body is far smaller.
        self.lengths
            .push(u32::try_from(len).unwrap_or(WIDE - 1).min(WIDE - 1) | wide);
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
        let mut pieces = Pieces {
            narrow: String::with_capacity(bytes),
            wide: Vec::with_capacity(bytes / 4),
            lengths: Vec::with_capacity(list.len() * 5),
        };
        let mut numbers = Vec::with_capacity(list.len() * 3);
        let mut flags = Vec::with_capacity(list.len());
        let mut extras: Vec<u8> = Vec::new();
        let mut extras_at = Vec::new();
        for (i, s) in list.iter().enumerate() {
            for piece in [s.name.as_str(), s.kind.as_str(), s.category.as_str()] {
                pieces.push(piece);
            }
            pieces.push(&DecimalText::new(&s.rate));
            let mut f = 0;
            if let Some(d) = &s.description {
                pieces.push(d);
                f |= DESCRIPTION;
            }
            if let Some(raw) = &s.raw {
                for (piece, bit) in [
                    (&raw.name, RAW_NAME),
                    (&raw.category, RAW_CATEGORY),
                    (&raw.description, RAW_DESCRIPTION),
                ] {
                    if let Some(piece) = piece {
                        pieces.push(piece);
                        f |= bit;
                    }
                }
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
            if !s.extra.is_empty() {
                extras.push(if extras.is_empty() { b'[' } else { b',' });
                // Extra fields are JSON values: writing one cannot fail.
                if serde_json::to_writer(&mut extras, &s.extra).is_err() {
                    return ServiceColumns::envelope(ok(list));
                }
                extras_at.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        if !extras.is_empty() {
            extras.push(b']');
        }
        // serde_json writes UTF-8; were it not, the envelope says it all.
        let Ok(extras) = String::from_utf8(extras) else {
            return ServiceColumns::envelope(ok(list));
        };
        ServiceColumns {
            json: None,
            count: u32::try_from(list.len()).unwrap_or(u32::MAX),
            narrow: Latin1String::from(pieces.narrow),
            wide: Utf16Text(pieces.wide),
            lengths: Uint32Array::new(pieces.lengths),
            numbers: Float64Array::new(numbers),
            flags: Uint8Array::new(flags),
            extras,
            extras_at: Uint32Array::new(extras_at),
            skipped: String::new(),
        }
    }
}
