//! The journal's tables, one schema for SQLite and Postgres, and the
//! embedded migrations that bring a database to it.
//!
//! Every column is `TEXT` or `BIGINT`, and every statement is written so
//! that both databases run it as is: amounts are kept as exact decimal
//! text, times as milliseconds since the Unix epoch, flags as 0 or 1.

/// The schema version this smmkit writes; a journal of a newer version is
/// refused rather than misread.
pub const SCHEMA_VERSION: i64 = 1;

/// The migrations: `MIGRATIONS[n]` brings a journal from version `n` to
/// `n + 1`.
pub(crate) const MIGRATIONS: &[&[&str]] = &[&[
    // Orders: one row per idempotency key.
    "CREATE TABLE smmkit_orders (
        key TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        service BIGINT NOT NULL,
        request TEXT NOT NULL,
        quote_kind TEXT,
        quote_amount TEXT,
        reference TEXT,
        metadata TEXT,
        state TEXT NOT NULL,
        order_id BIGINT,
        error TEXT,
        attempts BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        resolved_at BIGINT,
        status TEXT,
        charge TEXT,
        currency TEXT,
        start_count BIGINT,
        remains BIGINT,
        is_final BIGINT NOT NULL DEFAULT 0,
        polled_at BIGINT,
        poll_error TEXT,
        cancel_requested_at BIGINT
    )",
    "CREATE INDEX smmkit_orders_to_poll ON smmkit_orders (provider, state, is_final, polled_at)",
    "CREATE INDEX smmkit_orders_by_state ON smmkit_orders (state, created_at)",
    // The rows a lease holder renews and releases.
    "CREATE INDEX smmkit_orders_by_lease ON smmkit_orders (lease_owner)",
    // An order id belongs to one key: a second key cannot claim it.
    "CREATE UNIQUE INDEX smmkit_orders_by_order ON smmkit_orders (provider, order_id)",
    // Every change of an order's status, charge, start count or remains.
    "CREATE TABLE smmkit_status_history (
        key TEXT NOT NULL,
        at BIGINT NOT NULL,
        status TEXT NOT NULL,
        charge TEXT,
        start_count BIGINT,
        remains BIGINT
    )",
    "CREATE INDEX smmkit_status_history_by_key ON smmkit_status_history (key, at)",
    // The sync round each provider is in, shared by every worker.
    "CREATE TABLE smmkit_sync_rounds (
        provider TEXT PRIMARY KEY,
        started_at BIGINT NOT NULL,
        finished_at BIGINT
    )",
    // The last catalog of each provider, as the panel lists it.
    "CREATE TABLE smmkit_catalogs (
        provider TEXT PRIMARY KEY,
        fetched_at BIGINT NOT NULL,
        services TEXT NOT NULL
    )",
    // What each refresh of a catalog changed.
    "CREATE TABLE smmkit_catalog_changes (
        provider TEXT NOT NULL,
        at BIGINT NOT NULL,
        service BIGINT NOT NULL,
        what TEXT NOT NULL,
        name TEXT NOT NULL,
        old_rate TEXT,
        new_rate TEXT
    )",
    "CREATE INDEX smmkit_catalog_changes_by_provider ON smmkit_catalog_changes (provider, at)",
    // Refills asked for through the journal.
    "CREATE TABLE smmkit_refills (
        provider TEXT NOT NULL,
        refill_id BIGINT NOT NULL,
        order_id BIGINT NOT NULL,
        requested_at BIGINT NOT NULL,
        PRIMARY KEY (provider, refill_id)
    )",
]];
