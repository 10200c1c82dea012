//! Orders from flat, optional fields: what keyword arguments, JSON objects
//! and command-line flags give.

use crate::error::ValidationError;
use crate::ids::ServiceId;
use crate::models::form::OrderForm;
use crate::models::order::{Device, DripFeed, Order, OrderRequest, TrafficSource};

/// Every field an order of any form may carry, each optional.
///
/// [`OrderFields::into_request`] turns them into a typed [`OrderRequest`]
/// of a given form, or of the form the fields themselves point to
/// ([`OrderFields::infer_form`]). A field the form needs and lacks, or a
/// field it does not take, is a [`ValidationError`] naming the field:
/// nothing given is ever silently dropped.
///
/// ```
/// use smmkit_provider_core::{OrderFields, OrderForm};
/// let f = OrderFields {
///     link: Some("https://instagram.com/p/x".into()),
///     comments: Some(vec!["Nice!".into(), "Wow".into()]),
///     ..OrderFields::default()
/// };
/// assert_eq!(f.infer_form()?, OrderForm::CustomComments);
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
    pub fn infer_form(&self) -> Result<OrderForm, ValidationError> {
        let has = |name| self.given().contains(&name);
        let kind = if has("country") || has("device") || has("type_of_traffic") {
            OrderForm::WebTraffic
        } else if has("min")
            || has("max")
            || has("delay")
            || has("posts")
            || has("old_posts")
            || has("expiry")
        {
            OrderForm::Subscriptions
        } else if has("answer_number") {
            OrderForm::Poll
        } else if has("keywords") {
            OrderForm::Seo
        } else if has("groups") {
            OrderForm::InvitesFromGroups
        } else if has("hashtags") {
            OrderForm::MentionsWithHashtags
        } else if has("hashtag") {
            OrderForm::MentionsHashtag
        } else if has("media") {
            OrderForm::MentionsMediaLikers
        } else if has("comments") && has("username") {
            OrderForm::CommentReplies
        } else if has("comments") {
            OrderForm::CustomComments
        } else if has("usernames") && has("quantity") {
            OrderForm::Mentions
        } else if has("usernames") {
            OrderForm::MentionsCustomList
        } else if has("username") {
            return Err(ValidationError::for_field(
                "form",
                "link, quantity and username fit both mentions_user_followers and comment_likes: name the form",
            ));
        } else if has("quantity") || has("runs") || has("interval") {
            OrderForm::Default
        } else if has("link") {
            OrderForm::Package
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
        kind: Option<OrderForm>,
    ) -> Result<OrderRequest, ValidationError> {
        let kind = match kind {
            Some(k) => k,
            None => self.infer_form()?,
        };
        let request = self.build(service.into(), kind)?;
        request.validate()?;
        Ok(request)
    }

    /// The order of form `kind` for `service`, not yet validated.
    pub(crate) fn build(
        self,
        service: ServiceId,
        kind: OrderForm,
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
            OrderForm::Default => Order::Default {
                link: link()?,
                quantity: quantity()?,
                dripfeed: match (f.runs, f.interval) {
                    (None, None) => None,
                    (Some(runs), Some(interval)) => Some(DripFeed { runs, interval }),
                    (Some(_), None) => return Err(need("interval")),
                    (None, Some(_)) => return Err(need("runs")),
                },
            },
            OrderForm::Package => Order::Package { link: link()? },
            OrderForm::Seo => Order::Seo {
                link: link()?,
                quantity: quantity()?,
                keywords: list(&f.keywords, "keywords")?,
            },
            OrderForm::CustomComments => Order::CustomComments {
                link: link()?,
                comments: list(&f.comments, "comments")?,
            },
            OrderForm::CustomCommentsPackage => Order::CustomCommentsPackage {
                link: link()?,
                comments: list(&f.comments, "comments")?,
            },
            OrderForm::Mentions => Order::Mentions {
                link: link()?,
                quantity: quantity()?,
                usernames: list(&f.usernames, "usernames")?,
            },
            OrderForm::MentionsWithHashtags => Order::MentionsWithHashtags {
                link: link()?,
                quantity: quantity()?,
                usernames: list(&f.usernames, "usernames")?,
                hashtags: list(&f.hashtags, "hashtags")?,
            },
            OrderForm::MentionsCustomList => Order::MentionsCustomList {
                link: link()?,
                usernames: list(&f.usernames, "usernames")?,
            },
            OrderForm::MentionsHashtag => Order::MentionsHashtag {
                link: link()?,
                quantity: quantity()?,
                hashtag: f.hashtag.clone().ok_or_else(|| need("hashtag"))?,
            },
            OrderForm::MentionsUserFollowers => Order::MentionsUserFollowers {
                link: link()?,
                quantity: quantity()?,
                username: username()?,
            },
            OrderForm::MentionsMediaLikers => Order::MentionsMediaLikers {
                link: link()?,
                quantity: quantity()?,
                media: f.media.clone().ok_or_else(|| need("media"))?,
            },
            OrderForm::CommentLikes => Order::CommentLikes {
                link: link()?,
                quantity: quantity()?,
                username: username()?,
            },
            OrderForm::CommentReplies => Order::CommentReplies {
                link: link()?,
                username: username()?,
                comments: list(&f.comments, "comments")?,
            },
            OrderForm::Poll => Order::Poll {
                link: link()?,
                quantity: quantity()?,
                answer_number: f.answer_number.ok_or_else(|| need("answer_number"))?,
            },
            OrderForm::InvitesFromGroups => Order::InvitesFromGroups {
                link: link()?,
                quantity: quantity()?,
                groups: list(&f.groups, "groups")?,
            },
            OrderForm::Subscriptions => Order::Subscriptions {
                username: username()?,
                min: f.min.ok_or_else(|| need("min"))?,
                max: f.max.ok_or_else(|| need("max"))?,
                posts: f.posts,
                old_posts: f.old_posts,
                delay: f.delay.unwrap_or(0),
                expiry: f.expiry.clone(),
            },
            OrderForm::WebTraffic => {
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
fn fields_of(kind: OrderForm) -> &'static [&'static str] {
    match kind {
        OrderForm::Default => &["link", "quantity", "runs", "interval"],
        OrderForm::Package => &["link"],
        OrderForm::Seo => &["link", "quantity", "keywords"],
        OrderForm::CustomComments | OrderForm::CustomCommentsPackage => &["link", "comments"],
        OrderForm::Mentions => &["link", "quantity", "usernames"],
        OrderForm::MentionsWithHashtags => &["link", "quantity", "usernames", "hashtags"],
        OrderForm::MentionsCustomList => &["link", "usernames"],
        OrderForm::MentionsHashtag => &["link", "quantity", "hashtag"],
        OrderForm::MentionsUserFollowers | OrderForm::CommentLikes => {
            &["link", "quantity", "username"]
        }
        OrderForm::MentionsMediaLikers => &["link", "quantity", "media"],
        OrderForm::CommentReplies => &["link", "username", "comments"],
        OrderForm::Poll => &["link", "quantity", "answer_number"],
        OrderForm::InvitesFromGroups => &["link", "quantity", "groups"],
        OrderForm::Subscriptions => &[
            "username",
            "min",
            "max",
            "posts",
            "old_posts",
            "delay",
            "expiry",
        ],
        OrderForm::WebTraffic => &[
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
        let cases: Vec<(OrderFields, OrderForm)> = vec![
            (
                OrderFields {
                    quantity: Some(10),
                    ..fields()
                },
                OrderForm::Default,
            ),
            (fields(), OrderForm::Package),
            (
                OrderFields {
                    answer_number: Some(1),
                    quantity: Some(5),
                    ..fields()
                },
                OrderForm::Poll,
            ),
            (
                OrderFields {
                    usernames: Some(vec!["a".into()]),
                    ..fields()
                },
                OrderForm::MentionsCustomList,
            ),
            (
                OrderFields {
                    usernames: Some(vec!["a".into()]),
                    quantity: Some(5),
                    ..fields()
                },
                OrderForm::Mentions,
            ),
            (
                OrderFields {
                    comments: Some(vec!["a".into()]),
                    username: Some("u".into()),
                    ..fields()
                },
                OrderForm::CommentReplies,
            ),
            (
                OrderFields {
                    device: Some(1),
                    ..fields()
                },
                OrderForm::WebTraffic,
            ),
            (
                OrderFields {
                    min: Some(1),
                    link: None,
                    ..fields()
                },
                OrderForm::Subscriptions,
            ),
        ];
        for (f, kind) in cases {
            assert_eq!(f.infer_form().unwrap(), kind, "{f:?}");
        }
        let ambiguous = OrderFields {
            username: Some("u".into()),
            quantity: Some(5),
            ..fields()
        };
        assert_eq!(ambiguous.infer_form().unwrap_err().field(), Some("form"));
    }

    #[test]
    fn missing_and_stray_fields_are_named() {
        let stray = OrderFields {
            quantity: Some(10),
            comments: Some(vec!["x".into()]),
            ..fields()
        };
        let e = stray
            .into_request(1u64, Some(OrderForm::Default))
            .unwrap_err();
        assert_eq!(e.to_string(), "`comments`: is not taken by a default order");
        let e = fields()
            .into_request(1u64, Some(OrderForm::Poll))
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
