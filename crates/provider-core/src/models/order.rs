//! Order requests: one typed form per service type, checked before sending.

use std::fmt;

use serde::Serialize;

use crate::error::ValidationError;
use crate::ids::ServiceId;
use crate::models::service::{Service, ServiceType};
use crate::redact::Redactor;

/// The form of an order: which fields it carries.
///
/// Each [`ServiceType`] takes one form ([`ServiceType::order_kind`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderKind {
    /// Link and quantity, optionally drip-fed.
    Default,
    /// A link only.
    Package,
    /// Link, quantity and keywords.
    Seo,
    /// Link and comments; the quantity is the number of comments.
    CustomComments,
    /// Link and comments, sold as a package.
    CustomCommentsPackage,
    /// Link, quantity and usernames.
    Mentions,
    /// Link, quantity, usernames and hashtags.
    MentionsWithHashtags,
    /// Link and usernames; the quantity is the number of usernames.
    MentionsCustomList,
    /// Link, quantity and one hashtag.
    MentionsHashtag,
    /// Link, quantity and one username whose followers are mentioned.
    MentionsUserFollowers,
    /// Link, quantity and a media link whose likers are mentioned.
    MentionsMediaLikers,
    /// Link, quantity and the username of the comment's author.
    CommentLikes,
    /// Link, username and comments.
    CommentReplies,
    /// Link, quantity and the number of the answer to vote for.
    Poll,
    /// Link, quantity and groups.
    InvitesFromGroups,
    /// A subscription to a username's future posts.
    Subscriptions,
    /// Link, quantity and where the traffic comes from.
    WebTraffic,
}

impl OrderKind {
    /// Every form.
    pub const ALL: [OrderKind; 17] = [
        OrderKind::Default,
        OrderKind::Package,
        OrderKind::Seo,
        OrderKind::CustomComments,
        OrderKind::CustomCommentsPackage,
        OrderKind::Mentions,
        OrderKind::MentionsWithHashtags,
        OrderKind::MentionsCustomList,
        OrderKind::MentionsHashtag,
        OrderKind::MentionsUserFollowers,
        OrderKind::MentionsMediaLikers,
        OrderKind::CommentLikes,
        OrderKind::CommentReplies,
        OrderKind::Poll,
        OrderKind::InvitesFromGroups,
        OrderKind::Subscriptions,
        OrderKind::WebTraffic,
    ];

    /// The stable name of the form, as the bindings spell it.
    ///
    /// ```
    /// use smmkit_provider_core::OrderKind;
    /// assert_eq!(OrderKind::CustomComments.as_str(), "custom_comments");
    /// assert_eq!(OrderKind::parse("custom_comments"), Some(OrderKind::CustomComments));
    /// assert_eq!(OrderKind::parse("nope"), None);
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            OrderKind::Default => "default",
            OrderKind::Package => "package",
            OrderKind::Seo => "seo",
            OrderKind::CustomComments => "custom_comments",
            OrderKind::CustomCommentsPackage => "custom_comments_package",
            OrderKind::Mentions => "mentions",
            OrderKind::MentionsWithHashtags => "mentions_with_hashtags",
            OrderKind::MentionsCustomList => "mentions_custom_list",
            OrderKind::MentionsHashtag => "mentions_hashtag",
            OrderKind::MentionsUserFollowers => "mentions_user_followers",
            OrderKind::MentionsMediaLikers => "mentions_media_likers",
            OrderKind::CommentLikes => "comment_likes",
            OrderKind::CommentReplies => "comment_replies",
            OrderKind::Poll => "poll",
            OrderKind::InvitesFromGroups => "invites_from_groups",
            OrderKind::Subscriptions => "subscriptions",
            OrderKind::WebTraffic => "web_traffic",
        }
    }

    /// Reads a form's name (see [`OrderKind::as_str`]).
    pub fn parse(name: &str) -> Option<OrderKind> {
        OrderKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Reads a form's name as a user writes it: its own name, in any case
    /// and with spaces or dashes for `_` (`custom comments`, `Web-Traffic`);
    /// an error listing the forms otherwise.
    ///
    /// ```
    /// use smmkit_provider_core::OrderKind;
    /// assert_eq!(OrderKind::named("Custom Comments")?, OrderKind::CustomComments);
    /// assert!(OrderKind::named("teleport").unwrap_err().to_string().contains("one of default, package"));
    /// # Ok::<(), smmkit_provider_core::ValidationError>(())
    /// ```
    pub fn named(name: &str) -> Result<OrderKind, ValidationError> {
        OrderKind::ALL
            .into_iter()
            .find(|k| super::same_words(k.as_str(), name))
            .ok_or_else(|| {
                let forms: Vec<&str> = OrderKind::ALL.iter().map(|k| k.as_str()).collect();
                ValidationError::for_field(
                    "form",
                    format!("`{name}` is not a form: one of {}", forms.join(", ")),
                )
            })
    }
}

impl fmt::Display for OrderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Drip-feed: deliver `quantity` in each of `runs` runs, `interval`
/// minutes apart. The panel charges for `quantity × runs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DripFeed {
    /// How many runs.
    pub runs: u32,
    /// Minutes between runs.
    pub interval: u32,
}

/// The device web traffic appears to come from (`device`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Device {
    /// `1`: desktop.
    Desktop,
    /// `2`: mobile, Android.
    Android,
    /// `3`: mobile, iOS.
    Ios,
    /// `4`: mixed mobile.
    MixedMobile,
    /// `5`: mixed mobile and desktop.
    Mixed,
}

impl Device {
    /// The panel's number for the device.
    pub const fn code(self) -> u8 {
        match self {
            Device::Desktop => 1,
            Device::Android => 2,
            Device::Ios => 3,
            Device::MixedMobile => 4,
            Device::Mixed => 5,
        }
    }

    /// The device for a panel's number (1 to 5).
    pub const fn from_code(code: u8) -> Option<Device> {
        match code {
            1 => Some(Device::Desktop),
            2 => Some(Device::Android),
            3 => Some(Device::Ios),
            4 => Some(Device::MixedMobile),
            5 => Some(Device::Mixed),
            _ => None,
        }
    }
}

/// Where web traffic says it comes from (`type_of_traffic` and its field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type_of_traffic")]
pub enum TrafficSource {
    /// `1`: from a Google search for this keyword.
    GoogleKeyword {
        /// The keyword (`google_keyword`).
        google_keyword: String,
    },
    /// `2`: from this referring page.
    CustomReferrer {
        /// The referrer (`referring_url`).
        referring_url: String,
    },
    /// `3`: with no referrer.
    Blank,
}

impl TrafficSource {
    /// The panel's number for the source.
    pub const fn code(&self) -> u8 {
        match self {
            TrafficSource::GoogleKeyword { .. } => 1,
            TrafficSource::CustomReferrer { .. } => 2,
            TrafficSource::Blank => 3,
        }
    }
}

/// The fields of an order, one variant per form.
///
/// Lists (`comments`, `usernames`, `keywords`, `hashtags`, `groups`) are
/// sent one item per line; an item may not hold a line break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
#[allow(missing_docs)] // the fields are the panel's parameters, named as sent
pub enum Order {
    /// Link and quantity, optionally drip-fed.
    Default {
        link: String,
        quantity: u64,
        dripfeed: Option<DripFeed>,
    },
    /// A link only.
    Package { link: String },
    /// Link, quantity and keywords.
    Seo {
        link: String,
        quantity: u64,
        keywords: Vec<String>,
    },
    /// Link and comments; the quantity is the number of comments.
    CustomComments { link: String, comments: Vec<String> },
    /// Link and comments, sold as a package.
    CustomCommentsPackage { link: String, comments: Vec<String> },
    /// Link, quantity and usernames.
    Mentions {
        link: String,
        quantity: u64,
        usernames: Vec<String>,
    },
    /// Link, quantity, usernames and hashtags.
    MentionsWithHashtags {
        link: String,
        quantity: u64,
        usernames: Vec<String>,
        hashtags: Vec<String>,
    },
    /// Link and usernames; the quantity is the number of usernames.
    MentionsCustomList {
        link: String,
        usernames: Vec<String>,
    },
    /// Link, quantity and one hashtag.
    MentionsHashtag {
        link: String,
        quantity: u64,
        hashtag: String,
    },
    /// Link, quantity and the username whose followers are mentioned.
    MentionsUserFollowers {
        link: String,
        quantity: u64,
        username: String,
    },
    /// Link, quantity and the media whose likers are mentioned.
    MentionsMediaLikers {
        link: String,
        quantity: u64,
        media: String,
    },
    /// Link, quantity and the username of the comment's author.
    CommentLikes {
        link: String,
        quantity: u64,
        username: String,
    },
    /// Link, username and comments.
    CommentReplies {
        link: String,
        username: String,
        comments: Vec<String>,
    },
    /// Link, quantity and the answer to vote for (1 is the first).
    Poll {
        link: String,
        quantity: u64,
        answer_number: u32,
    },
    /// Link, quantity and groups.
    InvitesFromGroups {
        link: String,
        quantity: u64,
        groups: Vec<String>,
    },
    /// New posts of `username` get between `min` and `max` each; `posts`
    /// limits how many posts (`None`: unlimited), `old_posts` how many
    /// existing posts are included, `delay` is in minutes and `expiry` a
    /// date written `dd/mm/yyyy`.
    Subscriptions {
        username: String,
        min: u64,
        max: u64,
        posts: Option<u64>,
        old_posts: Option<u64>,
        delay: u32,
        expiry: Option<String>,
    },
    /// Link, quantity, country, device and the traffic's source.
    WebTraffic {
        link: String,
        quantity: u64,
        country: String,
        device: Device,
        traffic: TrafficSource,
    },
}

/// An order to place: a service and the fields its type needs.
///
/// ```
/// use smmkit_provider_core::{DripFeed, Order, OrderRequest, ServiceId};
/// let order = OrderRequest::new(ServiceId(1), Order::Default {
///     link: "https://instagram.com/instagram".into(),
///     quantity: 100,
///     dripfeed: Some(DripFeed { runs: 5, interval: 30 }),
/// });
/// order.validate()?;
/// assert_eq!(order.charged_units(), Some(500));
/// assert!(order.params().contains(&("runs", "5".to_string())));
/// # Ok::<(), smmkit_provider_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderRequest {
    /// The service to order.
    pub service: ServiceId,
    /// The order's fields.
    #[serde(flatten)]
    pub order: Order,
}

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

fn lines(items: &[String]) -> String {
    items.join("\n")
}

fn count(items: &[String]) -> u64 {
    u64::try_from(items.len()).unwrap_or(u64::MAX)
}

impl OrderRequest {
    /// An order for `service` with these fields.
    pub fn new(service: impl Into<ServiceId>, order: Order) -> Self {
        OrderRequest {
            service: service.into(),
            order,
        }
    }

    /// The most common order: `quantity` to `link`.
    ///
    /// ```
    /// use smmkit_provider_core::OrderRequest;
    /// let o = OrderRequest::link_quantity(12u64, "https://t.me/channel", 500);
    /// assert_eq!(o.params()[0], ("service", "12".to_string()));
    /// ```
    pub fn link_quantity(
        service: impl Into<ServiceId>,
        link: impl Into<String>,
        quantity: u64,
    ) -> Self {
        OrderRequest::new(
            service,
            Order::Default {
                link: link.into(),
                quantity,
                dripfeed: None,
            },
        )
    }

    /// The form of the order.
    pub fn kind(&self) -> OrderKind {
        match &self.order {
            Order::Default { .. } => OrderKind::Default,
            Order::Package { .. } => OrderKind::Package,
            Order::Seo { .. } => OrderKind::Seo,
            Order::CustomComments { .. } => OrderKind::CustomComments,
            Order::CustomCommentsPackage { .. } => OrderKind::CustomCommentsPackage,
            Order::Mentions { .. } => OrderKind::Mentions,
            Order::MentionsWithHashtags { .. } => OrderKind::MentionsWithHashtags,
            Order::MentionsCustomList { .. } => OrderKind::MentionsCustomList,
            Order::MentionsHashtag { .. } => OrderKind::MentionsHashtag,
            Order::MentionsUserFollowers { .. } => OrderKind::MentionsUserFollowers,
            Order::MentionsMediaLikers { .. } => OrderKind::MentionsMediaLikers,
            Order::CommentLikes { .. } => OrderKind::CommentLikes,
            Order::CommentReplies { .. } => OrderKind::CommentReplies,
            Order::Poll { .. } => OrderKind::Poll,
            Order::InvitesFromGroups { .. } => OrderKind::InvitesFromGroups,
            Order::Subscriptions { .. } => OrderKind::Subscriptions,
            Order::WebTraffic { .. } => OrderKind::WebTraffic,
        }
    }

    /// The link the order is for (a subscription has a username instead).
    pub fn link(&self) -> Option<&str> {
        match &self.order {
            Order::Default { link, .. }
            | Order::Package { link }
            | Order::Seo { link, .. }
            | Order::CustomComments { link, .. }
            | Order::CustomCommentsPackage { link, .. }
            | Order::Mentions { link, .. }
            | Order::MentionsWithHashtags { link, .. }
            | Order::MentionsCustomList { link, .. }
            | Order::MentionsHashtag { link, .. }
            | Order::MentionsUserFollowers { link, .. }
            | Order::MentionsMediaLikers { link, .. }
            | Order::CommentLikes { link, .. }
            | Order::CommentReplies { link, .. }
            | Order::Poll { link, .. }
            | Order::InvitesFromGroups { link, .. }
            | Order::WebTraffic { link, .. } => Some(link),
            Order::Subscriptions { .. } => None,
        }
    }

    /// The quantity one run of the order delivers, which the service's
    /// min and max bound: the `quantity`, or the number of comments or
    /// usernames where those set it. `None` for packages and subscriptions.
    pub fn units(&self) -> Option<u64> {
        match &self.order {
            Order::Default { quantity, .. }
            | Order::Seo { quantity, .. }
            | Order::Mentions { quantity, .. }
            | Order::MentionsWithHashtags { quantity, .. }
            | Order::MentionsHashtag { quantity, .. }
            | Order::MentionsUserFollowers { quantity, .. }
            | Order::MentionsMediaLikers { quantity, .. }
            | Order::CommentLikes { quantity, .. }
            | Order::Poll { quantity, .. }
            | Order::InvitesFromGroups { quantity, .. }
            | Order::WebTraffic { quantity, .. } => Some(*quantity),
            Order::CustomComments { comments, .. } | Order::CommentReplies { comments, .. } => {
                Some(count(comments))
            }
            Order::MentionsCustomList { usernames, .. } => Some(count(usernames)),
            Order::Package { .. }
            | Order::CustomCommentsPackage { .. }
            | Order::Subscriptions { .. } => None,
        }
    }

    /// The quantity the panel charges for: [`units`](Self::units) times the
    /// drip-feed runs.
    pub fn charged_units(&self) -> Option<u64> {
        let units = self.units()?;
        match &self.order {
            Order::Default {
                dripfeed: Some(d), ..
            } => units.checked_mul(u64::from(d.runs)),
            _ => Some(units),
        }
    }

    /// The parameters sent to the panel besides `key` and `action`.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![("service", self.service.to_string())];
        if let Some(link) = self.link() {
            p.push(("link", link.to_owned()));
        }
        let has_quantity_param = !matches!(
            self.order,
            Order::Package { .. }
                | Order::CustomComments { .. }
                | Order::CustomCommentsPackage { .. }
                | Order::MentionsCustomList { .. }
                | Order::CommentReplies { .. }
                | Order::Subscriptions { .. }
        );
        if has_quantity_param && let Some(q) = self.units() {
            p.push(("quantity", q.to_string()));
        }
        match &self.order {
            Order::Default { dripfeed, .. } => {
                if let Some(d) = dripfeed {
                    p.push(("runs", d.runs.to_string()));
                    p.push(("interval", d.interval.to_string()));
                }
            }
            Order::Package { .. } => {}
            Order::Seo { keywords, .. } => p.push(("keywords", lines(keywords))),
            Order::CustomComments { comments, .. }
            | Order::CustomCommentsPackage { comments, .. } => {
                p.push(("comments", lines(comments)));
            }
            Order::Mentions { usernames, .. } | Order::MentionsCustomList { usernames, .. } => {
                p.push(("usernames", lines(usernames)));
            }
            Order::MentionsWithHashtags {
                usernames,
                hashtags,
                ..
            } => {
                p.push(("usernames", lines(usernames)));
                p.push(("hashtags", lines(hashtags)));
            }
            Order::MentionsHashtag { hashtag, .. } => p.push(("hashtag", hashtag.clone())),
            Order::MentionsUserFollowers { username, .. }
            | Order::CommentLikes { username, .. } => {
                p.push(("username", username.clone()));
            }
            Order::MentionsMediaLikers { media, .. } => p.push(("media", media.clone())),
            Order::CommentReplies {
                username, comments, ..
            } => {
                p.push(("username", username.clone()));
                p.push(("comments", lines(comments)));
            }
            Order::Poll { answer_number, .. } => {
                p.push(("answer_number", answer_number.to_string()))
            }
            Order::InvitesFromGroups { groups, .. } => p.push(("groups", lines(groups))),
            Order::Subscriptions {
                username,
                min,
                max,
                posts,
                old_posts,
                delay,
                expiry,
            } => {
                p.push(("username", username.clone()));
                p.push(("min", min.to_string()));
                p.push(("max", max.to_string()));
                if let Some(posts) = posts {
                    p.push(("posts", posts.to_string()));
                }
                if let Some(old) = old_posts {
                    p.push(("old_posts", old.to_string()));
                }
                p.push(("delay", delay.to_string()));
                if let Some(expiry) = expiry {
                    p.push(("expiry", expiry.clone()));
                }
            }
            Order::WebTraffic {
                country,
                device,
                traffic,
                ..
            } => {
                p.push(("country", country.clone()));
                p.push(("device", device.code().to_string()));
                p.push(("type_of_traffic", traffic.code().to_string()));
                match traffic {
                    TrafficSource::GoogleKeyword { google_keyword } => {
                        p.push(("google_keyword", google_keyword.clone()))
                    }
                    TrafficSource::CustomReferrer { referring_url } => {
                        p.push(("referring_url", referring_url.clone()))
                    }
                    TrafficSource::Blank => {}
                }
            }
        }
        p
    }

    /// Checks the order on its own: a link with no spaces, a quantity of at
    /// least 1, every field its form needs present and well formed.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let Some(link) = self.link() {
            check_link("link", link)?;
        }
        // Where a list sets the quantity, the list's own check says more.
        let list_counts = matches!(
            self.kind(),
            OrderKind::CustomComments | OrderKind::CommentReplies | OrderKind::MentionsCustomList
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
            Order::MentionsMediaLikers { media, .. } => check_link("media", media)?,
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
                        check_link("referring_url", referring_url)?
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
        if let Some(expected) = service.kind.order_kind()
            && expected != self.kind()
        {
            return Err(ValidationError::for_field(
                "type",
                format!(
                    "service {} is of type `{}` and takes a `{expected}` order, not `{}`",
                    service.id,
                    service.kind,
                    self.kind()
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
        let field = match self.kind() {
            OrderKind::CustomComments | OrderKind::CommentReplies => "comments",
            OrderKind::MentionsCustomList => "usernames",
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

    /// Replaces `secret` in every text of the request.
    pub(crate) fn redact(&mut self, redactor: &Redactor) {
        let scrub = |s: &mut String| redactor.scrub(s);
        let scrub_all = |v: &mut Vec<String>| v.iter_mut().for_each(scrub);
        match &mut self.order {
            Order::Default { link, .. } | Order::Package { link } => scrub(link),
            Order::Seo {
                link,
                keywords: list,
                ..
            }
            | Order::CustomComments {
                link,
                comments: list,
            }
            | Order::CustomCommentsPackage {
                link,
                comments: list,
            }
            | Order::Mentions {
                link,
                usernames: list,
                ..
            }
            | Order::MentionsCustomList {
                link,
                usernames: list,
            }
            | Order::InvitesFromGroups {
                link, groups: list, ..
            } => {
                scrub(link);
                scrub_all(list);
            }
            Order::MentionsWithHashtags {
                link,
                usernames,
                hashtags,
                ..
            } => {
                scrub(link);
                scrub_all(usernames);
                scrub_all(hashtags);
            }
            Order::MentionsHashtag {
                link,
                hashtag: text,
                ..
            }
            | Order::MentionsUserFollowers {
                link,
                username: text,
                ..
            }
            | Order::MentionsMediaLikers {
                link, media: text, ..
            }
            | Order::CommentLikes {
                link,
                username: text,
                ..
            } => {
                scrub(link);
                scrub(text);
            }
            Order::CommentReplies {
                link,
                username,
                comments,
            } => {
                scrub(link);
                scrub(username);
                scrub_all(comments);
            }
            Order::Poll { link, .. } => scrub(link),
            Order::Subscriptions {
                username, expiry, ..
            } => {
                scrub(username);
                if let Some(e) = expiry {
                    scrub(e);
                }
            }
            Order::WebTraffic {
                link,
                country,
                traffic,
                ..
            } => {
                scrub(link);
                scrub(country);
                match traffic {
                    TrafficSource::GoogleKeyword { google_keyword: t }
                    | TrafficSource::CustomReferrer { referring_url: t } => {
                        scrub(t);
                    }
                    TrafficSource::Blank => {}
                }
            }
        }
    }
}

impl fmt::Display for OrderRequest {
    /// A short line: `service 12, default order, 500 to https://t.me/channel`;
    /// drip-feed as `500 × 3 runs every 20 min (1500)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service {}, {} order", self.service, self.kind())?;
        match (&self.order, self.units(), self.charged_units()) {
            (
                Order::Default {
                    dripfeed: Some(d), ..
                },
                Some(units),
                charged,
            ) => {
                write!(f, ", {units} × {} runs every {} min", d.runs, d.interval)?;
                if let Some(all) = charged {
                    write!(f, " ({all})")?;
                }
            }
            (_, _, Some(units)) => write!(f, ", {units}")?,
            _ => {}
        }
        match (&self.order, self.link()) {
            (Order::Subscriptions { username, .. }, _) => write!(f, " for {}", shorten(username)),
            (_, Some(link)) => write!(f, " to {}", shorten(link)),
            (_, None) => Ok(()),
        }
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 80 {
        let mut s: String = text.chars().take(79).collect();
        s.push('…');
        s
    } else {
        text.to_owned()
    }
}

fn check_link(field: &str, link: &str) -> Result<(), ValidationError> {
    if link.trim().is_empty() {
        return Err(ValidationError::for_field(field, "is empty"));
    }
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValidationError::for_field(
            field,
            "must not contain spaces or line breaks",
        ));
    }
    Ok(())
}

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

/// Splits text into list items, one per line, dropping blank lines, as the
/// command line and the bindings do when given one string for a list.
///
/// ```
/// assert_eq!(smmkit_provider_core::split_lines("great post\r\n\n  nice  \n"), vec!["great post", "nice"]);
/// ```
pub fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_form_sends_its_parameters() {
        let cc = req(Order::CustomComments {
            link: "https://x/p".into(),
            comments: vec!["a b".into(), "c".into()],
        });
        assert_eq!(
            cc.params(),
            vec![
                ("service", "7".into()),
                ("link", "https://x/p".into()),
                ("comments", "a b\nc".into())
            ]
        );
        assert_eq!(cc.units(), Some(2));

        let sub = req(Order::Subscriptions {
            username: "alice".into(),
            min: 10,
            max: 20,
            posts: None,
            old_posts: Some(2),
            delay: 30,
            expiry: Some("31/12/2027".into()),
        });
        assert_eq!(
            sub.params(),
            vec![
                ("service", "7".into()),
                ("username", "alice".into()),
                ("min", "10".into()),
                ("max", "20".into()),
                ("old_posts", "2".into()),
                ("delay", "30".into()),
                ("expiry", "31/12/2027".into()),
            ]
        );

        let web = req(Order::WebTraffic {
            link: "https://site".into(),
            quantity: 1000,
            country: "US".into(),
            device: Device::Ios,
            traffic: TrafficSource::GoogleKeyword {
                google_keyword: "best shoes".into(),
            },
        });
        assert_eq!(
            web.params(),
            vec![
                ("service", "7".into()),
                ("link", "https://site".into()),
                ("quantity", "1000".into()),
                ("country", "US".into()),
                ("device", "3".into()),
                ("type_of_traffic", "1".into()),
                ("google_keyword", "best shoes".into()),
            ]
        );

        let poll = req(Order::Poll {
            link: "https://t.me/c/1".into(),
            quantity: 50,
            answer_number: 2,
        });
        assert!(poll.params().contains(&("answer_number", "2".into())));
        let pkg = req(Order::Package {
            link: "https://x".into(),
        });
        assert_eq!(pkg.params().len(), 2, "a package sends no quantity");
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

    #[test]
    fn drip_feed_shows_its_runs() {
        let d = req(Order::Default {
            link: "https://t.me/c".into(),
            quantity: 500,
            dripfeed: Some(DripFeed {
                runs: 3,
                interval: 20,
            }),
        });
        assert_eq!(
            d.to_string(),
            "service 7, default order, 500 × 3 runs every 20 min (1500) to https://t.me/c"
        );
    }

    #[test]
    fn display_is_short_and_has_no_secrets() {
        let mut o = OrderRequest::link_quantity(12u64, "https://t.me/c?k=TOPSECRET", 500);
        assert_eq!(
            o.to_string(),
            "service 12, default order, 500 to https://t.me/c?k=TOPSECRET"
        );
        o.redact(&Redactor::new("TOPSECRET"));
        assert_eq!(
            o.to_string(),
            "service 12, default order, 500 to https://t.me/c?k=[redacted]"
        );
    }
}
