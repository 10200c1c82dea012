//! The wire format of API v2: decoding answers into models.

mod decode;
pub(crate) mod lenient;
mod parallel;
mod snippet;

pub use decode::{
    Decoded, Entries, Payload, decode, decode_add, decode_balance, decode_cancel, decode_cancels,
    decode_refill, decode_refill_status, decode_refill_statuses, decode_refills, decode_services,
    decode_services_in_place, decode_status, decode_statuses, error_message,
};
pub use lenient::parse_decimal;
pub use snippet::{SNIPPET_CHARS, snippet};
