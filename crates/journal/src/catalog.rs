//! The catalog cache: each provider's services, stored with the time they
//! were fetched, serving `add`'s checks and quotes for a TTL; each refresh
//! records what changed.

use std::collections::BTreeMap;
use std::sync::Arc;

use smmkit_provider_core::wire::{decode_services, encode_services};
use smmkit_provider_core::{Decimal, Error, Result, Service, ServiceId, SmmProvider};
use sqlx::Row;

use crate::db::{ms, now_ms};
use crate::journal::Journal;
use crate::model::{CatalogChange, CatalogChangeKind, Timestamp};
use crate::rows::{db_id, id_of};

/// A provider's catalog as stored: sorted by id, the later of two
/// listings of an id kept.
pub(crate) struct Cached {
    pub(crate) fetched_at: i64,
    services: Vec<Service>,
}

impl Cached {
    fn new(fetched_at: i64, mut services: Vec<Service>) -> Cached {
        services.reverse();
        services.sort_by_key(|s| s.id);
        services.dedup_by_key(|s| s.id);
        Cached {
            fetched_at,
            services,
        }
    }

    pub(crate) fn get(&self, id: ServiceId) -> Option<&Service> {
        self.services
            .binary_search_by_key(&id, |s| s.id)
            .ok()
            .and_then(|i| self.services.get(i))
    }

    /// Its services, by id.
    pub(crate) fn services(&self) -> &[Service] {
        &self.services
    }

    /// How long ago it was fetched, in milliseconds.
    pub(crate) fn age_ms(&self) -> i64 {
        now_ms().saturating_sub(self.fetched_at)
    }
}

/// A stored catalog, as [`Journal::catalog`] returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredCatalog {
    /// The provider.
    pub provider: String,
    /// When it was fetched.
    pub fetched_at: Timestamp,
    /// Its services, by id.
    pub services: Vec<Service>,
}

fn differences(provider: &str, at: i64, old: &[Service], new: &[Service]) -> Vec<CatalogChange> {
    let old: BTreeMap<ServiceId, (&str, Decimal)> = old
        .iter()
        .map(|s| (s.id, (s.name.as_str(), s.rate)))
        .collect();
    let new: BTreeMap<ServiceId, (&str, Decimal)> = new
        .iter()
        .map(|s| (s.id, (s.name.as_str(), s.rate)))
        .collect();
    let change = |service, kind, name: &str, old_rate, new_rate| CatalogChange {
        provider: provider.to_owned(),
        at: Timestamp(at),
        service,
        kind,
        name: name.to_owned(),
        old_rate,
        new_rate,
    };
    let mut changes = Vec::new();
    for (id, (name, rate)) in &new {
        match old.get(id) {
            None => changes.push(change(*id, CatalogChangeKind::New, name, None, Some(*rate))),
            Some((_, was)) if was != rate => changes.push(change(
                *id,
                CatalogChangeKind::Repriced,
                name,
                Some(*was),
                Some(*rate),
            )),
            Some(_) => {}
        }
    }
    for (id, (name, rate)) in &old {
        if !new.contains_key(id) {
            changes.push(change(
                *id,
                CatalogChangeKind::Removed,
                name,
                Some(*rate),
                None,
            ));
        }
    }
    changes.sort_by_key(|c| c.service);
    changes
}

impl Journal {
    fn remember(&self, provider: &str, cached: Arc<Cached>) {
        self.inner
            .catalogs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(provider.to_owned(), cached);
    }

    fn remembered(&self, provider: &str) -> Option<Arc<Cached>> {
        self.inner
            .catalogs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(provider)
            .cloned()
    }

    /// The stored catalog of `provider` and when it was fetched, read
    /// from the database.
    async fn load(&self, provider: &str) -> Result<Option<Cached>> {
        let db = &self.inner.db;
        let row =
            sqlx::query("SELECT fetched_at, services FROM smmkit_catalogs WHERE provider = $1")
                .bind(provider)
                .fetch_optional(&db.pool)
                .await
                .map_err(|e| db.error("cannot be read", &e))?;
        let Some(row) = row else { return Ok(None) };
        let read = || -> std::result::Result<(i64, String), sqlx::Error> {
            Ok((row.try_get("fetched_at")?, row.try_get("services")?))
        };
        let (fetched_at, text) = read().map_err(|e| db.error("holds an unreadable catalog", &e))?;
        let services = decode_services(text.as_bytes()).map_err(|e| Error::Journal {
            message: format!(
                "{} holds an unreadable catalog of {provider}: {e}",
                db.shown
            ),
            not_sent: false,
            placed: None,
        })?;
        Ok(Some(Cached::new(fetched_at, services.services)))
    }

    /// The catalog that checks `add`s to `provider`: the one in memory or
    /// in the database while younger than the TTL, else fetched.
    pub(crate) async fn catalog_for(
        &self,
        name: &str,
        provider: &dyn SmmProvider,
    ) -> Result<Arc<Cached>> {
        let ttl = ms(self.inner.options.catalog_ttl);
        if let Some(cached) = self.remembered(name).filter(|c| c.age_ms() < ttl) {
            return Ok(cached);
        }
        if let Some(stored) = self.load(name).await?.filter(|c| c.age_ms() < ttl) {
            let stored = Arc::new(stored);
            self.remember(name, Arc::clone(&stored));
            return Ok(stored);
        }
        let services = provider.services().await?;
        let (cached, _) = self.store_catalog(name, services.services).await?;
        Ok(cached)
    }

    /// Stores a freshly fetched catalog of `provider` and records what
    /// changed since the stored one. When two workers store at once, one
    /// records the changes.
    pub(crate) async fn store_catalog(
        &self,
        provider: &str,
        services: Vec<Service>,
    ) -> Result<(Arc<Cached>, Vec<CatalogChange>)> {
        let db = &self.inner.db;
        let now = now_ms();
        let previous = self.load(provider).await?;
        let cached = Cached::new(now, services);
        let changes = previous
            .as_ref()
            .map(|p| differences(provider, now, &p.services, &cached.services))
            .unwrap_or_default();
        let text = String::from_utf8(encode_services(&cached.services)).unwrap_or_default();
        let fail = |e: sqlx::Error| db.error("cannot store the catalog", &e);
        let mut tx = db.begin_write().await.map_err(fail)?;
        let stored = match &previous {
            None => sqlx::query(
                "INSERT INTO smmkit_catalogs (provider, fetched_at, services) VALUES ($1, $2, $3)
                 ON CONFLICT (provider) DO NOTHING",
            )
            .bind(provider)
            .bind(now)
            .bind(&text)
            .execute(&mut *tx)
            .await
            .map_err(fail)?,
            Some(previous) => sqlx::query(
                "UPDATE smmkit_catalogs SET fetched_at = $1, services = $2
                  WHERE provider = $3 AND fetched_at = $4",
            )
            .bind(now)
            .bind(&text)
            .bind(provider)
            .bind(previous.fetched_at)
            .execute(&mut *tx)
            .await
            .map_err(fail)?,
        };
        let recorded = stored.rows_affected() == 1;
        if recorded {
            for c in &changes {
                sqlx::query(
                    "INSERT INTO smmkit_catalog_changes (provider, at, service, what, name, old_rate, new_rate)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(provider)
                .bind(now)
                .bind(db_id(c.service.get()))
                .bind(c.kind.as_str())
                .bind(&c.name)
                .bind(c.old_rate.map(|r| r.to_string()))
                .bind(c.new_rate.map(|r| r.to_string()))
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            }
        }
        tx.commit().await.map_err(fail)?;
        let cached = Arc::new(cached);
        self.remember(provider, Arc::clone(&cached));
        Ok((cached, if recorded { changes } else { Vec::new() }))
    }

    /// The stored catalog of `provider`, whatever its age; `None` before
    /// the first fetch.
    pub async fn catalog(&self, provider: &str) -> Result<Option<StoredCatalog>> {
        Ok(self.load(provider).await?.map(|c| StoredCatalog {
            provider: provider.to_owned(),
            fetched_at: Timestamp(c.fetched_at),
            services: c.services,
        }))
    }

    /// Fetches the catalog of the attached provider `provider` now, stores
    /// it, and returns what changed since the stored one (nothing on the
    /// first fetch).
    pub async fn refresh_catalog(&self, provider: &str) -> Result<Vec<CatalogChange>> {
        let attached = self
            .inner
            .providers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(provider)
            .cloned();
        let Some(attached) = attached else {
            return Err(Error::Config(format!(
                "no provider named `{provider}` is attached to the journal (attached: {})",
                self.attached().join(", ")
            )));
        };
        let services = attached.services().await?;
        Ok(self.store_catalog(provider, services.services).await?.1)
    }

    /// Every change catalog refreshes recorded, of one provider or of all,
    /// oldest first.
    pub async fn catalog_changes(&self, provider: Option<&str>) -> Result<Vec<CatalogChange>> {
        let db = &self.inner.db;
        let rows = sqlx::query(
            "SELECT provider, at, service, what, name, old_rate, new_rate FROM smmkit_catalog_changes
              WHERE CAST($1 AS TEXT) IS NULL OR provider = $1
              ORDER BY at, provider, service",
        )
        .bind(provider)
        .fetch_all(&db.pool)
        .await
        .map_err(|e| db.error("cannot be read", &e))?;
        let unreadable = |what: &str| Error::Journal {
            message: format!("{} holds an unreadable catalog change ({what})", db.shown),
            not_sent: false,
            placed: None,
        };
        let rate = |text: Option<String>| -> Result<Option<Decimal>> {
            text.map(|t| t.parse::<Decimal>().map_err(|_| unreadable("rate")))
                .transpose()
        };
        rows.iter()
            .map(|r| {
                type Columns = (
                    String,
                    i64,
                    i64,
                    String,
                    String,
                    Option<String>,
                    Option<String>,
                );
                let get = || -> std::result::Result<Columns, sqlx::Error> {
                    Ok((
                        r.try_get::<String, _>("provider")?,
                        r.try_get::<i64, _>("at")?,
                        r.try_get::<i64, _>("service")?,
                        r.try_get::<String, _>("what")?,
                        r.try_get::<String, _>("name")?,
                        r.try_get::<Option<String>, _>("old_rate")?,
                        r.try_get::<Option<String>, _>("new_rate")?,
                    ))
                };
                let (provider, at, service, kind, name, old, new) =
                    get().map_err(|e| db.error("holds an unreadable catalog change", &e))?;
                Ok(CatalogChange {
                    provider,
                    at: Timestamp(at),
                    service: ServiceId(id_of(service)),
                    kind: CatalogChangeKind::parse(&kind).ok_or_else(|| unreadable("kind"))?,
                    name,
                    old_rate: rate(old)?,
                    new_rate: rate(new)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use smmkit_provider_core::wire::decode_services;

    use super::*;

    fn services(json: &str) -> Vec<Service> {
        decode_services(json.as_bytes()).unwrap().services
    }

    #[test]
    fn a_refresh_finds_new_removed_and_repriced_services_and_nothing_else() {
        let old = services(
            r#"[{"service":1,"name":"A","rate":"0.90","min":1,"max":9},
                {"service":2,"name":"B","rate":"1.5","min":1,"max":9},
                {"service":3,"name":"C","rate":"2","min":1,"max":9}]"#,
        );
        let new = services(
            r#"[{"service":1,"name":"A renamed","rate":"0.9","min":5,"max":99},
                {"service":3,"name":"C","rate":"2.01","min":1,"max":9},
                {"service":4,"name":"D","rate":"7","min":1,"max":9}]"#,
        );
        let changes: Vec<String> = differences("p", 0, &old, &new)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            changes,
            [
                "removed service 2 (B): was 1.5",
                "repriced service 3 (C): 2 → 2.01",
                "new service 4 (D): 7"
            ]
        );
    }

    #[test]
    fn the_later_of_two_listings_of_an_id_counts() {
        let cached = Cached::new(
            0,
            services(
                r#"[{"service":2,"name":"first","rate":"1","min":1,"max":9},
                    {"service":1,"name":"one","rate":"1","min":1,"max":9},
                    {"service":2,"name":"second","rate":"1","min":1,"max":9}]"#,
            ),
        );
        assert_eq!(
            cached.get(ServiceId(2)).map(|s| s.name.as_str()),
            Some("second")
        );
        assert_eq!(
            cached.get(ServiceId(1)).map(|s| s.name.as_str()),
            Some("one")
        );
        assert!(cached.get(ServiceId(3)).is_none());
    }
}
