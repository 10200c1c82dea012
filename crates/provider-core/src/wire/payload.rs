//! Decoding a body by the name of the answer it is: what the snapshot
//! tests, the test vectors and the bindings' `decode` use.

use serde::Serialize;

use crate::error::Result;
use crate::ids::{OrderId, RefillId};
use crate::models::{Balance, CancelRequested, OrderStatus, RefillState, ServiceList};
use crate::wire::decode::{
    Entries, decode_add, decode_balance, decode_cancel, decode_cancels, decode_refill,
    decode_refill_status, decode_refill_statuses, decode_refills, decode_status, decode_statuses,
};
use crate::wire::services::decode_services;

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
    Services(ServiceList),
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
