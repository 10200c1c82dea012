//! Journaled `add`: the intent recorded before anything is sent, the
//! outcome after, and an idempotency key that sends an order once across
//! threads, processes, restarts and machines.

use std::time::Duration;

use serde_json::Value;
use smmkit_provider_core::{
    Action, ApiErrorKind, Error, OrderId, OrderRequest, Quote, Result, ServiceLimits, SmmProvider,
    ValidationError, quote,
};
use sqlx::Row;

use crate::db::{ms, now_ms};
use crate::journal::Journal;
use crate::model::{AddOptions, Added, EntryState, JournalEntry};
use crate::rows::{db_id, entry, entry_columns, quote_columns};

/// The longest idempotency key taken.
const MAX_KEY_CHARS: usize = 200;

/// How long a catalog may be before a service missing from it makes `add`
/// fetch it again (the service may be new).
const REFETCH_FOR_MISSING_MS: i64 = 60_000;

/// What claiming a key found.
enum Claim {
    /// This call holds the key: it sends the order, as attempt `n`.
    Mine(i64),
    /// The key is journaled already.
    Recorded(Box<JournalEntry>),
}

fn check_key(key: &str) -> Result<()> {
    let problem = if key.trim().is_empty() {
        Some("is empty".to_owned())
    } else if key.chars().count() > MAX_KEY_CHARS {
        Some(format!("is longer than {MAX_KEY_CHARS} characters"))
    } else if key.chars().any(char::is_control) {
        Some("holds a control character".to_owned())
    } else {
        None
    };
    match problem {
        Some(p) => Err(ValidationError::for_field("idempotency_key", p).into()),
        None => Ok(()),
    }
}

/// A key for an `add` given none: unique, and saying it was made up.
fn made_up_key() -> String {
    format!(
        "auto-{:x}-{:016x}{:016x}",
        now_ms(),
        fastrand::u64(..),
        fastrand::u64(..)
    )
}

/// What the outcome of sending makes of the journaled order, and the error
/// the caller gets (an error that does not say whether the order was
/// placed becomes [`Error::OutcomeUnknown`]).
fn outcome_of(order: &OrderRequest, result: Result<OrderId>) -> (EntryState, Result<OrderId>) {
    match result {
        Ok(id) => (EntryState::Placed, Ok(id)),
        Err(e) => {
            let state = match &e {
                Error::OutcomeUnknown { .. } => EntryState::Unknown,
                Error::Api { kind, .. } if *kind == ApiErrorKind::RateLimited => EntryState::Failed,
                Error::Api { .. } => EntryState::Refused,
                Error::Transport { not_sent: true, .. }
                | Error::Validation(_)
                | Error::Config(_)
                | Error::IdempotencyConflict { .. }
                | Error::Journal { not_sent: true, .. } => EntryState::Failed,
                _ => EntryState::Unknown,
            };
            let e = match e {
                e @ Error::OutcomeUnknown { .. } => e,
                e if state == EntryState::Unknown => Error::OutcomeUnknown {
                    request: Box::new(order.clone()),
                    cause: Box::new(e),
                },
                e => e,
            };
            (state, Err(e))
        }
    }
}

/// The refusal an earlier `add` with the key got, as it got it.
fn refusal(entry: &JournalEntry) -> Error {
    let payload = entry.error.as_ref();
    let text = |name: &str| {
        payload
            .and_then(|p| p.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let message = text("panel_message");
    let code = text("code");
    let kind = ApiErrorKind::ALL
        .into_iter()
        .find(|k| k.as_str() == code)
        .unwrap_or_else(|| ApiErrorKind::from_message(&message));
    Error::Api {
        action: Action::Add,
        kind,
        message,
        retry_after: None,
    }
}

/// The [`Error::OutcomeUnknown`] an earlier `add` with the key ended in,
/// again: nothing is sent until it is resolved.
fn still_unknown(entry: &JournalEntry, order: &OrderRequest) -> Error {
    // Why the first was unknown: the cause of its OutcomeUnknown.
    let first = entry
        .error
        .as_ref()
        .and_then(|p| p.get("cause").unwrap_or(p).get("message"))
        .and_then(Value::as_str)
        .unwrap_or("its answer was not recorded");
    Error::OutcomeUnknown {
        request: Box::new(
            OrderRequest::from_value(&entry.request).unwrap_or_else(|_| order.clone()),
        ),
        cause: Box::new(Error::Journal {
            message: format!(
                "the order with idempotency key `{}` was sent at {} and its outcome is unknown \
                 ({first}); nothing was sent again. Check the panel's orders, then resolve it \
                 as placed (with its order id) or not placed",
                entry.key, entry.created_at
            ),
            not_sent: true,
            placed: None,
        }),
    }
}

impl Journal {
    /// Checks `order` against the catalog of `provider` (stored, or
    /// fetched) and quotes it. A catalog that cannot be fetched leaves the
    /// checks to the panel: the order is not held back for it.
    async fn check_and_quote(
        &self,
        name: &str,
        provider: &dyn SmmProvider,
        order: &OrderRequest,
    ) -> Result<Option<Quote>> {
        let catalog = match self.catalog_for(name, provider).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(provider = name, error = %e, "journal: no catalog to check the order against");
                return Ok(None);
            }
        };
        let catalog =
            if catalog.get(order.service).is_none() && catalog.age_ms() > REFETCH_FOR_MISSING_MS {
                match provider.services().await {
                    Ok(list) => self.store_catalog(name, list.services).await?.0,
                    Err(_) => catalog,
                }
            } else {
                catalog
            };
        let Some(service) = catalog.get(order.service) else {
            return Err(ValidationError::for_field(
                "service",
                format!(
                    "service {} is not in the catalog of {name} (fetched at {})",
                    order.service,
                    crate::model::Timestamp(catalog.fetched_at)
                ),
            )
            .into());
        };
        order.validate_for(&ServiceLimits::from(service))?;
        Ok(quote(order, service).ok())
    }

    /// Records the intent to send `order` under `key`, unless the key is
    /// journaled already.
    #[allow(clippy::too_many_arguments)]
    async fn claim(
        &self,
        key: &str,
        name: &str,
        order: &OrderRequest,
        request: &str,
        quote: Option<Quote>,
        options: &AddOptions,
        token: &str,
    ) -> Result<Claim> {
        let db = &self.inner.db;
        let now = now_ms();
        let until = now.saturating_add(ms(self.inner.options.lease));
        let (quote_kind, quote_amount) = quote_columns(quote);
        let metadata = options.metadata.as_ref().map(Value::to_string);
        let inserted = sqlx::query(
            "INSERT INTO smmkit_orders (key, provider, service, request, quote_kind, quote_amount,
                 reference, metadata, state, attempts, lease_owner, lease_until, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', 1, $9, $10, $11, $11)
             ON CONFLICT (key) DO NOTHING
             RETURNING attempts",
        )
        .bind(key)
        .bind(name)
        .bind(db_id(order.service.get()))
        .bind(request)
        .bind(quote_kind)
        .bind(quote_amount)
        .bind(options.reference.as_deref())
        .bind(metadata)
        .bind(token)
        .bind(until)
        .bind(now)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| db.error_not_sent("cannot record the order before sending it; nothing was sent", &e))?;
        if let Some(row) = inserted {
            let attempt: i64 = row
                .try_get("attempts")
                .map_err(|e| db.error_not_sent("cannot record the order; nothing was sent", &e))?;
            return Ok(Claim::Mine(attempt));
        }
        let row = sqlx::query(concat!(
            "SELECT ",
            entry_columns!(),
            " FROM smmkit_orders WHERE key = $1"
        ))
        .bind(key)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| db.error_not_sent("cannot read the order's key; nothing was sent", &e))?;
        match row {
            Some(row) => entry(&row)
                .map(|e| Claim::Recorded(Box::new(e)))
                .map_err(|e| db.error_not_sent("holds an unreadable order; nothing was sent", &e)),
            // Deleted in between by hand: claim it afresh.
            None => Box::pin(self.claim(key, name, order, request, quote, options, token)).await,
        }
    }

    /// Takes over a key whose order may be sent again (failed, or resolved
    /// as not placed); `None` when another call took it first.
    async fn reclaim(
        &self,
        key: &str,
        was: EntryState,
        quote: Option<Quote>,
        options: &AddOptions,
        token: &str,
    ) -> Result<Option<i64>> {
        let db = &self.inner.db;
        let now = now_ms();
        let (quote_kind, quote_amount) = quote_columns(quote);
        let row = sqlx::query(
            "UPDATE smmkit_orders
                SET state = 'sending', attempts = attempts + 1, lease_owner = $1, lease_until = $2,
                    updated_at = $3, error = NULL, order_id = NULL, resolved_at = NULL,
                    quote_kind = $4, quote_amount = $5,
                    reference = COALESCE($6, reference), metadata = COALESCE($7, metadata)
              WHERE key = $8 AND state = $9
             RETURNING attempts",
        )
        .bind(token)
        .bind(now.saturating_add(ms(self.inner.options.lease)))
        .bind(now)
        .bind(quote_kind)
        .bind(quote_amount)
        .bind(options.reference.as_deref())
        .bind(options.metadata.as_ref().map(Value::to_string))
        .bind(key)
        .bind(was.as_str())
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| {
            db.error_not_sent(
                "cannot record the order before sending it again; nothing was sent",
                &e,
            )
        })?;
        row.map(|r| r.try_get::<i64, _>("attempts"))
            .transpose()
            .map_err(|e| db.error_not_sent("cannot record the order; nothing was sent", &e))
    }

    /// Marks an order whose sender's lease ran out as unknown: the process
    /// sending it stopped before recording the panel's answer.
    async fn expire(&self, key: &str) -> Result<()> {
        let db = &self.inner.db;
        let now = now_ms();
        let error = Error::Journal {
            message: "the process sending it stopped before it recorded the panel's answer".into(),
            not_sent: false,
            placed: None,
        };
        sqlx::query(
            "UPDATE smmkit_orders SET state = 'unknown', error = $1, lease_owner = NULL,
                    lease_until = NULL, updated_at = $2
              WHERE key = $3 AND state = 'sending' AND lease_until < $2",
        )
        .bind(serde_json::to_string(&error).unwrap_or_default())
        .bind(now)
        .bind(key)
        .execute(&db.pool)
        .await
        .map_err(|e| db.error_not_sent("cannot record an abandoned order as unknown", &e))?;
        Ok(())
    }

    /// Records the outcome of attempt `attempt` of the order under `key`,
    /// trying again a few times: the panel's answer is not to be lost.
    async fn record(
        &self,
        key: &str,
        attempt: i64,
        state: EntryState,
        result: &Result<OrderId>,
    ) -> std::result::Result<(), Error> {
        let db = &self.inner.db;
        let (order, error) = match result {
            Ok(id) => (Some(db_id(id.get())), None),
            Err(e) => (None, Some(serde_json::to_string(e).unwrap_or_default())),
        };
        let mut last = None;
        for pause in [0, 50, 250, 1000] {
            tokio::time::sleep(Duration::from_millis(pause)).await;
            let done = sqlx::query(
                "UPDATE smmkit_orders SET state = $1, order_id = $2, error = $3, lease_owner = NULL,
                        lease_until = NULL, updated_at = $4
                  WHERE key = $5 AND attempts = $6 AND state IN ('sending', 'unknown')",
            )
            .bind(state.as_str())
            .bind(order)
            .bind(error.as_deref())
            .bind(now_ms())
            .bind(key)
            .bind(attempt)
            .execute(&db.pool)
            .await;
            match done {
                Ok(done) => {
                    if done.rows_affected() == 0 {
                        tracing::warn!(
                            key,
                            outcome = state.as_str(),
                            "journal: the order was resolved by hand while it was sent; the \
                             panel's answer was not recorded over the resolution"
                        );
                    }
                    return Ok(());
                }
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                    last = Some(db.error(
                        "cannot record the order: its order id is journaled under another key",
                        &sqlx::Error::Database(d),
                    ));
                    break;
                }
                Err(e) => last = Some(db.error("cannot record the panel's answer", &e)),
            }
        }
        Err(last.unwrap_or_else(|| Error::Journal {
            message: "cannot record the panel's answer".into(),
            not_sent: false,
            placed: None,
        }))
    }

    /// Waits while another call sends the order under `key`: until its
    /// outcome is recorded, or its lease runs out.
    async fn wait_for(&self, key: &str) -> Result<()> {
        let mut pause = Duration::from_millis(20);
        loop {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(250));
            let db = &self.inner.db;
            let row = sqlx::query("SELECT state, lease_until FROM smmkit_orders WHERE key = $1")
                .bind(key)
                .fetch_optional(&db.pool)
                .await
                .map_err(|e| {
                    db.error_not_sent("cannot read the order's key; nothing was sent", &e)
                })?;
            let Some(row) = row else { return Ok(()) };
            let read = || -> std::result::Result<(String, Option<i64>), sqlx::Error> {
                Ok((row.try_get("state")?, row.try_get("lease_until")?))
            };
            let (state, until) =
                read().map_err(|e| db.error_not_sent("holds an unreadable order", &e))?;
            if state != EntryState::Sending.as_str() || until.is_none_or(|u| u < now_ms()) {
                return Ok(());
            }
        }
    }

    /// A journaled `add` (see [`Journaled::add_with`](crate::Journaled::add_with)).
    pub(crate) async fn add(
        &self,
        name: &str,
        provider: &dyn SmmProvider,
        order: &OrderRequest,
        options: &AddOptions,
    ) -> Result<Added> {
        let key = match &options.idempotency_key {
            Some(k) => {
                check_key(k)?;
                k.clone()
            }
            None => made_up_key(),
        };
        order.validate()?;
        let quote = if self.inner.options.check_catalog {
            self.check_and_quote(name, provider, order).await?
        } else {
            None
        };
        let fields = order.to_value();
        let request = fields.to_string();
        let token = self.token();
        loop {
            let attempt = match self
                .claim(&key, name, order, &request, quote, options, &token)
                .await?
            {
                Claim::Mine(attempt) => attempt,
                Claim::Recorded(entry) => {
                    if entry.provider != name || entry.request != fields {
                        let first = OrderRequest::from_value(&entry.request)
                            .map_or_else(|_| entry.request.to_string(), |o| o.to_string());
                        return Err(Error::IdempotencyConflict {
                            key,
                            message: format!("it was first used at {} for {first}", entry.provider),
                        });
                    }
                    match entry.state {
                        EntryState::Placed => {
                            return match entry.order {
                                Some(order) => Ok(Added {
                                    order,
                                    key,
                                    replayed: true,
                                }),
                                None => Err(Error::Journal {
                                    message: format!(
                                        "the order `{key}` is placed without an order id"
                                    ),
                                    not_sent: true,
                                    placed: None,
                                }),
                            };
                        }
                        EntryState::Refused => return Err(refusal(&entry)),
                        EntryState::Unknown => {
                            // Persists what reading the row concluded: a
                            // sender whose lease ran out.
                            if let Err(e) = self.expire(&key).await {
                                tracing::warn!(error = %e, "journal");
                            }
                            return Err(still_unknown(&entry, order));
                        }
                        EntryState::Sending => {
                            self.wait_for(&key).await?;
                            continue;
                        }
                        state @ (EntryState::Failed | EntryState::NotPlaced) => {
                            match self.reclaim(&key, state, quote, options, &token).await? {
                                Some(attempt) => attempt,
                                None => continue,
                            }
                        }
                    }
                }
            };
            let sent = self.holding(&token, provider.add(order)).await;
            let (state, result) = outcome_of(order, sent);
            if let Err(e) = self.record(&key, attempt, state, &result).await {
                return Err(match result {
                    // The order exists: its id must reach the caller.
                    Ok(id) => Error::Journal {
                        message: format!(
                            "order {id} was placed, but the journal cannot record it ({e}); \
                             it stays in the journal as unknown until resolved"
                        ),
                        not_sent: false,
                        placed: Some(id),
                    },
                    // The order's outcome stands; the journal keeps it
                    // as being sent, then unknown: never sent again.
                    Err(outcome) => outcome,
                });
            }
            return result.map(|order| Added {
                order,
                key,
                replayed: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_be_short_printable_and_not_blank() {
        assert!(check_key("tg-update-8812").is_ok());
        for bad in ["", "   ", "a\nb", &"k".repeat(201)] {
            let e = check_key(bad).unwrap_err();
            assert_eq!(e.kind(), "validation", "{bad:?}");
            assert!(e.to_string().contains("idempotency_key"), "{e}");
        }
        let (a, b) = (made_up_key(), made_up_key());
        assert!(a.starts_with("auto-") && a != b && check_key(&a).is_ok());
    }

    #[test]
    fn only_errors_that_prove_nothing_was_placed_free_the_key() {
        let order = OrderRequest::link_quantity(1u64, "https://x.y/p", 100);
        let cases = [
            (
                Error::api(Action::Add, "Not enough funds on balance"),
                EntryState::Refused,
            ),
            (
                Error::api(Action::Add, "Too many requests"),
                EntryState::Failed,
            ),
            (
                Error::Transport {
                    action: Action::Add,
                    message: "refused".into(),
                    not_sent: true,
                },
                EntryState::Failed,
            ),
            (
                Error::Transport {
                    action: Action::Add,
                    message: "reset".into(),
                    not_sent: false,
                },
                EntryState::Unknown,
            ),
            (
                Error::Timeout {
                    action: Action::Add,
                    after: Duration::from_secs(1),
                },
                EntryState::Unknown,
            ),
            (
                Error::Decode {
                    action: Action::Add,
                    message: "cut".into(),
                    snippet: String::new(),
                },
                EntryState::Unknown,
            ),
        ];
        for (error, expected) in cases {
            let (state, result) = outcome_of(&order, Err(error.clone()));
            assert_eq!(state, expected, "{error}");
            let got = result.unwrap_err();
            assert_eq!(
                got.kind() == "outcome_unknown",
                expected == EntryState::Unknown,
                "{got}"
            );
        }
        assert_eq!(outcome_of(&order, Ok(OrderId(5))).0, EntryState::Placed);
    }

    #[test]
    fn a_replayed_refusal_is_the_refusal_the_first_add_got() {
        let first = Error::api(Action::Add, "Not enough funds on balance");
        let entry = JournalEntry {
            key: "k".into(),
            provider: "p".into(),
            service: smmkit_provider_core::ServiceId(1),
            request: Value::Null,
            quote: None,
            reference: None,
            metadata: None,
            state: EntryState::Refused,
            order: None,
            error: Some(serde_json::to_value(&first).unwrap()),
            attempts: 1,
            created_at: crate::model::Timestamp(0),
            updated_at: crate::model::Timestamp(0),
            resolved_at: None,
            status: None,
            charge: None,
            currency: None,
            start_count: None,
            remains: None,
            is_final: false,
            polled_at: None,
            poll_error: None,
            cancel_requested_at: None,
        };
        let again = refusal(&entry);
        assert_eq!(again.to_string(), first.to_string());
        assert_eq!(again.code(), "insufficient_funds");
    }
}
