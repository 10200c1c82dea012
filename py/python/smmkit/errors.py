"""The exceptions smmkit raises.

Every one is an :class:`SmmError` with a stable ``kind`` (``"api"``,
``"transport"``, ``"timeout"``, ``"http_status"``, ``"decode"``,
``"response_too_large"``, ``"validation"``, ``"outcome_unknown"``,
``"config"``) and ``code`` (the API error kind for API errors, such as
``"insufficient_funds"``; the kind otherwise). No message, ``repr`` or
attribute ever holds the API key.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "SmmError",
    "ApiError",
    "InvalidKey",
    "InsufficientFunds",
    "IncorrectOrderId",
    "IncorrectRefillId",
    "IncorrectService",
    "QuantityOutOfRange",
    "IncorrectLink",
    "ActiveOrderOnLink",
    "RefillNotPossible",
    "CancelNotPossible",
    "RateLimited",
    "IncorrectRequest",
    "ValidationError",
    "ConfigError",
    "TransportError",
    "Timeout",
    "HttpStatusError",
    "DecodeError",
    "ResponseTooLarge",
    "OutcomeUnknown",
]


class SmmError(Exception):
    """Anything that went wrong talking to a panel."""

    kind: str
    code: str
    action: Optional[str]
    message: str

    def __init__(self, message: str, *, kind: str = "other", code: str = "other", action: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code
        self.action = action

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: Type[SmmError], message: str, state: Dict[str, Any]) -> SmmError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ApiError(SmmError):
    """The panel refused the request with ``{"error": "..."}``.

    ``code`` says what it means; ``panel_message`` is the panel's own text.
    """

    panel_message: str

    def __init__(self, message: str, *, panel_message: str = "", **kw: Any) -> None:
        super().__init__(message, **kw)
        self.panel_message = panel_message


class InvalidKey(ApiError):
    """``Invalid API key``."""


class InsufficientFunds(ApiError):
    """``Not enough funds on balance``."""


class IncorrectOrderId(ApiError):
    """``Incorrect order ID``."""


class IncorrectRefillId(ApiError):
    """``Refill not found``."""


class IncorrectService(ApiError):
    """``Incorrect service ID``."""


class QuantityOutOfRange(ApiError):
    """``Quantity less than minimal …`` / ``more than maximum …``."""


class IncorrectLink(ApiError):
    """``Incorrect link``."""


class ActiveOrderOnLink(ApiError):
    """``You have active order with this link…``."""


class RefillNotPossible(ApiError):
    """A refill was refused (``Order not eligible for refill.``)."""


class CancelNotPossible(ApiError):
    """A cancellation was refused."""


class RateLimited(ApiError):
    """Too many requests."""


class IncorrectRequest(ApiError):
    """``Incorrect request``: the panel did not understand the parameters."""


class ValidationError(SmmError, ValueError):
    """The request was not sent because it is invalid; ``field`` names the culprit."""

    field: Optional[str]

    def __init__(self, message: str, *, field: Optional[str] = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.field = field


class ConfigError(SmmError, ValueError):
    """A client was given an invalid setting."""


class TransportError(SmmError):
    """The panel could not be reached or the connection failed.

    ``not_sent`` is true when no connection was made, so nothing was sent.
    """

    not_sent: bool

    def __init__(self, message: str, *, not_sent: bool = False, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.not_sent = not_sent


class Timeout(SmmError):
    """No complete answer came in time (``after`` seconds)."""

    after: float

    def __init__(self, message: str, *, after: float = 0.0, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.after = after


class HttpStatusError(SmmError):
    """The panel answered with an HTTP error ``status`` and no API error."""

    status: int

    def __init__(self, message: str, *, status: int = 0, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.status = status


class DecodeError(SmmError):
    """The answer is not what the action returns (HTML, cut off, wrong shape)."""


class ResponseTooLarge(SmmError):
    """The answer was larger than the cap (``limit`` bytes)."""

    limit: int

    def __init__(self, message: str, *, limit: int = 0, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.limit = limit


class OutcomeUnknown(SmmError):
    """An order was sent but its result is unknown: it may exist.

    ``request`` is what was sent (without the key) and ``cause`` why the
    result is unknown. Check the panel before ordering again: ordering again
    blindly can buy the same thing twice.
    """

    request: Dict[str, Any]
    cause: Optional[SmmError]

    def __init__(
        self, message: str, *, request: Optional[Dict[str, Any]] = None, cause: Optional[SmmError] = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.request = request or {}
        self.cause = cause
