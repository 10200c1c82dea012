//! smmkit: an exact, safe client for SMM panels that speak API v2.
//!
//! One trait, [`SmmProvider`], with two providers: [`Fampage`] for
//! fampage.in and [`PerfectPanel`] for any API v2 panel by URL. Money is
//! exact ([`Decimal`]), orders are validated before they are sent and never
//! sent twice, reads are retried, batches return one result per id, and the
//! API key never appears in an error, a log or a `Debug`.
//!
//! The order [`journal`] (SQLite or Postgres) makes orders idempotent,
//! records each before it is sent, and syncs their statuses.
//!
//! ```no_run
//! use smmkit::{Fampage, OrderRequest, SmmProvider};
//!
//! # async fn run() -> Result<(), smmkit::Error> {
//! let panel = Fampage::new(std::env::var("FAMPAGE_KEY").unwrap_or_default())?;
//! let services = panel.services().await?;
//! let likes = services.iter().find(|s| s.name.contains("Likes")).expect("a likes service");
//! let order = OrderRequest::link_quantity(likes.id, "https://instagram.com/p/abc", 250);
//! println!("this costs {}", smmkit::quote(&order, likes)?);
//! let id = panel.add(&order).await?;
//! println!("{:?}", panel.status(id).await?);
//! # Ok(()) }
//! ```

pub use smmkit_fampage::{FAMPAGE_URL, Fampage, FampageBuilder};
pub use smmkit_perfect_panel::{
    ClientConfig, PerfectPanel, PerfectPanelBuilder, Provider, RetryPolicy, Spelling, Transport,
};
pub use smmkit_provider_core::*;

/// The order journal: idempotent orders, crash-safe records and status
/// sync, on SQLite and Postgres (the `smmkit-journal` crate).
pub mod journal {
    pub use smmkit_journal::*;
}
pub use smmkit_journal::{AddOptions, Added, Journal, Journaled};

/// Several panels at once: compare, routes with safe failover, price
/// lists (the `smmkit-fleet` crate).
pub mod fleet {
    pub use smmkit_fleet::*;
}
pub use smmkit_fleet::Fleet;

/// The client a config describes: any API v2 panel by URL, or fampage.in
/// with its defaults. The one way the command line, Python and Node make
/// their clients.
///
/// ```
/// use serde_json::json;
/// use smmkit::{ClientConfig, Spelling, connect};
/// let config = ClientConfig::from_value(&json!({"provider": "fampage", "key": "test-key-not-real"}), Spelling::Snake)?;
/// let panel = connect(&config)?;
/// assert_eq!(panel.url().as_str(), smmkit::FAMPAGE_URL);
/// # Ok::<(), smmkit::Error>(())
/// ```
pub fn connect(config: &ClientConfig) -> Result<PerfectPanel> {
    match config.provider {
        Provider::Fampage => Fampage::from_config(config).map(|f| f.panel().clone()),
        Provider::PerfectPanel => PerfectPanel::from_config(config),
    }
}

/// The client a config describes with its journal: the panel of
/// [`connect`], attached (under its name) to the journal at
/// `config.journal`.
///
/// ```no_run
/// # async fn run() -> smmkit::Result<()> {
/// use serde_json::json;
/// use smmkit::{ClientConfig, Spelling, connect_journaled};
/// let config = ClientConfig::from_value(
///     &json!({"url": "https://panel.example/api/v2", "key": "test-key-not-real", "journal": "sqlite://orders.db"}),
///     Spelling::Snake,
/// )?;
/// let panel = connect_journaled(&config).await?;
/// println!("{} open orders", panel.journal().sync().await?.open);
/// # Ok(()) }
/// ```
pub async fn connect_journaled(config: &ClientConfig) -> Result<Journaled> {
    let Some(url) = &config.journal else {
        return Err(Error::Config(
            "no journal is configured (`journal`: sqlite://FILE or postgres://…)".into(),
        ));
    };
    let panel = connect(config)?;
    let journal = Journal::open(url).await?;
    Ok(journal.attach(std::sync::Arc::new(panel)))
}

/// The README's examples, compiled as tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
