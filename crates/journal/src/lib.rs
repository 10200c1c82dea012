//! smmkit's order journal: idempotent orders, crash-safe records and
//! status sync, on SQLite (a file, the default) or Postgres (several
//! workers or machines).
//!
//! A provider attached to a [`Journal`] is a [`Journaled`] provider, still
//! an [`SmmProvider`](smmkit_provider_core::SmmProvider):
//!
//! - **journaled orders**: before `add` sends anything it records the
//!   intent (provider, service, every order field, the quote, the caller's
//!   reference and metadata, an idempotency key); then the outcome: the
//!   order id, a refusal, or unknown. An order whose intent cannot be
//!   recorded is not sent;
//! - **idempotency keys**: an `add` with a key already journaled sends
//!   nothing and returns what the first got, across threads, processes,
//!   restarts and machines: two workers adding with one key at once send
//!   one request;
//! - **unknown outcomes** are a queue ([`Journal::unknown`]), each
//!   resolved by hand ([`Journal::resolve`]);
//! - **status sync** ([`Journal::sync`]) polls every open order of every
//!   attached provider, stores status, charge, start count and remains
//!   with their history, and returns the changes; workers share a round
//!   and resume one cut short;
//! - **catalog cache**: `add` checks and quotes against the stored
//!   catalog while it is younger than its TTL, and each refresh records
//!   what changed ([`Journal::catalog_changes`]);
//! - **spend** per provider and currency ([`Journal::spend`]).
//!
//! ```no_run
//! # async fn run() -> smmkit_provider_core::Result<()> {
//! use std::sync::Arc;
//! use smmkit_journal::{AddOptions, Journal, Resolution};
//! use smmkit_provider_core::{Error, OrderRequest, SmmProvider};
//! # let provider: Arc<dyn SmmProvider> = unimplemented!();
//! let journal = Journal::open("sqlite://orders.db").await?;
//! let panel = journal.attach_as("main", provider);
//! let order = OrderRequest::link_quantity(1u64, "https://t.me/channel", 500);
//! match panel.add_with(&order, &AddOptions::key("invoice-1042").reference("invoice 1042")).await {
//!     Ok(added) => println!("order {} ({})", added.order, if added.replayed { "placed earlier" } else { "placed" }),
//!     Err(Error::OutcomeUnknown { .. }) => println!("check the panel, then resolve invoice-1042"),
//!     Err(e) => println!("not placed: {e}"),
//! }
//! for entry in journal.unknown().await? {
//!     // Found on the panel as order 7781:
//!     journal.resolve(&entry.key, Resolution::Placed(7781u64.into())).await?;
//! }
//! # Ok(()) }
//! ```

mod add;
mod calls;
mod catalog;
mod db;
mod journal;
mod journaled;
mod location;
mod model;
mod rows;
mod schema;
mod sync;

pub use calls::{METHODS, call};
pub use catalog::StoredCatalog;
pub use journal::{Journal, StatusRecord};
pub use journaled::Journaled;
pub use location::Backend;
pub use model::{
    AddOptions, Added, CatalogChange, CatalogChangeKind, Change, EntryState, JournalEntry,
    JournalOptions, OrderFilter, PollFailure, Resolution, Spend, SyncReport, Timestamp, Unattached,
};
pub use schema::SCHEMA_VERSION;
