"""smmkit: an exact, safe client for SMM panels that speak API v2.

The same Rust core as the ``smmkit`` crate: money as :class:`decimal.Decimal`,
orders validated before they are sent and never sent twice, reads retried,
batches with one result per id, and an API key that never appears in an
error, ``repr`` or traceback.

>>> import smmkit
>>> client = smmkit.Fampage(key="...")                      # doctest: +SKIP
>>> client.add(1, "instagram.com/instagram", 100)           # doctest: +SKIP
"""

from . import errors, fleet, journal, testing
from .catalog import ServiceList, SkippedService
from ._clients import AsyncFampage, AsyncPerfectPanel, Fampage, OrderFields, PerfectPanel
from .fleet import AsyncFleet, Fleet
from .journal import AsyncJournal, Journal
from ._native import Balance, CancelRequested, OrderStatus, Quote, Service, __version__, decode
from .enums import OrderForm, OrderState, RefillState, ServiceType
from .errors import (
    ActiveOrderOnLink,
    ApiError,
    ArgumentTypeError,
    CancelNotPossible,
    ConfigError,
    DecodeError,
    HttpStatusError,
    IdempotencyConflict,
    IncorrectLink,
    IncorrectOrderId,
    IncorrectRefillId,
    IncorrectRequest,
    IncorrectService,
    InsufficientFunds,
    InvalidKey,
    JournalError,
    OutcomeUnknown,
    QuantityOutOfRange,
    RateLimited,
    RefillNotPossible,
    ResponseTooLarge,
    RouteExhausted,
    SmmError,
    Timeout,
    TransportError,
    ValidationError,
)

__all__ = [
    "PerfectPanel",
    "Fampage",
    "AsyncPerfectPanel",
    "AsyncFampage",
    "Journal",
    "AsyncJournal",
    "journal",
    "Fleet",
    "AsyncFleet",
    "fleet",
    "Service",
    "ServiceList",
    "Quote",
    "OrderFields",
    "SkippedService",
    "OrderStatus",
    "Balance",
    "CancelRequested",
    "ServiceType",
    "OrderState",
    "RefillState",
    "OrderForm",
    "decode",
    "errors",
    "testing",
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
    "__version__",
]
