"""Type stubs of the native module ``smmkit._native`` (Rust, pyo3)."""

from decimal import Decimal
from typing import Any, Awaitable, Dict, Iterable, List, Literal, Mapping, Optional, Tuple, TypeVar, Union, final, overload

from .catalog import ServiceList
from .enums import OrderState, RefillState, ServiceType
from .errors import SmmError

__all__ = [
    "Client",
    "Journal",
    "Fleet",
    "Sandbox",
    "Service",
    "Quote",
    "OrderStatus",
    "Balance",
    "CancelRequested",
    "decode",
    "error_codes",
    "word_lists",
    "__version__",
]

__version__: str

_Lines = Union[str, Iterable[str]]

_Id = Union[int, str]

_K = TypeVar("_K", bound=Union[int, str])

@final
class Service:
    """A service of a panel's catalog.

    The services of one `services()` call share their memory, which is freed
    with the last of them: keeping a few services of a large catalog keeps
    the catalog (`to_dict()` makes a copy that keeps nothing).
    """

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> ServiceType: ...
    @property
    def category(self) -> str: ...
    @property
    def rate(self) -> Decimal:
        """The price per 1000, exact."""
    @property
    def min(self) -> int: ...
    @property
    def max(self) -> int: ...
    @property
    def refill(self) -> bool: ...
    @property
    def cancel(self) -> bool: ...
    @property
    def dripfeed(self) -> Optional[bool]: ...
    @property
    def description(self) -> Optional[str]: ...
    @property
    def extra(self) -> Dict[str, Any]: ...
    @property
    def raw(self) -> Optional[Dict[str, str]]:
        """The panel's own text of the name, category and description where
        it differs from the readable text (HTML-escaped), else ``None``."""
    def cost(self, quantity: int) -> Decimal:
        """The exact price of ``quantity`` units: rate × quantity / 1000, or
        rate × quantity for a package type (the rate is per package)."""
    def quote(self, order: Mapping[str, Any]) -> Quote:
        """What an order of this service with these fields (``link``,
        ``quantity``, ``comments``, ...) costs, as the panel charges it."""
    def to_dict(self) -> Dict[str, Any]:
        """The service as plain, JSON-safe values (money as a decimal string)."""
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Service:
        """A service from what ``to_dict()`` gives: a catalog can be cached and handed back."""

@final
class Quote:
    """What an order will cost."""

    @property
    def kind(self) -> Literal["exact", "up_to", "set_by_panel"]: ...
    @property
    def amount(self) -> Optional[Decimal]:
        """The charge (at most, for ``up_to``), or ``None`` when the panel sets it."""

@final
class OrderStatus:
    """The status of an order."""

    @property
    def charge(self) -> Optional[Decimal]: ...
    @property
    def start_count(self) -> Optional[int]: ...
    @property
    def status(self) -> OrderState: ...
    @property
    def remains(self) -> Optional[int]: ...
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def is_final(self) -> bool: ...
    @property
    def extra(self) -> Dict[str, Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Balance:
    """The account's balance."""

    @property
    def amount(self) -> Decimal: ...
    @property
    def currency(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class CancelRequested:
    """A cancellation the panel accepted; the order is not canceled yet."""

    @property
    def note(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Journal:
    @staticmethod
    def open(url: str) -> Journal: ...
    @property
    def url(self) -> str: ...
    @property
    def backend(self) -> str: ...
    @overload
    def call(self, awaitable: Literal[False], method: str, args: Mapping[str, Any]) -> Any: ...
    @overload
    def call(self, awaitable: Literal[True], method: str, args: Mapping[str, Any]) -> Awaitable[Any]: ...

@final
class Fleet:
    @staticmethod
    def create(panels: Mapping[str, Client], routes: Mapping[str, Any], journal: Optional[str]) -> Fleet: ...
    @property
    def panels(self) -> List[str]: ...
    @property
    def journal(self) -> Optional[Journal]: ...
    @overload
    def call(self, awaitable: Literal[False], method: str, args: Mapping[str, Any]) -> Any: ...
    @overload
    def call(self, awaitable: Literal[True], method: str, args: Mapping[str, Any]) -> Awaitable[Any]: ...

@final
class Client:
    @staticmethod
    def create(options: Mapping[str, Any]) -> Client: ...
    @property
    def name(self) -> str: ...
    @property
    def url(self) -> str: ...
    @overload
    def services(self, awaitable: Literal[False]) -> ServiceList: ...
    @overload
    def services(self, awaitable: Literal[True]) -> Awaitable[ServiceList]: ...
    @property
    def journal(self) -> Optional[Journal]: ...
    @overload
    def add(self, awaitable: Literal[False], order: Mapping[str, Any], options: Mapping[str, Any]) -> int: ...
    @overload
    def add(self, awaitable: Literal[True], order: Mapping[str, Any], options: Mapping[str, Any]) -> Awaitable[int]: ...
    @overload
    def status(self, awaitable: Literal[False], order: _Id) -> OrderStatus: ...
    @overload
    def status(self, awaitable: Literal[True], order: _Id) -> Awaitable[OrderStatus]: ...
    @overload
    def statuses(
        self, awaitable: Literal[False], orders: Iterable[_K]
    ) -> Dict[_K, Union[OrderStatus, SmmError]]: ...
    @overload
    def statuses(
        self, awaitable: Literal[True], orders: Iterable[_K]
    ) -> Awaitable[Dict[_K, Union[OrderStatus, SmmError]]]: ...
    @overload
    def refill(self, awaitable: Literal[False], order: _Id) -> int: ...
    @overload
    def refill(self, awaitable: Literal[True], order: _Id) -> Awaitable[int]: ...
    @overload
    def refills(self, awaitable: Literal[False], orders: Iterable[_K]) -> Dict[_K, Union[int, SmmError]]: ...
    @overload
    def refills(
        self, awaitable: Literal[True], orders: Iterable[_K]
    ) -> Awaitable[Dict[_K, Union[int, SmmError]]]: ...
    @overload
    def refill_status(self, awaitable: Literal[False], refill: _Id) -> RefillState: ...
    @overload
    def refill_status(self, awaitable: Literal[True], refill: _Id) -> Awaitable[RefillState]: ...
    @overload
    def refill_statuses(
        self, awaitable: Literal[False], refills: Iterable[_K]
    ) -> Dict[_K, Union[RefillState, SmmError]]: ...
    @overload
    def refill_statuses(
        self, awaitable: Literal[True], refills: Iterable[_K]
    ) -> Awaitable[Dict[_K, Union[RefillState, SmmError]]]: ...
    @overload
    def cancel(self, awaitable: Literal[False], orders: _Id) -> CancelRequested: ...
    @overload
    def cancel(
        self, awaitable: Literal[False], orders: Iterable[int]
    ) -> Dict[int, Union[CancelRequested, SmmError]]: ...
    @overload
    def cancel(
        self, awaitable: Literal[False], orders: List[str]
    ) -> Dict[str, Union[CancelRequested, SmmError]]: ...
    @overload
    def cancel(self, awaitable: Literal[True], orders: _Id) -> Awaitable[CancelRequested]: ...
    @overload
    def cancel(
        self, awaitable: Literal[True], orders: Iterable[int]
    ) -> Awaitable[Dict[int, Union[CancelRequested, SmmError]]]: ...
    @overload
    def cancel(
        self, awaitable: Literal[True], orders: List[str]
    ) -> Awaitable[Dict[str, Union[CancelRequested, SmmError]]]: ...
    @overload
    def cancel(self, awaitable: bool, orders: Union[_Id, Iterable[int], List[str]]) -> Any: ...
    @overload
    def balance(self, awaitable: Literal[False]) -> Balance: ...
    @overload
    def balance(self, awaitable: Literal[True]) -> Awaitable[Balance]: ...

@final
class Sandbox:
    def __new__(
        cls,
        *,
        seed: int = ...,
        services: int = ...,
        speed: Optional[float] = ...,
        dialect: str = ...,
        numbers: str = ...,
        balance: str = ...,
        currency: str = ...,
        key: Optional[str] = ...,
        catalog_json: Optional[str] = ...,
        echo: bool = ...,
    ) -> Sandbox: ...
    @property
    def url(self) -> str: ...
    @property
    def key(self) -> str: ...
    def advance(self, seconds: float) -> None: ...
    def orders(self) -> List[Dict[str, Any]]: ...
    def balance(self) -> Decimal: ...
    def set_faults(
        self,
        *,
        seed: int = ...,
        latency: float = ...,
        server_error: float = ...,
        html: float = ...,
        drop: float = ...,
        stall: float = ...,
        stall_for: float = ...,
        after_action: float = ...,
    ) -> None: ...
    def fault_counts(self) -> Dict[str, int]: ...
    def connections(self) -> Dict[str, int]: ...
    def close(self) -> None: ...

def decode(payload: str, body: bytes) -> Any:
    """Decodes a body as the answer ``payload`` names, as the client would."""

def error_codes() -> List[str]:
    """Every error code the core gives."""

def word_lists() -> List[Tuple[str, List[str]]]:
    """The words of the core's tables (service types, order and refill states, order forms)."""
