"""The clients: sync and asyncio, for fampage.in and any API v2 panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Union, overload

from . import _native
from ._native import Balance, CancelRequested, OrderStatus, Service
from .enums import OrderForm, RefillState
from .errors import SmmError

if TYPE_CHECKING:
    from typing_extensions import TypedDict, Unpack

    class OrderFields(TypedDict, total=False):
        """Every field an order of some form takes, besides service, link and quantity."""

        form: Union[OrderForm, str]
        runs: int
        interval: int
        comments: Union[str, Iterable[str]]
        usernames: Union[str, Iterable[str]]
        hashtags: Union[str, Iterable[str]]
        keywords: Union[str, Iterable[str]]
        groups: Union[str, Iterable[str]]
        hashtag: str
        username: str
        media: str
        answer_number: int
        min: int
        max: int
        posts: int
        old_posts: int
        delay: int
        expiry: str
        country: str
        device: int
        type_of_traffic: int
        google_keyword: str
        referring_url: str


__all__ = ["PerfectPanel", "Fampage", "AsyncPerfectPanel", "AsyncFampage"]

Id = Union[int, str]


def _native_client(
    kind: str,
    url: Optional[str],
    key: str,
    transport: Optional[str],
    timeout: Optional[float],
    connect_timeout: Optional[float],
    retries: Optional[int],
    max_response_bytes: Optional[int],
    concurrency: Optional[int],
) -> _native.Client:
    if not isinstance(key, str):
        raise TypeError(f"key must be a str, not {type(key).__name__}")
    if kind != "fampage" and not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    return _native.Client.create(
        kind,
        key,
        url=url,
        transport=transport,
        timeout=timeout,
        connect_timeout=connect_timeout,
        retries=retries,
        max_response_bytes=max_response_bytes,
        concurrency=concurrency,
    )


class _Base:
    _c: _native.Client

    @property
    def name(self) -> str:
        """A short name for the panel."""
        return self._c.name

    @property
    def url(self) -> str:
        """The panel's API v2 URL."""
        return self._c.url

    def __repr__(self) -> str:
        return repr(self._c)


class PerfectPanel(_Base):
    """A client of any panel that speaks API v2, by URL (blocking calls).

    The API key is kept in Rust and never shown. Every call releases the GIL
    while it waits, so threads can share one client.

    :param url: the panel's API v2 endpoint, such as ``https://panel.example/api/v2``
    :param key: the API key
    :param transport: ``"post"`` (form body, the default) or ``"get"`` (query string)
    :param timeout: seconds one exchange may take, body included (default 30)
    :param connect_timeout: seconds opening a connection may take (default 10)
    :param retries: how many times a failed read is retried (default 3)
    :param max_response_bytes: the largest answer accepted (default 64 MiB)
    :param concurrency: requests of one batch run at once (default 4)
    """

    def __init__(
        self,
        url: str,
        key: str,
        *,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        concurrency: Optional[int] = None,
    ) -> None:
        self._c = _native_client(
            "perfect-panel", url, key, transport, timeout, connect_timeout, retries, max_response_bytes, concurrency
        )

    def services(self) -> List[Service]:
        """The catalog. It is also kept to check later orders against."""
        return self._c.services(False)

    def add(
        self,
        service: Id,
        link: Optional[str] = None,
        quantity: Optional[int] = None,
        **fields: Unpack[OrderFields],
    ) -> int:
        """Places an order and returns its id; never sends it twice.

        The fields are those of the service's type (known once ``services()``
        was called), or the form ``form=`` names, or the form the fields
        point to. An invalid order raises :class:`ValidationError` and sends
        nothing; a lost answer raises :class:`OutcomeUnknown`.
        """
        return self._c.add(False, service, link=link, quantity=quantity, **fields)

    def status(self, order: Id) -> OrderStatus:
        """One order's status."""
        return self._c.status(False, order)

    def statuses(self, orders: Iterable[Id]) -> Dict[int, Union[OrderStatus, SmmError]]:
        """Many orders' statuses, 100 per request: a status or an error per id."""
        return self._c.statuses(False, orders)

    def refill(self, order: Id) -> int:
        """Asks for a refill; returns the refill id."""
        return self._c.refill(False, order)

    def refills(self, orders: Iterable[Id]) -> Dict[int, Union[int, SmmError]]:
        """Asks for refills of many orders: a refill id or an error per order."""
        return self._c.refills(False, orders)

    def refill_status(self, refill: Id) -> RefillState:
        """One refill's status."""
        return self._c.refill_status(False, refill)

    def refill_statuses(self, refills: Iterable[Id]) -> Dict[int, Union[RefillState, SmmError]]:
        """Many refills' statuses: a status or an error per refill."""
        return self._c.refill_statuses(False, refills)

    @overload
    def cancel(self, orders: Id) -> CancelRequested: ...
    @overload
    def cancel(self, orders: Iterable[int]) -> Dict[int, Union[CancelRequested, SmmError]]: ...
    def cancel(
        self, orders: Union[Id, Iterable[int]]
    ) -> Union[CancelRequested, Dict[int, Union[CancelRequested, SmmError]]]:
        """Asks to cancel one order (raising if refused) or many (an outcome per id)."""
        return self._c.cancel(False, orders)

    def balance(self) -> Balance:
        """The account's balance."""
        return self._c.balance(False)


class Fampage(PerfectPanel):
    """The fampage.in client (blocking calls): GET transport, one refill or cancel per request.

    ``url`` points it elsewhere (a sandbox, a test server); the other
    options are those of :class:`PerfectPanel`.
    """

    def __init__(  # noqa: PLR0913
        self,
        key: str,
        *,
        url: Optional[str] = None,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        concurrency: Optional[int] = None,
    ) -> None:
        self._c = _native_client(
            "fampage", url, key, transport, timeout, connect_timeout, retries, max_response_bytes, concurrency
        )


class AsyncPerfectPanel(_Base):
    """A client of any API v2 panel for asyncio: the methods of
    :class:`PerfectPanel`, as coroutines. Calls run on one shared tokio
    runtime; ``asyncio.gather`` of hundreds of them is fine.
    """

    def __init__(
        self,
        url: str,
        key: str,
        *,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        concurrency: Optional[int] = None,
    ) -> None:
        self._c = _native_client(
            "perfect-panel", url, key, transport, timeout, connect_timeout, retries, max_response_bytes, concurrency
        )

    async def services(self) -> List[Service]:
        """The catalog. It is also kept to check later orders against."""
        return await self._c.services(True)

    async def add(
        self,
        service: Id,
        link: Optional[str] = None,
        quantity: Optional[int] = None,
        **fields: Unpack[OrderFields],
    ) -> int:
        """Places an order and returns its id; never sends it twice."""
        return await self._c.add(True, service, link=link, quantity=quantity, **fields)

    async def status(self, order: Id) -> OrderStatus:
        """One order's status."""
        return await self._c.status(True, order)

    async def statuses(self, orders: Iterable[Id]) -> Dict[int, Union[OrderStatus, SmmError]]:
        """Many orders' statuses: a status or an error per id."""
        return await self._c.statuses(True, orders)

    async def refill(self, order: Id) -> int:
        """Asks for a refill; returns the refill id."""
        return await self._c.refill(True, order)

    async def refills(self, orders: Iterable[Id]) -> Dict[int, Union[int, SmmError]]:
        """Asks for refills of many orders."""
        return await self._c.refills(True, orders)

    async def refill_status(self, refill: Id) -> RefillState:
        """One refill's status."""
        return await self._c.refill_status(True, refill)

    async def refill_statuses(self, refills: Iterable[Id]) -> Dict[int, Union[RefillState, SmmError]]:
        """Many refills' statuses."""
        return await self._c.refill_statuses(True, refills)

    @overload
    async def cancel(self, orders: Id) -> CancelRequested: ...
    @overload
    async def cancel(self, orders: Iterable[int]) -> Dict[int, Union[CancelRequested, SmmError]]: ...
    async def cancel(
        self, orders: Union[Id, Iterable[int]]
    ) -> Union[CancelRequested, Dict[int, Union[CancelRequested, SmmError]]]:
        """Asks to cancel one order (raising if refused) or many (an outcome per id)."""
        return await self._c.cancel(True, orders)

    async def balance(self) -> Balance:
        """The account's balance."""
        return await self._c.balance(True)


class AsyncFampage(AsyncPerfectPanel):
    """The fampage.in client for asyncio."""

    def __init__(  # noqa: PLR0913
        self,
        key: str,
        *,
        url: Optional[str] = None,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        concurrency: Optional[int] = None,
    ) -> None:
        self._c = _native_client(
            "fampage", url, key, transport, timeout, connect_timeout, retries, max_response_bytes, concurrency
        )
