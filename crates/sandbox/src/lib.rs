//! A real API v2 SMM panel on loopback, for trying and testing clients
//! without spending money.
//!
//! The sandbox speaks API v2 at `/api/v2` over form POST and GET, with every
//! action and multi form. It sells a catalog generated from a seed (50 to
//! 100,000 services of every type) or loaded from JSON, keeps accounts with
//! balances, and runs orders on a clock it controls: Pending, In progress,
//! Completed or Partial, with refunds for what a partial or canceled order
//! did not deliver, and refills with their own lifecycle. It refuses what
//! panels refuse, with their texts. It can speak with numbers as strings or
//! bare numbers, in fampage's shapes or the common ones, and inject seeded
//! faults: latency, 5xx pages, HTML instead of JSON, dropped connections and
//! stalled answers, before or after the action ran.
//!
//! It writes its JSON by hand and shares no code with the client's decoder.
//!
//! ```
//! use smmkit_sandbox::{Sandbox, SandboxConfig};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), smmkit_sandbox::SandboxError> {
//! let sandbox = Sandbox::start(SandboxConfig { services: 50, ..SandboxConfig::default() }).await?;
//! println!("panel at {} with key {}", sandbox.url(), sandbox.key());
//! assert_eq!(sandbox.catalog().services().len(), 50);
//! # Ok(()) }
//! ```

mod catalog;
mod clock;
mod json;
mod panel;
mod server;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

pub use catalog::{Catalog, CatalogService};
pub use clock::Clock;
pub use panel::{Dialect, Numbers, SandboxOrder, Shapes, services_json};
use rust_decimal::Decimal;
pub use server::{ConnectionCounts, FaultCounts, Faults};

/// What can go wrong starting a sandbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The address could not be bound.
    #[error("sandbox: cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The catalog could not be loaded.
    #[error("sandbox catalog: {0}")]
    Catalog(String),
    /// A setting is out of range.
    #[error("sandbox: {0}")]
    Config(String),
}

/// How a sandbox is set up. Every field has a default.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Seeds the catalog, the orders' lifecycles and the key.
    pub seed: u64,
    /// How many services to generate (50 to 100,000), unless `catalog` is set.
    pub services: usize,
    /// A catalog to sell instead of a generated one.
    pub catalog: Option<Catalog>,
    /// The clock orders live on (default: real time sped up 60 times).
    pub clock: Clock,
    /// How the sandbox speaks.
    pub dialect: Dialect,
    /// Faults to inject.
    pub faults: Faults,
    /// The API key of the account; derived from the seed when `None`.
    pub key: Option<String>,
    /// The account's starting balance.
    pub balance: Decimal,
    /// The account's currency.
    pub currency: String,
    /// The address to listen on (loopback by default).
    pub host: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            seed: 1,
            services: 120,
            catalog: None,
            clock: Clock::sped_up(60.0),
            dialect: Dialect::default(),
            faults: Faults::none(),
            key: None,
            balance: Decimal::new(100_000, 2),
            currency: "USD".into(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
        }
    }
}

/// A running sandbox panel. It stops when dropped.
pub struct Sandbox {
    url: String,
    key: String,
    clock: Clock,
    panel: Arc<panel::Panel>,
    injector: Arc<server::Injector>,
    connections: Arc<server::Connections>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The key a seed gives: obviously a sandbox key, different per seed.
fn key_for(seed: u64) -> String {
    format!(
        "sandbox-{:016x}",
        fastrand::Rng::with_seed(seed ^ 0x005e_ed0f_5a4d_b0c5).u64(..)
    )
}

impl Sandbox {
    /// Starts a sandbox on the current tokio runtime.
    pub async fn start(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
        let catalog = match config.catalog {
            Some(c) => c,
            None => {
                if !(50..=100_000).contains(&config.services) {
                    return Err(SandboxError::Config(format!(
                        "a generated catalog has 50 to 100000 services, not {}",
                        config.services
                    )));
                }
                Catalog::generate(config.seed, config.services)
            }
        };
        for share in [
            config.faults.server_error,
            config.faults.html,
            config.faults.drop,
            config.faults.stall,
        ] {
            if !(0.0..=1.0).contains(&share) {
                return Err(SandboxError::Config(format!(
                    "a fault share is a fraction from 0 to 1, not {share}"
                )));
            }
        }
        if config.faults.total() > 1.0 {
            return Err(SandboxError::Config(
                "fault shares add up to more than 1".into(),
            ));
        }
        let key = config.key.unwrap_or_else(|| key_for(config.seed));
        let addr = SocketAddr::new(config.host, config.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| SandboxError::Bind { addr, source })?;
        let panel = Arc::new(panel::Panel::new(
            catalog,
            config.clock.clone(),
            config.dialect,
            config.seed,
            vec![(key.clone(), config.balance, config.currency)],
        ));
        let injector = Arc::new(server::Injector::new(config.faults));
        let connections = Arc::new(server::Connections::default());
        let task = tokio::spawn(server::serve(
            listener,
            server::router(panel.clone()),
            injector.clone(),
            connections.clone(),
            config.dialect.echo,
        ));
        tracing::info!(%local, "sandbox panel listening");
        Ok(Sandbox {
            url: format!("http://{local}/api/v2"),
            key,
            clock: config.clock,
            panel,
            injector,
            connections,
            task,
        })
    }

    /// The API v2 endpoint, such as `http://127.0.0.1:41234/api/v2`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The key of the sandbox's account.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The clock orders live on.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        self.panel.catalog()
    }

    /// Every order the sandbox created, in order: its own record, to check
    /// a client's account of what it bought.
    pub fn orders(&self) -> Vec<SandboxOrder> {
        self.panel.orders()
    }

    /// The balance of the account with `key`, refunds due included.
    pub fn balance(&self, key: &str) -> Option<Decimal> {
        self.panel.balance_of(key)
    }

    /// Opens another account.
    pub fn add_account(
        &self,
        key: impl Into<String>,
        balance: Decimal,
        currency: impl Into<String>,
    ) {
        self.panel.add_account(key.into(), balance, currency.into());
    }

    /// Changes the faults injected from now on.
    pub fn set_faults(&self, faults: Faults) {
        self.injector.set(faults);
    }

    /// How many requests were answered cleanly and how many got each fault.
    pub fn fault_counts(&self) -> FaultCounts {
        self.injector.counters.snapshot()
    }

    /// How many connections clients opened, the most open at once, and the
    /// most requests answered at once.
    pub fn connections(&self) -> ConnectionCounts {
        self.connections.snapshot()
    }
}

/// A sandbox that can be stopped through a shared reference, as the
/// Python and Node bindings hold it.
#[derive(Debug)]
pub struct SandboxSlot(std::sync::Mutex<Option<Sandbox>>);

impl SandboxSlot {
    /// Holds a running sandbox.
    pub fn new(sandbox: Sandbox) -> SandboxSlot {
        SandboxSlot(std::sync::Mutex::new(Some(sandbox)))
    }

    /// Runs `f` on the sandbox; `None` once it was closed.
    pub fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> Option<T> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .map(f)
    }

    /// Takes the sandbox out, to stop it; `None` if it was already.
    pub fn take(&self) -> Option<Sandbox> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

/// A sandbox with a runtime of its own, for programs and tests that have
/// none: it runs on a background thread and stops when dropped.
///
/// ```
/// use smmkit_sandbox::{BackgroundSandbox, SandboxConfig};
/// let sandbox = BackgroundSandbox::start(SandboxConfig::default())?;
/// assert!(sandbox.url().starts_with("http://127.0.0.1:"));
/// # Ok::<(), smmkit_sandbox::SandboxError>(())
/// ```
pub struct BackgroundSandbox {
    sandbox: Option<Sandbox>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl BackgroundSandbox {
    /// Starts a sandbox on a new single-worker runtime.
    pub fn start(config: SandboxConfig) -> Result<BackgroundSandbox, SandboxError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("smmkit-sandbox")
            .enable_all()
            .build()
            .map_err(|e| SandboxError::Config(format!("cannot start a runtime: {e}")))?;
        let sandbox = runtime.block_on(Sandbox::start(config))?;
        Ok(BackgroundSandbox {
            sandbox: Some(sandbox),
            runtime: Some(runtime),
        })
    }
}

impl std::ops::Deref for BackgroundSandbox {
    type Target = Sandbox;
    fn deref(&self) -> &Sandbox {
        // Set in `start`, taken only in `drop`.
        self.sandbox
            .as_ref()
            .unwrap_or_else(|| unreachable!("a BackgroundSandbox always holds its sandbox"))
    }
}

impl Drop for BackgroundSandbox {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            let _guard = runtime.enter();
            drop(self.sandbox.take());
            runtime.shutdown_background();
        }
    }
}
