//! The core of smmkit: the [`SmmProvider`] trait, the models, the
//! [`Error`] type and the lenient decoders of API v2 answers.
//!
//! This crate does no I/O. The HTTP clients live in `smmkit-perfect-panel`
//! (any API v2 panel) and `smmkit-fampage` (fampage.in); most programs use
//! the `smmkit` crate, which re-exports all three.
//!
//! Money is exact everywhere: rates, charges and balances are
//! [`Decimal`]s read from the panel's exact digits.
//!
//! ```
//! use smmkit_provider_core::{OrderRequest, Quote, quote, wire::decode_services};
//!
//! let body = br#"[{"service":1,"name":"Subscribers","type":"subscribe",
//!     "category":"Instagram","rate":"100.00","min":10,"max":15000,"refill":false,"cancel":true}]"#;
//! let services = decode_services(body)?;
//! let order = OrderRequest::link_quantity(services[0].id, "instagram.com/instagram", 100);
//! order.validate_for(&(&services[0]).into())?;
//! assert_eq!(quote(&order, &services[0])?, Quote::Exact("10.00".parse()?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod ids;
pub mod input;
pub mod models;
mod provider;
mod redact;
pub mod wire;

pub use async_trait::async_trait;
pub use error::{Action, ApiErrorKind, Error, Result, ValidationError};
pub use ids::{OrderId, ParseIdError, RefillId, ServiceId};
pub use models::{
    Balance, CancelRequested, DecimalText, Device, DripFeed, Extras, ExtrasIter, Order,
    OrderFields, OrderForm, OrderRequest, OrderState, OrderStatus, Quote, RawText, RefillState,
    Service, ServiceLimits, ServiceList, ServiceType, SkippedService, TrafficSource, quote,
    readable_text, split_lines,
};
pub use provider::SmmProvider;
pub use redact::{REDACTED, Redactor};
pub use rust_decimal::{Decimal, RoundingStrategy};
pub use wire::Entries;
