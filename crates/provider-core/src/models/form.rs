//! The form of an order: which fields it carries.

use std::fmt;

use serde::Serialize;

use crate::error::ValidationError;

/// The form of an order: which fields it carries.
///
/// Each [`ServiceType`](crate::ServiceType) takes one form ([`ServiceType::order_form`](crate::ServiceType::order_form)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrderForm {
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

impl OrderForm {
    /// Every form.
    pub const ALL: [OrderForm; 17] = [
        OrderForm::Default,
        OrderForm::Package,
        OrderForm::Seo,
        OrderForm::CustomComments,
        OrderForm::CustomCommentsPackage,
        OrderForm::Mentions,
        OrderForm::MentionsWithHashtags,
        OrderForm::MentionsCustomList,
        OrderForm::MentionsHashtag,
        OrderForm::MentionsUserFollowers,
        OrderForm::MentionsMediaLikers,
        OrderForm::CommentLikes,
        OrderForm::CommentReplies,
        OrderForm::Poll,
        OrderForm::InvitesFromGroups,
        OrderForm::Subscriptions,
        OrderForm::WebTraffic,
    ];

    /// The stable name of the form, as the bindings spell it.
    ///
    /// ```
    /// use smmkit_provider_core::OrderForm;
    /// assert_eq!(OrderForm::CustomComments.as_str(), "custom_comments");
    /// assert_eq!(OrderForm::parse("custom_comments"), Some(OrderForm::CustomComments));
    /// assert_eq!(OrderForm::parse("nope"), None);
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            OrderForm::Default => "default",
            OrderForm::Package => "package",
            OrderForm::Seo => "seo",
            OrderForm::CustomComments => "custom_comments",
            OrderForm::CustomCommentsPackage => "custom_comments_package",
            OrderForm::Mentions => "mentions",
            OrderForm::MentionsWithHashtags => "mentions_with_hashtags",
            OrderForm::MentionsCustomList => "mentions_custom_list",
            OrderForm::MentionsHashtag => "mentions_hashtag",
            OrderForm::MentionsUserFollowers => "mentions_user_followers",
            OrderForm::MentionsMediaLikers => "mentions_media_likers",
            OrderForm::CommentLikes => "comment_likes",
            OrderForm::CommentReplies => "comment_replies",
            OrderForm::Poll => "poll",
            OrderForm::InvitesFromGroups => "invites_from_groups",
            OrderForm::Subscriptions => "subscriptions",
            OrderForm::WebTraffic => "web_traffic",
        }
    }

    /// Reads a form's name (see [`OrderForm::as_str`]).
    pub fn parse(name: &str) -> Option<OrderForm> {
        OrderForm::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Reads a form's name as a user writes it: its own name, in any case
    /// and with spaces or dashes for `_` (`custom comments`, `Web-Traffic`);
    /// an error listing the forms otherwise.
    ///
    /// ```
    /// use smmkit_provider_core::OrderForm;
    /// assert_eq!(OrderForm::named("Custom Comments")?, OrderForm::CustomComments);
    /// assert!(OrderForm::named("teleport").unwrap_err().to_string().contains("one of default, package"));
    /// # Ok::<(), smmkit_provider_core::ValidationError>(())
    /// ```
    pub fn named(name: &str) -> Result<OrderForm, ValidationError> {
        OrderForm::ALL
            .into_iter()
            .find(|k| super::same_words(k.as_str(), name))
            .ok_or_else(|| {
                let forms: Vec<&str> = OrderForm::ALL.iter().map(|k| k.as_str()).collect();
                ValidationError::for_field(
                    "form",
                    format!("`{name}` is not a form: one of {}", forms.join(", ")),
                )
            })
    }
}

impl fmt::Display for OrderForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
