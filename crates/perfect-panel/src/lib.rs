//! smmkit's provider for any SMM panel that speaks API v2 (the Perfect
//! Panel family), by URL.
//!
//! [`PerfectPanel`] implements [`SmmProvider`](smmkit_provider_core::SmmProvider)
//! over HTTP (reqwest with rustls; TLS verification always on):
//!
//! - form POST by default, GET query as an option ([`Transport`]);
//! - connect and total timeouts, a cap on the answer's size, gzip;
//! - reads retried with backoff and jitter ([`RetryPolicy`]); `add` never
//!   sent twice, and [`Error::OutcomeUnknown`](smmkit_provider_core::Error::OutcomeUnknown)
//!   when its answer is lost;
//! - batches split into requests of at most 100 ids, run with bounded
//!   concurrency, one result per id;
//! - the key held as a secret and absent from every error, log and `Debug`.

mod catalog;
mod client;
mod config;
mod http;

pub use client::{PerfectPanel, PerfectPanelBuilder};
pub use config::{ClientOptions, RetryPolicy, Transport};
