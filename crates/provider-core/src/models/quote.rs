//! What an order will cost: one rule for every front end.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::ValidationError;
use crate::models::form::OrderForm;
use crate::models::order::{Order, OrderRequest};
use crate::models::service::Service;

/// What an order is expected to cost, as the panel charges it.
///
/// ```
/// use smmkit_provider_core::{Quote, quote, OrderRequest};
/// # use smmkit_provider_core::wire::decode_services;
/// let services = decode_services(br#"[{"service":1,"name":"Likes","type":"Default","rate":"0.90","min":10,"max":5000},
///                                     {"service":2,"name":"Pack","type":"Package","rate":"25.074","min":1,"max":1}]"#)?;
/// let likes = OrderRequest::link_quantity(1u64, "https://instagram.com/p/x", 1500);
/// assert_eq!(quote(&likes, &services[0])?, Quote::Exact("1.350".parse()?));
/// let pack = OrderRequest::new(2u64, smmkit_provider_core::Order::Package { link: "https://x.y".into() });
/// assert_eq!(quote(&pack, &services[1])?.to_string(), "25.074");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "amount", rename_all = "snake_case")]
pub enum Quote {
    /// Exactly this amount.
    Exact(Decimal),
    /// At most this amount: a subscription with a number of posts, charged
    /// as its posts come, each getting between `min` and `max`.
    UpTo(Decimal),
    /// The panel sets the price as it goes: a subscription without a limit
    /// on its posts.
    SetByPanel,
}

impl Quote {
    /// The amount charged at most, where there is one.
    pub fn amount(&self) -> Option<Decimal> {
        match self {
            Quote::Exact(d) | Quote::UpTo(d) => Some(*d),
            Quote::SetByPanel => None,
        }
    }

    /// Whether the quote is the exact charge.
    pub fn is_exact(&self) -> bool {
        matches!(self, Quote::Exact(_))
    }
}

impl fmt::Display for Quote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quote::Exact(d) => write!(f, "{d}"),
            Quote::UpTo(d) => write!(f, "up to {d}"),
            Quote::SetByPanel => f.write_str("set by the panel as the posts come"),
        }
    }
}

fn too_large() -> ValidationError {
    ValidationError::for_field("quantity", "the price is too large to compute")
}

/// What `order` costs at `service`'s rate, as panels charge it:
///
/// | the order | the charge |
/// |---|---|
/// | a package (`Package`, `Package Regular`, `Custom Comments Package`) | the rate: it is the price of one package |
/// | link and quantity, and every form with a quantity | rate × quantity / 1000 |
/// | drip-fed | rate × quantity × runs / 1000 |
/// | custom comments, comment replies | rate × comments / 1000 (one per line) |
/// | mentions custom list | rate × usernames / 1000 |
/// | a subscription with `posts` | up to rate × max × posts / 1000 |
/// | a subscription without `posts` | set by the panel as posts come |
///
/// Fails when the order is for another service or its price is beyond what
/// a [`Decimal`] holds. Amounts are exact and unrounded, written with at
/// least the rate's decimals.
pub fn quote(order: &OrderRequest, service: &Service) -> Result<Quote, ValidationError> {
    if order.service != service.id {
        return Err(ValidationError::for_field(
            "service",
            format!(
                "the order is for service {}, not {}",
                order.service, service.id
            ),
        ));
    }
    let package_form = matches!(
        order.form(),
        OrderForm::Package | OrderForm::CustomCommentsPackage
    );
    let per_package = service.priced_per_package() || (!service.kind.is_known() && package_form);
    if per_package {
        return Ok(Quote::Exact(service.rate));
    }
    // Not a package: the rate is per 1000, as `Service::cost` reads it.
    let per_thousand = |units: u64| service.cost(units).ok_or_else(too_large);
    if let Order::Subscriptions { max, posts, .. } = &order.order {
        return Ok(match posts {
            Some(posts) => Quote::UpTo(per_thousand(
                max.checked_mul(*posts).ok_or_else(too_large)?,
            )?),
            None => Quote::SetByPanel,
        });
    }
    let units = order.charged_units().ok_or_else(too_large)?;
    Ok(Quote::Exact(per_thousand(units)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::order::{Device, DripFeed, TrafficSource};
    use crate::wire::decode_services;

    fn service(kind: &str, rate: &str) -> Service {
        let body = format!(
            r#"[{{"service":9,"name":"x","type":"{kind}","rate":"{rate}","min":1,"max":100000}}]"#
        );
        decode_services(body.as_bytes())
            .unwrap()
            .into_services()
            .remove(0)
    }

    fn q(order: Order, kind: &str, rate: &str) -> String {
        quote(&OrderRequest::new(9u64, order), &service(kind, rate))
            .unwrap()
            .to_string()
    }

    #[test]
    fn every_form_is_priced_as_panels_charge() {
        let link = || "https://x.y/p".to_owned();
        let lines = |n: usize| vec!["a".to_owned(); n];
        assert_eq!(
            q(
                Order::Default {
                    link: link(),
                    quantity: 1500,
                    dripfeed: None
                },
                "Default",
                "0.90"
            ),
            "1.35"
        );
        assert_eq!(
            q(
                Order::Default {
                    link: link(),
                    quantity: 500,
                    dripfeed: Some(DripFeed {
                        runs: 3,
                        interval: 20
                    })
                },
                "Default",
                "0.90"
            ),
            "1.35"
        );
        assert_eq!(
            q(Order::Package { link: link() }, "Package", "25.074"),
            "25.074"
        );
        assert_eq!(
            q(Order::Package { link: link() }, "Package Regular", "3.5"),
            "3.5"
        );
        assert_eq!(
            q(
                Order::CustomCommentsPackage {
                    link: link(),
                    comments: lines(7)
                },
                "Custom Comments Package",
                "12.00"
            ),
            "12.00"
        );
        assert_eq!(
            q(
                Order::CustomComments {
                    link: link(),
                    comments: lines(5)
                },
                "Custom Comments",
                "31.24"
            ),
            "0.1562"
        );
        assert_eq!(
            q(
                Order::MentionsCustomList {
                    link: link(),
                    usernames: lines(40)
                },
                "Mentions Custom List",
                "2.5"
            ),
            "0.1"
        );
        assert_eq!(
            q(
                Order::CommentReplies {
                    link: link(),
                    username: "u".into(),
                    comments: lines(3)
                },
                "Comment Replies",
                "10"
            ),
            "0.03"
        );
        assert_eq!(
            q(
                Order::Poll {
                    link: link(),
                    quantity: 200,
                    answer_number: 2
                },
                "Poll",
                "0.773129"
            ),
            "0.1546258"
        );
        assert_eq!(
            q(
                Order::WebTraffic {
                    link: link(),
                    quantity: 1000,
                    country: "US".into(),
                    device: Device::Mixed,
                    traffic: TrafficSource::Blank
                },
                "Web Traffic",
                "0.366"
            ),
            "0.366"
        );
        let sub = |posts| Order::Subscriptions {
            username: "u".into(),
            min: 100,
            max: 200,
            posts,
            old_posts: None,
            delay: 0,
            expiry: None,
        };
        assert_eq!(q(sub(Some(10)), "Subscriptions", "1.5"), "up to 3.0");
        assert_eq!(
            q(sub(None), "Subscriptions", "1.5"),
            "set by the panel as the posts come"
        );
        // An unknown type is priced by the form it is ordered with.
        assert_eq!(
            q(Order::Package { link: link() }, "Premium Magic", "4.00"),
            "4.00"
        );
        assert_eq!(
            q(
                Order::Default {
                    link: link(),
                    quantity: 10,
                    dripfeed: None
                },
                "Premium Magic",
                "4.00"
            ),
            "0.04"
        );
    }

    #[test]
    fn another_service_or_an_overflow_is_an_error() {
        let order = OrderRequest::link_quantity(8u64, "https://x", 10);
        assert_eq!(
            quote(&order, &service("Default", "1")).unwrap_err().field(),
            Some("service")
        );
        let huge = OrderRequest::new(
            9u64,
            Order::Default {
                link: "x".into(),
                quantity: u64::MAX,
                dripfeed: Some(DripFeed {
                    runs: 9,
                    interval: 1,
                }),
            },
        );
        assert!(quote(&huge, &service("Default", "1")).is_err());
    }
}
