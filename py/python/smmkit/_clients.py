"""The clients: sync and asyncio, for fampage.in and any API v2 panel.

Every argument is handed to the Rust core as given: the core reads the
options (one set of bounds for Python, Node and the command line), the
order's fields and the ids, and says what is wrong with them.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, TypedDict, TypeVar, Union, overload

from . import _native
from ._native import Balance, CancelRequested, OrderStatus
from .catalog import ServiceList
from .enums import OrderForm, RefillState
from .errors import SmmError
from .journal import AsyncJournal, Journal

__all__ = ["PerfectPanel", "Fampage", "AsyncPerfectPanel", "AsyncFampage", "OrderFields"]

Id = Union[int, str]
Lines = Union[str, Iterable[str]]
#: The ids a batch is given: results are keyed by them, as given.
K = TypeVar("K", bound=Union[int, str])


class OrderFields(TypedDict, total=False):
    """Every field an order of some form takes besides service, link and
    quantity: ``add(service, link, quantity, **fields)`` type-checks with it."""

    form: Union[OrderForm, str]
    runs: int
    interval: int
    comments: Lines
    usernames: Lines
    hashtags: Lines
    keywords: Lines
    groups: Lines
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


def _given(**values: Any) -> Dict[str, Any]:
    """The arguments that were given (not None)."""
    return {k: v for k, v in values.items() if v is not None}


_JOURNAL_OPTIONS = ("idempotency_key", "reference", "metadata")


def _options(order: Dict[str, Any]) -> Dict[str, Any]:
    """Takes the journal's options of ``add`` out of the order's fields."""
    return {k: order.pop(k) for k in _JOURNAL_OPTIONS if k in order}


_ADD_DOC = """Places an order and returns its id; never sends it twice.

        :param service: the service id
        :param link: the link to deliver to (subscriptions take ``username`` instead)
        :param quantity: how many (forms whose list sets the quantity take none)
        :param form: the order form when the service's type does not tell
            (``smmkit.OrderForm``); else the form comes from the service's
            type once ``services()`` was called, else from the fields given
        :param runs: drip-feed: how many runs (with ``interval``, minutes)
        :param comments: custom comments, comment replies: one per line, or a list
        :param usernames: mentions (and their custom list): a list or one per line
        :param hashtags: mentions with hashtags
        :param keywords: SEO
        :param groups: invites from groups
        :param hashtag: mentions hashtag
        :param username: mentions user followers, comment likes, comment
            replies; for subscriptions the account followed, in place of a link
        :param media: mentions media likers
        :param answer_number: poll: the answer to vote for, from 1
        :param min: subscriptions: least per post (with ``max``,
            ``posts`` (leave out for unlimited), ``old_posts``, ``delay`` in
            minutes, ``expiry`` as dd/mm/yyyy)
        :param country: web traffic (with ``device`` 1–5 and
            ``type_of_traffic`` 1 Google keyword + ``google_keyword``,
            2 referrer + ``referring_url``, 3 blank)

        :param idempotency_key: with a journal: the order is sent once under
            this key; an ``add`` with a key already journaled sends nothing and
            returns the first's order id (or raises its refusal, or
            :class:`OutcomeUnknown` until it is resolved)
        :param reference: with a journal: your own reference, kept with the order
        :param metadata: with a journal: anything else to keep with it (JSON)

        An invalid order raises :class:`ValidationError` and sends nothing:
        its shape always; its quantity against the service's limits once this
        client has listed ``services()`` (a fresh client leaves the limits to
        the panel; a journaled one checks against the journal's catalog). A
        lost answer raises :class:`OutcomeUnknown`.
        """


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


class _Sync(_Base):
    @property
    def journal(self) -> Optional[Journal]:
        """The order journal, when the client was given ``journal=``."""
        native = self._c.journal
        return None if native is None else Journal(native)


class _Async(_Base):
    @property
    def journal(self) -> Optional[AsyncJournal]:
        """The order journal, when the client was given ``journal=``."""
        native = self._c.journal
        return None if native is None else AsyncJournal(native)


class PerfectPanel(_Sync):
    """A client of any panel that speaks API v2, by URL (blocking calls).

    The API key is kept in Rust and never shown. Every call releases the GIL
    while it waits, so threads can share one client. The options and their
    bounds are the same as the command line's and Node's:

    :param url: the panel's API v2 endpoint, such as ``https://panel.example/api/v2``
    :param key: the API key
    :param transport: ``"post"`` (form body, the default) or ``"get"`` (query string)
    :param timeout: seconds one exchange may take, body included (default 30; up to 86400)
    :param connect_timeout: seconds opening a connection may take (default 10)
    :param retries: how many times a failed read is retried (default 3; 0 to 20)
    :param concurrency: requests of one batch run at once (default 4; 1 to 64)
    :param max_connections: requests in flight at once, and so connections open (default 16; 1 to 1024)
    :param max_response_bytes: the largest answer accepted (default 64 MiB)
    :param user_agent: the ``User-Agent`` header (default ``smmkit/<version>``)
    :param proxy: a proxy for every request (``http://``, ``https://``, ``socks5://``)
    :param params: parameters sent with every request
    :param name: the panel's name, in logs and in the journal (default: its host)
    :param journal: the order journal, ``sqlite://FILE`` or ``postgres://…``:
        every order is recorded before it is sent, ``add`` takes an
        ``idempotency_key``, and :attr:`journal` lists, syncs and resolves
    """

    _provider = "perfect-panel"

    def __init__(
        self,
        url: str,
        key: str,
        *,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        params: Optional[Mapping[str, Union[str, int]]] = None,
        name: Optional[str] = None,
        journal: Optional[str] = None,
    ) -> None:
        options = _given(**locals())
        del options["self"]
        options["provider"] = self._provider
        self._c = _native.Client.create(options)

    def services(self) -> ServiceList:
        """The catalog: the services (a list) and, as its ``skipped``, the
        entries that could not be read. It is also kept to check later
        orders against."""
        return self._c.services(False)

    def add(
        self,
        service: Id,
        link: Optional[str] = None,
        quantity: Optional[int] = None,
        *,
        form: Union[OrderForm, str, None] = None,
        runs: Optional[int] = None,
        interval: Optional[int] = None,
        comments: Optional[Lines] = None,
        usernames: Optional[Lines] = None,
        hashtags: Optional[Lines] = None,
        keywords: Optional[Lines] = None,
        groups: Optional[Lines] = None,
        hashtag: Optional[str] = None,
        username: Optional[str] = None,
        media: Optional[str] = None,
        answer_number: Optional[int] = None,
        min: Optional[int] = None,  # noqa: A002
        max: Optional[int] = None,  # noqa: A002
        posts: Optional[int] = None,
        old_posts: Optional[int] = None,
        delay: Optional[int] = None,
        expiry: Optional[str] = None,
        country: Optional[str] = None,
        device: Optional[int] = None,
        type_of_traffic: Optional[int] = None,
        google_keyword: Optional[str] = None,
        referring_url: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        reference: Optional[str] = None,
        metadata: Any = None,
    ) -> int:
        order = _given(**locals())
        del order["self"]
        options = _options(order)
        return self._c.add(False, order, options)

    add.__doc__ = _ADD_DOC

    def status(self, order: Id) -> OrderStatus:
        """One order's status."""
        return self._c.status(False, order)

    def statuses(self, orders: Iterable[K]) -> Dict[K, Union[OrderStatus, SmmError]]:
        """Many orders' statuses, 100 per request: a status or an error per
        id, keyed by the ids as given."""
        return self._c.statuses(False, orders)

    def refill(self, order: Id) -> int:
        """Asks for a refill; returns the refill id."""
        return self._c.refill(False, order)

    def refills(self, orders: Iterable[K]) -> Dict[K, Union[int, SmmError]]:
        """Asks for refills of many orders: a refill id or an error per order."""
        return self._c.refills(False, orders)

    def refill_status(self, refill: Id) -> RefillState:
        """One refill's status."""
        return self._c.refill_status(False, refill)

    def refill_statuses(self, refills: Iterable[K]) -> Dict[K, Union[RefillState, SmmError]]:
        """Many refills' statuses: a status or an error per refill."""
        return self._c.refill_statuses(False, refills)

    @overload
    def cancel(self, orders: Id) -> CancelRequested: ...
    @overload
    def cancel(self, orders: Iterable[int]) -> Dict[int, Union[CancelRequested, SmmError]]: ...
    @overload
    def cancel(self, orders: List[str]) -> Dict[str, Union[CancelRequested, SmmError]]: ...
    def cancel(self, orders: Union[Id, Iterable[int], List[str]]) -> Any:
        """Asks to cancel one order (raising if refused) or many (an outcome per id)."""
        return self._c.cancel(False, orders)

    def balance(self) -> Balance:
        """The account's balance."""
        return self._c.balance(False)


class Fampage(PerfectPanel):
    """The fampage.in client (blocking calls): GET transport, one refill or
    cancel per request. ``url`` points it elsewhere (a sandbox, a test
    server); the other options are those of :class:`PerfectPanel`."""

    _provider = "fampage"

    def __init__(
        self,
        key: str,
        *,
        url: Optional[str] = None,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        params: Optional[Mapping[str, Union[str, int]]] = None,
        name: Optional[str] = None,
        journal: Optional[str] = None,
    ) -> None:
        options = _given(**locals())
        del options["self"]
        options["provider"] = self._provider
        self._c = _native.Client.create(options)


class AsyncPerfectPanel(_Async):
    """A client of any API v2 panel for asyncio: the methods and options of
    :class:`PerfectPanel`, as coroutines. Calls run on one shared tokio
    runtime; ``asyncio.gather`` of hundreds of them is fine (at most
    ``max_connections`` are in flight at once)."""

    _provider = "perfect-panel"

    def __init__(
        self,
        url: str,
        key: str,
        *,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        params: Optional[Mapping[str, Union[str, int]]] = None,
        name: Optional[str] = None,
        journal: Optional[str] = None,
    ) -> None:
        options = _given(**locals())
        del options["self"]
        options["provider"] = self._provider
        self._c = _native.Client.create(options)

    async def services(self) -> ServiceList:
        """The catalog: the services and, as ``skipped``, the entries that
        could not be read. It is also kept to check later orders against."""
        return await self._c.services(True)

    async def add(
        self,
        service: Id,
        link: Optional[str] = None,
        quantity: Optional[int] = None,
        *,
        form: Union[OrderForm, str, None] = None,
        runs: Optional[int] = None,
        interval: Optional[int] = None,
        comments: Optional[Lines] = None,
        usernames: Optional[Lines] = None,
        hashtags: Optional[Lines] = None,
        keywords: Optional[Lines] = None,
        groups: Optional[Lines] = None,
        hashtag: Optional[str] = None,
        username: Optional[str] = None,
        media: Optional[str] = None,
        answer_number: Optional[int] = None,
        min: Optional[int] = None,  # noqa: A002
        max: Optional[int] = None,  # noqa: A002
        posts: Optional[int] = None,
        old_posts: Optional[int] = None,
        delay: Optional[int] = None,
        expiry: Optional[str] = None,
        country: Optional[str] = None,
        device: Optional[int] = None,
        type_of_traffic: Optional[int] = None,
        google_keyword: Optional[str] = None,
        referring_url: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        reference: Optional[str] = None,
        metadata: Any = None,
    ) -> int:
        order = _given(**locals())
        del order["self"]
        options = _options(order)
        return await self._c.add(True, order, options)

    add.__doc__ = _ADD_DOC

    async def status(self, order: Id) -> OrderStatus:
        """One order's status."""
        return await self._c.status(True, order)

    async def statuses(self, orders: Iterable[K]) -> Dict[K, Union[OrderStatus, SmmError]]:
        """Many orders' statuses: a status or an error per id, keyed by the ids as given."""
        return await self._c.statuses(True, orders)

    async def refill(self, order: Id) -> int:
        """Asks for a refill; returns the refill id."""
        return await self._c.refill(True, order)

    async def refills(self, orders: Iterable[K]) -> Dict[K, Union[int, SmmError]]:
        """Asks for refills of many orders."""
        return await self._c.refills(True, orders)

    async def refill_status(self, refill: Id) -> RefillState:
        """One refill's status."""
        return await self._c.refill_status(True, refill)

    async def refill_statuses(self, refills: Iterable[K]) -> Dict[K, Union[RefillState, SmmError]]:
        """Many refills' statuses."""
        return await self._c.refill_statuses(True, refills)

    @overload
    async def cancel(self, orders: Id) -> CancelRequested: ...
    @overload
    async def cancel(self, orders: Iterable[int]) -> Dict[int, Union[CancelRequested, SmmError]]: ...
    @overload
    async def cancel(self, orders: List[str]) -> Dict[str, Union[CancelRequested, SmmError]]: ...
    async def cancel(self, orders: Union[Id, Iterable[int], List[str]]) -> Any:
        """Asks to cancel one order (raising if refused) or many (an outcome per id)."""
        return await self._c.cancel(True, orders)

    async def balance(self) -> Balance:
        """The account's balance."""
        return await self._c.balance(True)


class AsyncFampage(AsyncPerfectPanel):
    """The fampage.in client for asyncio."""

    _provider = "fampage"

    def __init__(
        self,
        key: str,
        *,
        url: Optional[str] = None,
        transport: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retries: Optional[int] = None,
        concurrency: Optional[int] = None,
        max_connections: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        params: Optional[Mapping[str, Union[str, int]]] = None,
        name: Optional[str] = None,
        journal: Optional[str] = None,
    ) -> None:
        options = _given(**locals())
        del options["self"]
        options["provider"] = self._provider
        self._c = _native.Client.create(options)
