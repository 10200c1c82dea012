//! The models smmkit decodes answers into and builds requests from.

pub(crate) mod fields;
pub(crate) mod order;
pub(crate) mod service;
pub(crate) mod status;

pub use fields::OrderFields;
pub use order::{
    Device, DripFeed, Order, OrderKind, OrderRequest, ServiceLimits, TrafficSource, split_lines,
};
pub use service::{Service, ServiceType};
pub use status::{Balance, CancelRequested, OrderState, OrderStatus, RefillState};
