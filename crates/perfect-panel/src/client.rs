//! [`PerfectPanel`]: an [`SmmProvider`] for any API v2 panel.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use smmkit_provider_core::wire::{self, Entries, ServiceSink, SunkServices};
use smmkit_provider_core::{
    Action, Balance, CancelRequested, Error, OrderId, OrderRequest, OrderStatus, RefillId,
    RefillState, Result, ServiceId, ServiceLimits, ServiceList, SmmProvider, ValidationError,
};
use url::Url;

use crate::batch::{self, join};
use crate::builder::PerfectPanelBuilder;
use crate::catalog::Catalog;
use crate::config::{ClientConfig, RetryPolicy, Transport};
use crate::http::{AddFailure, Answer, Http};
use crate::retry::{nothing_sent, retrying};

/// A sink that notes what order checks need of each service (when `kept`)
/// before handing it on.
struct Limits<S> {
    sink: S,
    limits: Vec<ServiceLimits>,
    kept: bool,
}

impl<S: ServiceSink> ServiceSink for Limits<S> {
    fn push(&mut self, service: smmkit_provider_core::Service) {
        if self.kept {
            self.limits.push(ServiceLimits::from(&service));
        }
        self.sink.push(service);
    }

    fn reserve(&mut self, services: usize) {
        if self.kept {
            self.limits.reserve(services);
        }
        self.sink.reserve(services);
    }
}

/// Where the refusal a successful (2xx) answer states is read.
#[derive(Clone, Copy)]
enum Refusals {
    /// Before the answer is decoded, by [`Http::answer_error`].
    BeforeDecoding,
    /// By the decoder alone: one that reads the answer as an object before
    /// anything else and makes the refusal it states the same API error
    /// (the multi decoders do). Reading it first too would read every
    /// answer one more time for nothing.
    InDecoder,
}

/// The answer checked for a refusal or an HTTP error, then decoded; an
/// error never holds the key.
fn checked<T>(
    http: &Http,
    action: Action,
    answer: &Answer,
    refusals: Refusals,
    decode: impl Fn(&[u8]) -> Result<T>,
) -> Result<T> {
    let error = match refusals {
        Refusals::InDecoder if answer.status.is_success() => None,
        _ => http.answer_error(action, answer),
    };
    if let Some(e) = error {
        return Err(http.clean(e));
    }
    decode(&answer.body).map_err(|e| http.clean(e))
}

/// A spawned task that is aborted when its handle is dropped.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Future for AbortOnDrop<T> {
    type Output = std::result::Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A client of one API v2 panel, by URL.
///
/// Cheap to clone (clones share one connection pool) and safe to share
/// between tasks. Build one with [`PerfectPanel::builder`].
///
/// ```no_run
/// use smmkit_perfect_panel::{PerfectPanel, Transport};
/// use smmkit_provider_core::{OrderRequest, SmmProvider};
///
/// # async fn run() -> Result<(), smmkit_provider_core::Error> {
/// let panel = PerfectPanel::builder("https://panel.example/api/v2", std::env::var("SMM_KEY").unwrap_or_default())
///     .transport(Transport::PostForm)
///     .build()?;
/// let services = panel.services().await?;
/// let id = panel.add(&OrderRequest::link_quantity(services[0].id, "https://t.me/channel", 1000)).await?;
/// println!("order {id}: {}", panel.status(id).await?.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PerfectPanel {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) name: String,
    pub(crate) http: Http,
    pub(crate) retry: RetryPolicy,
    pub(crate) concurrency: usize,
    pub(crate) max_connections: usize,
    pub(crate) batch_size: usize,
    pub(crate) multi_refill: bool,
    pub(crate) multi_cancel: bool,
    pub(crate) check_catalog: bool,
    /// What the last `services()` said of each service, to check orders.
    pub(crate) catalog: RwLock<Option<Catalog>>,
}

impl fmt::Debug for PerfectPanel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("PerfectPanel")
            .field("name", &i.name)
            .field("url", &i.http.url.as_str())
            .field("key", &"[redacted]")
            .field("transport", &i.http.transport)
            .field("timeout", &i.http.timeout)
            .field("retry", &i.retry)
            .field("concurrency", &i.concurrency)
            .field("max_connections", &i.max_connections)
            .field("batch_size", &i.batch_size)
            .finish_non_exhaustive()
    }
}

impl PerfectPanel {
    /// Starts configuring a client for the panel at `url` (its API v2
    /// endpoint, such as `https://panel.example/api/v2`) with this key.
    pub fn builder(url: impl Into<String>, key: impl Into<String>) -> PerfectPanelBuilder {
        PerfectPanelBuilder::new(url.into(), key.into())
    }

    /// A client with every default.
    pub fn new(url: impl Into<String>, key: impl Into<String>) -> Result<PerfectPanel> {
        PerfectPanel::builder(url, key).build()
    }

    /// A client made from a config (its provider aside: see
    /// `smmkit::connect` for a config that may name fampage).
    ///
    /// ```
    /// use smmkit_perfect_panel::{ClientConfig, PerfectPanel};
    /// let panel = PerfectPanel::from_config(&ClientConfig::new("https://panel.example/api/v2", "test-key-not-real"))?;
    /// assert_eq!(panel.url().as_str(), "https://panel.example/api/v2");
    /// # Ok::<(), smmkit_provider_core::Error>(())
    /// ```
    pub fn from_config(config: &ClientConfig) -> Result<PerfectPanel> {
        use secrecy::ExposeSecret;
        let url = config
            .url
            .clone()
            .ok_or_else(|| Error::Config("a panel URL is needed (`url`)".into()))?;
        let key = config
            .key
            .as_ref()
            .ok_or_else(|| Error::Config("an API key is needed (`key`)".into()))?;
        PerfectPanel::builder(url, key.expose_secret())
            .config(config)
            .build()
    }

    /// The panel's endpoint.
    pub fn url(&self) -> &Url {
        &self.inner.http.url
    }

    /// The transport in use.
    pub fn transport(&self) -> Transport {
        self.inner.http.transport
    }

    /// What the catalog of the last `services()` call said of a service:
    /// its type, min, max and drip-feed. `None` before the first call, for
    /// a service not in it, or when catalog checks are off.
    pub fn known_service(&self, id: ServiceId) -> Option<ServiceLimits> {
        let catalog = self
            .inner
            .catalog
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        catalog.as_ref().and_then(|c| c.get(id).cloned())
    }

    /// The catalog as [`SmmProvider::services`] gives it, each service
    /// handed to a sink made by `sink` as it is decoded instead of
    /// collected in a list (see [`wire::decode_services_into`]): what is
    /// built from a large catalog is then built on every core, and the
    /// services are freed as they go. Malformed entries are logged and
    /// the catalog is kept for order checks, as `services()` does.
    ///
    /// ```no_run
    /// use smmkit_perfect_panel::PerfectPanel;
    /// use smmkit_provider_core::{Service, wire::ServiceSink};
    ///
    /// /// The names alone, without holding every service.
    /// #[derive(Default)]
    /// struct Names(Vec<String>);
    ///
    /// impl ServiceSink for Names {
    ///     fn push(&mut self, service: Service) {
    ///         self.0.push(service.name);
    ///     }
    /// }
    ///
    /// # async fn run(panel: PerfectPanel) -> smmkit_provider_core::Result<()> {
    /// let sunk = panel.services_into(Names::default).await?;
    /// let names: Vec<String> = sunk.parts.into_iter().flat_map(|n| n.0).collect();
    /// # Ok(()) }
    /// ```
    pub async fn services_into<S: ServiceSink + Send>(
        &self,
        sink: impl Fn() -> S + Sync,
    ) -> Result<SunkServices<S>> {
        let check = self.inner.check_catalog;
        let sunk = self
            .call(Action::Services, &[], |body| {
                wire::decode_services_into(body, || Limits {
                    sink: sink(),
                    limits: Vec::new(),
                    kept: check,
                })
            })
            .await?;
        for skipped in &sunk.skipped {
            tracing::warn!(entry = %skipped, "services: skipped a malformed entry");
        }
        let mut parts = Vec::with_capacity(sunk.parts.len());
        let mut limits = Vec::new();
        for part in sunk.parts {
            parts.push(part.sink);
            limits.extend(part.limits);
        }
        if check {
            let previous = self
                .inner
                .catalog
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .replace(Catalog::from_limits(limits));
            // Freed after the lock is released.
            drop(previous);
        }
        Ok(SunkServices {
            parts,
            skipped: sunk.skipped,
        })
    }

    /// Sends a request, retrying as the policy allows (reads on transient
    /// failures; anything when nothing was sent), and decodes its answer in
    /// the caller's future (the catalog's decode, which spreads itself over
    /// every core, and decoders that borrow).
    async fn call<T>(
        &self,
        action: Action,
        params: &[(&'static str, String)],
        decode: impl Fn(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let params: Arc<[(&'static str, String)]> = params.into();
        let http = &self.inner.http;
        retrying(&self.inner.retry, action, || async {
            let answer = self
                .exchange_as_task(action, &params, |_, answer| Ok(answer))
                .await?;
            checked(http, action, &answer, Refusals::BeforeDecoding, &decode)
        })
        .await
    }

    /// [`PerfectPanel::call`] for the multi decoders, the answer decoded in
    /// the task that read it: the answers of a batch's requests are then
    /// decoded on every worker of the runtime as they come, not one after
    /// another in the caller's future. `decode` reads the refusal of a
    /// successful answer itself ([`Refusals::InDecoder`]).
    async fn call_decoding_in_task<T: Send + 'static>(
        &self,
        action: Action,
        params: &[(&'static str, String)],
        decode: impl Fn(&[u8]) -> Result<T> + Send + Sync + 'static,
    ) -> Result<T> {
        let params: Arc<[(&'static str, String)]> = params.into();
        let decode = Arc::new(decode);
        retrying(&self.inner.retry, action, || {
            let decode = Arc::clone(&decode);
            self.exchange_as_task(action, &params, move |http, answer| {
                checked(http, action, &answer, Refusals::InDecoder, &*decode)
            })
        })
        .await
    }

    /// One exchange, then `then` with its answer, run as a task of the
    /// runtime rather than in the caller's future. A large answer reads
    /// markedly faster on a runtime worker, where the I/O driver runs, than
    /// on a thread blocked in `block_on` (every blocking call from Python,
    /// for one), which each readiness event would otherwise have to wake.
    /// Dropping the returned future aborts the task, as dropping an inline
    /// exchange would.
    async fn exchange_as_task<T: Send + 'static>(
        &self,
        action: Action,
        params: &Arc<[(&'static str, String)]>,
        then: impl FnOnce(&Http, Answer) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let inner = Arc::clone(&self.inner);
        let params = Arc::clone(params);
        let task = AbortOnDrop(tokio::spawn(async move {
            let answer = inner.http.exchange(action, &params).await?;
            then(&inner.http, answer)
        }));
        match task.await {
            Ok(answer) => answer,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(Error::Transport {
                action,
                message: "the request was cancelled: the async runtime is shutting down".into(),
                not_sent: false,
            }),
        }
    }

    /// Places an order, sending it at most once: it is sent again only
    /// when its connection could not be opened at all.
    async fn place(&self, order: &OrderRequest) -> Result<OrderId> {
        self.check(order)?;
        let http = &self.inner.http;
        let params = order.params();
        let unknown = |cause: Error| Error::OutcomeUnknown {
            request: Box::new(order.clone()),
            cause: Box::new(cause),
        };
        let result = retrying(&self.inner.retry, Action::Add, || async {
            let answer = match http.exchange(Action::Add, &params).await {
                Ok(answer) => answer,
                // Nothing reached the panel: may be tried again.
                Err(e) if nothing_sent(&e) => return Err(e),
                Err(e) => return Err(unknown(e)),
            };
            match http.add_outcome(&answer) {
                Ok(id) => Ok(id),
                Err(AddFailure::Refused(e)) => Err(e),
                Err(AddFailure::Unknown(e)) => Err(unknown(e)),
            }
        })
        .await;
        if let Ok(id) = &result {
            tracing::info!(
                order = id.get(),
                service = order.service.get(),
                "order placed"
            );
        }
        result.map_err(|e| http.clean(e))
    }

    /// Validates an order on its own and against the last catalog.
    fn check(&self, order: &OrderRequest) -> Result<()> {
        order.validate()?;
        if !self.inner.check_catalog {
            return Ok(());
        }
        let catalog = self
            .inner
            .catalog
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(catalog) = catalog.as_ref() {
            match catalog.get(order.service) {
                Some(limits) => order.validate_for(limits)?,
                None => {
                    return Err(ValidationError::for_field(
                        "service",
                        format!(
                            "service {} is not in the catalog the panel last listed; \
                             list services again if it is new",
                            order.service
                        ),
                    )
                    .into());
                }
            }
        }
        Ok(())
    }

    /// Runs a batch of `ids` in chunks of the batch size; `run` sends one
    /// chunk.
    async fn batch<I, T, F, Fut>(&self, action: Action, ids: &[I], run: F) -> Entries<I, T>
    where
        I: Copy + Eq + std::hash::Hash + fmt::Display + Send + Sync,
        T: Send,
        F: Fn(Vec<I>) -> Fut,
        Fut: Future<Output = Result<Entries<I, T>>>,
    {
        let entries = batch::run(
            action,
            ids,
            self.inner.batch_size,
            self.inner.concurrency,
            run,
        )
        .await;
        self.clean_entries(entries)
    }

    /// Removes the key from the error of each entry: the panel's answer
    /// gives one per id, and echoes what it was sent.
    fn clean_entries<I, T>(&self, mut entries: Entries<I, T>) -> Entries<I, T> {
        let http = &self.inner.http;
        for (_, r) in &mut entries {
            if let Err(e) = r {
                *e = http.clean(e.clone());
            }
        }
        entries
    }

    /// Runs a single-id request per id, at most `concurrency` at once.
    async fn one_by_one<I, T, F, Fut>(&self, action: Action, ids: &[I], single: F) -> Entries<I, T>
    where
        I: Copy + Eq + std::hash::Hash + fmt::Display + Send + Sync,
        T: Send,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let single = &single;
        let entries = batch::run(action, ids, 1, self.inner.concurrency, |chunk| async move {
            let mut out = Vec::with_capacity(chunk.len());
            for id in chunk {
                out.push((id, single(id).await));
            }
            Ok(out)
        })
        .await;
        self.clean_entries(entries)
    }
}

/// One id's result as the entries of its chunk.
fn one<I, T>(id: I, result: Result<T>) -> Result<Entries<I, T>> {
    result.map(|v| vec![(id, Ok(v))])
}

#[async_trait]
impl SmmProvider for PerfectPanel {
    fn name(&self) -> &str {
        &self.inner.name
    }

    async fn services(&self) -> Result<ServiceList> {
        self.services_into(Vec::new).await.map(ServiceList::from)
    }

    async fn add(&self, order: &OrderRequest) -> Result<OrderId> {
        self.place(order).await
    }

    async fn status(&self, order: OrderId) -> Result<OrderStatus> {
        self.call(Action::Status, &[("order", order.to_string())], |body| {
            wire::decode_status(body)
        })
        .await
    }

    async fn statuses(&self, orders: &[OrderId]) -> Entries<OrderId, OrderStatus> {
        self.batch(Action::Status, orders, |chunk| async move {
            if let [id] = chunk[..] {
                return one(id, self.status(id).await);
            }
            let params = [("orders", join(&chunk))];
            self.call_decoding_in_task(Action::Status, &params, move |b| {
                wire::decode_statuses_for(b, &chunk)
            })
            .await
        })
        .await
    }

    async fn refill(&self, order: OrderId) -> Result<RefillId> {
        self.call(Action::Refill, &[("order", order.to_string())], |body| {
            wire::decode_refill(body)
        })
        .await
    }

    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId> {
        if !self.inner.multi_refill {
            return self
                .one_by_one(Action::Refill, orders, |id| self.refill(id))
                .await;
        }
        self.batch(Action::Refill, orders, |chunk| async move {
            if let [id] = chunk[..] {
                return one(id, self.refill(id).await);
            }
            let params = [("orders", join(&chunk))];
            self.call_decoding_in_task(Action::Refill, &params, move |b| {
                wire::decode_refills_for(b, &chunk)
            })
            .await
        })
        .await
    }

    async fn refill_status(&self, refill: RefillId) -> Result<RefillState> {
        self.call(
            Action::RefillStatus,
            &[("refill", refill.to_string())],
            wire::decode_refill_status,
        )
        .await
    }

    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState> {
        self.batch(Action::RefillStatus, refills, |chunk| async move {
            if let [id] = chunk[..] {
                return one(id, self.refill_status(id).await);
            }
            let params = [("refills", join(&chunk))];
            self.call_decoding_in_task(Action::RefillStatus, &params, move |b| {
                wire::decode_refill_statuses_for(b, &chunk)
            })
            .await
        })
        .await
    }

    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested> {
        if !self.inner.multi_cancel {
            return self
                .one_by_one(Action::Cancel, orders, |id| async move {
                    self.call(Action::Cancel, &[("order", id.to_string())], |body| {
                        wire::decode_cancel(body)
                    })
                    .await
                })
                .await;
        }
        self.batch(Action::Cancel, orders, |chunk| async move {
            // Panels take cancels as `orders=` only; asked for one id, some
            // answer with that order's own `{"ok": ...}` object.
            let params = [("orders", join(&chunk))];
            self.call_decoding_in_task(Action::Cancel, &params, move |b| {
                wire::decode_cancels_for(b, &chunk)
            })
            .await
        })
        .await
    }

    async fn balance(&self) -> Result<Balance> {
        self.call(Action::Balance, &[], wire::decode_balance).await
    }
}
