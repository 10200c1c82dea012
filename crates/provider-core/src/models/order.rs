//! Order requests: one typed form per service type, checked before sending.

use std::fmt;

use serde::Serialize;

use crate::ids::ServiceId;
use crate::models::form::OrderForm;
use crate::redact::Redactor;

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
    pub fn form(&self) -> OrderForm {
        match &self.order {
            Order::Default { .. } => OrderForm::Default,
            Order::Package { .. } => OrderForm::Package,
            Order::Seo { .. } => OrderForm::Seo,
            Order::CustomComments { .. } => OrderForm::CustomComments,
            Order::CustomCommentsPackage { .. } => OrderForm::CustomCommentsPackage,
            Order::Mentions { .. } => OrderForm::Mentions,
            Order::MentionsWithHashtags { .. } => OrderForm::MentionsWithHashtags,
            Order::MentionsCustomList { .. } => OrderForm::MentionsCustomList,
            Order::MentionsHashtag { .. } => OrderForm::MentionsHashtag,
            Order::MentionsUserFollowers { .. } => OrderForm::MentionsUserFollowers,
            Order::MentionsMediaLikers { .. } => OrderForm::MentionsMediaLikers,
            Order::CommentLikes { .. } => OrderForm::CommentLikes,
            Order::CommentReplies { .. } => OrderForm::CommentReplies,
            Order::Poll { .. } => OrderForm::Poll,
            Order::InvitesFromGroups { .. } => OrderForm::InvitesFromGroups,
            Order::Subscriptions { .. } => OrderForm::Subscriptions,
            Order::WebTraffic { .. } => OrderForm::WebTraffic,
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
        write!(f, "service {}, {} order", self.service, self.form())?;
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

    fn req(order: Order) -> OrderRequest {
        OrderRequest::new(ServiceId(7), order)
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
