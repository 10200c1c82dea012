//! The sandbox's catalog: generated from a seed, or loaded from JSON.

use std::collections::HashMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::SandboxError;

/// What an order for a service must carry, by the service's type. This is
/// the sandbox's own table, written from the panels' documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// link, quantity (runs and interval optional).
    Default,
    /// link.
    Package,
    /// link, quantity, keywords.
    Seo,
    /// link, comments (quantity = lines).
    CustomComments,
    /// link, comments.
    CustomCommentsPackage,
    /// link, quantity, usernames.
    Mentions,
    /// link, quantity, usernames, hashtags.
    MentionsWithHashtags,
    /// link, usernames (quantity = lines).
    MentionsCustomList,
    /// link, quantity, hashtag.
    MentionsHashtag,
    /// link, quantity, username.
    MentionsUserFollowers,
    /// link, quantity, media.
    MentionsMediaLikers,
    /// link, quantity, username.
    CommentLikes,
    /// link, username, comments (quantity = lines).
    CommentReplies,
    /// link, quantity, answer_number.
    Poll,
    /// link, quantity, groups.
    InvitesFromGroups,
    /// username, min, max, delay (posts, old_posts, expiry optional).
    Subscriptions,
    /// link, quantity, country, device, type_of_traffic (+ its field).
    WebTraffic,
}

/// Type names as the panels write them, with their forms.
const TYPES: [(&str, Form); 31] = [
    ("Default", Form::Default),
    ("Package", Form::Package),
    ("Package Regular", Form::Package),
    ("SEO", Form::Seo),
    ("Custom Comments", Form::CustomComments),
    ("Custom Comments Package", Form::CustomCommentsPackage),
    ("Mentions", Form::Mentions),
    ("Mentions with Hashtags", Form::MentionsWithHashtags),
    ("Mentions Custom List", Form::MentionsCustomList),
    ("Mentions Hashtag", Form::MentionsHashtag),
    ("Mentions User Followers", Form::MentionsUserFollowers),
    ("Mentions Media Likers", Form::MentionsMediaLikers),
    ("Comment Likes", Form::CommentLikes),
    ("Comment Replies", Form::CommentReplies),
    ("Poll", Form::Poll),
    ("Invites from Groups", Form::InvitesFromGroups),
    ("Subscriptions", Form::Subscriptions),
    ("Web Traffic", Form::WebTraffic),
    ("like", Form::Default),
    ("subscribe", Form::Default),
    ("comment", Form::Default),
    ("like_to_comment", Form::Default),
    ("dislike", Form::Default),
    ("dislike_to_comment", Form::Default),
    ("repost", Form::Default),
    ("friend", Form::Default),
    ("vote", Form::Default),
    ("retweet", Form::Default),
    ("follow", Form::Default),
    ("favorite", Form::Default),
    // A type no documentation lists: panels invent them.
    ("Premium Boost", Form::Default),
];

/// The form a type name takes; unknown names take the Default form.
pub(crate) fn form_of(type_name: &str) -> Form {
    TYPES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(type_name))
        .map_or(Form::Default, |(_, form)| *form)
}

/// One service of the sandbox's catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogService {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// The type, as the panel writes it.
    pub kind: String,
    /// The category.
    pub category: String,
    /// The price per 1000.
    pub rate: Decimal,
    /// The smallest quantity.
    pub min: u64,
    /// The largest quantity.
    pub max: u64,
    /// Refills are offered.
    pub refill: bool,
    /// Cancelling is offered.
    pub cancel: bool,
    /// Drip-feed is offered.
    pub dripfeed: bool,
    /// An HTML description, when there is one.
    pub desc: Option<String>,
    /// How long delivery usually takes, in words, when known.
    pub average_time: Option<String>,
}

/// The services a sandbox sells.
#[derive(Debug, Clone)]
pub struct Catalog {
    services: Vec<CatalogService>,
    index: HashMap<u64, usize>,
}

const PLATFORMS: [(&str, &[&str], &[&str]); 11] = [
    (
        "Instagram",
        &[
            "Followers",
            "Likes",
            "Views",
            "Story Views",
            "Saves",
            "Reels Views",
        ],
        &[
            "Instagram Followers",
            "Подписчики Instagram",
            "متابعين انستقرام",
            "इंस्टाग्राम फॉलोअर्स",
            "Instagram 粉丝",
        ],
    ),
    (
        "TikTok",
        &["Followers", "Likes", "Views", "Shares"],
        &["TikTok", "TikTok Просмотры", "抖音 Douyin", "تيك توك"],
    ),
    (
        "YouTube",
        &["Views", "Likes", "Subscribers", "Watch Time"],
        &["YouTube", "YouTube Просмотры", "यूट्यूब व्यूज़", "يوتيوب"],
    ),
    (
        "Telegram",
        &["Members", "Post Views", "Reactions", "Poll Votes"],
        &["Telegram", "Telegram (Русский)", "Telegram 频道"],
    ),
    (
        "Twitter",
        &["Followers", "Likes", "Retweets"],
        &["Twitter / X", "تويتر"],
    ),
    (
        "Facebook",
        &["Page Likes", "Followers", "Post Likes"],
        &["Facebook", "फेसबुक"],
    ),
    (
        "Spotify",
        &["Plays", "Followers"],
        &["Spotify", "Spotify Прослушивания"],
    ),
    ("VK", &["Friends", "Likes", "Reposts"], &["ВКонтакте", "VK"]),
    ("Twitch", &["Followers", "Live Viewers"], &["Twitch"]),
    ("Discord", &["Members"], &["Discord"]),
    (
        "Website",
        &["Traffic"],
        &["Website Traffic", "⭐ Premium Traffic"],
    ),
];

const TAGS: [&str; 10] = [
    "[Real]",
    "[HQ]",
    "[Instant]",
    "[Refill 30D] ♻️",
    "🔥",
    "| Max 1M",
    "[Non Drop]",
    "[Speed: 10K/day]",
    "&amp; Bonus",
    "",
];

const MINS: [u64; 7] = [1, 10, 20, 50, 100, 500, 1000];
const MAXES: [u64; 8] = [
    1_000,
    5_000,
    10_000,
    50_000,
    100_000,
    1_000_000,
    10_000_000,
    2_147_483_647,
];

/// A price per 1000 with 2 to 8 decimals, from 0.001 to about 500.
fn rate(rng: &mut fastrand::Rng) -> Decimal {
    let scale = rng.u32(2..=8);
    let units = match rng.u8(0..10) {
        0..=5 => rng.i64(1..=5_000), // cents to 50
        6..=8 => rng.i64(1..=50_000),
        _ => rng.i64(1..=500),
    };
    // `units` hundredths, written with `scale` decimals.
    let mut d = Decimal::new(units, 2);
    d.rescale(scale);
    if scale > 2 {
        // Give the extra decimals digits of their own.
        let extra = Decimal::new(rng.i64(0..10i64.pow(scale - 2)), scale);
        d += extra;
    }
    d
}

impl Catalog {
    /// A catalog of `size` services (clamped to 1..=200,000) made from
    /// `seed`: the same seed always gives the same catalog. The first
    /// services cover every type of the API v2 dialects, fampage's
    /// lowercase types and one type no documentation lists.
    ///
    /// ```
    /// use smmkit_sandbox::Catalog;
    /// let a = Catalog::generate(7, 500);
    /// assert_eq!(a.services().len(), 500);
    /// assert_eq!(a.services(), Catalog::generate(7, 500).services());
    /// ```
    pub fn generate(seed: u64, size: usize) -> Catalog {
        let size = size.clamp(1, 200_000);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut services = Vec::with_capacity(size);
        for i in 0..size {
            let id = 1 + i as u64;
            let kind = if let Some((first, _)) = TYPES.get(i) {
                first
            } else if rng.u8(0..100) < 75 {
                "Default"
            } else {
                TYPES[rng.usize(1..TYPES.len())].0
            };
            let (platform, products, categories) = PLATFORMS[rng.usize(0..PLATFORMS.len())];
            let product = products[rng.usize(0..products.len())];
            let tag = TAGS[rng.usize(0..TAGS.len())];
            // A service of a special type is named for what it sells.
            let product = match form_of(kind) {
                Form::Default => product,
                _ => kind,
            };
            let name = format!("{platform} {product} {tag}").trim_end().to_owned();
            let category = categories[rng.usize(0..categories.len())].to_owned();
            let (min, max) = match form_of(kind) {
                Form::Package | Form::CustomCommentsPackage => (1, 1),
                Form::CustomComments | Form::MentionsCustomList | Form::CommentReplies => {
                    (rng.u64(1..=5), rng.u64(50..=1000))
                }
                Form::Subscriptions => (10, rng.u64(100..=10_000)),
                _ => {
                    let min = MINS[rng.usize(0..MINS.len())];
                    let fitting: Vec<u64> =
                        MAXES.iter().copied().filter(|m| *m >= min * 10).collect();
                    let max = fitting
                        .get(rng.usize(0..fitting.len().max(1)))
                        .copied()
                        .unwrap_or(MAXES[7]);
                    (min, max)
                }
            };
            let desc = (rng.u8(0..10) < 3).then(|| {
                format!(
                    "<p>Start: {}<br>Speed: {}K/day<br>Quality: real &amp; active</p>",
                    ["0-1 hour", "instant", "0-12 hours"][rng.usize(0..3)],
                    rng.u32(1..50)
                )
            });
            let average_time = (rng.u8(0..2) == 0).then(|| format!("{} minutes", rng.u32(5..600)));
            services.push(CatalogService {
                id,
                name,
                kind: kind.to_owned(),
                category,
                rate: rate(&mut rng),
                min,
                max,
                refill: rng.u8(0..10) < 4,
                cancel: rng.u8(0..10) < 5,
                dripfeed: form_of(kind) == Form::Default && rng.u8(0..10) < 3,
                desc,
                average_time,
            });
        }
        Catalog::new(services)
    }

    /// A catalog from a JSON list of services:
    /// `[{"service": 1, "name": "...", "type": "Default", "category": "...",
    /// "rate": "0.90", "min": 10, "max": 5000, "refill": true, "cancel": false,
    /// "dripfeed": false}]` (`type`, `category`, flags optional).
    pub fn from_json(text: &str) -> Result<Catalog, SandboxError> {
        #[derive(Deserialize)]
        struct Entry {
            service: u64,
            name: String,
            #[serde(rename = "type", default = "default_type")]
            kind: String,
            #[serde(default)]
            category: String,
            rate: String,
            min: u64,
            max: u64,
            #[serde(default)]
            refill: bool,
            #[serde(default)]
            cancel: bool,
            #[serde(default)]
            dripfeed: bool,
            #[serde(default)]
            desc: Option<String>,
        }
        fn default_type() -> String {
            "Default".into()
        }
        let entries: Vec<Entry> = serde_json::from_str(text)
            .map_err(|e| SandboxError::Catalog(format!("not a list of services: {e}")))?;
        let mut services = Vec::with_capacity(entries.len());
        for e in entries {
            let rate = Decimal::from_str(e.rate.trim()).map_err(|_| {
                SandboxError::Catalog(format!(
                    "service {}: rate `{}` is not a decimal",
                    e.service, e.rate
                ))
            })?;
            if e.min > e.max || e.min == 0 {
                return Err(SandboxError::Catalog(format!(
                    "service {}: min {} and max {} are not a range",
                    e.service, e.min, e.max
                )));
            }
            services.push(CatalogService {
                id: e.service,
                name: e.name,
                kind: e.kind,
                category: e.category,
                rate,
                min: e.min,
                max: e.max,
                refill: e.refill,
                cancel: e.cancel,
                dripfeed: e.dripfeed,
                desc: e.desc,
                average_time: None,
            });
        }
        if services.is_empty() {
            return Err(SandboxError::Catalog("the catalog is empty".into()));
        }
        let catalog = Catalog::new(services);
        if catalog.index.len() != catalog.services.len() {
            return Err(SandboxError::Catalog("two services share an id".into()));
        }
        Ok(catalog)
    }

    fn new(services: Vec<CatalogService>) -> Catalog {
        let index = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        Catalog { services, index }
    }

    /// Every service, in catalog order.
    pub fn services(&self) -> &[CatalogService] {
        &self.services
    }

    /// A service by id.
    pub fn get(&self, id: u64) -> Option<&CatalogService> {
        self.index.get(&id).map(|&i| &self.services[i])
    }

    /// The first service whose type is `kind` (any case).
    pub fn first_of_type(&self, kind: &str) -> Option<&CatalogService> {
        self.services
            .iter()
            .find(|s| s.kind.eq_ignore_ascii_case(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_catalogs_cover_every_type_and_are_realistic() {
        let c = Catalog::generate(1, 2000);
        for (name, _) in TYPES {
            assert!(c.first_of_type(name).is_some(), "no {name} service");
        }
        let scales: std::collections::BTreeSet<u32> =
            c.services().iter().map(|s| s.rate.scale()).collect();
        assert_eq!(scales, (2..=8).collect());
        assert!(
            c.services()
                .iter()
                .all(|s| s.min >= 1 && s.min <= s.max && s.rate > Decimal::ZERO)
        );
        assert!(c.services().iter().any(|s| s.max == 2_147_483_647));
        assert!(
            c.services().iter().any(|s| !s.category.is_ascii()),
            "categories in several scripts"
        );
        assert_ne!(
            Catalog::generate(2, 50).services(),
            Catalog::generate(1, 50).services()
        );
    }

    #[test]
    fn loads_a_catalog_from_json_and_refuses_nonsense() {
        let c = Catalog::from_json(
            r#"[{"service":5,"name":"Likes","rate":"0.90","min":10,"max":5000}]"#,
        )
        .expect("valid catalog");
        assert_eq!(c.get(5).map(|s| s.kind.as_str()), Some("Default"));
        assert!(Catalog::from_json("[]").is_err());
        assert!(
            Catalog::from_json(r#"[{"service":5,"name":"x","rate":"abc","min":1,"max":2}]"#)
                .is_err()
        );
        assert!(
            Catalog::from_json(r#"[{"service":5,"name":"x","rate":"1","min":3,"max":2}]"#).is_err()
        );
        assert!(
            Catalog::from_json(
                r#"[{"service":5,"name":"x","rate":"1","min":1,"max":2},{"service":5,"name":"y","rate":"1","min":1,"max":2}]"#
            )
            .is_err()
        );
    }
}
