//! What the journal records and returns.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use smmkit_provider_core::{Decimal, Error, OrderId, Quote, ServiceId};

/// A moment, in milliseconds since the Unix epoch; shown and serialised
/// as RFC 3339 in UTC (`2026-11-27T15:20:14.123Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.rem_euclid(1000);
        let secs = self.0.div_euclid(1000);
        let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        )
    }
}

/// The calendar date of a day counted from 1970-01-01 (Howard Hinnant's
/// algorithm for the proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where a journaled order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EntryState {
    /// Being sent: its intent is recorded, its answer not yet.
    Sending,
    /// Placed: the panel gave its order id.
    Placed,
    /// Refused by the panel: nothing was placed. Adding with its key
    /// again returns the same refusal.
    Refused,
    /// Sent, and whether it was placed is unknown: resolve it by hand
    /// ([`Journal::resolve`](crate::Journal::resolve)). Adding with its key
    /// again sends nothing.
    Unknown,
    /// Not sent (the connection could not be opened, the panel asked to
    /// slow down): adding with its key again sends it.
    Failed,
    /// Resolved by hand as not placed: adding with its key again sends it.
    NotPlaced,
}

impl EntryState {
    /// Every state.
    pub const ALL: [EntryState; 6] = [
        EntryState::Sending,
        EntryState::Placed,
        EntryState::Refused,
        EntryState::Unknown,
        EntryState::Failed,
        EntryState::NotPlaced,
    ];

    /// Its name: `sending`, `placed`, `refused`, `unknown`, `failed`,
    /// `not_placed`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Sending => "sending",
            EntryState::Placed => "placed",
            EntryState::Refused => "refused",
            EntryState::Unknown => "unknown",
            EntryState::Failed => "failed",
            EntryState::NotPlaced => "not_placed",
        }
    }

    /// Reads a state's name (`not-placed` and any case are accepted).
    pub fn parse(name: &str) -> Option<EntryState> {
        let name = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        EntryState::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for EntryState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a journaled `add` is given beside the order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddOptions {
    /// The idempotency key: an `add` with a key already in the journal
    /// sends nothing and returns what the first one got. One is made up
    /// when `None`.
    pub idempotency_key: Option<String>,
    /// The caller's own reference (an invoice, a chat message), kept with
    /// the order.
    pub reference: Option<String>,
    /// Anything else to keep with the order (a customer id, a price
    /// charged), as JSON.
    pub metadata: Option<Value>,
}

impl AddOptions {
    /// Options with this idempotency key.
    pub fn key(key: impl Into<String>) -> AddOptions {
        AddOptions {
            idempotency_key: Some(key.into()),
            ..AddOptions::default()
        }
    }

    /// With this reference.
    #[must_use]
    pub fn reference(mut self, reference: impl Into<String>) -> AddOptions {
        self.reference = Some(reference.into());
        self
    }

    /// With this metadata.
    #[must_use]
    pub fn metadata(mut self, metadata: Value) -> AddOptions {
        self.metadata = Some(metadata);
        self
    }
}

/// A journaled `add`'s success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Added {
    /// The order's id.
    pub order: OrderId,
    /// The idempotency key it is journaled under.
    pub key: String,
    /// True when nothing was sent: an earlier `add` with the same key
    /// placed the order.
    pub replayed: bool,
}

/// How an order whose outcome was unknown turned out, as the reseller
/// found on the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// It was placed as this order.
    Placed(OrderId),
    /// It was not placed.
    NotPlaced,
}

/// A journaled order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalEntry {
    /// Its idempotency key.
    pub key: String,
    /// The provider it was sent to, by the name it was attached under.
    pub provider: String,
    /// The service.
    pub service: ServiceId,
    /// The order, as an object of fields
    /// ([`OrderRequest::to_value`](smmkit_provider_core::OrderRequest::to_value)).
    pub request: Value,
    /// What the catalog said it would cost, when the catalog was known.
    pub quote: Option<Quote>,
    /// The caller's reference.
    pub reference: Option<String>,
    /// The caller's metadata.
    pub metadata: Option<Value>,
    /// Where it stands.
    pub state: EntryState,
    /// The panel's order id, once placed.
    pub order: Option<OrderId>,
    /// The error of a refused, unknown or failed order, as the error
    /// payload.
    pub error: Option<Value>,
    /// How many times it was sent (or tried).
    pub attempts: u64,
    /// When it was first added.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When it was resolved by hand.
    pub resolved_at: Option<Timestamp>,
    /// The panel's status, once polled.
    pub status: Option<String>,
    /// What the panel charged, exact.
    pub charge: Option<Decimal>,
    /// The currency of `charge`.
    pub currency: Option<String>,
    /// The count on the link when the order started.
    pub start_count: Option<u64>,
    /// How much is left to deliver.
    pub remains: Option<i64>,
    /// Whether the status is final (completed, partial, canceled…): sync
    /// polls it no more.
    pub is_final: bool,
    /// When its status was last asked for.
    pub polled_at: Option<Timestamp>,
    /// Why the last poll of its status failed, when it did.
    pub poll_error: Option<String>,
    /// When a cancel was asked for through the journal.
    pub cancel_requested_at: Option<Timestamp>,
}

/// Which orders [`Journal::orders`](crate::Journal::orders) lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    /// Only orders in this state.
    pub state: Option<EntryState>,
    /// Only orders of this provider.
    pub provider: Option<String>,
    /// Only orders with this panel status (`Completed`, `In progress`…;
    /// any case).
    pub status: Option<String>,
    /// At most this many, the newest first.
    pub limit: Option<u64>,
}

/// One change of an order's status, charge or remains, as a sync saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The order's idempotency key.
    pub key: String,
    /// Its provider.
    pub provider: String,
    /// Its order id.
    pub order: OrderId,
    /// The caller's reference, when there is one.
    pub reference: Option<String>,
    /// The status before (none before the first poll).
    pub from: Option<String>,
    /// The status now.
    pub to: String,
    /// What is left to deliver.
    pub remains: Option<i64>,
    /// What the panel charged.
    pub charge: Option<Decimal>,
    /// The count on the link when the order started.
    pub start_count: Option<u64>,
}

impl fmt::Display for Change {
    /// `order 123: In progress → Partial, 40 left`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "order {}: ", self.order)?;
        match &self.from {
            Some(from) if *from != self.to => write!(f, "{from} → {}", self.to)?,
            Some(_) => write!(f, "{}", self.to)?,
            None => write!(f, "→ {}", self.to)?,
        }
        if let Some(remains) = self.remains.filter(|r| *r != 0) {
            write!(f, ", {remains} left")?;
        }
        if let Some(reference) = &self.reference {
            write!(f, " ({reference})")?;
        }
        Ok(())
    }
}

/// An order whose status could not be polled in a sync round.
#[derive(Debug, Clone, Serialize)]
pub struct PollFailure {
    /// Its idempotency key.
    pub key: String,
    /// Its provider.
    pub provider: String,
    /// Its order id.
    pub order: OrderId,
    /// Why.
    pub error: Error,
}

/// Orders the sync left alone: their provider is not attached to this
/// journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unattached {
    /// The provider's name.
    pub provider: String,
    /// How many of its orders are not final.
    pub orders: u64,
}

/// What one sync round did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// How many orders' statuses were asked for.
    pub polled: u64,
    /// Every change seen, in the order seen.
    pub changes: Vec<Change>,
    /// Orders whose status could not be polled (they are polled again in
    /// the next round).
    pub failed: Vec<PollFailure>,
    /// Providers with open orders that are not attached to this journal.
    pub unattached: Vec<Unattached>,
    /// Orders still open (not final) after the round, of attached
    /// providers.
    pub open: u64,
    /// Orders whose outcome is unknown, waiting to be resolved.
    pub unknown: u64,
}

/// What was spent at one provider, in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spend {
    /// The provider.
    pub provider: String,
    /// The currency, as the panel named it.
    pub currency: Option<String>,
    /// The sum of the charges the panel reported, exact.
    pub charged: Decimal,
    /// How many orders the sum covers.
    pub orders: u64,
    /// Placed orders whose charge the panel has not reported yet.
    pub awaiting_charge: u64,
}

/// What a catalog refresh found changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogChangeKind {
    /// A service not in the previous catalog.
    New,
    /// A service gone from the catalog.
    Removed,
    /// A service whose rate changed.
    Repriced,
}

impl CatalogChangeKind {
    /// `new`, `removed` or `repriced`.
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogChangeKind::New => "new",
            CatalogChangeKind::Removed => "removed",
            CatalogChangeKind::Repriced => "repriced",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<CatalogChangeKind> {
        [
            CatalogChangeKind::New,
            CatalogChangeKind::Removed,
            CatalogChangeKind::Repriced,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// One service that a catalog refresh found new, removed or repriced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogChange {
    /// The provider.
    pub provider: String,
    /// When the refresh saw it.
    pub at: Timestamp,
    /// The service.
    pub service: ServiceId,
    /// What changed.
    pub kind: CatalogChangeKind,
    /// The service's name.
    pub name: String,
    /// The rate before (removed, repriced).
    pub old_rate: Option<Decimal>,
    /// The rate now (new, repriced).
    pub new_rate: Option<Decimal>,
}

impl fmt::Display for CatalogChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} service {} ({})",
            self.kind.as_str(),
            self.service,
            self.name
        )?;
        match (self.old_rate, self.new_rate) {
            (Some(old), Some(new)) => write!(f, ": {old} → {new}"),
            (None, Some(new)) => write!(f, ": {new}"),
            (Some(old), None) => write!(f, ": was {old}"),
            (None, None) => Ok(()),
        }
    }
}

/// How a journal behaves. Every field has a default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalOptions {
    /// How long an order being sent, or a batch being polled, is held by
    /// its process without a sign of life. The holder renews it while it
    /// works; when a process dies, its orders being sent become unknown
    /// after this long, and its batches are polled by another. Default 30 s.
    pub lease: Duration,
    /// How long a stored catalog serves `add`'s checks before it is
    /// fetched again. Default 1 hour.
    pub catalog_ttl: Duration,
    /// Whether `add` checks orders against the catalog (and quotes them)
    /// first. Default true.
    pub check_catalog: bool,
    /// How many orders a sync worker takes at once. Default 1,000.
    pub sync_batch: u32,
}

impl Default for JournalOptions {
    fn default() -> Self {
        JournalOptions {
            lease: Duration::from_secs(30),
            catalog_ttl: Duration::from_secs(3600),
            check_catalog: true,
            sync_batch: 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Timestamp(1_795_792_814_123).to_string(),
            "2026-11-27T15:20:14.123Z"
        );
        assert_eq!(
            Timestamp(951_782_400_000).to_string(),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn states_read_back_from_their_names() {
        for s in EntryState::ALL {
            assert_eq!(EntryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(EntryState::parse("Not-Placed"), Some(EntryState::NotPlaced));
        assert_eq!(EntryState::parse("gone"), None);
    }

    #[test]
    fn a_change_reads_as_one_line() {
        let c = Change {
            key: "k".into(),
            provider: "p".into(),
            order: OrderId(123),
            reference: None,
            from: Some("In progress".into()),
            to: "Partial".into(),
            remains: Some(40),
            charge: None,
            start_count: None,
        };
        assert_eq!(c.to_string(), "order 123: In progress → Partial, 40 left");
    }
}
