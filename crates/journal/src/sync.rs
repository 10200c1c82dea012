//! Status sync: every open order of every attached provider polled once a
//! round, in batches leased to one worker at a time, the changes stored
//! with their history and returned.
//!
//! A round is shared: each provider has one row in `smmkit_sync_rounds`,
//! and every worker that syncs while a round is open joins it. An order
//! is due in a round when it was not polled since the round started;
//! workers take due orders in leased batches (`FOR UPDATE SKIP LOCKED` on
//! Postgres; SQLite has one writer at a time), so none is polled twice in
//! a round and none is skipped. A worker that dies leaves its batch to the
//! lease; the round stays open until every due order is polled, and the
//! next sync joins it and finishes it.

use std::sync::Arc;

use futures_util::future::join_all;
use smmkit_provider_core::{Decimal, Error, OrderId, OrderStatus, Result, SmmProvider};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::db::{ms, now_ms};
use crate::journal::Journal;
use crate::location::Backend;
use crate::model::{Change, PollFailure, SyncReport, Unattached};
use crate::rows::{db_id, id_of};

/// What the journal knew of an order before a poll.
struct Known {
    key: String,
    order: OrderId,
    reference: Option<String>,
    status: Option<String>,
    charge: Option<String>,
    start_count: Option<i64>,
    remains: Option<i64>,
}

fn known(row: &AnyRow) -> std::result::Result<Known, sqlx::Error> {
    Ok(Known {
        key: row.try_get("key")?,
        order: OrderId(id_of(row.try_get("order_id")?)),
        reference: row.try_get("reference")?,
        status: row.try_get("status")?,
        charge: row.try_get("charge")?,
        start_count: row.try_get("start_count")?,
        remains: row.try_get("remains")?,
    })
}

const CLAIM_POSTGRES: &str = "UPDATE smmkit_orders SET lease_owner = $1, lease_until = $2
     WHERE key IN (
        SELECT key FROM smmkit_orders
         WHERE provider = $3 AND state = 'placed' AND is_final = 0 AND order_id IS NOT NULL
           AND (polled_at IS NULL OR polled_at < $4)
           AND (lease_until IS NULL OR lease_until < $5)
         LIMIT $6
         FOR UPDATE SKIP LOCKED)
     RETURNING key, order_id, reference, status, charge, start_count, remains";

const CLAIM_SQLITE: &str = "UPDATE smmkit_orders SET lease_owner = $1, lease_until = $2
     WHERE key IN (
        SELECT key FROM smmkit_orders
         WHERE provider = $3 AND state = 'placed' AND is_final = 0 AND order_id IS NOT NULL
           AND (polled_at IS NULL OR polled_at < $4)
           AND (lease_until IS NULL OR lease_until < $5)
         LIMIT $6)
     RETURNING key, order_id, reference, status, charge, start_count, remains";

/// Whether two charges are the same amount (`1.50` and `1.5` are).
fn same_charge(old: Option<&str>, new: Option<Decimal>) -> bool {
    match (old.map(str::parse::<Decimal>), new) {
        (None, None) => true,
        (Some(Ok(a)), Some(b)) => a == b,
        _ => false,
    }
}

fn as_i64(v: Option<u64>) -> Option<i64> {
    v.and_then(|v| i64::try_from(v).ok())
}

impl Journal {
    /// Whether a polled status differs from what the journal knew: its
    /// status, charge, start count or remains.
    fn changed(known: &Known, status: &OrderStatus) -> bool {
        known.status.as_deref() != Some(status.status.as_str())
            || !same_charge(known.charge.as_deref(), status.charge)
            || known.start_count != as_i64(status.start_count)
            || known.remains != status.remains
    }

    /// Stores a changed status of an order and its history; returns the
    /// change.
    async fn apply(
        tx: &mut Transaction<'static, Any>,
        known: &Known,
        provider: &str,
        status: &OrderStatus,
        now: i64,
    ) -> std::result::Result<Change, sqlx::Error> {
        let text = status.status.as_str().to_owned();
        let start_count = as_i64(status.start_count);
        let charge = status.charge.map(|c| c.to_string());
        sqlx::query(
            "UPDATE smmkit_orders SET status = $1, charge = $2, currency = COALESCE($3, currency),
                    start_count = $4, remains = $5, is_final = $6, polled_at = $7, poll_error = NULL,
                    lease_owner = NULL, lease_until = NULL, updated_at = $7
              WHERE key = $8",
        )
        .bind(&text)
        .bind(charge.as_deref())
        .bind(status.currency.as_deref())
        .bind(start_count)
        .bind(status.remains)
        .bind(i64::from(status.status.is_final()))
        .bind(now)
        .bind(&known.key)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO smmkit_status_history (key, at, status, charge, start_count, remains)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&known.key)
        .bind(now)
        .bind(&text)
        .bind(charge.as_deref())
        .bind(start_count)
        .bind(status.remains)
        .execute(&mut **tx)
        .await?;
        Ok(Change {
            key: known.key.clone(),
            provider: provider.to_owned(),
            order: known.order,
            reference: known.reference.clone(),
            from: known.status.clone(),
            to: text,
            remains: status.remains,
            charge: status.charge,
            start_count: status.start_count,
        })
    }

    /// Stores statuses polled outside a sync (a journaled `status`), for
    /// the orders the journal holds; the others are left alone.
    pub(crate) async fn record_statuses(
        &self,
        provider: &str,
        statuses: &[(OrderId, &OrderStatus)],
    ) -> Result<Vec<Change>> {
        let db = &self.inner.db;
        let fail = |e: sqlx::Error| db.error("cannot record a status", &e);
        let mut tx = db.begin_write().await.map_err(fail)?;
        let now = now_ms();
        let mut changes = Vec::new();
        for (order, status) in statuses {
            let row = sqlx::query(
                "SELECT key, order_id, reference, status, charge, start_count, remains
                   FROM smmkit_orders WHERE provider = $1 AND order_id = $2",
            )
            .bind(provider)
            .bind(db_id(order.get()))
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail)?;
            if let Some(row) = row {
                let known = known(&row).map_err(fail)?;
                if Journal::changed(&known, status) {
                    changes.push(
                        Journal::apply(&mut tx, &known, provider, status, now)
                            .await
                            .map_err(fail)?,
                    );
                } else {
                    sqlx::query(
                        "UPDATE smmkit_orders SET polled_at = $1, poll_error = NULL WHERE key = $2",
                    )
                    .bind(now)
                    .bind(&known.key)
                    .execute(&mut *tx)
                    .await
                    .map_err(fail)?;
                }
            }
        }
        tx.commit().await.map_err(fail)?;
        Ok(changes)
    }

    /// Joins the open sync round of `provider`, or starts one; returns
    /// when it started.
    async fn round(&self, provider: &str) -> Result<i64> {
        let db = &self.inner.db;
        let now = now_ms();
        let fail = |e: sqlx::Error| db.error("cannot start a sync round", &e);
        sqlx::query(
            "INSERT INTO smmkit_sync_rounds (provider, started_at, finished_at) VALUES ($1, $2, NULL)
             ON CONFLICT (provider) DO UPDATE SET started_at = $2, finished_at = NULL
              WHERE smmkit_sync_rounds.finished_at IS NOT NULL",
        )
        .bind(provider)
        .bind(now)
        .execute(&db.pool)
        .await
        .map_err(fail)?;
        let row = sqlx::query("SELECT started_at FROM smmkit_sync_rounds WHERE provider = $1")
            .bind(provider)
            .fetch_one(&db.pool)
            .await
            .map_err(fail)?;
        row.try_get("started_at").map_err(fail)
    }

    /// Closes the round that started at `started` once no order is due in
    /// it any more.
    async fn close_round(&self, provider: &str, started: i64) -> Result<()> {
        let db = &self.inner.db;
        sqlx::query(
            "UPDATE smmkit_sync_rounds SET finished_at = $1
              WHERE provider = $2 AND started_at = $3 AND finished_at IS NULL
                AND NOT EXISTS (
                    SELECT 1 FROM smmkit_orders
                     WHERE provider = $2 AND state = 'placed' AND is_final = 0
                       AND order_id IS NOT NULL
                       AND (polled_at IS NULL OR polled_at < $3))",
        )
        .bind(now_ms())
        .bind(provider)
        .bind(started)
        .execute(&db.pool)
        .await
        .map_err(|e| db.error("cannot close a sync round", &e))?;
        Ok(())
    }

    /// Takes a batch of the orders due in the round, leased to `token`.
    async fn claim_batch(&self, provider: &str, started: i64, token: &str) -> Result<Vec<Known>> {
        let db = &self.inner.db;
        let now = now_ms();
        let sql = match db.backend {
            Backend::Postgres => CLAIM_POSTGRES,
            Backend::Sqlite => CLAIM_SQLITE,
        };
        let fail = |e: sqlx::Error| db.error("cannot take orders to poll", &e);
        let rows = sqlx::query(sql)
            .bind(token)
            .bind(now.saturating_add(ms(self.inner.options.lease)))
            .bind(provider)
            .bind(started)
            .bind(now)
            .bind(i64::from(self.inner.options.sync_batch))
            .fetch_all(&db.pool)
            .await
            .map_err(fail)?;
        rows.iter()
            .map(known)
            .collect::<std::result::Result<_, _>>()
            .map_err(fail)
    }

    /// Polls one batch and stores what it found: each change on its own
    /// row (with its history), and the rest of the batch, polled and
    /// unchanged, marked polled and released in one statement.
    async fn poll_batch(
        &self,
        name: &str,
        provider: &dyn SmmProvider,
        batch: Vec<Known>,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<()> {
        let ids: Vec<OrderId> = batch.iter().map(|k| k.order).collect();
        let entries = self.holding(token, provider.statuses(&ids)).await;
        let mut results: std::collections::HashMap<OrderId, Result<OrderStatus>> =
            entries.into_iter().collect();
        let db = &self.inner.db;
        let fail = |e: sqlx::Error| db.error("cannot record polled statuses", &e);
        let mut tx = db.begin_write().await.map_err(fail)?;
        let now = now_ms();
        sqlx::query(
            "UPDATE smmkit_orders SET polled_at = $1, poll_error = NULL, lease_owner = NULL,
                    lease_until = NULL
              WHERE lease_owner = $2",
        )
        .bind(now)
        .bind(token)
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
        for known in &batch {
            report.polled += 1;
            match results.remove(&known.order) {
                Some(Ok(status)) => {
                    if Journal::changed(known, &status) {
                        report.changes.push(
                            Journal::apply(&mut tx, known, name, &status, now)
                                .await
                                .map_err(fail)?,
                        );
                    }
                }
                outcome => {
                    let error = match outcome {
                        Some(Err(e)) => e,
                        _ => Error::Journal {
                            message: format!(
                                "the provider gave no status for order {}",
                                known.order
                            ),
                            not_sent: false,
                            placed: None,
                        },
                    };
                    // Polled in this round all the same: tried again in
                    // the next.
                    sqlx::query("UPDATE smmkit_orders SET poll_error = $1 WHERE key = $2")
                        .bind(error.to_string())
                        .bind(&known.key)
                        .execute(&mut *tx)
                        .await
                        .map_err(fail)?;
                    report.failed.push(PollFailure {
                        key: known.key.clone(),
                        provider: name.to_owned(),
                        order: known.order,
                        error,
                    });
                }
            }
        }
        tx.commit().await.map_err(fail)
    }

    /// One worker's part of the round of one provider.
    async fn sync_provider(
        &self,
        name: &str,
        provider: &Arc<dyn SmmProvider>,
    ) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let started = self.round(name).await?;
        loop {
            let token = self.token();
            let batch = self.claim_batch(name, started, &token).await?;
            if batch.is_empty() {
                break;
            }
            self.poll_batch(name, provider.as_ref(), batch, &token, &mut report)
                .await?;
        }
        self.close_round(name, started).await?;
        Ok(report)
    }

    /// Polls the status of every order that is not final, of every
    /// attached provider, and stores status, charge, start count and
    /// remains with the history of their changes; returns the changes.
    ///
    /// Several workers (threads, processes, machines on one Postgres
    /// journal) may sync at once: they share the round, and each order is
    /// polled once in it. A sync cut short (a crash) is finished by the
    /// next one. Each provider batches by its own batch size and
    /// concurrency.
    pub async fn sync(&self) -> Result<SyncReport> {
        let providers: Vec<(String, Arc<dyn SmmProvider>)> = self
            .inner
            .providers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(n, p)| (n.clone(), Arc::clone(p)))
            .collect();
        let parts = join_all(
            providers
                .iter()
                .map(|(name, provider)| self.sync_provider(name, provider)),
        )
        .await;
        let mut report = SyncReport::default();
        for part in parts {
            let part = part?;
            report.polled += part.polled;
            report.changes.extend(part.changes);
            report.failed.extend(part.failed);
        }
        let (open, unknown) = self.open_orders().await?;
        for (provider, orders) in open {
            if providers.iter().any(|(n, _)| *n == provider) {
                report.open += orders;
            } else {
                report.unattached.push(Unattached { provider, orders });
            }
        }
        report.unknown = unknown;
        Ok(report)
    }

    /// The open (placed, not final) orders per provider, and how many
    /// orders are unknown.
    async fn open_orders(&self) -> Result<(Vec<(String, u64)>, u64)> {
        let db = &self.inner.db;
        let fail = |e: sqlx::Error| db.error("cannot be read", &e);
        let rows = sqlx::query(
            "SELECT provider, COUNT(*) AS n FROM smmkit_orders
              WHERE state = 'placed' AND is_final = 0 GROUP BY provider ORDER BY provider",
        )
        .fetch_all(&db.pool)
        .await
        .map_err(fail)?;
        let open = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<String, _>("provider")?,
                    u64::try_from(r.try_get::<i64, _>("n")?).unwrap_or(0),
                ))
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
            .map_err(fail)?;
        let unknown = sqlx::query(
            "SELECT COUNT(*) AS n FROM smmkit_orders
              WHERE state = 'unknown' OR (state = 'sending' AND lease_until < $1)",
        )
        .bind(now_ms())
        .fetch_one(&db.pool)
        .await
        .map_err(fail)?;
        let unknown = u64::try_from(unknown.try_get::<i64, _>("n").map_err(fail)?).unwrap_or(0);
        Ok((open, unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_compare_as_amounts() {
        assert!(same_charge(Some("1.50"), Some("1.5".parse().unwrap())));
        assert!(!same_charge(Some("1.50"), Some("1.51".parse().unwrap())));
        assert!(!same_charge(None, Some(Decimal::ZERO)));
        assert!(same_charge(None, None));
    }
}
