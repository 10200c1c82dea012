//! A provider wrapped by a journal: still an [`SmmProvider`], with its
//! orders, statuses, refills and cancels journaled.

use std::sync::Arc;

use async_trait::async_trait;
use smmkit_provider_core::{
    Balance, CancelRequested, Entries, OrderId, OrderRequest, OrderStatus, RefillId, RefillState,
    Result, Service, ServiceId, ServiceList, SmmProvider,
};

use crate::db::now_ms;
use crate::journal::Journal;
use crate::model::{AddOptions, Added};
use crate::rows::db_id;

/// A provider whose `add` is journaled (see [`Journal::attach`]).
///
/// `add` records the order before sending it and its outcome after; an
/// `add` with an idempotency key that is journaled already sends nothing
/// ([`Journaled::add_with`]). `status`, `statuses`, `refill` and `cancel`
/// pass through and record what they learn about journaled orders.
#[derive(Clone)]
pub struct Journaled {
    journal: Journal,
    name: String,
    provider: Arc<dyn SmmProvider>,
}

impl std::fmt::Debug for Journaled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journaled")
            .field("name", &self.name)
            .field("journal", &self.journal)
            .finish_non_exhaustive()
    }
}

impl Journaled {
    pub(crate) fn new(journal: Journal, name: String, provider: Arc<dyn SmmProvider>) -> Journaled {
        Journaled {
            journal,
            name,
            provider,
        }
    }

    /// The journal.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// The provider wrapped.
    pub fn provider(&self) -> &Arc<dyn SmmProvider> {
        &self.provider
    }

    /// Places an order, journaled, with an idempotency key, a reference and
    /// metadata.
    ///
    /// In order: the order is checked (against the stored catalog, fetched
    /// when older than the TTL) and quoted; its intent is recorded; it is
    /// sent; its outcome is recorded. When the intent cannot be recorded,
    /// nothing is sent ([`Error::Journal`](smmkit_provider_core::Error::Journal)
    /// with `not_sent`).
    ///
    /// With a key that is journaled already, nothing is sent: the call
    /// returns the order id of the first (`replayed`), its refusal, or
    /// [`Error::OutcomeUnknown`](smmkit_provider_core::Error::OutcomeUnknown)
    /// while its outcome is unresolved; while another call is sending it,
    /// it waits for that call's outcome. A key the first call freed (the
    /// order was not sent, or was resolved as not placed) sends again. The
    /// same key with a different order is an
    /// [`Error::IdempotencyConflict`](smmkit_provider_core::Error::IdempotencyConflict).
    pub async fn add_with(&self, order: &OrderRequest, options: &AddOptions) -> Result<Added> {
        self.journal
            .add(&self.name, self.provider.as_ref(), order, options)
            .await
    }

    /// Service `id` as the stored catalog lists it (fetched first when it
    /// is older than the TTL, as `add`'s checks do): no request when the
    /// catalog is fresh. `None` for a service the catalog does not list.
    pub async fn service(&self, id: ServiceId) -> Result<Option<Service>> {
        let catalog = self
            .journal
            .catalog_for(&self.name, self.provider.as_ref())
            .await?;
        Ok(catalog.get(id).cloned())
    }

    /// The catalog as stored (fetched first when older than the TTL), by
    /// service id: no request while it is fresh.
    pub async fn catalog(&self) -> Result<Vec<Service>> {
        let catalog = self
            .journal
            .catalog_for(&self.name, self.provider.as_ref())
            .await?;
        Ok(catalog.services().to_vec())
    }

    async fn record_statuses(&self, statuses: &[(OrderId, &OrderStatus)]) {
        if let Err(e) = self.journal.record_statuses(&self.name, statuses).await {
            tracing::warn!(provider = %self.name, error = %e, "journal: a polled status was not recorded");
        }
    }

    async fn record_refills(&self, refills: &[(OrderId, RefillId)]) {
        let db = &self.journal.inner.db;
        for (order, refill) in refills {
            let done = sqlx::query(
                "INSERT INTO smmkit_refills (provider, refill_id, order_id, requested_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (provider, refill_id) DO NOTHING",
            )
            .bind(&self.name)
            .bind(db_id(refill.get()))
            .bind(db_id(order.get()))
            .bind(now_ms())
            .execute(&db.pool)
            .await;
            if let Err(e) = done {
                let e = db.error("cannot record a refill", &e);
                tracing::warn!(provider = %self.name, error = %e, "journal");
            }
        }
    }

    async fn record_cancels(&self, orders: &[OrderId]) {
        let db = &self.journal.inner.db;
        for order in orders {
            let done = sqlx::query(
                "UPDATE smmkit_orders SET cancel_requested_at = $1, updated_at = $1
                  WHERE provider = $2 AND order_id = $3",
            )
            .bind(now_ms())
            .bind(&self.name)
            .bind(db_id(order.get()))
            .execute(&db.pool)
            .await;
            if let Err(e) = done {
                let e = db.error("cannot record a cancel", &e);
                tracing::warn!(provider = %self.name, error = %e, "journal");
            }
        }
    }
}

#[async_trait]
impl SmmProvider for Journaled {
    /// The name the provider is journaled under.
    fn name(&self) -> &str {
        &self.name
    }

    /// The catalog, fetched now and stored (with what changed).
    async fn services(&self) -> Result<ServiceList> {
        let list = self.provider.services().await?;
        if let Err(e) = self
            .journal
            .store_catalog(&self.name, list.services.clone())
            .await
        {
            tracing::warn!(provider = %self.name, error = %e, "journal: the catalog was not stored");
        }
        Ok(list)
    }

    /// [`Journaled::add_with`] under a key made up for the call.
    async fn add(&self, order: &OrderRequest) -> Result<OrderId> {
        self.add_with(order, &AddOptions::default())
            .await
            .map(|a| a.order)
    }

    async fn status(&self, order: OrderId) -> Result<OrderStatus> {
        let status = self.provider.status(order).await?;
        self.record_statuses(&[(order, &status)]).await;
        Ok(status)
    }

    async fn statuses(&self, orders: &[OrderId]) -> Entries<OrderId, OrderStatus> {
        let entries = self.provider.statuses(orders).await;
        let polled: Vec<(OrderId, &OrderStatus)> = entries
            .iter()
            .filter_map(|(id, r)| r.as_ref().ok().map(|s| (*id, s)))
            .collect();
        self.record_statuses(&polled).await;
        entries
    }

    async fn refill(&self, order: OrderId) -> Result<RefillId> {
        let refill = self.provider.refill(order).await?;
        self.record_refills(&[(order, refill)]).await;
        Ok(refill)
    }

    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId> {
        let entries = self.provider.refills(orders).await;
        let asked: Vec<(OrderId, RefillId)> = entries
            .iter()
            .filter_map(|(id, r)| r.as_ref().ok().map(|r| (*id, *r)))
            .collect();
        self.record_refills(&asked).await;
        entries
    }

    async fn refill_status(&self, refill: RefillId) -> Result<RefillState> {
        self.provider.refill_status(refill).await
    }

    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState> {
        self.provider.refill_statuses(refills).await
    }

    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested> {
        let entries = self.provider.cancel(orders).await;
        let asked: Vec<OrderId> = entries
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(id, _)| *id)
            .collect();
        self.record_cancels(&asked).await;
        entries
    }

    async fn balance(&self) -> Result<Balance> {
        self.provider.balance().await
    }
}
