//! smmkit's provider for [fampage.in](https://fampage.in), an API v2 panel.
//!
//! [`Fampage`] is a [`PerfectPanel`] set up as fampage documents its API:
//! the endpoint `https://fampage.in/api/v2`, parameters in the query string
//! of a GET, and refills and cancels sent one order at a time (its
//! documentation has no `orders=` form for them). Every answer shape of its
//! documentation decodes: multi-status with bare-string errors, cancel's
//! `{"ok":"true"}`, INR and USD amounts.
//!
//! ```no_run
//! use smmkit_fampage::Fampage;
//! use smmkit_provider_core::SmmProvider;
//!
//! # async fn run() -> Result<(), smmkit_provider_core::Error> {
//! let fampage = Fampage::new(std::env::var("FAMPAGE_KEY").unwrap_or_default())?;
//! let balance = fampage.balance().await?;
//! println!("{} {}", balance.amount, balance.currency.unwrap_or_default());
//! # Ok(()) }
//! ```

use std::time::Duration;

use async_trait::async_trait;
use smmkit_perfect_panel::{
    ClientConfig, PerfectPanel, PerfectPanelBuilder, RetryPolicy, Transport,
};
use smmkit_provider_core::wire::Entries;
use smmkit_provider_core::{
    Balance, CancelRequested, Error, OrderId, OrderRequest, OrderStatus, RefillId, RefillState,
    Result, ServiceList, SmmProvider,
};

/// Fampage's API v2 endpoint.
pub const FAMPAGE_URL: &str = "https://fampage.in/api/v2";

/// The fampage.in client.
#[derive(Debug, Clone)]
pub struct Fampage {
    panel: PerfectPanel,
}

/// Configures a [`Fampage`]: fampage's defaults, each of which may be changed.
#[derive(Debug)]
pub struct FampageBuilder {
    inner: PerfectPanelBuilder,
}

impl FampageBuilder {
    /// Points the client at another endpoint (a sandbox or a test server).
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.inner = self.inner.url(url);
        self
    }

    /// How parameters travel; fampage documents GET query (the default).
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.inner = self.inner.transport(transport);
        self
    }

    /// How long opening a connection may take.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.connect_timeout(timeout);
        self
    }

    /// How long one whole exchange may take.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.inner = self.inner.timeout(timeout);
        self
    }

    /// How reads are retried.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.inner = self.inner.retry(retry);
        self
    }

    /// The largest answer accepted, in bytes.
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.inner = self.inner.max_response_bytes(bytes);
        self
    }

    /// How many requests of one batch run at once.
    #[must_use]
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.inner = self.inner.concurrency(requests);
        self
    }

    /// Applies every setting `config` gives (its URL too, when set) over
    /// fampage's defaults.
    #[must_use]
    pub fn config(mut self, config: &ClientConfig) -> Self {
        self.inner = self.inner.config(config);
        if let Some(url) = &config.url {
            self.inner = self.inner.url(url.clone());
        }
        self
    }

    /// Any other setting of the underlying [`PerfectPanelBuilder`].
    #[must_use]
    pub fn configure(mut self, f: impl FnOnce(PerfectPanelBuilder) -> PerfectPanelBuilder) -> Self {
        self.inner = f(self.inner);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Fampage> {
        Ok(Fampage {
            panel: self.inner.build()?,
        })
    }
}

impl Fampage {
    /// Starts configuring a client with this key.
    ///
    /// ```
    /// use smmkit_fampage::Fampage;
    /// use smmkit_perfect_panel::Transport;
    /// let f = Fampage::builder("test-key-not-real").build()?;
    /// assert_eq!(f.panel().url().as_str(), "https://fampage.in/api/v2");
    /// assert_eq!(f.panel().transport(), Transport::GetQuery);
    /// assert!(!format!("{f:?}").contains("test-key-not-real"));
    /// # Ok::<(), smmkit_provider_core::Error>(())
    /// ```
    pub fn builder(key: impl Into<String>) -> FampageBuilder {
        FampageBuilder {
            inner: PerfectPanel::builder(FAMPAGE_URL, key)
                .name("fampage")
                .transport(Transport::GetQuery)
                .multi_refill(false)
                .multi_cancel(false),
        }
    }

    /// A client with fampage's defaults.
    pub fn new(key: impl Into<String>) -> Result<Fampage> {
        Fampage::builder(key).build()
    }

    /// A client made from a config, over fampage's defaults.
    ///
    /// ```
    /// use smmkit_fampage::Fampage;
    /// use smmkit_perfect_panel::{ClientConfig, Transport};
    /// let config = ClientConfig { key: Some("test-key-not-real".to_owned().into()), ..ClientConfig::default() };
    /// let f = Fampage::from_config(&config)?;
    /// assert_eq!(f.panel().transport(), Transport::GetQuery);
    /// # Ok::<(), smmkit_provider_core::Error>(())
    /// ```
    pub fn from_config(config: &ClientConfig) -> Result<Fampage> {
        use secrecy::ExposeSecret;
        let key = config
            .key
            .as_ref()
            .ok_or_else(|| Error::Config("an API key is needed (`key`)".into()))?;
        Fampage::builder(key.expose_secret()).config(config).build()
    }

    /// The general API v2 client underneath.
    pub fn panel(&self) -> &PerfectPanel {
        &self.panel
    }
}

#[async_trait]
impl SmmProvider for Fampage {
    fn name(&self) -> &str {
        self.panel.name()
    }
    async fn services(&self) -> Result<ServiceList> {
        self.panel.services().await
    }
    async fn add(&self, order: &OrderRequest) -> Result<OrderId> {
        self.panel.add(order).await
    }
    async fn status(&self, order: OrderId) -> Result<OrderStatus> {
        self.panel.status(order).await
    }
    async fn statuses(&self, orders: &[OrderId]) -> Entries<OrderId, OrderStatus> {
        self.panel.statuses(orders).await
    }
    async fn refill(&self, order: OrderId) -> Result<RefillId> {
        self.panel.refill(order).await
    }
    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId> {
        self.panel.refills(orders).await
    }
    async fn refill_status(&self, refill: RefillId) -> Result<RefillState> {
        self.panel.refill_status(refill).await
    }
    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState> {
        self.panel.refill_statuses(refills).await
    }
    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested> {
        self.panel.cancel(orders).await
    }
    async fn balance(&self) -> Result<Balance> {
        self.panel.balance().await
    }
}
