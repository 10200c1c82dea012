//! A service in a panel's catalog, and its type.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::models::extras::Extras;

use crate::ids::ServiceId;
use crate::models::order::OrderKind;

/// The type of a service: it decides which fields an order needs.
///
/// Type names are an open set. Every type of the API v2 dialects decodes to
/// its variant (case, `_` and `-` do not matter); any other text decodes to
/// [`ServiceType::Other`], keeps its text, and can be ordered with any form.
///
/// ```
/// use smmkit_provider_core::{OrderKind, ServiceType};
/// assert_eq!(ServiceType::parse("Custom Comments"), ServiceType::CustomComments);
/// assert_eq!(ServiceType::parse("like_to_comment"), ServiceType::LikeToComment);
/// let odd = ServiceType::parse("Premium Magic");
/// assert_eq!(odd.as_str(), "Premium Magic");
/// assert_eq!(odd.order_kind(), None);
/// assert_eq!(ServiceType::Seo.order_kind(), Some(OrderKind::Seo));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceType {
    /// `Default`: link and quantity, optionally drip-fed.
    Default,
    /// `Package`: a link only.
    Package,
    /// `Package Regular` (fampage): a link only.
    PackageRegular,
    /// `SEO`: link, quantity and keywords.
    Seo,
    /// `Custom Comments`: link and comments, one per line.
    CustomComments,
    /// `Custom Comments Package`: link and comments.
    CustomCommentsPackage,
    /// `Mentions`: link, quantity and usernames.
    Mentions,
    /// `Mentions with Hashtags`: link, quantity, usernames and hashtags.
    MentionsWithHashtags,
    /// `Mentions Custom List`: link and usernames.
    MentionsCustomList,
    /// `Mentions Hashtag`: link, quantity and one hashtag.
    MentionsHashtag,
    /// `Mentions User Followers`: link, quantity and one username.
    MentionsUserFollowers,
    /// `Mentions Media Likers`: link, quantity and a media link.
    MentionsMediaLikers,
    /// `Comment Likes`: link, quantity and the comment author's username.
    CommentLikes,
    /// `Comment Replies`: link, username and comments.
    CommentReplies,
    /// `Poll`: link, quantity and the answer number.
    Poll,
    /// `Invites from Groups`: link, quantity and groups.
    InvitesFromGroups,
    /// `Subscriptions`: username, min, max, posts, old posts, delay, expiry.
    Subscriptions,
    /// `Web Traffic`: link, quantity and the traffic's origin.
    WebTraffic,
    /// `like` (fampage).
    Like,
    /// `subscribe` (fampage).
    Subscribe,
    /// `comment` (fampage).
    Comment,
    /// `like_to_comment` (fampage).
    LikeToComment,
    /// `dislike` (fampage).
    Dislike,
    /// `dislike_to_comment` (fampage).
    DislikeToComment,
    /// `repost` (fampage).
    Repost,
    /// `friend` (fampage).
    Friend,
    /// `vote` (fampage).
    Vote,
    /// `retweet` (fampage).
    Retweet,
    /// `follow` (fampage).
    Follow,
    /// `favorite` (fampage).
    Favorite,
    /// A type smmkit does not know, with the panel's text.
    Other(String),
}

/// Each known type with its canonical text and the order form it takes.
const KNOWN: [(ServiceType, &str, OrderKind); 30] = [
    (ServiceType::Default, "Default", OrderKind::Default),
    (ServiceType::Package, "Package", OrderKind::Package),
    (
        ServiceType::PackageRegular,
        "Package Regular",
        OrderKind::Package,
    ),
    (ServiceType::Seo, "SEO", OrderKind::Seo),
    (
        ServiceType::CustomComments,
        "Custom Comments",
        OrderKind::CustomComments,
    ),
    (
        ServiceType::CustomCommentsPackage,
        "Custom Comments Package",
        OrderKind::CustomCommentsPackage,
    ),
    (ServiceType::Mentions, "Mentions", OrderKind::Mentions),
    (
        ServiceType::MentionsWithHashtags,
        "Mentions with Hashtags",
        OrderKind::MentionsWithHashtags,
    ),
    (
        ServiceType::MentionsCustomList,
        "Mentions Custom List",
        OrderKind::MentionsCustomList,
    ),
    (
        ServiceType::MentionsHashtag,
        "Mentions Hashtag",
        OrderKind::MentionsHashtag,
    ),
    (
        ServiceType::MentionsUserFollowers,
        "Mentions User Followers",
        OrderKind::MentionsUserFollowers,
    ),
    (
        ServiceType::MentionsMediaLikers,
        "Mentions Media Likers",
        OrderKind::MentionsMediaLikers,
    ),
    (
        ServiceType::CommentLikes,
        "Comment Likes",
        OrderKind::CommentLikes,
    ),
    (
        ServiceType::CommentReplies,
        "Comment Replies",
        OrderKind::CommentReplies,
    ),
    (ServiceType::Poll, "Poll", OrderKind::Poll),
    (
        ServiceType::InvitesFromGroups,
        "Invites from Groups",
        OrderKind::InvitesFromGroups,
    ),
    (
        ServiceType::Subscriptions,
        "Subscriptions",
        OrderKind::Subscriptions,
    ),
    (
        ServiceType::WebTraffic,
        "Web Traffic",
        OrderKind::WebTraffic,
    ),
    (ServiceType::Like, "like", OrderKind::Default),
    (ServiceType::Subscribe, "subscribe", OrderKind::Default),
    (ServiceType::Comment, "comment", OrderKind::Default),
    (
        ServiceType::LikeToComment,
        "like_to_comment",
        OrderKind::Default,
    ),
    (ServiceType::Dislike, "dislike", OrderKind::Default),
    (
        ServiceType::DislikeToComment,
        "dislike_to_comment",
        OrderKind::Default,
    ),
    (ServiceType::Repost, "repost", OrderKind::Default),
    (ServiceType::Friend, "friend", OrderKind::Default),
    (ServiceType::Vote, "vote", OrderKind::Default),
    (ServiceType::Retweet, "retweet", OrderKind::Default),
    (ServiceType::Follow, "follow", OrderKind::Default),
    (ServiceType::Favorite, "favorite", OrderKind::Default),
];

impl ServiceType {
    /// Every known type (not [`ServiceType::Other`]).
    pub fn known() -> impl Iterator<Item = ServiceType> {
        KNOWN.into_iter().map(|(t, _, _)| t)
    }

    /// Reads a type name as a panel sends it.
    pub fn parse(text: &str) -> ServiceType {
        KNOWN
            .iter()
            .find(|(_, name, _)| *name == text)
            .or_else(|| {
                KNOWN
                    .iter()
                    .find(|(_, name, _)| super::same_words(name, text))
            })
            .map_or_else(
                || ServiceType::Other(text.to_owned()),
                |(t, _, _)| t.clone(),
            )
    }

    fn entry(&self) -> Option<&'static (ServiceType, &'static str, OrderKind)> {
        KNOWN.iter().find(|(t, _, _)| t == self)
    }

    /// The type's name: the canonical text of a known type, the panel's
    /// text of an unknown one.
    pub fn as_str(&self) -> &str {
        match self {
            ServiceType::Other(text) => text,
            known => known.entry().map_or("", |(_, name, _)| name),
        }
    }

    /// The order form this type takes; `None` for an unknown type, which
    /// accepts any form (a plain link + quantity order usually).
    pub fn order_kind(&self) -> Option<OrderKind> {
        self.entry().map(|(_, _, kind)| *kind)
    }

    /// Whether smmkit knows this type.
    pub fn is_known(&self) -> bool {
        !matches!(self, ServiceType::Other(_))
    }
}

impl fmt::Display for ServiceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ServiceType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl From<&str> for ServiceType {
    fn from(text: &str) -> Self {
        ServiceType::parse(text)
    }
}

/// A service of a panel's catalog.
///
/// ```
/// # use smmkit_provider_core::wire::decode_services;
/// let body = br#"[{"service":1,"name":"Followers","type":"Default","category":"Instagram",
///                 "rate":"0.90","min":"10","max":"5000","refill":true,"cancel":"1","network":"IG"}]"#;
/// let services = decode_services(body)?;
/// let s = &services[0];
/// assert_eq!(s.rate.to_string(), "0.90");
/// assert_eq!(s.cost(1500).unwrap().to_string(), "1.35");
/// assert!(s.refill && s.cancel);
/// assert_eq!(s.extra["network"], "IG");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    /// The service id (`service`).
    pub id: ServiceId,
    /// The name, as sent (HTML escapes are kept).
    pub name: String,
    /// The type (`type`); `Default` when the panel leaves it out.
    #[serde(rename = "type")]
    pub kind: ServiceType,
    /// The category, as sent; empty when the panel leaves it out.
    pub category: String,
    /// The price per 1000, exact.
    pub rate: Decimal,
    /// The smallest quantity an order may have.
    pub min: u64,
    /// The largest quantity an order may have.
    pub max: u64,
    /// Refills are offered; `false` when the panel does not say.
    pub refill: bool,
    /// Cancelling is offered (`cancel` or `canceling_is_available`);
    /// `false` when the panel does not say.
    pub cancel: bool,
    /// Drip-feed is offered, when the panel says.
    pub dripfeed: Option<bool>,
    /// The description (`description`, else `desc`), when given.
    pub description: Option<String>,
    /// Every other field the panel sent, as sent.
    pub extra: Extras,
}

impl Service {
    /// The exact price of `quantity` units: `rate × quantity / 1000`,
    /// unrounded. `None` only if the result is beyond what a `Decimal` holds.
    ///
    /// ```
    /// # use smmkit_provider_core::wire::decode_services;
    /// let s = &decode_services(br#"[{"service":3,"name":"x","rate":"18.6640","min":1,"max":9}]"#)?[0];
    /// assert_eq!(s.cost(3).unwrap().to_string(), "0.055992");
    /// # Ok::<(), smmkit_provider_core::Error>(())
    /// ```
    pub fn cost(&self, quantity: u64) -> Option<Decimal> {
        let mut cost = self
            .rate
            .checked_mul(Decimal::from(quantity))?
            .checked_div(Decimal::ONE_THOUSAND)?
            .normalize();
        // Written with at least the rate's decimals, as money is: 1.30, not 1.3.
        if cost.scale() < self.rate.scale() {
            cost.rescale(self.rate.scale());
        }
        Some(cost)
    }
}
