"""The exceptions smmkit raises.

Every one is an :class:`SmmError` with a stable ``kind`` (``"api"``,
``"transport"``, ``"timeout"``, ``"http_status"``, ``"decode"``,
``"response_too_large"``, ``"validation"``, ``"outcome_unknown"``,
``"config"``, ``"journal"``, ``"idempotency_conflict"``,
``"route_exhausted"``) and ``code`` (the API error kind for API errors, such as
``"insufficient_funds"``; the kind otherwise), and the attributes the Rust
core gives its error, by the same names. No message, ``repr`` or attribute
ever holds the API key.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Type

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
    "ArgumentTypeError",
    "ConfigError",
    "TransportError",
    "Timeout",
    "HttpStatusError",
    "DecodeError",
    "ResponseTooLarge",
    "OutcomeUnknown",
    "JournalError",
    "IdempotencyConflict",
    "RouteExhausted",
]


class SmmError(Exception):
    """Anything that went wrong talking to a panel."""

    kind: str
    code: str
    action: Optional[str]
    message: str

    def __init__(
        self, message: str, *, kind: str = "other", code: str = "other", action: Optional[str] = None, **attributes: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code
        self.action = action
        for name, value in attributes.items():
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    @staticmethod
    def from_payload(payload: Mapping[str, Any]) -> "SmmError":
        """The exception for an error's payload, as the core writes it (what
        ``smmkit ... --json`` prints): the class its ``code`` names, every
        attribute set."""
        return _from_payload(payload)

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: Type[SmmError], message: str, state: Dict[str, Any]) -> SmmError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


def _seconds(millis: Optional[int]) -> Optional[float]:
    return None if millis is None else millis / 1000


class ApiError(SmmError):
    """The panel refused the request (``{"error": "..."}`` and the other
    shapes of a refusal, or HTTP 429): nothing was done.

    ``code`` says what it means; ``panel_message`` is the panel's own text;
    ``retry_after`` the seconds the panel asked to wait, when it did.
    """

    panel_message: str = ""
    retry_after_ms: Optional[int] = None

    @property
    def retry_after(self) -> Optional[float]:
        """Seconds the panel asked to wait before retrying, when it did."""
        return _seconds(self.retry_after_ms)


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
    """Too many requests; ``retry_after`` says how long to wait, when the panel says."""


class IncorrectRequest(ApiError):
    """``Incorrect request``: the panel did not understand the parameters."""


class ValidationError(SmmError, ValueError):
    """The request was not sent because it is invalid; ``field`` names the culprit."""

    field: Optional[str] = None
    type_error: bool = False


class ArgumentTypeError(ValidationError, TypeError):
    """A value of the wrong type was given (a float for a quantity, a number
    for a link): a :class:`ValidationError` that is also a ``TypeError``."""


class ConfigError(SmmError, ValueError):
    """A client was given an invalid setting."""


class TransportError(SmmError):
    """The panel could not be reached or the connection failed.

    ``not_sent`` is true when no connection was made, so nothing was sent.
    """

    not_sent: bool = False


class Timeout(SmmError):
    """No complete answer came in time (``after`` seconds)."""

    after_ms: int = 0

    @property
    def after(self) -> float:
        """The time limit that ran out, in seconds."""
        return self.after_ms / 1000


class HttpStatusError(SmmError):
    """The panel answered with an HTTP error ``status``: any 5xx, or another
    error status without a refusal in the body. ``panel_message`` is the
    text of an error body, when there was one."""

    status: int = 0
    panel_message: Optional[str] = None
    snippet: str = ""
    retry_after_ms: Optional[int] = None

    @property
    def retry_after(self) -> Optional[float]:
        """Seconds the panel asked to wait before retrying, when it did."""
        return _seconds(self.retry_after_ms)


class DecodeError(SmmError):
    """The answer is not what the action returns (HTML, cut off, wrong shape)."""

    reason: str = ""
    snippet: str = ""


class ResponseTooLarge(SmmError):
    """The answer was larger than the cap (``limit`` bytes)."""

    limit: int = 0


class OutcomeUnknown(SmmError):
    """An order was sent but its result is unknown: it may exist.

    ``request`` is what was sent (without the key) and ``cause`` why the
    result is unknown. Check the panel before ordering again: ordering again
    blindly can buy the same thing twice.
    """

    request: Dict[str, Any]
    cause: Optional[SmmError] = None

    def __init__(self, message: str, **kw: Any) -> None:
        self.request = {}
        super().__init__(message, **kw)


class JournalError(SmmError):
    """The order journal could not be opened, read or written.

    In a journaled ``add``: ``not_sent`` is true when the order was held back
    (its intent could not be recorded: nothing was sent); ``placed`` is the
    id of an order the panel placed that the journal could not record.
    """

    not_sent: bool = False
    placed: Optional[int] = None


class IdempotencyConflict(SmmError, ValueError):
    """An idempotency ``key`` was given again with a different order:
    nothing was sent."""

    key: str = ""


class RouteExhausted(SmmError):
    """Every panel of ``route`` refused the order or could not take it:
    nothing was placed. ``reasons`` says why, one line per panel."""

    route: str = ""
    reasons: List[str]

    def __init__(self, message: str, **kw: Any) -> None:
        self.reasons = []
        super().__init__(message, **kw)


#: The class of each error code; a code not here falls back to its kind's class.
_CODES: Dict[str, Type[SmmError]] = {
    "invalid_key": InvalidKey,
    "insufficient_funds": InsufficientFunds,
    "incorrect_order_id": IncorrectOrderId,
    "incorrect_refill_id": IncorrectRefillId,
    "incorrect_service": IncorrectService,
    "quantity_out_of_range": QuantityOutOfRange,
    "incorrect_link": IncorrectLink,
    "active_order_on_link": ActiveOrderOnLink,
    "refill_not_possible": RefillNotPossible,
    "cancel_not_possible": CancelNotPossible,
    "rate_limited": RateLimited,
    "incorrect_request": IncorrectRequest,
    "other": ApiError,
    "validation": ValidationError,
    "config": ConfigError,
    "transport": TransportError,
    "timeout": Timeout,
    "http_status": HttpStatusError,
    "decode": DecodeError,
    "response_too_large": ResponseTooLarge,
    "outcome_unknown": OutcomeUnknown,
    "journal": JournalError,
    "idempotency_conflict": IdempotencyConflict,
    "route_exhausted": RouteExhausted,
}

_KINDS: Dict[str, Type[SmmError]] = {"api": ApiError}


def _from_payload(payload: Mapping[str, Any]) -> SmmError:
    """The exception for the core's error payload: the class its code names,
    every attribute copied."""
    attributes = dict(payload)
    message = str(attributes.pop("message", ""))
    code = str(attributes.get("code", "other"))
    cls = _CODES.get(code) or _KINDS.get(str(attributes.get("kind")), SmmError)
    if cls is ValidationError and attributes.get("type_error"):
        cls = ArgumentTypeError
    cause = attributes.get("cause")
    if isinstance(cause, Mapping):
        attributes["cause"] = _from_payload(cause)
    return cls(message, **attributes)
