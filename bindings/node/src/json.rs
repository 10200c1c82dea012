//! The JSON that crosses between Rust and JavaScript.
//!
//! Results cross as one JSON text per call — `{"ok": value}` or
//! `{"error": {...}}` — which V8 parses faster than it can build objects
//! one property at a time. Ids up to 2^53 − 1 are JSON numbers; larger ids
//! are strings, so no id ever loses a digit in a JavaScript number. Money
//! is always a decimal string.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use smmkit::{
    Balance, CancelRequested, Error, OrderId, OrderStatus, RefillId, RefillState, Service,
    ServiceList,
};

/// The largest whole number a JavaScript number holds exactly.
pub(crate) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A whole number as a JSON number when JavaScript holds it exactly, else
/// as a string of digits.
pub(crate) struct Whole(pub(crate) u64);

impl Serialize for Whole {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 <= MAX_SAFE_INTEGER {
            s.serialize_u64(self.0)
        } else {
            s.collect_str(&self.0)
        }
    }
}

/// An optional signed whole number, the same way.
struct Signed(Option<i64>);

impl Serialize for Signed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => s.serialize_none(),
            Some(n) if n.unsigned_abs() <= MAX_SAFE_INTEGER => s.serialize_i64(n),
            Some(n) => s.collect_str(&n),
        }
    }
}

/// How a result is written for JavaScript.
pub(crate) trait Js {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
}

/// Serializes any [`Js`] value.
pub(crate) struct AsJs<'a, T: ?Sized>(pub(crate) &'a T);

impl<T: Js + ?Sized> Serialize for AsJs<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.js(s)
    }
}

impl Js for Service {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(13))?;
        m.serialize_entry("id", &Whole(self.id.get()))?;
        m.serialize_entry("name", &self.name)?;
        m.serialize_entry("type", self.kind.as_str())?;
        m.serialize_entry("category", &self.category)?;
        m.serialize_entry("rate", &self.rate.to_string())?;
        // Limits beyond 2^53 − 1 mean "no limit" in practice: given as
        // 2^53 − 1, so that min and max are always numbers.
        m.serialize_entry("min", &self.min.min(MAX_SAFE_INTEGER))?;
        m.serialize_entry("max", &self.max.min(MAX_SAFE_INTEGER))?;
        m.serialize_entry("refill", &self.refill)?;
        m.serialize_entry("cancel", &self.cancel)?;
        m.serialize_entry("dripfeed", &self.dripfeed)?;
        m.serialize_entry("description", &self.description)?;
        m.serialize_entry("extra", &self.extra)?;
        m.serialize_entry("raw", &self.raw)?;
        m.end()
    }
}

impl Js for ServiceList {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.services.js(s)
    }
}

impl Js for [Service] {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for service in self {
            seq.serialize_element(&AsJs(service))?;
        }
        seq.end()
    }
}

impl Js for Vec<Service> {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.as_slice().js(s)
    }
}

impl Js for OrderStatus {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(7))?;
        m.serialize_entry("status", self.status.as_str())?;
        m.serialize_entry("charge", &self.charge.map(|c| c.to_string()))?;
        m.serialize_entry("startCount", &self.start_count.map(Whole))?;
        m.serialize_entry("remains", &Signed(self.remains))?;
        m.serialize_entry("currency", &self.currency)?;
        m.serialize_entry("isFinal", &self.status.is_final())?;
        m.serialize_entry("extra", &self.extra)?;
        m.end()
    }
}

impl Js for Balance {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("amount", &self.amount.to_string())?;
        m.serialize_entry("currency", &self.currency)?;
        m.end()
    }
}

impl Js for CancelRequested {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("note", &self.note)?;
        m.end()
    }
}

impl Js for OrderId {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Whole(self.get()).serialize(s)
    }
}

impl Js for RefillId {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Whole(self.get()).serialize(s)
    }
}

impl Js for RefillState {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// `[[id, {"ok": v} | {"error": e}], ...]`, for a `Map` on the JS side.
impl<I: Copy + Into<u64>, T: Js> Js for Vec<(I, smmkit::Result<T>)> {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Outcome<'b, T>(&'b smmkit::Result<T>);
        impl<T: Js> Serialize for Outcome<'_, T> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(1))?;
                match self.0 {
                    Ok(v) => m.serialize_entry("ok", &AsJs(v))?,
                    Err(e) => m.serialize_entry("error", &JsError(e))?,
                }
                m.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for (id, result) in self {
            seq.serialize_element(&(Whole((*id).into()), Outcome(result)))?;
        }
        seq.end()
    }
}

/// An error: the core's one payload, which the JavaScript wrapper
/// rebuilds into an `SmmError` (names turned to camelCase).
pub(crate) struct JsError<'a>(pub(crate) &'a Error);

impl Serialize for JsError<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A text result, as is.
pub(crate) struct Text(pub(crate) String);

impl Js for Text {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A JSON value result, as is.
pub(crate) struct Plain(pub(crate) serde_json::Value);

impl Js for Plain {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Js for smmkit::Quote {
    fn js<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        let kind = match self {
            smmkit::Quote::Exact(_) => "exact",
            smmkit::Quote::UpTo(_) => "upTo",
            smmkit::Quote::SetByPanel => "setByPanel",
        };
        m.serialize_entry("kind", kind)?;
        m.serialize_entry("amount", &self.amount().map(|a| a.to_string()))?;
        m.end()
    }
}

/// `{"ok": value}`.
pub(crate) fn ok<T: Js + ?Sized>(value: &T) -> String {
    struct Ok<'a, T: ?Sized>(&'a T);
    impl<T: Js + ?Sized> Serialize for Ok<'_, T> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry("ok", &AsJs(self.0))?;
            m.end()
        }
    }
    serde_json::to_string(&Ok(value)).unwrap_or_else(|e| failed(&e))
}

/// `{"error": {...}}`.
pub(crate) fn err(e: &Error) -> String {
    #[derive(Serialize)]
    struct Err<'a> {
        error: JsError<'a>,
    }
    serde_json::to_string(&Err { error: JsError(e) }).unwrap_or_else(|e| failed(&e))
}

/// The envelope of a result.
pub(crate) fn result<T: Js>(r: &smmkit::Result<T>) -> String {
    match r {
        Ok(v) => ok(v),
        Err(e) => err(e),
    }
}

fn failed(e: &serde_json::Error) -> String {
    err(&Error::Decode {
        action: smmkit::Action::Status,
        message: format!("cannot write the result for JavaScript: {e}"),
        snippet: String::new(),
    })
}
