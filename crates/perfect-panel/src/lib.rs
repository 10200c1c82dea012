//! smmkit's provider for any SMM panel that speaks API v2 (the Perfect
//! Panel family), by URL.
//!
//! [`PerfectPanel`] implements [`SmmProvider`](smmkit_provider_core::SmmProvider)
//! over HTTP (reqwest with rustls; TLS verification always on):
//!
//! - form POST by default, GET query as an option ([`Transport`]);
//! - connect and total timeouts, a cap on the answer's size, gzip, a cap
//!   on the requests (and connections) in flight;
//! - reads retried with backoff and jitter ([`RetryPolicy`]); `add` never
//!   sent twice, always on a fresh connection, and
//!   [`Error::OutcomeUnknown`](smmkit_provider_core::Error::OutcomeUnknown)
//!   when its answer is lost;
//! - batches split into requests of at most 100 ids, run with bounded
//!   concurrency, one result per id;
//! - the key held as a secret and absent from every error, log and `Debug`.

mod batch;
mod builder;
mod catalog;
mod client;
mod config;
mod http;
mod retry;

pub use builder::PerfectPanelBuilder;
pub use client::PerfectPanel;
pub use config::{ClientConfig, Provider, RetryPolicy, Spelling, Transport};
