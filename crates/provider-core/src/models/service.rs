//! A service in a panel's catalog, and its type.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::models::extras::Extras;

use crate::ids::ServiceId;
use crate::models::form::OrderForm;

/// The type of a service: it decides which fields an order needs.
///
/// Type names are an open set. Every type of the API v2 dialects decodes to
/// its variant (case, `_` and `-` do not matter); any other text decodes to
/// [`ServiceType::Other`], keeps its text, and can be ordered with any form.
///
/// ```
/// use smmkit_provider_core::{OrderForm, ServiceType};
/// assert_eq!(ServiceType::parse("Custom Comments"), ServiceType::CustomComments);
/// assert_eq!(ServiceType::parse("like_to_comment"), ServiceType::LikeToComment);
/// let odd = ServiceType::parse("Premium Magic");
/// assert_eq!(odd.as_str(), "Premium Magic");
/// assert_eq!(odd.order_form(), None);
/// assert_eq!(ServiceType::Seo.order_form(), Some(OrderForm::Seo));
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
const KNOWN: [(ServiceType, &str, OrderForm); 30] = [
    (ServiceType::Default, "Default", OrderForm::Default),
    (ServiceType::Package, "Package", OrderForm::Package),
    (
        ServiceType::PackageRegular,
        "Package Regular",
        OrderForm::Package,
    ),
    (ServiceType::Seo, "SEO", OrderForm::Seo),
    (
        ServiceType::CustomComments,
        "Custom Comments",
        OrderForm::CustomComments,
    ),
    (
        ServiceType::CustomCommentsPackage,
        "Custom Comments Package",
        OrderForm::CustomCommentsPackage,
    ),
    (ServiceType::Mentions, "Mentions", OrderForm::Mentions),
    (
        ServiceType::MentionsWithHashtags,
        "Mentions with Hashtags",
        OrderForm::MentionsWithHashtags,
    ),
    (
        ServiceType::MentionsCustomList,
        "Mentions Custom List",
        OrderForm::MentionsCustomList,
    ),
    (
        ServiceType::MentionsHashtag,
        "Mentions Hashtag",
        OrderForm::MentionsHashtag,
    ),
    (
        ServiceType::MentionsUserFollowers,
        "Mentions User Followers",
        OrderForm::MentionsUserFollowers,
    ),
    (
        ServiceType::MentionsMediaLikers,
        "Mentions Media Likers",
        OrderForm::MentionsMediaLikers,
    ),
    (
        ServiceType::CommentLikes,
        "Comment Likes",
        OrderForm::CommentLikes,
    ),
    (
        ServiceType::CommentReplies,
        "Comment Replies",
        OrderForm::CommentReplies,
    ),
    (ServiceType::Poll, "Poll", OrderForm::Poll),
    (
        ServiceType::InvitesFromGroups,
        "Invites from Groups",
        OrderForm::InvitesFromGroups,
    ),
    (
        ServiceType::Subscriptions,
        "Subscriptions",
        OrderForm::Subscriptions,
    ),
    (
        ServiceType::WebTraffic,
        "Web Traffic",
        OrderForm::WebTraffic,
    ),
    (ServiceType::Like, "like", OrderForm::Default),
    (ServiceType::Subscribe, "subscribe", OrderForm::Default),
    (ServiceType::Comment, "comment", OrderForm::Default),
    (
        ServiceType::LikeToComment,
        "like_to_comment",
        OrderForm::Default,
    ),
    (ServiceType::Dislike, "dislike", OrderForm::Default),
    (
        ServiceType::DislikeToComment,
        "dislike_to_comment",
        OrderForm::Default,
    ),
    (ServiceType::Repost, "repost", OrderForm::Default),
    (ServiceType::Friend, "friend", OrderForm::Default),
    (ServiceType::Vote, "vote", OrderForm::Default),
    (ServiceType::Retweet, "retweet", OrderForm::Default),
    (ServiceType::Follow, "follow", OrderForm::Default),
    (ServiceType::Favorite, "favorite", OrderForm::Default),
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

    fn entry(&self) -> Option<&'static (ServiceType, &'static str, OrderForm)> {
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
    pub fn order_form(&self) -> Option<OrderForm> {
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
/// Names, categories and descriptions are readable text: HTML entities
/// decoded and `<br>` tags as line breaks ([`readable_text`](crate::readable_text));
/// what the panel sent is kept in [`Service::raw`] when it differs.
///
/// ```
/// # use smmkit_provider_core::wire::decode_services;
/// let body = br#"[{"service":1,"name":"Followers &amp; Likes","type":"Default","category":"Instagram",
///                 "rate":"0.90","min":"10","max":"5000","refill":true,"cancel":"1","network":"IG"}]"#;
/// let services = decode_services(body)?;
/// let s = &services[0];
/// assert_eq!(s.name, "Followers & Likes");
/// assert_eq!(s.raw_name(), "Followers &amp; Likes");
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
    /// The name, readable.
    pub name: String,
    /// The type (`type`); `Default` when the panel leaves it out.
    #[serde(rename = "type")]
    pub kind: ServiceType,
    /// The category, readable; empty when the panel leaves it out.
    pub category: String,
    /// The price per 1000 (per package for package types), exact.
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
    /// The description (`description`, else `desc`), readable, when given.
    pub description: Option<String>,
    /// Every other field the panel sent, as sent.
    pub extra: Extras,
    /// The panel's own text of the name, category and description, where
    /// it differs from the readable text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Box<RawText>>,
}

/// The panel's own text of a service's name, category and description,
/// each kept only where it differs from the readable text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    /// The name as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The category as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The description as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl RawText {
    /// Keeps `raw` in `slot` when it differs from `readable`.
    pub(crate) fn keep(
        slot: &mut Option<Box<RawText>>,
        field: fn(&mut RawText) -> &mut Option<String>,
        raw: String,
        readable: &str,
    ) {
        if raw != readable {
            *field(slot.get_or_insert_with(Box::default)) = Some(raw);
        }
    }
}

/// A service as smmkit writes it (its `Serialize` form, or what the
/// bindings' `to_dict()` and plain objects hold), read back.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    id: serde_json::Value,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    category: String,
    rate: serde_json::Value,
    min: serde_json::Value,
    max: serde_json::Value,
    #[serde(default)]
    refill: bool,
    #[serde(default)]
    cancel: bool,
    #[serde(default)]
    dripfeed: Option<bool>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    raw: Option<RawText>,
}

impl<'de> serde::Deserialize<'de> for Service {
    /// Reads a service back from the form smmkit writes it in: money as a
    /// decimal string (or a number), ids and limits as numbers or strings
    /// of digits, so that a catalog can be cached and handed back.
    ///
    /// ```
    /// # use smmkit_provider_core::{Service, wire::decode_services};
    /// let list = decode_services(br#"[{"service":5,"name":"A &amp; B","type":"Poll","rate":"0.7731","min":1,"max":99}]"#)?;
    /// let text = serde_json::to_string(&list[0]).unwrap();
    /// let back: Service = serde_json::from_str(&text).unwrap();
    /// assert_eq!(back, list[0]);
    /// # Ok::<(), smmkit_provider_core::Error>(())
    /// ```
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let w = Written::deserialize(d)?;
        let number = |v: &serde_json::Value, field: &str| {
            crate::input::whole(v, field, 0).map_err(D::Error::custom)
        };
        let rate_text = match &w.rate {
            serde_json::Value::String(t) => t.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(D::Error::custom(format!(
                    "`rate` must be a decimal, not {other}"
                )));
            }
        };
        let rate = crate::wire::parse_decimal(&rate_text)
            .filter(|r| !r.is_sign_negative() || r.is_zero())
            .ok_or_else(|| D::Error::custom(format!("`rate`: `{rate_text}` is not a price")))?;
        Ok(Service {
            id: ServiceId(number(&w.id, "id")?),
            name: w.name,
            kind: ServiceType::parse(&w.kind),
            category: w.category,
            rate,
            min: number(&w.min, "min")?,
            max: number(&w.max, "max")?,
            refill: w.refill,
            cancel: w.cancel,
            dripfeed: w.dripfeed,
            description: w.description,
            extra: w.extra.into_iter().collect(),
            raw: w.raw.map(Box::new),
        })
    }
}

impl Service {
    /// The name as the panel sent it.
    pub fn raw_name(&self) -> &str {
        self.raw
            .as_ref()
            .and_then(|r| r.name.as_deref())
            .unwrap_or(&self.name)
    }

    /// The category as the panel sent it.
    pub fn raw_category(&self) -> &str {
        self.raw
            .as_ref()
            .and_then(|r| r.category.as_deref())
            .unwrap_or(&self.category)
    }

    /// The description as the panel sent it.
    pub fn raw_description(&self) -> Option<&str> {
        self.raw
            .as_ref()
            .and_then(|r| r.description.as_deref())
            .or(self.description.as_deref())
    }

    /// Whether the rate is the price of one package rather than of 1000:
    /// package types ([`OrderForm::Package`], [`OrderForm::CustomCommentsPackage`]).
    pub fn priced_per_package(&self) -> bool {
        matches!(
            self.kind.order_form(),
            Some(OrderForm::Package | OrderForm::CustomCommentsPackage)
        )
    }

    /// The exact price of `quantity` units, unrounded: `rate × quantity /
    /// 1000`, or `rate × quantity` for a service [priced per
    /// package](Service::priced_per_package). `None` only if the result is
    /// beyond what a `Decimal` holds. For the price of an order, use
    /// [`quote`](crate::quote).
    ///
    /// ```
    /// # use smmkit_provider_core::wire::decode_services;
    /// let s = &decode_services(br#"[{"service":3,"name":"x","rate":"18.6640","min":1,"max":9}]"#)?[0];
    /// assert_eq!(s.cost(3).unwrap().to_string(), "0.055992");
    /// # Ok::<(), smmkit_provider_core::Error>(())
    /// ```
    pub fn cost(&self, quantity: u64) -> Option<Decimal> {
        let mut cost = self.rate.checked_mul(Decimal::from(quantity))?;
        if !self.priced_per_package() {
            cost = cost.checked_div(Decimal::ONE_THOUSAND)?;
        }
        let mut cost = cost.normalize();
        // Written with at least the rate's decimals, as money is: 1.30, not 1.3.
        if cost.scale() < self.rate.scale() {
            cost.rescale(self.rate.scale());
        }
        Some(cost)
    }
}
