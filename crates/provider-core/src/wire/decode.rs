//! Decoding the answers of every action but `services` into typed models.
//!
//! Every function takes the body as the panel sent it and returns a typed
//! model or an [`Error`]: a refusal in any of the shapes panels write
//! ([`error_answer`](crate::wire::error_answer)) becomes [`Error::Api`]
//! whatever else the body holds; an HTML page, an empty or cut-off body or
//! a wrong shape becomes [`Error::Decode`] naming the action, with a short
//! excerpt of the body. Multi answers (`orders=`, `refills=`) return one
//! result per entry, so that one bad id never fails the others; a key that
//! is not an id is ignored.

use serde_json::value::RawValue;

use crate::error::{Action, ApiErrorKind, Error, Result};
use crate::ids::{OrderId, RefillId};
use crate::models::{Balance, CancelRequested, OrderState, OrderStatus, RefillState};
use crate::wire::lenient::{Bool, Dec, I64, Text, U64, Word, shown};
use crate::wire::panel_error::error_answer_of;
use crate::wire::shape::{
    Member, Members, Shape, decode_error, describe, extras, field, in_field, json_error, member,
    optional, parse_body, required, shape,
};

/// One result per entry of a multi answer, in the panel's order.
pub type Entries<I, T> = Vec<(I, Result<T>)>;

/// Expects an object; one that states a refusal becomes an API error.
fn object<'a>(action: Action, body: &[u8], shape: Shape<'a>) -> Result<Members<'a>> {
    match shape {
        Shape::Object(members) => match error_answer_of(&members) {
            Some(refusal) => Err(Error::api(action, refusal.message)),
            None => Ok(members),
        },
        other => Err(decode_error(
            action,
            body,
            format!("expected an object, got {}", describe(&other)),
        )),
    }
}

// --------------------------------------------------------------------- add

/// Decodes the answer to `action=add`: `{"order": 203521833}`, the id
/// possibly a string.
///
/// Only a definite refusal is an [`Error::Api`] (nothing was placed). An
/// answer that holds both an order id and an error, an error without any
/// text (`{"error": ""}`), or an id that is no order id (`0`, negative) is
/// a decode error: the order may exist.
///
/// ```
/// use smmkit_provider_core::wire::decode_add;
/// assert_eq!(decode_add(br#"{"order":"23501"}"#)?.get(), 23501);
/// assert_eq!(decode_add(br#"{"error":"Not enough funds on balance"}"#).unwrap_err().code(), "insufficient_funds");
/// assert_eq!(decode_add(br#"{"order":0}"#).unwrap_err().code(), "decode");
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
    let order = member(&members, "order");
    match (order, error_answer_of(&members)) {
        (Some(_), Some(err)) => Err(decode_error(
            action,
            body,
            format!(
                "the answer holds both an order id and the error \"{}\"",
                shown(&err.message)
            ),
        )),
        (None, Some(err)) if err.definite => Err(Error::api(action, err.message)),
        (None, Some(err)) => Err(decode_error(
            action,
            body,
            if err.message.trim().is_empty() {
                "an empty error and no order id: the panel does not say the order was refused"
                    .to_owned()
            } else {
                format!(
                    "an error that does not say the order was refused (\"{}\") and no order id",
                    shown(&err.message)
                )
            },
        )),
        (_, None) => match required(action, body, &members, "order", U64)? {
            0 => Err(decode_error(action, body, "0 is not an order id")),
            id => Ok(OrderId(id)),
        },
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

fn status_from(action: Action, body: &[u8], members: &[Member<'_>]) -> Result<OrderStatus> {
    let status = required(action, body, members, "status", Word(OrderState::parse))?;
    Ok(OrderStatus {
        charge: optional(action, body, members, "charge", Dec)?,
        start_count: optional(action, body, members, "start_count", U64)?,
        status,
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

/// Decodes one entry of a multi answer: an object, read by `from` as the
/// answer for that one id would be, or a bare string that is the panel's
/// error for that entry.
fn entry<T>(
    action: Action,
    raw: &RawValue,
    from: impl FnOnce(Action, &[u8], &[Member<'_>]) -> Result<T>,
) -> Result<T> {
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
    // What the answer for one id is read with, but for checking the text
    // again: the whole answer's reading did.
    let body = text.as_bytes();
    let members = object(
        action,
        body,
        shape(raw).map_err(|e| json_error(action, body, &e))?,
    )?;
    from(action, body, &members)
}

/// An id written as a key: digits only.
fn id_key(key: &str) -> Option<u64> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse().ok()
}

/// The members of a multi answer keyed by id (`{"1": ..., "2": ...}`);
/// keys that are not ids (`"currency"`, `" 1"`) are ignored.
fn keyed<'a, I: From<u64>>(action: Action, members: Members<'a>) -> Vec<(I, &'a RawValue)> {
    members
        .into_iter()
        .filter_map(|(k, v)| match id_key(&k) {
            Some(id) => Some((I::from(id), v)),
            None => {
                tracing::debug!(
                    action = action.as_str(),
                    key = %shown(&k),
                    "ignoring a key of a multi answer that is not an id"
                );
                None
            }
        })
        .collect()
}

/// Whether an object answering a request for one id is that id's own
/// answer (`{"status": ...}`) rather than one keyed by id: it has a
/// member named `field` and no key that is an id.
fn single_answer(members: &Members<'_>, fields: &[&str]) -> bool {
    members.iter().any(|(k, _)| fields.contains(&k.as_ref()))
        && !members.iter().any(|(k, _)| id_key(k).is_some())
}

/// Decodes the answer to `action=status&orders=1,2,3`: an object keyed by
/// order id whose values are statuses, `{"error": ...}` objects or bare
/// error strings. Keys that are not ids are ignored.
///
/// ```
/// use smmkit_provider_core::wire::decode_statuses;
/// let all = decode_statuses(br#"{"1":{"status":"Completed","charge":"1.5"},"2":"Incorrect order ID","currency":"USD"}"#)?;
/// assert_eq!(all.len(), 2);
/// assert!(all[0].1.is_ok());
/// assert_eq!(all[1].1.as_ref().unwrap_err().code(), "incorrect_order_id");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_statuses(body: &[u8]) -> Result<Entries<OrderId, OrderStatus>> {
    decode_statuses_for(body, &[])
}

/// [`decode_statuses`] for a request that asked for `asked`: asked for one
/// id, a panel may answer with that order's status object alone.
///
/// ```
/// use smmkit_provider_core::{OrderId, wire::decode_statuses_for};
/// let one = decode_statuses_for(br#"{"status":"Completed","remains":"0"}"#, &[OrderId(1001)])?;
/// assert_eq!(one[0].0, OrderId(1001));
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn decode_statuses_for(
    body: &[u8],
    asked: &[OrderId],
) -> Result<Entries<OrderId, OrderStatus>> {
    let action = Action::Status;
    let members = object(action, body, parse_body(action, body)?)?;
    if let [id] = asked
        && single_answer(&members, &["status"])
    {
        return Ok(vec![(*id, status_from(action, body, &members))]);
    }
    Ok(keyed::<OrderId>(action, members)
        .into_iter()
        .map(|(id, raw)| (id, entry(action, raw, status_from)))
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
        Shape::Object(m) => match error_answer_of(&m) {
            Some(refusal) => Err(Error::api(action, refusal.message)),
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

fn refill_from(action: Action, body: &[u8], members: &[Member<'_>]) -> Result<RefillId> {
    match member(members, "refill") {
        Some(raw) => id_or_error(action, body, "refill", raw).map(RefillId),
        None => Err(decode_error(action, body, "missing field `refill`")),
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
    refill_from(action, body, &members)
}

/// A multi answer: a list of objects naming their id in `id_field`, or an
/// object keyed by id, or — asked for one id — that id's own answer, an
/// object with one of `single` (returned as `Err(members)`).
fn listed<'a, I: From<u64>>(
    action: Action,
    body: &'a [u8],
    id_field: &str,
    single: Option<&[&str]>,
) -> Result<std::result::Result<Vec<(I, &'a RawValue)>, Members<'a>>> {
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
            Ok(Ok(out))
        }
        shape @ Shape::Object(_) => {
            let members = object(action, body, shape)?;
            match single {
                Some(fields) if single_answer(&members, fields) => Ok(Err(members)),
                _ => Ok(Ok(keyed(action, members))),
            }
        }
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
    decode_refills_for(body, &[])
}

/// [`decode_refills`] for a request that asked for `asked`: asked for one
/// id, a panel may answer `{"refill": 501}` alone.
pub fn decode_refills_for(body: &[u8], asked: &[OrderId]) -> Result<Entries<OrderId, RefillId>> {
    let action = Action::Refill;
    let one = <[OrderId]>::first(asked).filter(|_| asked.len() == 1);
    match listed::<OrderId>(action, body, "order", one.map(|_| &["refill"][..]))? {
        Ok(all) => Ok(all
            .into_iter()
            .map(|(id, raw)| (id, entry(action, raw, refill_from)))
            .collect()),
        Err(members) => Ok(one
            .map(|id| vec![(*id, refill_from(action, body, &members))])
            .unwrap_or_default()),
    }
}

// ----------------------------------------------------------- refill_status

fn refill_state_of(action: Action, body: &[u8], members: &[Member<'_>]) -> Result<RefillState> {
    let Some(raw) = member(members, "status") else {
        return Err(decode_error(action, body, "missing field `status`"));
    };
    match shape(raw).map_err(|e| in_field(action, body, "status", &e))? {
        Shape::Text(t) if !t.trim().is_empty() => Ok(RefillState::parse(&t)),
        Shape::Object(m) => match error_answer_of(&m) {
            Some(refusal) => Err(Error::api(action, refusal.message)),
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
    decode_refill_statuses_for(body, &[])
}

/// [`decode_refill_statuses`] for a request that asked for `asked`: asked
/// for one id, a panel may answer `{"status": "Completed"}` alone.
pub fn decode_refill_statuses_for(
    body: &[u8],
    asked: &[RefillId],
) -> Result<Entries<RefillId, RefillState>> {
    let action = Action::RefillStatus;
    let one = asked.first().filter(|_| asked.len() == 1);
    match listed::<RefillId>(action, body, "refill", one.map(|_| &["status"][..]))? {
        Ok(all) => Ok(all
            .into_iter()
            .map(|(id, raw)| (id, entry(action, raw, refill_state_of)))
            .collect()),
        Err(members) => Ok(one
            .map(|id| vec![(*id, refill_state_of(action, body, &members))])
            .unwrap_or_default()),
    }
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
        Shape::Object(m) => match error_answer_of(&m) {
            Some(refusal) => Err(Error::api(action, refusal.message)),
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
                    retry_after: None,
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
                retry_after: None,
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

fn cancel_from(action: Action, body: &[u8], members: &[Member<'_>]) -> Result<CancelRequested> {
    let (name, raw) = match (member(members, "ok"), member(members, "cancel")) {
        (Some(raw), _) => ("ok", raw),
        (None, Some(raw)) => ("cancel", raw),
        (None, None) => return Err(decode_error(action, body, "missing field `ok` or `cancel`")),
    };
    cancel_value(action, body, name, raw)
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
    cancel_from(action, body, &members)
}

/// Decodes the answer to `action=cancel&orders=1,2,3`:
/// `[{"order":9,"cancel":{"error":"Incorrect order ID"}},{"order":2,"cancel":1}]`
/// or `{"4218":{"cancel":"requested"}}`.
pub fn decode_cancels(body: &[u8]) -> Result<Entries<OrderId, CancelRequested>> {
    decode_cancels_for(body, &[])
}

/// [`decode_cancels`] for a request that asked for `asked`: asked for one
/// id, a panel may answer `{"ok": "true"}` or `{"cancel": 1}` alone.
pub fn decode_cancels_for(
    body: &[u8],
    asked: &[OrderId],
) -> Result<Entries<OrderId, CancelRequested>> {
    let action = Action::Cancel;
    let one = asked.first().filter(|_| asked.len() == 1);
    match listed::<OrderId>(action, body, "order", one.map(|_| &["ok", "cancel"][..]))? {
        Ok(all) => Ok(all
            .into_iter()
            .map(|(id, raw)| (id, entry(action, raw, cancel_from)))
            .collect()),
        Err(members) => Ok(one
            .map(|id| vec![(*id, cancel_from(action, body, &members))])
            .unwrap_or_default()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_member_names_read_as_plain_ones() {
        // Names are borrowed from the body unless an escape must be undone.
        let plain = br#"{"1":{"status":"Completed","charge":"1.5","note":"x"},"2":"Incorrect order ID","currency":"USD"}"#;
        let escaped = br#"{"\u0031":{"st\u0061tus":"Completed","\u0063harge":"1.5","n\u006fte":"x"},"2":"Incorrect order ID","curr\u0065ncy":"USD"}"#;
        let read = |body: &[u8]| format!("{:?}", decode_statuses(body));
        assert_eq!(read(escaped), read(plain));
        let first = decode_statuses(escaped).expect("an answer");
        let status = first[0].1.as_ref().expect("a status");
        assert_eq!(
            (status.status.clone(), status.extra.get("note").cloned()),
            (OrderState::Completed, Some(serde_json::json!("x")))
        );
        assert_eq!(
            decode_balance(br#"{"b\u0061lance":"2.50"}"#)
                .expect("a balance")
                .amount
                .to_string(),
            "2.50"
        );
    }
}
