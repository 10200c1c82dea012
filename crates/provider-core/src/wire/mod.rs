//! The wire format of API v2: decoding answers into models.

mod decode;
mod encode;
mod flat;
pub(crate) mod lenient;
mod panel_error;
mod parallel;
mod payload;
mod services;
mod shape;
mod snippet;

pub use decode::{
    Entries, decode_add, decode_balance, decode_cancel, decode_cancels, decode_cancels_for,
    decode_refill, decode_refill_status, decode_refill_statuses, decode_refill_statuses_for,
    decode_refills, decode_refills_for, decode_status, decode_statuses, decode_statuses_for,
};
pub use encode::encode_services;
pub use lenient::parse_decimal;
pub use panel_error::{ErrorAnswer, error_answer, error_message};
pub use payload::{Decoded, Payload, decode};
pub use services::{ServiceSink, SunkServices, decode_services, decode_services_into};
pub use shape::json_start;
pub use snippet::{SNIPPET_CHARS, snippet};
