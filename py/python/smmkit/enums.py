"""Service types and status words: ``str`` enums that keep unknown text.

A panel may send a type or a status word smmkit does not know. It still
becomes a member of the enum (named ``OTHER``), holds the panel's text as its
value, compares equal to that text, and is never final.
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = ["ServiceType", "OrderState", "RefillState", "OrderForm"]


class _OpenEnum(str, enum.Enum):
    """A ``str`` enum whose unknown values become ``OTHER`` members."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        for member in cls:
            if member.value.casefold() == value.casefold():
                return member
        other = str.__new__(cls, value)
        other._name_ = "OTHER"
        other._value_ = value
        return other

    @property
    def is_known(self) -> bool:
        """Whether smmkit knows this value."""
        return self._name_ != "OTHER"

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class ServiceType(_OpenEnum):
    """The type of a service: it decides which fields an order needs."""

    DEFAULT = "Default"
    PACKAGE = "Package"
    PACKAGE_REGULAR = "Package Regular"
    SEO = "SEO"
    CUSTOM_COMMENTS = "Custom Comments"
    CUSTOM_COMMENTS_PACKAGE = "Custom Comments Package"
    MENTIONS = "Mentions"
    MENTIONS_WITH_HASHTAGS = "Mentions with Hashtags"
    MENTIONS_CUSTOM_LIST = "Mentions Custom List"
    MENTIONS_HASHTAG = "Mentions Hashtag"
    MENTIONS_USER_FOLLOWERS = "Mentions User Followers"
    MENTIONS_MEDIA_LIKERS = "Mentions Media Likers"
    COMMENT_LIKES = "Comment Likes"
    COMMENT_REPLIES = "Comment Replies"
    POLL = "Poll"
    INVITES_FROM_GROUPS = "Invites from Groups"
    SUBSCRIPTIONS = "Subscriptions"
    WEB_TRAFFIC = "Web Traffic"
    LIKE = "like"
    SUBSCRIBE = "subscribe"
    COMMENT = "comment"
    LIKE_TO_COMMENT = "like_to_comment"
    DISLIKE = "dislike"
    DISLIKE_TO_COMMENT = "dislike_to_comment"
    REPOST = "repost"
    FRIEND = "friend"
    VOTE = "vote"
    RETWEET = "retweet"
    FOLLOW = "follow"
    FAVORITE = "favorite"


class OrderState(_OpenEnum):
    """Where an order stands."""

    PENDING = "Pending"
    IN_PROGRESS = "In progress"
    PROCESSING = "Processing"
    COMPLETED = "Completed"
    PARTIAL = "Partial"
    CANCELED = "Canceled"
    REFUNDED = "Refunded"
    AWAITING = "Awaiting"
    FAIL = "Fail"
    ERROR = "Error"

    @property
    def is_final(self) -> bool:
        """Whether the status will not change any more (never for unknown words)."""
        return self._name_ in {"COMPLETED", "PARTIAL", "CANCELED", "REFUNDED", "FAIL", "ERROR"}


class RefillState(_OpenEnum):
    """Where a refill stands."""

    PENDING = "Pending"
    IN_PROGRESS = "In progress"
    AWAITING = "Awaiting"
    COMPLETED = "Completed"
    PROCESSED = "Processed"
    REJECTED = "Rejected"
    FAILED = "Failed"
    ERROR = "Error"

    @property
    def is_final(self) -> bool:
        """Whether the refill will not change any more (never for unknown words)."""
        return self._name_ in {"COMPLETED", "PROCESSED", "REJECTED", "FAILED", "ERROR"}


class OrderForm(str, enum.Enum):
    """The form of an order (``add(..., form=...)``), when the service's type does not tell."""

    DEFAULT = "default"
    PACKAGE = "package"
    SEO = "seo"
    CUSTOM_COMMENTS = "custom_comments"
    CUSTOM_COMMENTS_PACKAGE = "custom_comments_package"
    MENTIONS = "mentions"
    MENTIONS_WITH_HASHTAGS = "mentions_with_hashtags"
    MENTIONS_CUSTOM_LIST = "mentions_custom_list"
    MENTIONS_HASHTAG = "mentions_hashtag"
    MENTIONS_USER_FOLLOWERS = "mentions_user_followers"
    MENTIONS_MEDIA_LIKERS = "mentions_media_likers"
    COMMENT_LIKES = "comment_likes"
    COMMENT_REPLIES = "comment_replies"
    POLL = "poll"
    INVITES_FROM_GROUPS = "invites_from_groups"
    SUBSCRIPTIONS = "subscriptions"
    WEB_TRAFFIC = "web_traffic"

    def __str__(self) -> str:
        return str(self.value)
