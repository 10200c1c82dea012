//! The trait every panel client implements.

use async_trait::async_trait;

use crate::error::Result;
use crate::ids::{OrderId, RefillId};
use crate::models::{
    Balance, CancelRequested, OrderRequest, OrderStatus, RefillState, ServiceList,
};
use crate::wire::Entries;

/// A client of one SMM panel, speaking API v2.
///
/// Implementations are `Send + Sync` and are meant to be shared, for
/// example as `Arc<dyn SmmProvider>`. Batch methods (`statuses`,
/// `refills`, `refill_statuses`, `cancel`) take any number of ids and
/// return one result per distinct id, in the order given: a bad id is an
/// error for that id only.
///
/// ```
/// use std::sync::Arc;
/// use smmkit_provider_core::{OrderId, SmmProvider};
///
/// async fn report(panel: Arc<dyn SmmProvider>, orders: &[OrderId]) {
///     for (id, result) in panel.statuses(orders).await {
///         match result {
///             Ok(s) => println!("{id}: {} ({:?} left)", s.status, s.remains),
///             Err(e) => println!("{id}: {e}"),
///         }
///     }
/// }
/// ```
#[async_trait]
pub trait SmmProvider: Send + Sync {
    /// A short name for the panel (`"fampage"`, or the panel's host).
    fn name(&self) -> &str;

    /// The catalog (`action=services`): the services, and beside them the
    /// entries that could not be read.
    async fn services(&self) -> Result<ServiceList>;

    /// Places an order (`action=add`) and returns its id.
    ///
    /// The order is validated first and nothing is sent if it is invalid.
    /// It is never sent twice: when the answer is lost after sending, the
    /// error is [`Error::OutcomeUnknown`](crate::Error::OutcomeUnknown).
    async fn add(&self, order: &OrderRequest) -> Result<OrderId>;

    /// One order's status (`action=status&order=`).
    async fn status(&self, order: OrderId) -> Result<OrderStatus>;

    /// Many orders' statuses (`action=status&orders=`, batched).
    async fn statuses(&self, orders: &[OrderId]) -> Entries<OrderId, OrderStatus>;

    /// Asks for a refill of one order (`action=refill&order=`).
    async fn refill(&self, order: OrderId) -> Result<RefillId>;

    /// Asks for refills of many orders.
    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId>;

    /// One refill's status (`action=refill_status&refill=`).
    async fn refill_status(&self, refill: RefillId) -> Result<RefillState>;

    /// Many refills' statuses (`action=refill_status&refills=`, batched).
    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState>;

    /// Asks to cancel one or many orders (`action=cancel`).
    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested>;

    /// The account's balance (`action=balance`).
    async fn balance(&self) -> Result<Balance>;
}
