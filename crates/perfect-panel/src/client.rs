//! [`PerfectPanel`]: an [`SmmProvider`] for any API v2 panel, and its builder.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use futures_util::StreamExt;
use secrecy::SecretString;
use smmkit_provider_core::wire::{self, Entries};
use smmkit_provider_core::{
    Action, Balance, CancelRequested, Error, OrderId, OrderRequest, OrderStatus, RefillId,
    RefillState, Result, Service, ServiceId, ServiceLimits, SmmProvider, ValidationError,
};
use url::Url;

use crate::catalog::Catalog;
use crate::config::{ClientOptions, RetryPolicy, Transport, defaults};
use crate::http::{Answer, Wire};

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
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    wire: Wire,
    retry: RetryPolicy,
    concurrency: usize,
    batch_size: usize,
    multi_refill: bool,
    multi_cancel: bool,
    check_catalog: bool,
    /// What the last `services()` said of each service, to check orders.
    catalog: RwLock<Option<Catalog>>,
}

impl fmt::Debug for PerfectPanel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("PerfectPanel")
            .field("name", &i.name)
            .field("url", &i.wire.url.as_str())
            .field("key", &"[redacted]")
            .field("transport", &i.wire.transport)
            .field("timeout", &i.wire.timeout)
            .field("retry", &i.retry)
            .field("concurrency", &i.concurrency)
            .field("batch_size", &i.batch_size)
            .finish_non_exhaustive()
    }
}

/// Configures a [`PerfectPanel`]; every setting has a default.
///
/// | setting | default |
/// |---|---|
/// | transport | form POST |
/// | connect timeout | 10 s |
/// | timeout (whole exchange, body included) | 30 s |
/// | retries of reads | [`RetryPolicy::default`] |
/// | response cap | 64 MiB |
/// | concurrent requests of a batch | 4 |
/// | ids per multi request | 100 |
pub struct PerfectPanelBuilder {
    url: String,
    key: SecretString,
    name: Option<String>,
    transport: Transport,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    concurrency: usize,
    batch_size: usize,
    multi_refill: bool,
    multi_cancel: bool,
    check_catalog: bool,
    user_agent: String,
}

impl fmt::Debug for PerfectPanelBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PerfectPanelBuilder")
            .field("url", &self.url)
            .field("key", &"[redacted]")
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl PerfectPanelBuilder {
    /// The panel's endpoint, replacing the one given to the builder.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// A short name for the panel; the URL's host by default.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How parameters travel: form POST (default) or GET query.
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// How long opening a connection may take.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one whole exchange may take, from sending to the last byte.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How reads are retried.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest answer accepted, in bytes (after decompression).
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How many requests of one batch run at once.
    #[must_use]
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests;
        self
    }

    /// How many ids go in one `orders=` / `refills=` request (1 to 100).
    #[must_use]
    pub fn batch_size(mut self, ids: usize) -> Self {
        self.batch_size = ids;
        self
    }

    /// Whether the panel takes `action=refill&orders=`; when not, `refills`
    /// sends one `order=` request per id. On by default.
    #[must_use]
    pub fn multi_refill(mut self, yes: bool) -> Self {
        self.multi_refill = yes;
        self
    }

    /// Whether the panel takes `action=cancel&orders=`; when not, `cancel`
    /// sends one `order=` request per id. On by default.
    #[must_use]
    pub fn multi_cancel(mut self, yes: bool) -> Self {
        self.multi_cancel = yes;
        self
    }

    /// Whether `add` checks orders against the catalog of the last
    /// `services()` call (type, min, max, drip-feed). On by default.
    #[must_use]
    pub fn check_catalog(mut self, yes: bool) -> Self {
        self.check_catalog = yes;
        self
    }

    /// Applies every setting `options` gives.
    #[must_use]
    pub fn options(mut self, options: &ClientOptions) -> Self {
        if let Some(t) = options.transport {
            self.transport = t;
        }
        if let Some(t) = options.timeout {
            self.timeout = t;
        }
        if let Some(t) = options.connect_timeout {
            self.connect_timeout = t;
        }
        if let Some(n) = options.retries {
            self.retry = RetryPolicy {
                max_retries: n,
                ..RetryPolicy::default()
            };
        }
        if let Some(n) = options.max_response_bytes {
            self.max_response_bytes = n;
        }
        if let Some(n) = options.concurrency {
            self.concurrency = n;
        }
        self
    }

    /// The `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Builds the client. Fails with [`Error::Config`] on a URL that is not
    /// http(s), an empty key, or a zero timeout, concurrency or batch size.
    pub fn build(self) -> Result<PerfectPanel> {
        use secrecy::ExposeSecret;
        let url =
            Url::parse(self.url.trim()).map_err(|e| Error::Config(format!("panel URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "panel URL: expected http or https, got {}",
                url.scheme()
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "panel URL: must not hold a user name or password".into(),
            ));
        }
        if url.query_pairs().any(|(k, _)| k == "key") {
            return Err(Error::Config(
                "panel URL: give the key on its own, not in the URL".into(),
            ));
        }
        let key = self.key.expose_secret();
        if key.trim().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if key.chars().any(|c| c.is_control()) {
            return Err(Error::Config(
                "the API key holds a control character".into(),
            ));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be longer than zero".into()));
        }
        if self.concurrency == 0 {
            return Err(Error::Config("concurrency must be at least 1".into()));
        }
        if !(1..=defaults::BATCH_SIZE).contains(&self.batch_size) {
            return Err(Error::Config(format!(
                "batch size must be from 1 to {}",
                defaults::BATCH_SIZE
            )));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::Config(
                "the response cap must be at least 1 byte".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            // smmkit decides every retry itself: reads by its policy, `add` never.
            .retry(reqwest::retry::never())
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {}", e.without_url())))?;
        let name = self
            .name
            .unwrap_or_else(|| url.host_str().unwrap_or("panel").to_owned());
        Ok(PerfectPanel {
            inner: Arc::new(Inner {
                name,
                wire: Wire {
                    http,
                    url,
                    key: self.key,
                    transport: self.transport,
                    timeout: self.timeout,
                    max_response_bytes: self.max_response_bytes,
                },
                retry: self.retry,
                concurrency: self.concurrency,
                batch_size: self.batch_size,
                multi_refill: self.multi_refill,
                multi_cancel: self.multi_cancel,
                check_catalog: self.check_catalog,
                catalog: RwLock::new(None),
            }),
        })
    }
}

/// The ids of one request of a batch, and what came of it.
type ChunkResult<I, T> = (Vec<I>, Result<Entries<I, T>>);

/// Keeps the first of each id, in order.
fn distinct<I: Copy + Eq + Hash>(ids: &[I]) -> Vec<I> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

impl PerfectPanel {
    /// Starts configuring a client for the panel at `url` (its API v2
    /// endpoint, such as `https://panel.example/api/v2`) with this key.
    pub fn builder(url: impl Into<String>, key: impl Into<String>) -> PerfectPanelBuilder {
        PerfectPanelBuilder {
            url: url.into(),
            key: SecretString::from(key.into()),
            name: None,
            transport: Transport::default(),
            connect_timeout: defaults::CONNECT_TIMEOUT,
            timeout: defaults::TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: defaults::MAX_RESPONSE_BYTES,
            concurrency: defaults::CONCURRENCY,
            batch_size: defaults::BATCH_SIZE,
            multi_refill: true,
            multi_cancel: true,
            check_catalog: true,
            user_agent: concat!("smmkit/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }

    /// A client with every default.
    pub fn new(url: impl Into<String>, key: impl Into<String>) -> Result<PerfectPanel> {
        PerfectPanel::builder(url, key).build()
    }

    /// The panel's endpoint.
    pub fn url(&self) -> &Url {
        &self.inner.wire.url
    }

    /// The transport in use.
    pub fn transport(&self) -> Transport {
        self.inner.wire.transport
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

    /// Sends a request that changes nothing or may be repeated, retrying
    /// transient failures as the policy allows, and decodes its answer.
    async fn call<T>(
        &self,
        action: Action,
        params: &[(&'static str, String)],
        decode: fn(&mut [u8]) -> Result<T>,
    ) -> Result<T> {
        let wire = &self.inner.wire;
        let policy = self.inner.retry;
        let params: Arc<[(&'static str, String)]> = params.into();
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let (error, retry_after) = match self.exchange_as_task(action, &params).await {
                Ok(mut answer) => match answer.status_error(action) {
                    Some(e) => (e, answer.retry_after),
                    None => match decode(&mut answer.body) {
                        Ok(value) => return Ok(value),
                        Err(e) => (e, None),
                    },
                },
                Err(e) => (e, None),
            };
            let error = wire.clean(error);
            let not_sent = matches!(error, Error::Transport { not_sent: true, .. });
            let may_retry = (action.is_read() && error.is_transient()) || not_sent;
            if !may_retry || retries >= policy.max_retries {
                return Err(error);
            }
            let delay = policy.delay(retries, retry_after);
            if started.elapsed() + delay > policy.max_elapsed {
                return Err(error);
            }
            tracing::warn!(
                action = action.as_str(),
                retry = retries + 1,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %error,
                "retrying"
            );
            tokio::time::sleep(delay).await;
            retries += 1;
        }
    }

    /// One exchange, run as a task of the runtime rather than in the
    /// caller's future. A large answer reads markedly faster on a runtime
    /// worker, where the I/O driver runs, than on a thread blocked in
    /// `block_on` (every blocking call from Python, for one), which each
    /// readiness event would otherwise have to wake. Dropping the returned
    /// future aborts the task, as dropping an inline exchange would.
    async fn exchange_as_task(
        &self,
        action: Action,
        params: &Arc<[(&'static str, String)]>,
    ) -> Result<Answer> {
        let inner = Arc::clone(&self.inner);
        let params = Arc::clone(params);
        let task = AbortOnDrop(tokio::spawn(async move {
            inner.wire.exchange(action, &params).await
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

    /// Places an order, sending it at most once.
    async fn place(&self, order: &OrderRequest) -> Result<OrderId> {
        self.check(order)?;
        let wire = &self.inner.wire;
        let params = order.params();
        let unknown = |cause: Error| Error::OutcomeUnknown {
            request: Box::new(order.clone()),
            cause: Box::new(cause),
        };
        let policy = self.inner.retry;
        let started = Instant::now();
        let mut retries = 0;
        loop {
            let answer = match wire.exchange(Action::Add, &params).await {
                Ok(answer) => answer,
                // The connection was never opened: nothing reached the
                // panel, so trying again cannot buy twice.
                Err(e @ Error::Transport { not_sent: true, .. }) => {
                    let delay = policy.delay(retries, None);
                    if retries >= policy.max_retries
                        || started.elapsed() + delay > policy.max_elapsed
                    {
                        return Err(e);
                    }
                    tracing::warn!(retry = retries + 1, error = %e, "add: connection not opened; retrying");
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    continue;
                }
                Err(e) => return Err(wire.clean(unknown(e))),
            };
            // A definite refusal (`{"error": ...}` and no order id) means no
            // order; anything that is not a clean success may be an order.
            let result = match (answer.status.is_success(), wire::decode_add(&answer.body)) {
                (true, Ok(id)) => Ok(id),
                (_, Err(e @ Error::Api { .. })) => Err(e),
                (true, Err(e)) => Err(unknown(e)),
                // An API error was matched above: what is left is the status.
                (false, _) => Err(unknown(answer.http_error(Action::Add))),
            };
            if let Ok(id) = &result {
                tracing::info!(
                    order = id.get(),
                    service = order.service.get(),
                    "order placed"
                );
            }
            return result.map_err(|e| wire.clean(e));
        }
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

    /// Runs a batch: distinct ids, split into chunks, at most
    /// `concurrency` chunks at once, one result per id in the given order.
    async fn batch<I, T, F, Fut>(
        &self,
        action: Action,
        ids: &[I],
        chunk_size: usize,
        run: F,
    ) -> Entries<I, T>
    where
        I: Copy + Eq + Hash + fmt::Display + Send + Sync,
        T: Send,
        F: Fn(Vec<I>) -> Fut,
        Fut: Future<Output = Result<Entries<I, T>>>,
    {
        let ids = distinct(ids);
        let chunks: Vec<Vec<I>> = ids.chunks(chunk_size).map(<[I]>::to_vec).collect();
        // A read that still fails after every retry means the panel is down:
        // the chunks not started yet report that failure instead of sending.
        let down: std::sync::OnceLock<Error> = std::sync::OnceLock::new();
        let down = &down;
        let run = &run;
        let results: Vec<ChunkResult<I, T>> = futures_util::stream::iter(chunks)
            .map(|chunk: Vec<I>| async move {
                if let Some(e) = down.get() {
                    return (chunk, Err(e.clone()));
                }
                let result = run(chunk.clone()).await;
                if let Err(e) = &result
                    && action.is_read()
                    && e.is_transient()
                {
                    let _ = down.set(e.clone());
                }
                (chunk, result)
            })
            .buffer_unordered(self.inner.concurrency)
            .collect()
            .await;
        let mut by_id: HashMap<I, Result<T>> = HashMap::with_capacity(ids.len());
        for (chunk, result) in results {
            match result {
                Ok(entries) => {
                    for (id, r) in entries {
                        by_id.entry(id).or_insert(r);
                    }
                }
                Err(e) => {
                    for id in chunk {
                        by_id.insert(id, Err(e.clone()));
                    }
                }
            }
        }
        ids.into_iter()
            .map(|id| {
                let r = by_id.remove(&id).unwrap_or_else(|| {
                    Err(Error::Decode {
                        action,
                        message: format!("the panel's answer has no entry for {id}"),
                        snippet: "(entry missing)".into(),
                    })
                });
                (id, r)
            })
            .collect()
    }
}

impl PerfectPanel {
    /// Runs a single-id request per id, at most `concurrency` at once.
    async fn one_by_one<I, T, F, Fut>(&self, action: Action, ids: &[I], single: F) -> Entries<I, T>
    where
        I: Copy + Eq + Hash + fmt::Display + Send + Sync,
        T: Send,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let single = &single;
        self.batch(action, ids, 1, |chunk| async move {
            let mut out = Vec::with_capacity(chunk.len());
            for id in chunk {
                out.push((id, single(id).await));
            }
            Ok(out)
        })
        .await
    }
}

fn join<I: fmt::Display>(ids: &[I]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

#[async_trait]
impl SmmProvider for PerfectPanel {
    fn name(&self) -> &str {
        &self.inner.name
    }

    async fn services(&self) -> Result<Vec<Service>> {
        let services = self
            .call(Action::Services, &[], wire::decode_services_in_place)
            .await?;
        if self.inner.check_catalog {
            let catalog = Some(Catalog::of(&services));
            let previous = std::mem::replace(
                &mut *self
                    .inner
                    .catalog
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
                catalog,
            );
            // Freed after the lock is released.
            drop(previous);
        }
        Ok(services)
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
        self.batch(
            Action::Status,
            orders,
            self.inner.batch_size,
            |chunk| async move {
                self.call(Action::Status, &[("orders", join(&chunk))], |body| {
                    wire::decode_statuses(body)
                })
                .await
            },
        )
        .await
    }

    async fn refill(&self, order: OrderId) -> Result<RefillId> {
        self.call(Action::Refill, &[("order", order.to_string())], |body| {
            wire::decode_refill(body)
        })
        .await
    }

    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId> {
        if self.inner.multi_refill {
            self.batch(
                Action::Refill,
                orders,
                self.inner.batch_size,
                |chunk| async move {
                    self.call(Action::Refill, &[("orders", join(&chunk))], |body| {
                        wire::decode_refills(body)
                    })
                    .await
                },
            )
            .await
        } else {
            self.one_by_one(Action::Refill, orders, |id| self.refill(id))
                .await
        }
    }

    async fn refill_status(&self, refill: RefillId) -> Result<RefillState> {
        self.call(
            Action::RefillStatus,
            &[("refill", refill.to_string())],
            |body| wire::decode_refill_status(body),
        )
        .await
    }

    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState> {
        self.batch(
            Action::RefillStatus,
            refills,
            self.inner.batch_size,
            |chunk| async move {
                self.call(Action::RefillStatus, &[("refills", join(&chunk))], |body| {
                    wire::decode_refill_statuses(body)
                })
                .await
            },
        )
        .await
    }

    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested> {
        if self.inner.multi_cancel {
            self.batch(
                Action::Cancel,
                orders,
                self.inner.batch_size,
                |chunk| async move {
                    self.call(Action::Cancel, &[("orders", join(&chunk))], |body| {
                        wire::decode_cancels(body)
                    })
                    .await
                },
            )
            .await
        } else {
            self.one_by_one(Action::Cancel, orders, |id| async move {
                self.call(Action::Cancel, &[("order", id.to_string())], |body| {
                    wire::decode_cancel(body)
                })
                .await
            })
            .await
        }
    }

    async fn balance(&self) -> Result<Balance> {
        self.call(Action::Balance, &[], |body| wire::decode_balance(body))
            .await
    }
}
