//! The journal: one database of orders, shared by every provider attached
//! to it, every thread and process, and (on Postgres) every machine.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use smmkit_provider_core::{Decimal, Error, OrderId, Result, SmmProvider};
use sqlx::Row;

use crate::catalog::Cached;
use crate::db::{Db, ms, now_ms};
use crate::journaled::Journaled;
use crate::location::{Backend, Location};
use crate::model::{
    EntryState, JournalEntry, JournalOptions, OrderFilter, Resolution, Spend, Timestamp,
};
use crate::rows::{db_id, entry, entry_columns, id_of};

/// A journal of orders, on SQLite or Postgres. Cheap to clone: clones
/// share one pool.
///
/// ```no_run
/// # async fn run() -> smmkit_provider_core::Result<()> {
/// use smmkit_journal::{AddOptions, Journal};
/// use smmkit_provider_core::{OrderRequest, SmmProvider};
/// # let panel: std::sync::Arc<dyn SmmProvider> = unimplemented!();
/// let journal = Journal::open("sqlite://orders.db").await?;
/// let panel = journal.attach_as("main", panel);
/// let order = OrderRequest::link_quantity(1u64, "https://t.me/channel", 500);
/// // A double tap sends one order: the second call returns the first's id.
/// let first = panel.add_with(&order, &AddOptions::key("tg-update-8812")).await?;
/// let again = panel.add_with(&order, &AddOptions::key("tg-update-8812")).await?;
/// assert_eq!((first.order, again.replayed), (again.order, true));
/// for change in journal.sync().await?.changes {
///     println!("{change}");
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Journal {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) db: Db,
    pub(crate) options: JournalOptions,
    /// This journal's name in leases: unique per open.
    owner: String,
    tokens: AtomicU64,
    pub(crate) providers: RwLock<BTreeMap<String, Arc<dyn SmmProvider>>>,
    pub(crate) catalogs: Mutex<HashMap<String, Arc<Cached>>>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("url", &self.inner.db.shown)
            .finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens (and creates, or brings to the current schema) the journal
    /// at `url`: `sqlite://FILE` (a bare path is an SQLite file too),
    /// `sqlite::memory:` or `postgres://USER:PASSWORD@HOST/DB`.
    pub async fn open(url: &str) -> Result<Journal> {
        Journal::open_with(url, JournalOptions::default()).await
    }

    /// [`Journal::open`] with options.
    pub async fn open_with(url: &str, options: JournalOptions) -> Result<Journal> {
        if options.lease.is_zero() {
            return Err(Error::Config(
                "the journal's lease must be longer than zero".into(),
            ));
        }
        if options.sync_batch == 0 {
            return Err(Error::Config(
                "the journal's sync batch must be at least 1".into(),
            ));
        }
        let location = Location::parse(url)?;
        let db = Db::open(&location).await?;
        Ok(Journal {
            inner: Arc::new(Inner {
                db,
                options,
                owner: format!("{}-{:016x}", std::process::id(), fastrand::u64(..)),
                tokens: AtomicU64::new(0),
                providers: RwLock::new(BTreeMap::new()),
                catalogs: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// Reads a journal URL without opening it: the database it names, or
    /// the configuration error [`Journal::open`] would give for it.
    pub fn check_url(url: &str) -> Result<Backend> {
        Location::parse(url).map(|l| l.backend)
    }

    /// The database the journal is kept in.
    pub fn backend(&self) -> Backend {
        self.inner.db.backend
    }

    /// The journal's URL, without its password.
    pub fn url(&self) -> &str {
        &self.inner.db.shown
    }

    /// The journal's options.
    pub fn options(&self) -> &JournalOptions {
        &self.inner.options
    }

    /// Wraps `provider`: its `add`, `status`, `refill` and `cancel` are
    /// journaled, under the provider's own name. [`Journal::sync`] polls
    /// its orders from then on.
    pub fn attach(&self, provider: Arc<dyn SmmProvider>) -> Journaled {
        let name = provider.name().to_owned();
        self.attach_as(name, provider)
    }

    /// [`Journal::attach`] under a name of the caller's (a profile's name,
    /// to tell two accounts of one panel apart). Attaching a second
    /// provider under a name replaces the first.
    pub fn attach_as(&self, name: impl Into<String>, provider: Arc<dyn SmmProvider>) -> Journaled {
        let name = name.into();
        self.inner
            .providers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(name.clone(), Arc::clone(&provider));
        Journaled::new(self.clone(), name, provider)
    }

    /// The names of the attached providers.
    pub fn attached(&self) -> Vec<String> {
        self.inner
            .providers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }

    /// A token naming one holder of leases (an add, a sync batch).
    pub(crate) fn token(&self) -> String {
        format!(
            "{}-{}",
            self.inner.owner,
            self.inner.tokens.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// Runs `work` while renewing the leases `token` holds, so that no
    /// other process takes them over while it works.
    pub(crate) async fn holding<T>(&self, token: &str, work: impl Future<Output = T>) -> T {
        tokio::select! {
            out = work => out,
            never = self.renew_leases(token) => match never {},
        }
    }

    async fn renew_leases(&self, token: &str) -> Infallible {
        let lease = self.inner.options.lease;
        loop {
            tokio::time::sleep(lease / 3).await;
            let renewed =
                sqlx::query("UPDATE smmkit_orders SET lease_until = $1 WHERE lease_owner = $2")
                    .bind(now_ms().saturating_add(ms(lease)))
                    .bind(token)
                    .execute(&self.inner.db.pool)
                    .await;
            if let Err(e) = renewed {
                let e = self.inner.db.error("cannot renew a lease", &e);
                tracing::warn!(error = %e, "journal");
            }
        }
    }

    /// The order journaled under `key`.
    pub async fn order(&self, key: &str) -> Result<Option<JournalEntry>> {
        let db = &self.inner.db;
        let row = sqlx::query(concat!(
            "SELECT ",
            entry_columns!(),
            " FROM smmkit_orders WHERE key = $1"
        ))
        .bind(key)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| db.error("cannot be read", &e))?;
        row.map(|r| entry(&r))
            .transpose()
            .map_err(|e| db.error("holds an unreadable order", &e))
    }

    /// The order with this id at `provider`, when it is journaled.
    pub async fn order_by_id(
        &self,
        provider: &str,
        order: OrderId,
    ) -> Result<Option<JournalEntry>> {
        let db = &self.inner.db;
        let row = sqlx::query(concat!(
            "SELECT ",
            entry_columns!(),
            " FROM smmkit_orders WHERE provider = $1 AND order_id = $2"
        ))
        .bind(provider)
        .bind(db_id(order.get()))
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| db.error("cannot be read", &e))?;
        row.map(|r| entry(&r))
            .transpose()
            .map_err(|e| db.error("holds an unreadable order", &e))
    }

    /// The journaled orders that `filter` selects, the newest first.
    pub async fn orders(&self, filter: &OrderFilter) -> Result<Vec<JournalEntry>> {
        let db = &self.inner.db;
        let rows = sqlx::query(concat!(
            "SELECT ",
            entry_columns!(),
            " FROM smmkit_orders
              WHERE (CAST($1 AS TEXT) IS NULL OR state = $1
                     OR ($1 = 'unknown' AND state = 'sending' AND lease_until < $2))
                AND (CAST($3 AS TEXT) IS NULL OR provider = $3)
                AND (CAST($4 AS TEXT) IS NULL OR LOWER(status) = LOWER($4))
              ORDER BY created_at DESC, key DESC
              LIMIT $5"
        ))
        .bind(filter.state.map(EntryState::as_str))
        .bind(now_ms())
        .bind(filter.provider.as_deref())
        .bind(filter.status.as_deref())
        .bind(
            filter
                .limit
                .map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX)),
        )
        .fetch_all(&db.pool)
        .await
        .map_err(|e| db.error("cannot be read", &e))?;
        let mut entries = rows
            .iter()
            .map(entry)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| db.error("holds an unreadable order", &e))?;
        // An order being sent whose lease ran out reads as unknown.
        if filter.state == Some(EntryState::Sending) {
            entries.retain(|e| e.state == EntryState::Sending);
        }
        Ok(entries)
    }

    /// The orders whose outcome is unknown, oldest first: each was sent,
    /// and whether the panel placed it must be checked on the panel and
    /// told with [`Journal::resolve`]. None is ever dropped.
    pub async fn unknown(&self) -> Result<Vec<JournalEntry>> {
        let mut entries = self
            .orders(&OrderFilter {
                state: Some(EntryState::Unknown),
                ..OrderFilter::default()
            })
            .await?;
        entries.reverse();
        Ok(entries)
    }

    /// Records how an order whose outcome was unknown turned out: placed
    /// as an order (which sync then follows), or not placed (its key may
    /// then be used again). Only unknown orders can be resolved.
    pub async fn resolve(&self, key: &str, resolution: Resolution) -> Result<JournalEntry> {
        let db = &self.inner.db;
        let now = now_ms();
        let (state, order) = match resolution {
            Resolution::Placed(id) => (EntryState::Placed, Some(db_id(id.get()))),
            Resolution::NotPlaced => (EntryState::NotPlaced, None),
        };
        let done = sqlx::query(
            "UPDATE smmkit_orders SET state = $1, order_id = $2, resolved_at = $3, updated_at = $3,
                    lease_owner = NULL, lease_until = NULL
              WHERE key = $4
                AND (state = 'unknown' OR (state = 'sending' AND lease_until < $3))",
        )
        .bind(state.as_str())
        .bind(order)
        .bind(now)
        .bind(key)
        .execute(&db.pool)
        .await;
        let done = match done {
            Ok(done) => done,
            Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                let owner = match resolution {
                    Resolution::Placed(id) => {
                        let provider = self
                            .order(key)
                            .await?
                            .map(|e| e.provider)
                            .unwrap_or_default();
                        self.order_by_id(&provider, id).await?.map(|e| e.key)
                    }
                    Resolution::NotPlaced => None,
                };
                return Err(Error::Validation(
                    smmkit_provider_core::ValidationError::for_field(
                        "order",
                        format!(
                            "order {} is already journaled under key `{}`",
                            order.map(id_of).unwrap_or_default(),
                            owner.unwrap_or_default()
                        ),
                    ),
                ));
            }
            Err(e) => return Err(db.error("cannot record the resolution", &e)),
        };
        let entry = self.order(key).await?;
        match entry {
            Some(entry) if done.rows_affected() == 1 => Ok(entry),
            Some(entry) => Err(Error::Validation(
                smmkit_provider_core::ValidationError::for_field(
                    "key",
                    format!(
                        "the order `{key}` is {}, not unknown: only an unknown outcome can be resolved",
                        entry.state
                    ),
                ),
            )),
            None => Err(Error::Validation(
                smmkit_provider_core::ValidationError::for_field(
                    "key",
                    format!("no order is journaled under the key `{key}`"),
                ),
            )),
        }
    }

    /// The status history of the order journaled under `key`: every
    /// change a poll saw, oldest first.
    pub async fn history(&self, key: &str) -> Result<Vec<StatusRecord>> {
        let db = &self.inner.db;
        let rows = sqlx::query(
            "SELECT at, status, charge, start_count, remains FROM smmkit_status_history
              WHERE key = $1 ORDER BY at, status",
        )
        .bind(key)
        .fetch_all(&db.pool)
        .await
        .map_err(|e| db.error("cannot be read", &e))?;
        rows.iter()
            .map(|r| {
                Ok(StatusRecord {
                    at: Timestamp(r.try_get("at")?),
                    status: r.try_get("status")?,
                    charge: r
                        .try_get::<Option<String>, _>("charge")?
                        .and_then(|c| c.parse().ok()),
                    start_count: r
                        .try_get::<Option<i64>, _>("start_count")?
                        .and_then(|v| u64::try_from(v).ok()),
                    remains: r.try_get("remains")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
            .map_err(|e| db.error("holds an unreadable status", &e))
    }

    /// What was spent, per provider and currency: the sum of the charges
    /// the panels reported for placed orders, exact.
    pub async fn spend(&self) -> Result<Vec<Spend>> {
        let db = &self.inner.db;
        let rows = sqlx::query(
            "SELECT provider, currency, charge FROM smmkit_orders WHERE state = 'placed'",
        )
        .fetch_all(&db.pool)
        .await
        .map_err(|e| db.error("cannot be read", &e))?;
        let mut sums: BTreeMap<(String, Option<String>), Spend> = BTreeMap::new();
        for row in rows {
            let read = || -> std::result::Result<_, sqlx::Error> {
                Ok((
                    row.try_get::<String, _>("provider")?,
                    row.try_get::<Option<String>, _>("currency")?,
                    row.try_get::<Option<String>, _>("charge")?,
                ))
            };
            let (provider, currency, charge) =
                read().map_err(|e| db.error("holds an unreadable order", &e))?;
            let charge = charge
                .map(|c| {
                    c.parse::<Decimal>().map_err(|_| Error::Journal {
                        message: format!("{} holds an unreadable charge `{c}`", db.shown),
                        not_sent: false,
                        placed: None,
                    })
                })
                .transpose()?;
            let spend = sums
                .entry((provider.clone(), currency.clone()))
                .or_insert_with(|| Spend {
                    provider,
                    currency,
                    charged: Decimal::ZERO,
                    orders: 0,
                    awaiting_charge: 0,
                });
            match charge {
                Some(c) => {
                    spend.charged = spend.charged.checked_add(c).ok_or_else(|| Error::Journal {
                        message: "the sum of the charges is too large to compute".into(),
                        not_sent: false,
                        placed: None,
                    })?;
                    spend.orders += 1;
                }
                None => spend.awaiting_charge += 1,
            }
        }
        Ok(sums.into_values().collect())
    }
}

/// A status an order had, as a poll saw it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatusRecord {
    /// When it was seen.
    pub at: Timestamp,
    /// The panel's status.
    pub status: String,
    /// What the panel charged then.
    pub charge: Option<Decimal>,
    /// The start count then.
    pub start_count: Option<u64>,
    /// What was left then.
    pub remains: Option<i64>,
}
