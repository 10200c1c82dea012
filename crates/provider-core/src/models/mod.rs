//! The models smmkit decodes answers into and builds requests from.

pub(crate) mod decimal_text;
pub(crate) mod extras;
pub(crate) mod fields;
pub(crate) mod form;
pub(crate) mod order;
pub(crate) mod quote;
pub(crate) mod service;
pub(crate) mod service_list;
pub(crate) mod status;
pub(crate) mod text;
pub(crate) mod validate;

pub use decimal_text::DecimalText;
pub use extras::{Extras, ExtrasIter};
pub use fields::OrderFields;
pub use form::OrderForm;
pub use order::{Device, DripFeed, Order, OrderRequest, TrafficSource, split_lines};
pub use quote::{Quote, quote};
pub use service::{RawText, Service, ServiceType};
pub use service_list::{ServiceList, SkippedService};
pub use status::{Balance, CancelRequested, OrderState, OrderStatus, RefillState};
pub use text::readable_text;
pub use validate::ServiceLimits;

/// Whether two names are the same words: case (of ASCII letters) and runs
/// of spaces, `_` and `-` do not matter. Allocates nothing: decoders call it
/// for every service and status of a catalog.
pub(crate) fn same_words(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    fn words(s: &str) -> impl Iterator<Item = &str> {
        s.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
            .filter(|w| !w.is_empty())
    }
    let (mut x, mut y) = (words(a), words(b));
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(q) => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_words;

    #[test]
    fn names_match_loosely_and_only_loosely() {
        assert!(same_words("Custom Comments", "custom_comments"));
        assert!(same_words("In progress", "  IN-PROGRESS "));
        assert!(same_words("like_to_comment", "Like To Comment"));
        assert!(!same_words("In progress", "Inprogress"));
        assert!(!same_words("Custom Comments", "Custom Comments Package"));
        assert!(!same_words("Poll", "Pöll"));
        assert!(same_words("", " _ "));
    }
}
