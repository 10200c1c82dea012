//! Orders from flat, optional fields: what keyword arguments, JSON objects
//! and command-line flags give.

use crate::error::ValidationError;
use crate::ids::ServiceId;
use crate::models::order::{Device, DripFeed, Order, OrderKind, OrderRequest, TrafficSource};

/// Every field an order of any form may carry, each optional.
///
/// [`OrderFields::into_request`] turns them into a typed [`OrderRequest`]
/// of a given form, or of the form the fields themselves point to
/// ([`OrderFields::infer_kind`]). A field the form needs and lacks, or a
/// field it does not take, is a [`ValidationError`] naming the field:
/// nothing given is ever silently dropped.
///
/// ```
/// use smmkit_provider_core::{OrderFields, OrderKind};
/// let f = OrderFields {
///     link: Some("https://instagram.com/p/x".into()),
///     comments: Some(vec!["Nice!".into(), "Wow".into()]),
///     ..OrderFields::default()
/// };
/// assert_eq!(f.infer_kind()?, OrderKind::CustomComments);
/// let order = f.into_request(7u64, None)?;
/// assert_eq!(order.units(), Some(2));
/// # Ok::<(), smmkit_provider_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)] // each field is the API v2 parameter of the same name
pub struct OrderFields {
    pub link: Option<String>,
    pub quantity: Option<u64>,
    pub runs: Option<u32>,
    pub interval: Option<u32>,
    pub comments: Option<Vec<String>>,
    pub usernames: Option<Vec<String>>,
    pub hashtags: Option<Vec<String>>,
    pub keywords: Option<Vec<String>>,
    pub groups: Option<Vec<String>>,
    pub hashtag: Option<String>,
    pub username: Option<String>,
    pub media: Option<String>,
    pub answer_number: Option<u32>,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub posts: Option<u64>,
    pub old_posts: Option<u64>,
    pub delay: Option<u32>,
    pub expiry: Option<String>,
    pub country: Option<String>,
    /// 1 desktop, 2 Android, 3 iOS, 4 mixed mobile, 5 mixed.
    pub device: Option<u8>,
    /// 1 Google keyword, 2 custom referrer, 3 blank.
    pub type_of_traffic: Option<u8>,
    pub google_keyword: Option<String>,
    pub referring_url: Option<String>,
}

impl OrderFields {
    /// The names of the fields that are set.
    pub fn given(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut mark = |set: bool, name| {
            if set {
                out.push(name);
            }
        };
        mark(self.link.is_some(), "link");
        mark(self.quantity.is_some(), "quantity");
        mark(self.runs.is_some(), "runs");
        mark(self.interval.is_some(), "interval");
        mark(self.comments.is_some(), "comments");
        mark(self.usernames.is_some(), "usernames");
        mark(self.hashtags.is_some(), "hashtags");
        mark(self.keywords.is_some(), "keywords");
        mark(self.groups.is_some(), "groups");
        mark(self.hashtag.is_some(), "hashtag");
        mark(self.username.is_some(), "username");
        mark(self.media.is_some(), "media");
        mark(self.answer_number.is_some(), "answer_number");
        mark(self.min.is_some(), "min");
        mark(self.max.is_some(), "max");
        mark(self.posts.is_some(), "posts");
        mark(self.old_posts.is_some(), "old_posts");
        mark(self.delay.is_some(), "delay");
        mark(self.expiry.is_some(), "expiry");
        mark(self.country.is_some(), "country");
        mark(self.device.is_some(), "device");
        mark(self.type_of_traffic.is_some(), "type_of_traffic");
        mark(self.google_keyword.is_some(), "google_keyword");
        mark(self.referring_url.is_some(), "referring_url");
        out
    }

    /// The form the given fields point to.
    ///
    /// Two forms take exactly the same fields (`mentions_user_followers`
    /// and `comment_likes`: link, quantity, username), and
    /// `custom_comments_package` looks like `custom_comments`: those need
    /// the form named, or a service whose type says it.
    pub fn infer_kind(&self) -> Result<OrderKind, ValidationError> {
        let has = |name| self.given().contains(&name);
        let kind = if has("country") || has("device") || has("type_of_traffic") {
            OrderKind::WebTraffic
        } else if has("min")
            || has("max")
            || has("delay")
            || has("posts")
            || has("old_posts")
            || has("expiry")
        {
            OrderKind::Subscriptions
        } else if has("answer_number") {
            OrderKind::Poll
        } else if has("keywords") {
            OrderKind::Seo
        } else if has("groups") {
            OrderKind::InvitesFromGroups
        } else if has("hashtags") {
            OrderKind::MentionsWithHashtags
        } else if has("hashtag") {
            OrderKind::MentionsHashtag
        } else if has("media") {
            OrderKind::MentionsMediaLikers
        } else if has("comments") && has("username") {
            OrderKind::CommentReplies
        } else if has("comments") {
            OrderKind::CustomComments
        } else if has("usernames") && has("quantity") {
            OrderKind::Mentions
        } else if has("usernames") {
            OrderKind::MentionsCustomList
        } else if has("username") {
            return Err(ValidationError::for_field(
                "form",
                "link, quantity and username fit both mentions_user_followers and comment_likes: name the form",
            ));
        } else if has("quantity") || has("runs") || has("interval") {
            OrderKind::Default
        } else if has("link") {
            OrderKind::Package
        } else {
            return Err(ValidationError::general("an order needs at least a link"));
        };
        Ok(kind)
    }

    /// The order of form `kind` (inferred when `None`) for `service`,
    /// validated on its own ([`OrderRequest::validate`]).
    pub fn into_request(
        self,
        service: impl Into<ServiceId>,
        kind: Option<OrderKind>,
    ) -> Result<OrderRequest, ValidationError> {
        let kind = match kind {
            Some(k) => k,
            None => self.infer_kind()?,
        };
        let request = self.build(service.into(), kind)?;
        request.validate()?;
        Ok(request)
    }

    /// The order of form `kind` for `service`, not yet validated.
    pub(crate) fn build(
        self,
        service: ServiceId,
        kind: OrderKind,
    ) -> Result<OrderRequest, ValidationError> {
        let allowed = fields_of(kind);
        if let Some(extra) = self.given().into_iter().find(|f| !allowed.contains(f)) {
            return Err(ValidationError::for_field(
                extra,
                format!("is not taken by a {kind} order"),
            ));
        }
        let need = |name: &'static str| {
            ValidationError::for_field(name, format!("is needed for a {kind} order"))
        };
        let f = self;
        let link = || f.link.clone().ok_or_else(|| need("link"));
        let quantity = || f.quantity.ok_or_else(|| need("quantity"));
        let username = || f.username.clone().ok_or_else(|| need("username"));
        let list = |v: &Option<Vec<String>>, name| v.clone().ok_or_else(|| need(name));
        let order = match kind {
            OrderKind::Default => Order::Default {
                link: link()?,
                quantity: quantity()?,
                dripfeed: match (f.runs, f.interval) {
                    (None, None) => None,
                    (Some(runs), Some(interval)) => Some(DripFeed { runs, interval }),
                    (Some(_), None) => return Err(need("interval")),
                    (None, Some(_)) => return Err(need("runs")),
                },
            },
            OrderKind::Package => Order::Package { link: link()? },
            OrderKind::Seo => Order::Seo {
                link: link()?,
                quantity: quantity()?,
                keywords: list(&f.keywords, "keywords")?,
            },
            OrderKind::CustomComments => Order::CustomComments {
                link: link()?,
                comments: list(&f.comments, "comments")?,
            },
            OrderKind::CustomCommentsPackage => Order::CustomCommentsPackage {
                link: link()?,
                comments: list(&f.comments, "comments")?,
            },
            OrderKind::Mentions => Order::Mentions {
                link: link()?,
                quantity: quantity()?,
                usernames: list(&f.usernames, "usernames")?,
            },
            OrderKind::MentionsWithHashtags => Order::MentionsWithHashtags {
                link: link()?,
                quantity: quantity()?,
                usernames: list(&f.usernames, "usernames")?,
                hashtags: list(&f.hashtags, "hashtags")?,
            },
            OrderKind::MentionsCustomList => Order::MentionsCustomList {
                link: link()?,
                usernames: list(&f.usernames, "usernames")?,
            },
            OrderKind::MentionsHashtag => Order::MentionsHashtag {
                link: link()?,
                quantity: quantity()?,
                hashtag: f.hashtag.clone().ok_or_else(|| need("hashtag"))?,
            },
            OrderKind::MentionsUserFollowers => Order::MentionsUserFollowers {
                link: link()?,
                quantity: quantity()?,
                username: username()?,
            },
            OrderKind::MentionsMediaLikers => Order::MentionsMediaLikers {
                link: link()?,
                quantity: quantity()?,
                media: f.media.clone().ok_or_else(|| need("media"))?,
            },
            OrderKind::CommentLikes => Order::CommentLikes {
                link: link()?,
                quantity: quantity()?,
                username: username()?,
            },
            OrderKind::CommentReplies => Order::CommentReplies {
                link: link()?,
                username: username()?,
                comments: list(&f.comments, "comments")?,
            },
            OrderKind::Poll => Order::Poll {
                link: link()?,
                quantity: quantity()?,
                answer_number: f.answer_number.ok_or_else(|| need("answer_number"))?,
            },
            OrderKind::InvitesFromGroups => Order::InvitesFromGroups {
                link: link()?,
                quantity: quantity()?,
                groups: list(&f.groups, "groups")?,
            },
            OrderKind::Subscriptions => Order::Subscriptions {
                username: username()?,
                min: f.min.ok_or_else(|| need("min"))?,
                max: f.max.ok_or_else(|| need("max"))?,
                posts: f.posts,
                old_posts: f.old_posts,
                delay: f.delay.unwrap_or(0),
                expiry: f.expiry.clone(),
            },
            OrderKind::WebTraffic => {
                let device_code = f.device.ok_or_else(|| need("device"))?;
                let device = Device::from_code(device_code).ok_or_else(|| {
                    ValidationError::for_field(
                        "device",
                        format!("{device_code} is not a device: 1 to 5"),
                    )
                })?;
                let traffic = match f.type_of_traffic.ok_or_else(|| need("type_of_traffic"))? {
                    1 => TrafficSource::GoogleKeyword {
                        google_keyword: f
                            .google_keyword
                            .clone()
                            .ok_or_else(|| need("google_keyword"))?,
                    },
                    2 => TrafficSource::CustomReferrer {
                        referring_url: f
                            .referring_url
                            .clone()
                            .ok_or_else(|| need("referring_url"))?,
                    },
                    3 => TrafficSource::Blank,
                    other => {
                        return Err(ValidationError::for_field(
                            "type_of_traffic",
                            format!(
                                "{other} is not a traffic type: 1 Google keyword, 2 referrer, 3 blank"
                            ),
                        ));
                    }
                };
                if matches!(
                    traffic,
                    TrafficSource::Blank | TrafficSource::CustomReferrer { .. }
                ) && f.google_keyword.is_some()
                {
                    return Err(ValidationError::for_field(
                        "google_keyword",
                        "is taken only with type_of_traffic 1",
                    ));
                }
                if matches!(
                    traffic,
                    TrafficSource::Blank | TrafficSource::GoogleKeyword { .. }
                ) && f.referring_url.is_some()
                {
                    return Err(ValidationError::for_field(
                        "referring_url",
                        "is taken only with type_of_traffic 2",
                    ));
                }
                Order::WebTraffic {
                    link: link()?,
                    quantity: quantity()?,
                    country: f.country.clone().ok_or_else(|| need("country"))?,
                    device,
                    traffic,
                }
            }
        };
        Ok(OrderRequest::new(service, order))
    }
}

/// The fields each form takes.
fn fields_of(kind: OrderKind) -> &'static [&'static str] {
    match kind {
        OrderKind::Default => &["link", "quantity", "runs", "interval"],
        OrderKind::Package => &["link"],
        OrderKind::Seo => &["link", "quantity", "keywords"],
        OrderKind::CustomComments | OrderKind::CustomCommentsPackage => &["link", "comments"],
        OrderKind::Mentions => &["link", "quantity", "usernames"],
        OrderKind::MentionsWithHashtags => &["link", "quantity", "usernames", "hashtags"],
        OrderKind::MentionsCustomList => &["link", "usernames"],
        OrderKind::MentionsHashtag => &["link", "quantity", "hashtag"],
        OrderKind::MentionsUserFollowers | OrderKind::CommentLikes => {
            &["link", "quantity", "username"]
        }
        OrderKind::MentionsMediaLikers => &["link", "quantity", "media"],
        OrderKind::CommentReplies => &["link", "username", "comments"],
        OrderKind::Poll => &["link", "quantity", "answer_number"],
        OrderKind::InvitesFromGroups => &["link", "quantity", "groups"],
        OrderKind::Subscriptions => &[
            "username",
            "min",
            "max",
            "posts",
            "old_posts",
            "delay",
            "expiry",
        ],
        OrderKind::WebTraffic => &[
            "link",
            "quantity",
            "country",
            "device",
            "type_of_traffic",
            "google_keyword",
            "referring_url",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> OrderFields {
        OrderFields {
            link: Some("https://x.y/p".into()),
            ..OrderFields::default()
        }
    }

    #[test]
    fn forms_are_inferred_from_the_fields() {
        let cases: Vec<(OrderFields, OrderKind)> = vec![
            (
                OrderFields {
                    quantity: Some(10),
                    ..fields()
                },
                OrderKind::Default,
            ),
            (fields(), OrderKind::Package),
            (
                OrderFields {
                    answer_number: Some(1),
                    quantity: Some(5),
                    ..fields()
                },
                OrderKind::Poll,
            ),
            (
                OrderFields {
                    usernames: Some(vec!["a".into()]),
                    ..fields()
                },
                OrderKind::MentionsCustomList,
            ),
            (
                OrderFields {
                    usernames: Some(vec!["a".into()]),
                    quantity: Some(5),
                    ..fields()
                },
                OrderKind::Mentions,
            ),
            (
                OrderFields {
                    comments: Some(vec!["a".into()]),
                    username: Some("u".into()),
                    ..fields()
                },
                OrderKind::CommentReplies,
            ),
            (
                OrderFields {
                    device: Some(1),
                    ..fields()
                },
                OrderKind::WebTraffic,
            ),
            (
                OrderFields {
                    min: Some(1),
                    link: None,
                    ..fields()
                },
                OrderKind::Subscriptions,
            ),
        ];
        for (f, kind) in cases {
            assert_eq!(f.infer_kind().unwrap(), kind, "{f:?}");
        }
        let ambiguous = OrderFields {
            username: Some("u".into()),
            quantity: Some(5),
            ..fields()
        };
        assert_eq!(ambiguous.infer_kind().unwrap_err().field(), Some("form"));
    }

    #[test]
    fn missing_and_stray_fields_are_named() {
        let stray = OrderFields {
            quantity: Some(10),
            comments: Some(vec!["x".into()]),
            ..fields()
        };
        let e = stray
            .into_request(1u64, Some(OrderKind::Default))
            .unwrap_err();
        assert_eq!(e.to_string(), "`comments`: is not taken by a default order");
        let e = fields()
            .into_request(1u64, Some(OrderKind::Poll))
            .unwrap_err();
        assert_eq!(e.to_string(), "`quantity`: is needed for a poll order");
        let e = OrderFields {
            quantity: Some(10),
            runs: Some(2),
            ..fields()
        }
        .into_request(1u64, None)
        .unwrap_err();
        assert_eq!(e.field(), Some("interval"));
        let web = OrderFields {
            quantity: Some(100),
            country: Some("US".into()),
            device: Some(9),
            type_of_traffic: Some(3),
            ..fields()
        };
        assert_eq!(
            web.into_request(1u64, None).unwrap_err().field(),
            Some("device")
        );
        let empty = OrderFields::default();
        assert!(empty.into_request(1u64, None).is_err());
        // The result is validated too.
        let zero = OrderFields {
            quantity: Some(0),
            ..fields()
        };
        assert_eq!(
            zero.into_request(1u64, None).unwrap_err().field(),
            Some("quantity")
        );
    }
}
