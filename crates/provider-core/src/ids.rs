//! Identifiers of services, orders and refills.
//!
//! Panels send ids as JSON numbers or as numeric strings (`203521833` or
//! `"23501"`); both decode to the same id. Anything else is a decode error.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The text given for an id was not a positive whole number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a valid {what} id: expected a whole number from 0 to 18446744073709551615"
)]
pub struct ParseIdError {
    what: &'static str,
    text: String,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl $name {
            /// The id as a number.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl From<u64> for $name {
            fn from(value: u64) -> Self {
                Self(value)
            }
        }

        impl From<$name> for u64 {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                crate::wire::lenient::parse_u64(s).map(Self).ok_or_else(|| ParseIdError {
                    what: $what,
                    text: s.chars().take(40).collect(),
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::wire::lenient::Field::deserialize_in(crate::wire::lenient::U64, deserializer).map(Self)
            }
        }
    };
}

id_type!(
    /// The id of a service in a panel's catalog.
    ///
    /// ```
    /// use smmkit_provider_core::ServiceId;
    /// let id: ServiceId = "42".parse()?;
    /// assert_eq!(id, ServiceId(42));
    /// # Ok::<(), smmkit_provider_core::ParseIdError>(())
    /// ```
    ServiceId,
    "service"
);

id_type!(
    /// The id of an order, as the panel returned it from `add`.
    ///
    /// ```
    /// use smmkit_provider_core::OrderId;
    /// assert_eq!("203521833".parse::<OrderId>()?.get(), 203_521_833);
    /// assert!("12a".parse::<OrderId>().is_err());
    /// # Ok::<(), smmkit_provider_core::ParseIdError>(())
    /// ```
    OrderId,
    "order"
);

id_type!(
    /// The id of a refill, as the panel returned it from `refill`.
    ///
    /// ```
    /// use smmkit_provider_core::RefillId;
    /// assert_eq!(RefillId::from(7).to_string(), "7");
    /// ```
    RefillId,
    "refill"
);
