//! The journal's database: one pool for SQLite or Postgres, opened and
//! brought to the current schema, and its errors told plainly.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use smmkit_provider_core::{Error, Redactor, Result};
use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::{Connection, Executor, Row};

use crate::location::{Backend, Location};
use crate::schema::{MIGRATIONS, SCHEMA_VERSION};

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// `d` in milliseconds, for adding to [`now_ms`].
pub(crate) fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// A journal's pool, with what its errors need: where it is (shown
/// without password) and what to remove from their text.
pub(crate) struct Db {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) shown: String,
    redactor: Redactor,
}

/// Lets the Any driver connect to both databases.
fn install_drivers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

impl Db {
    /// Opens the journal at `location` and brings it to the current
    /// schema (creating it when new).
    pub(crate) async fn open(location: &Location) -> Result<Db> {
        install_drivers();
        let mut options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(30))
            .max_connections(if location.memory { 1 } else { 8 });
        if location.memory {
            // An in-memory database lives as long as its one connection.
            options = options
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        }
        if location.backend == Backend::Sqlite && !location.memory {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA busy_timeout = 30000").await?;
                    // Readers do not block the writer, nor the writer them.
                    // A read-only file keeps its mode: nothing to do then.
                    let _ = conn.execute("PRAGMA journal_mode = WAL").await;
                    Ok(())
                })
            });
        }
        let redactor = Redactor::new(location.password.as_deref().unwrap_or_default());
        let shown = location.shown.clone();
        let cannot_open =
            |e: sqlx::Error| journal_error(&shown, &redactor, "cannot be opened", &e, true);
        if !location.memory {
            // One connection first: a server that is down, or a password
            // that is wrong, fails at once rather than after the pool's
            // retries.
            let probe = sqlx::AnyConnection::connect(&location.connect)
                .await
                .map_err(cannot_open)?;
            let _ = probe.close().await;
        }
        let pool = options
            .connect(&location.connect)
            .await
            .map_err(cannot_open)?;
        let db = Db {
            pool,
            backend: location.backend,
            shown,
            redactor,
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Starts a transaction that writes: on SQLite it takes the write lock
    /// at once (`BEGIN IMMEDIATE`), waiting for it as long as the busy
    /// timeout allows, so that it never fails midway for a lock another
    /// connection took after it read.
    pub(crate) async fn begin_write(
        &self,
    ) -> std::result::Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// The error of a failed statement: what the journal was doing, and
    /// why, in plain words.
    pub(crate) fn error(&self, doing: &str, e: &sqlx::Error) -> Error {
        journal_error(&self.shown, &self.redactor, doing, e, false)
    }

    /// [`Db::error`] for a failure that kept an order from being sent.
    pub(crate) fn error_not_sent(&self, doing: &str, e: &sqlx::Error) -> Error {
        journal_error(&self.shown, &self.redactor, doing, e, true)
    }

    /// The schema version the journal has, without writing anything:
    /// `None` for a database without a journal yet.
    async fn version(&self) -> std::result::Result<Option<i64>, sqlx::Error> {
        let row = sqlx::query("SELECT value FROM smmkit_meta WHERE name = 'schema_version'")
            .fetch_optional(&self.pool)
            .await;
        match row {
            Ok(Some(row)) => {
                let text: String = row.try_get("value")?;
                text.trim().parse::<i64>().map(Some).map_err(|_| {
                    sqlx::Error::Protocol(format!("unreadable schema version `{text}`"))
                })
            }
            Ok(None) => Ok(None),
            Err(e) if missing_table(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn newer(&self, version: i64) -> Error {
        Error::Journal {
            message: format!(
                "{} has schema version {version}, newer than the versions up to {SCHEMA_VERSION} \
                 this smmkit ({}) reads; upgrade smmkit to use it",
                self.shown,
                env!("CARGO_PKG_VERSION")
            ),
            not_sent: true,
            placed: None,
        }
    }

    /// Brings the journal to [`SCHEMA_VERSION`], in one transaction that
    /// concurrent openers wait for; does not write when it is there.
    async fn migrate(&self) -> Result<()> {
        let opening = "cannot be opened";
        match self.version().await {
            Ok(Some(v)) if v == SCHEMA_VERSION => return Ok(()),
            Ok(Some(v)) if v > SCHEMA_VERSION => return Err(self.newer(v)),
            Ok(_) => {}
            Err(e) => return Err(self.error_not_sent(opening, &e)),
        }
        let creating = "cannot be set up";
        let fail = |e: sqlx::Error| self.error_not_sent(creating, &e);
        let mut tx = self.begin_write().await.map_err(fail)?;
        if self.backend == Backend::Postgres {
            // One opener at a time creates the tables.
            sqlx::query("SELECT pg_advisory_xact_lock(7306940281174)")
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
        }
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS smmkit_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
        let current = sqlx::query("SELECT value FROM smmkit_meta WHERE name = 'schema_version'")
            .fetch_optional(&mut *tx)
            .await
            .map_err(fail)?
            .map(|row| row.try_get::<String, _>("value"))
            .transpose()
            .map_err(fail)?
            .map(|text| text.trim().parse::<i64>().unwrap_or(i64::MAX))
            .unwrap_or(0);
        if current > SCHEMA_VERSION {
            return Err(self.newer(current));
        }
        let from = usize::try_from(current).unwrap_or(usize::MAX);
        for migration in MIGRATIONS.iter().skip(from) {
            for statement in *migration {
                sqlx::query(*statement)
                    .execute(&mut *tx)
                    .await
                    .map_err(fail)?;
            }
        }
        sqlx::query(
            "INSERT INTO smmkit_meta (name, value) VALUES ('schema_version', $1)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(SCHEMA_VERSION.to_string())
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        Ok(())
    }
}

/// Whether `e` says a table does not exist (a database without a journal).
fn missing_table(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.code().as_deref() == Some("42P01") || d.message().contains("no such table")
        }
        _ => false,
    }
}

/// A journal error in plain words: the database's own text, with the
/// common cases said the way a user acts on them.
fn journal_error(
    shown: &str,
    redactor: &Redactor,
    doing: &str,
    e: &sqlx::Error,
    not_sent: bool,
) -> Error {
    let raw = match e {
        sqlx::Error::Database(d) => d.message().to_owned(),
        other => other.to_string(),
    };
    let lower = raw.to_ascii_lowercase();
    let why = if lower.contains("file is not a database") {
        "it is not an SQLite database".to_owned()
    } else if lower.contains("readonly database") || lower.contains("read-only") {
        format!("it is read-only ({raw})")
    } else if lower.contains("disk is full") || lower.contains("no space left") {
        format!("the disk is full ({raw})")
    } else if lower.contains("unable to open database file") {
        format!("the file cannot be opened or created ({raw})")
    } else {
        raw
    };
    let mut message = format!("{shown} {doing}: {why}");
    redactor.scrub(&mut message);
    Error::Journal {
        message,
        not_sent,
        placed: None,
    }
}
