//! Order and refill statuses, cancellations and the balance.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::models::extras::Extras;

macro_rules! status_enum {
    (
        $(#[$doc:meta])*
        $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)* => $final:literal ),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
            /// A word smmkit does not know, with the panel's text.
            Other(String),
        }

        impl $name {
            /// Reads a status word as a panel sends it (case, `_` and `-`
            /// do not matter); an unknown word is kept as `Other`.
            pub fn parse(text: &str) -> Self {
                // The exact words first: most panels send them.
                $(
                    if text == $text $(|| text == $alias)* {
                        return $name::$variant;
                    }
                )+
                $(
                    if super::same_words($text, text) $(|| super::same_words($alias, text))* {
                        return $name::$variant;
                    }
                )+
                $name::Other(text.to_owned())
            }

            /// The status word: canonical for a known one, as sent otherwise.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(text) => text,
                }
            }

            /// Whether the status will not change any more. An unknown word
            /// is not final: smmkit cannot know that it is.
            pub fn is_final(&self) -> bool {
                match self {
                    $( $name::$variant => $final, )+
                    $name::Other(_) => false,
                }
            }

            /// Every known status.
            pub fn known() -> impl Iterator<Item = $name> {
                [$( $name::$variant ),+].into_iter()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

status_enum!(
    /// Where an order stands.
    ///
    /// ```
    /// use smmkit_provider_core::OrderState;
    /// assert_eq!(OrderState::parse("In Progress"), OrderState::InProgress);
    /// assert_eq!(OrderState::parse("Cancelled"), OrderState::Canceled);
    /// assert!(OrderState::Partial.is_final());
    /// assert!(!OrderState::parse("Stuck in queue").is_final());
    /// ```
    OrderState {
        /// Accepted, not started.
        Pending = "Pending" => false,
        /// Being delivered.
        InProgress = "In progress" => false,
        /// Being processed by the provider.
        Processing = "Processing" => false,
        /// Delivered in full.
        Completed = "Completed" => true,
        /// Stopped part way; `remains` were refunded.
        Partial = "Partial" => true,
        /// Canceled and refunded.
        Canceled = "Canceled" | "Cancelled" => true,
        /// Refunded.
        Refunded = "Refunded" => true,
        /// Waiting to start.
        Awaiting = "Awaiting" => false,
        /// Failed.
        Fail = "Fail" | "Failed" => true,
        /// Ended in an error.
        Error = "Error" => true,
    }
);

status_enum!(
    /// Where a refill stands.
    ///
    /// ```
    /// use smmkit_provider_core::RefillState;
    /// assert_eq!(RefillState::parse("completed"), RefillState::Completed);
    /// assert!(RefillState::Rejected.is_final());
    /// assert!(!RefillState::Pending.is_final());
    /// ```
    RefillState {
        /// Asked for, not started.
        Pending = "Pending" => false,
        /// Being delivered.
        InProgress = "In progress" => false,
        /// Waiting to start.
        Awaiting = "Awaiting" => false,
        /// Delivered.
        Completed = "Completed" => true,
        /// Processed by the provider.
        Processed = "Processed" => true,
        /// Refused by the panel.
        Rejected = "Rejected" => true,
        /// Failed.
        Failed = "Failed" | "Fail" => true,
        /// Ended in an error.
        Error = "Error" => true,
    }
);

/// The status of an order, as `status` returns it.
///
/// Fields a panel leaves out or sends empty are `None`, never zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderStatus {
    /// What the order cost, exact.
    pub charge: Option<Decimal>,
    /// The count on the link when the order started.
    pub start_count: Option<u64>,
    /// Where the order stands.
    pub status: OrderState,
    /// How much is left to deliver; negative when a panel over-delivered.
    pub remains: Option<i64>,
    /// The currency of `charge`.
    pub currency: Option<String>,
    /// Every other field the panel sent, as sent.
    pub extra: Extras,
}

/// A cancellation the panel accepted. It says the request was taken, not
/// that the order is canceled yet: watch its status for `Canceled`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CancelRequested {
    /// The panel's words, when it sent some (`"requested"`, `"true"`).
    pub note: Option<String>,
}

/// The account's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// The amount, exact.
    pub amount: Decimal,
    /// The currency (`USD`, `INR`, …), when the panel says.
    pub currency: Option<String>,
}
