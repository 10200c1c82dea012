//! smmkit: an exact, safe client for SMM panels that speak API v2.
//!
//! One trait, [`SmmProvider`], with two providers: [`Fampage`] for
//! fampage.in and [`PerfectPanel`] for any API v2 panel by URL. Money is
//! exact ([`Decimal`]), orders are validated before they are sent and never
//! sent twice, reads are retried, batches return one result per id, and the
//! API key never appears in an error, a log or a `Debug`.
//!
//! ```no_run
//! use smmkit::{Fampage, OrderRequest, SmmProvider};
//!
//! # async fn run() -> Result<(), smmkit::Error> {
//! let panel = Fampage::new(std::env::var("FAMPAGE_KEY").unwrap_or_default())?;
//! let services = panel.services().await?;
//! let likes = services.iter().find(|s| s.name.contains("Likes")).expect("a likes service");
//! let order = OrderRequest::link_quantity(likes.id, "https://instagram.com/p/abc", 250);
//! println!("this costs {}", order.cost(likes).unwrap_or_default());
//! let id = panel.add(&order).await?;
//! println!("{:?}", panel.status(id).await?);
//! # Ok(()) }
//! ```

pub use smmkit_fampage::{FAMPAGE_URL, Fampage, FampageBuilder};
pub use smmkit_perfect_panel::{
    ClientOptions, PerfectPanel, PerfectPanelBuilder, RetryPolicy, Transport,
};
pub use smmkit_provider_core::*;

/// The README's examples, compiled as tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
