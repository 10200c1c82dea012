//! Checking an order before it is sent: on its own, and against the
//! service it is for.

use crate::error::ValidationError;
use crate::ids::ServiceId;
use crate::models::form::OrderForm;
use crate::models::order::{Order, OrderRequest, TrafficSource};
use crate::models::service::{Service, ServiceType};

/// What a client needs to know of a service to check an order against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLimits {
    /// The service id.
    pub id: ServiceId,
    /// The service type.
    pub kind: ServiceType,
    /// The smallest quantity.
    pub min: u64,
    /// The largest quantity.
    pub max: u64,
    /// Whether drip-feed is offered, when the panel says.
    pub dripfeed: Option<bool>,
}

impl From<&Service> for ServiceLimits {
    fn from(s: &Service) -> Self {
        ServiceLimits {
            id: s.id,
            kind: s.kind.clone(),
            min: s.min,
            max: s.max,
            dripfeed: s.dripfeed,
        }
    }
}

impl OrderRequest {
    /// Checks the order on its own: a link with no spaces, a quantity of at
    /// least 1, every field its form needs present and well formed.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(link) = self.link() {
            check_word("link", link)?;
        }
        // Where a list sets the quantity, the list's own check says more.
        let list_counts = matches!(
            self.form(),
            OrderForm::CustomComments | OrderForm::CommentReplies | OrderForm::MentionsCustomList
        );
        if !list_counts && self.units() == Some(0) {
            return Err(ValidationError::for_field("quantity", "must be at least 1"));
        }
        match &self.order {
            Order::Default {
                dripfeed: Some(d), ..
            } => {
                if d.runs == 0 {
                    return Err(ValidationError::for_field("runs", "must be at least 1"));
                }
                if d.interval == 0 {
                    return Err(ValidationError::for_field(
                        "interval",
                        "must be at least 1 minute",
                    ));
                }
                if self.charged_units().is_none() {
                    return Err(ValidationError::for_field(
                        "runs",
                        "quantity × runs is too large",
                    ));
                }
            }
            Order::Default { .. } | Order::Package { .. } => {}
            Order::Seo { keywords, .. } => check_lines("keywords", keywords, false)?,
            Order::CustomComments { comments, .. }
            | Order::CustomCommentsPackage { comments, .. } => {
                check_lines("comments", comments, false)?;
            }
            Order::Mentions { usernames, .. } | Order::MentionsCustomList { usernames, .. } => {
                check_lines("usernames", usernames, true)?;
            }
            Order::MentionsWithHashtags {
                usernames,
                hashtags,
                ..
            } => {
                check_lines("usernames", usernames, true)?;
                check_lines("hashtags", hashtags, true)?;
            }
            Order::MentionsHashtag { hashtag, .. } => check_word("hashtag", hashtag)?,
            Order::MentionsUserFollowers { username, .. }
            | Order::CommentLikes { username, .. } => {
                check_word("username", username)?;
            }
            Order::MentionsMediaLikers { media, .. } => check_word("media", media)?,
            Order::CommentReplies {
                username, comments, ..
            } => {
                check_word("username", username)?;
                check_lines("comments", comments, false)?;
            }
            Order::Poll { answer_number, .. } => {
                if *answer_number == 0 {
                    return Err(ValidationError::for_field(
                        "answer_number",
                        "must be at least 1",
                    ));
                }
            }
            Order::InvitesFromGroups { groups, .. } => check_lines("groups", groups, true)?,
            Order::Subscriptions {
                username,
                min,
                max,
                posts,
                expiry,
                ..
            } => {
                check_word("username", username)?;
                if *min == 0 {
                    return Err(ValidationError::for_field("min", "must be at least 1"));
                }
                if max < min {
                    return Err(ValidationError::for_field(
                        "max",
                        format!("{max} is below min {min}"),
                    ));
                }
                if *posts == Some(0) {
                    return Err(ValidationError::for_field(
                        "posts",
                        "must be at least 1, or left out for unlimited",
                    ));
                }
                if let Some(expiry) = expiry {
                    check_date("expiry", expiry)?;
                }
            }
            Order::WebTraffic {
                country, traffic, ..
            } => {
                check_word_allow_spaces("country", country)?;
                match traffic {
                    TrafficSource::GoogleKeyword { google_keyword } => {
                        check_word_allow_spaces("google_keyword", google_keyword)?;
                    }
                    TrafficSource::CustomReferrer { referring_url } => {
                        check_word("referring_url", referring_url)?
                    }
                    TrafficSource::Blank => {}
                }
            }
        }
        Ok(())
    }

    /// Checks the order against a service: [`validate`](Self::validate),
    /// the form the service's type takes, drip-feed where the service says
    /// it has none, and the quantity within min and max.
    ///
    /// ```
    /// use smmkit_provider_core::{OrderRequest, ServiceId, ServiceLimits, ServiceType};
    /// let limits = ServiceLimits { id: ServiceId(1), kind: ServiceType::Default, min: 10, max: 5000, dripfeed: None };
    /// let err = OrderRequest::link_quantity(1u64, "https://x.com/a", 5).validate_for(&limits).unwrap_err();
    /// assert_eq!(err.to_string(), "`quantity`: 5 is below the minimum of 10 for service 1");
    /// ```
    pub fn validate_for(&self, service: &ServiceLimits) -> Result<(), ValidationError> {
        if service.id != self.service {
            return Err(ValidationError::for_field(
                "service",
                format!(
                    "the order is for service {}, not {}",
                    self.service, service.id
                ),
            ));
        }
        self.validate()?;
        if let Some(expected) = service.kind.order_form()
            && expected != self.form()
        {
            return Err(ValidationError::for_field(
                "type",
                format!(
                    "service {} is of type `{}` and takes a `{expected}` order, not `{}`",
                    service.id,
                    service.kind,
                    self.form()
                ),
            ));
        }
        if let Order::Default {
            dripfeed: Some(_), ..
        } = self.order
            && service.dripfeed == Some(false)
        {
            return Err(ValidationError::for_field(
                "runs",
                format!("service {} does not offer drip-feed", service.id),
            ));
        }
        let field = match self.form() {
            OrderForm::CustomComments | OrderForm::CommentReplies => "comments",
            OrderForm::MentionsCustomList => "usernames",
            _ => "quantity",
        };
        let in_range = |field: &str, n: u64| {
            if n < service.min {
                Err(ValidationError::for_field(
                    field,
                    format!(
                        "{n} is below the minimum of {} for service {}",
                        service.min, service.id
                    ),
                ))
            } else if n > service.max {
                Err(ValidationError::for_field(
                    field,
                    format!(
                        "{n} is above the maximum of {} for service {}",
                        service.max, service.id
                    ),
                ))
            } else {
                Ok(())
            }
        };
        if let Some(units) = self.units() {
            in_range(field, units)?;
        }
        if let Order::Subscriptions { min, max, .. } = self.order {
            in_range("min", min)?;
            in_range("max", max)?;
        }
        Ok(())
    }
}

/// A link, a username or a hashtag: one word, not empty.
fn check_word(field: &str, word: &str) -> Result<(), ValidationError> {
    if word.trim().is_empty() {
        return Err(ValidationError::for_field(field, "is empty"));
    }
    if word.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValidationError::for_field(
            field,
            "must not contain spaces or line breaks",
        ));
    }
    Ok(())
}

fn check_word_allow_spaces(field: &str, text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        return Err(ValidationError::for_field(field, "is empty"));
    }
    if text.chars().any(char::is_control) {
        return Err(ValidationError::for_field(
            field,
            "must not contain line breaks",
        ));
    }
    Ok(())
}

fn check_lines(field: &str, items: &[String], words: bool) -> Result<(), ValidationError> {
    if items.is_empty() {
        return Err(ValidationError::for_field(field, "needs at least one item"));
    }
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        if item.trim().is_empty() {
            return Err(ValidationError::for_field(
                field,
                format!("item {n} is empty"),
            ));
        }
        if item.contains(['\n', '\r']) {
            return Err(ValidationError::for_field(
                field,
                format!("item {n} holds a line break; give one item per line"),
            ));
        }
        if words && item.chars().any(char::is_whitespace) {
            return Err(ValidationError::for_field(
                field,
                format!("item {n} must not contain spaces"),
            ));
        }
    }
    Ok(())
}

/// Checks a date written `dd/mm/yyyy`.
fn check_date(field: &str, text: &str) -> Result<(), ValidationError> {
    let bad =
        || ValidationError::for_field(field, format!("`{text}` is not a date written dd/mm/yyyy"));
    let parts: Vec<&str> = text.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(bad());
    };
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(d), Some(m), Some(y)) = (num(d, 2), num(m, 2), num(y, 4)) else {
        return Err(bad());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::order::DripFeed;

    fn limits(kind: ServiceType, min: u64, max: u64) -> ServiceLimits {
        ServiceLimits {
            id: ServiceId(7),
            kind,
            min,
            max,
            dripfeed: None,
        }
    }

    fn req(order: Order) -> OrderRequest {
        OrderRequest::new(ServiceId(7), order)
    }

    fn field_of(r: Result<(), ValidationError>) -> Option<String> {
        r.err().and_then(|e| e.field().map(str::to_owned))
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(
            field_of(OrderRequest::link_quantity(1u64, "", 10).validate()),
            Some("link".into())
        );
        assert_eq!(
            field_of(OrderRequest::link_quantity(1u64, "a b", 10).validate()),
            Some("link".into())
        );
        assert_eq!(
            field_of(OrderRequest::link_quantity(1u64, "x", 0).validate()),
            Some("quantity".into())
        );
        let cc = req(Order::CustomComments {
            link: "x".into(),
            comments: vec![],
        });
        assert_eq!(field_of(cc.validate()), Some("comments".into()));
        let cc = req(Order::CustomComments {
            link: "x".into(),
            comments: vec!["a\nb".into()],
        });
        assert_eq!(field_of(cc.validate()), Some("comments".into()));
        let m = req(Order::MentionsHashtag {
            link: "x".into(),
            quantity: 5,
            hashtag: " ".into(),
        });
        assert_eq!(field_of(m.validate()), Some("hashtag".into()));
        let d = req(Order::Default {
            link: "x".into(),
            quantity: 5,
            dripfeed: Some(DripFeed {
                runs: 0,
                interval: 5,
            }),
        });
        assert_eq!(field_of(d.validate()), Some("runs".into()));
        let s = req(Order::Subscriptions {
            username: "u".into(),
            min: 10,
            max: 5,
            posts: None,
            old_posts: None,
            delay: 0,
            expiry: None,
        });
        assert_eq!(field_of(s.validate()), Some("max".into()));
        for bad_date in [
            "31/02/2027",
            "1/1/2027",
            "2027-01-01",
            "00/01/2027",
            "29/02/2027",
        ] {
            let s = req(Order::Subscriptions {
                username: "u".into(),
                min: 1,
                max: 5,
                posts: None,
                old_posts: None,
                delay: 0,
                expiry: Some(bad_date.into()),
            });
            assert_eq!(field_of(s.validate()), Some("expiry".into()), "{bad_date}");
        }
        let leap = req(Order::Subscriptions {
            username: "u".into(),
            min: 1,
            max: 5,
            posts: None,
            old_posts: None,
            delay: 0,
            expiry: Some("29/02/2028".into()),
        });
        assert!(leap.validate().is_ok());
    }

    #[test]
    fn checks_against_the_service() {
        let ok = OrderRequest::link_quantity(7u64, "https://x", 100);
        assert!(
            ok.validate_for(&limits(ServiceType::Default, 10, 1000))
                .is_ok()
        );
        assert_eq!(
            field_of(ok.validate_for(&limits(ServiceType::Default, 200, 1000))),
            Some("quantity".into())
        );
        assert_eq!(
            field_of(ok.validate_for(&limits(ServiceType::Default, 1, 99))),
            Some("quantity".into())
        );
        // The wrong form for the type.
        assert_eq!(
            field_of(ok.validate_for(&limits(ServiceType::CustomComments, 1, 1000))),
            Some("type".into())
        );
        // Fampage's lowercase types take plain orders; unknown types take anything.
        assert!(ok.validate_for(&limits(ServiceType::Like, 1, 1000)).is_ok());
        assert!(
            ok.validate_for(&limits(ServiceType::Other("Magic".into()), 1, 1000))
                .is_ok()
        );
        // Custom comments count their lines against min/max.
        let cc = req(Order::CustomComments {
            link: "x".into(),
            comments: vec!["a".into(); 3],
        });
        assert_eq!(
            field_of(cc.validate_for(&limits(ServiceType::CustomComments, 5, 10))),
            Some("comments".into())
        );
        // Drip-feed where the service has none.
        let d = req(Order::Default {
            link: "x".into(),
            quantity: 5,
            dripfeed: Some(DripFeed {
                runs: 2,
                interval: 5,
            }),
        });
        let mut no_drip = limits(ServiceType::Default, 1, 10);
        no_drip.dripfeed = Some(false);
        assert_eq!(field_of(d.validate_for(&no_drip)), Some("runs".into()));
        // Another service's limits.
        let other = ServiceLimits {
            id: ServiceId(8),
            ..limits(ServiceType::Default, 1, 1000)
        };
        assert_eq!(field_of(ok.validate_for(&other)), Some("service".into()));
    }
}
