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
//! use smmkit_provider_core::{OrderRequest, wire::decode_services};
//!
//! let body = br#"[{"service":1,"name":"Subscribers","type":"subscribe",
//!     "category":"Instagram","rate":"100.00","min":10,"max":15000,"refill":false,"cancel":true}]"#;
//! let services = decode_services(body)?;
//! let order = OrderRequest::link_quantity(services[0].id, "instagram.com/instagram", 100);
//! order.validate_for(&(&services[0]).into())?;
//! assert_eq!(order.cost(&services[0]).unwrap().to_string(), "10.00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod ids;
pub mod models;
mod provider;
pub mod wire;

pub use async_trait::async_trait;
pub use error::{Action, ApiErrorKind, Error, Result, ValidationError};
pub use ids::{OrderId, ParseIdError, RefillId, ServiceId};
pub use models::{
    Balance, CancelRequested, Device, DripFeed, Extras, Order, OrderFields, OrderKind,
    OrderRequest, OrderState, OrderStatus, RefillState, Service, ServiceLimits, ServiceType,
    TrafficSource, split_lines,
};
pub use provider::SmmProvider;
pub use rust_decimal::Decimal;
pub use wire::Entries;
