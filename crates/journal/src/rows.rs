//! Reading the journal's rows into its types, and ids into the
//! database's integers.

use serde_json::Value;
use smmkit_provider_core::{Decimal, OrderId, Quote, ServiceId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::model::{EntryState, JournalEntry, Timestamp};

/// The columns of an order's row that [`entry`] reads, for `concat!`
/// into a statement.
macro_rules! entry_columns {
    () => {
        "key, provider, service, request, quote_kind, quote_amount, reference, metadata, state, \
         order_id, error, attempts, created_at, updated_at, resolved_at, status, charge, \
         currency, start_count, remains, is_final, polled_at, poll_error, cancel_requested_at, \
         lease_until"
    };
}
pub(crate) use entry_columns;

/// An id as the database keeps it: its 64 bits in a signed integer, so
/// that every id round-trips exactly.
pub(crate) fn db_id(id: u64) -> i64 {
    i64::from_ne_bytes(id.to_ne_bytes())
}

/// An id read back from [`db_id`].
pub(crate) fn id_of(value: i64) -> u64 {
    u64::from_ne_bytes(value.to_ne_bytes())
}

fn decode_error(column: &str, message: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: message.to_string().into(),
    }
}

fn decimal(column: &str, text: Option<String>) -> Result<Option<Decimal>, sqlx::Error> {
    text.map(|t| {
        t.parse::<Decimal>()
            .map_err(|e| decode_error(column, format!("`{t}` is not an amount: {e}")))
    })
    .transpose()
}

fn json(column: &str, text: Option<String>) -> Result<Option<Value>, sqlx::Error> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| decode_error(column, e)))
        .transpose()
}

/// The quote kept as its kind and amount.
pub(crate) fn quote_columns(quote: Option<Quote>) -> (Option<&'static str>, Option<String>) {
    match quote {
        Some(Quote::Exact(d)) => (Some("exact"), Some(d.to_string())),
        Some(Quote::UpTo(d)) => (Some("up_to"), Some(d.to_string())),
        Some(Quote::SetByPanel) => (Some("set_by_panel"), None),
        None => (None, None),
    }
}

fn quote(kind: Option<String>, amount: Option<Decimal>) -> Result<Option<Quote>, sqlx::Error> {
    Ok(match (kind.as_deref(), amount) {
        (None, _) => None,
        (Some("exact"), Some(d)) => Some(Quote::Exact(d)),
        (Some("up_to"), Some(d)) => Some(Quote::UpTo(d)),
        (Some("set_by_panel"), _) => Some(Quote::SetByPanel),
        (Some(other), _) => {
            return Err(decode_error(
                "quote_kind",
                format!("unknown quote `{other}`"),
            ));
        }
    })
}

pub(crate) fn state(text: &str) -> Result<EntryState, sqlx::Error> {
    EntryState::parse(text).ok_or_else(|| decode_error("state", format!("unknown state `{text}`")))
}

/// An order's row (its columns as `entry_columns!` lists them).
pub(crate) fn entry(row: &AnyRow) -> Result<JournalEntry, sqlx::Error> {
    let ts = |c: &str| -> Result<Option<Timestamp>, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(c)?.map(Timestamp))
    };
    let state_text: String = row.try_get("state")?;
    let mut state = state(&state_text)?;
    // A process that died sending leaves its order "sending" until the
    // lease runs out; after that the order is unknown, whatever the row
    // says until it is next written.
    if state == EntryState::Sending
        && row
            .try_get::<Option<i64>, _>("lease_until")?
            .is_none_or(|until| until < crate::db::now_ms())
    {
        state = EntryState::Unknown;
    }
    Ok(JournalEntry {
        key: row.try_get("key")?,
        provider: row.try_get("provider")?,
        service: ServiceId(id_of(row.try_get("service")?)),
        request: json("request", Some(row.try_get("request")?))?.unwrap_or(Value::Null),
        quote: quote(
            row.try_get("quote_kind")?,
            decimal("quote_amount", row.try_get("quote_amount")?)?,
        )?,
        reference: row.try_get("reference")?,
        metadata: json("metadata", row.try_get("metadata")?)?,
        state,
        order: row
            .try_get::<Option<i64>, _>("order_id")?
            .map(|v| OrderId(id_of(v))),
        error: json("error", row.try_get("error")?)?,
        attempts: u64::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0),
        created_at: Timestamp(row.try_get("created_at")?),
        updated_at: Timestamp(row.try_get("updated_at")?),
        resolved_at: ts("resolved_at")?,
        status: row.try_get("status")?,
        charge: decimal("charge", row.try_get("charge")?)?,
        currency: row.try_get("currency")?,
        start_count: row
            .try_get::<Option<i64>, _>("start_count")?
            .and_then(|v| u64::try_from(v).ok()),
        remains: row.try_get("remains")?,
        is_final: row.try_get::<i64, _>("is_final")? != 0,
        polled_at: ts("polled_at")?,
        poll_error: row.try_get("poll_error")?,
        cancel_requested_at: ts("cancel_requested_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips_through_the_database_integer() {
        for id in [0, 1, 203_521_833, u64::from(u32::MAX), 1 << 63, u64::MAX] {
            assert_eq!(id_of(db_id(id)), id);
        }
        assert_ne!(db_id(1 << 63), db_id(0));
    }
}
