"""The order journal: idempotent orders, crash-safe records and status sync,
on SQLite (a file) or Postgres.

A client given ``journal="sqlite://orders.db"`` (or ``postgres://…``)
records every order before it is sent and its outcome after; ``add`` with an
``idempotency_key`` that is journaled already sends nothing and returns the
first order's id (or raises its refusal, or :class:`~smmkit.OutcomeUnknown`
again until it is resolved). ``client.journal`` lists, syncs and resolves::

    client = smmkit.PerfectPanel(url, key, journal="sqlite://orders.db")
    client.add(1, "https://t.me/channel", 500, idempotency_key="invoice-1042")
    for change in client.journal.sync()["changes"]:
        print(change["order"], change["from"], "→", change["to"])

:func:`Journal.open` opens a journal alone, to read or resolve it.
Amounts are :class:`decimal.Decimal`, times aware :class:`datetime.datetime`
in UTC, errors instances of :mod:`smmkit.errors`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Literal, Optional, TypedDict, Union, cast

from . import _native
from .errors import SmmError

__all__ = [
    "Journal",
    "AsyncJournal",
    "JournalEntry",
    "Change",
    "PollFailure",
    "Unattached",
    "SyncReport",
    "Spend",
    "StatusRecord",
    "CatalogChange",
    "EntryState",
]

#: Where a journaled order stands.
EntryState = Literal["sending", "placed", "refused", "unknown", "failed", "not_placed"]


class QuoteDict(TypedDict):
    kind: Literal["exact", "up_to", "set_by_panel"]
    amount: Optional[Decimal]


class JournalEntry(TypedDict):
    """A journaled order."""

    key: str
    provider: str
    service: int
    #: The order as its fields (``service``, ``form``, ``link``…).
    request: Dict[str, Any]
    quote: Optional[QuoteDict]
    reference: Optional[str]
    metadata: Any
    state: EntryState
    order: Optional[int]
    #: The error of a refused, unknown or failed order.
    error: Optional[SmmError]
    attempts: int
    created_at: datetime
    updated_at: datetime
    resolved_at: Optional[datetime]
    status: Optional[str]
    charge: Optional[Decimal]
    currency: Optional[str]
    start_count: Optional[int]
    remains: Optional[int]
    is_final: bool
    polled_at: Optional[datetime]
    poll_error: Optional[str]
    cancel_requested_at: Optional[datetime]


Change = TypedDict(
    "Change",
    {
        "key": str,
        "provider": str,
        "order": int,
        "reference": Optional[str],
        "from": Optional[str],
        "to": str,
        "remains": Optional[int],
        "charge": Optional[Decimal],
        "start_count": Optional[int],
    },
)
Change.__doc__ = "One change of an order's status, charge or remains, as a sync saw it."


class PollFailure(TypedDict):
    """An order whose status could not be polled (it is polled again next round)."""

    key: str
    provider: str
    order: int
    error: SmmError


class Unattached(TypedDict):
    """Open orders of a provider no client of this journal is attached to."""

    provider: str
    orders: int


class SyncReport(TypedDict):
    """What one sync round did."""

    polled: int
    changes: List[Change]
    failed: List[PollFailure]
    unattached: List[Unattached]
    open: int
    unknown: int


class Spend(TypedDict):
    """What was spent at one provider, in one currency: the sum of the
    charges the panel reported, exact."""

    provider: str
    currency: Optional[str]
    charged: Decimal
    orders: int
    awaiting_charge: int


class StatusRecord(TypedDict):
    """A status an order had, as a poll saw it."""

    at: datetime
    status: str
    charge: Optional[Decimal]
    start_count: Optional[int]
    remains: Optional[int]


class CatalogChange(TypedDict):
    """A service a catalog refresh found new, removed or repriced."""

    provider: str
    at: datetime
    service: int
    kind: Literal["new", "removed", "repriced"]
    name: str
    old_rate: Optional[Decimal]
    new_rate: Optional[Decimal]


def _given(**values: Any) -> Dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v is not False}


class Journal:
    """An order journal (blocking calls). ``client.journal`` is the one a
    client writes to; :meth:`open` opens one alone."""

    def __init__(self, native: _native.Journal) -> None:
        self._j = native

    @staticmethod
    def open(url: str) -> "Journal":
        """Opens (and creates, or brings to the current schema) the journal
        at ``url``: ``sqlite://FILE`` (a bare path is an SQLite file too),
        ``sqlite::memory:`` or ``postgres://USER:PASSWORD@HOST/DB``."""
        return Journal(_native.Journal.open(url))

    @property
    def url(self) -> str:
        """The journal's URL, without its password."""
        return self._j.url

    @property
    def backend(self) -> Literal["sqlite", "postgres"]:
        """The database it is kept in."""
        return self._j.backend  # type: ignore[return-value]

    def __repr__(self) -> str:
        return repr(self._j)

    def orders(
        self,
        *,
        state: Optional[EntryState] = None,
        provider: Optional[str] = None,
        status: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> List[JournalEntry]:
        """The journaled orders, the newest first: only those in ``state``,
        of ``provider``, with the panel's ``status`` (any case), at most
        ``limit``."""
        return cast(List[JournalEntry], self._j.call(False, "orders", _given(state=state, provider=provider, status=status, limit=limit)))

    def order(self, key: str) -> Optional[JournalEntry]:
        """The order journaled under ``key``."""
        return cast(Optional[JournalEntry], self._j.call(False, "order", {"key": key}))

    def unknown(self) -> List[JournalEntry]:
        """The orders whose outcome is unknown, oldest first: check each on
        the panel, then :meth:`resolve` it."""
        return cast(List[JournalEntry], self._j.call(False, "unknown", {}))

    def resolve(self, key: str, *, placed: Union[int, str, None] = None, not_placed: bool = False) -> JournalEntry:
        """Records how an unknown order turned out: ``placed=ORDER_ID`` (sync
        follows it from then on) or ``not_placed=True`` (its key may send
        it again)."""
        return cast(JournalEntry, self._j.call(False, "resolve", _given(key=key, placed=placed, not_placed=not_placed)))

    def history(self, key: str) -> List[StatusRecord]:
        """Every status change of the order under ``key``, oldest first."""
        return cast(List[StatusRecord], self._j.call(False, "history", {"key": key}))

    def sync(self) -> SyncReport:
        """Polls every open order of every client attached to this journal
        (batched, with each panel's concurrency), stores what it finds and
        returns the changes. Workers syncing at once share the round."""
        return cast(SyncReport, self._j.call(False, "sync", {}))

    def spend(self) -> List[Spend]:
        """What was spent, per provider and currency."""
        return cast(List[Spend], self._j.call(False, "spend", {}))

    def catalog_changes(self, provider: Optional[str] = None) -> List[CatalogChange]:
        """What catalog refreshes found new, removed or repriced, oldest first."""
        return cast(List[CatalogChange], self._j.call(False, "catalog_changes", _given(provider=provider)))

    def refresh_catalog(self, provider: str) -> List[CatalogChange]:
        """Fetches the catalog of an attached provider now; returns what changed."""
        return cast(List[CatalogChange], self._j.call(False, "refresh_catalog", {"provider": provider}))


class AsyncJournal:
    """An order journal for asyncio: the methods of :class:`Journal`, as
    coroutines."""

    def __init__(self, native: _native.Journal) -> None:
        self._j = native

    @staticmethod
    def open(url: str) -> "AsyncJournal":
        """Opens the journal at ``url`` (see :meth:`Journal.open`)."""
        return AsyncJournal(_native.Journal.open(url))

    @property
    def url(self) -> str:
        """The journal's URL, without its password."""
        return self._j.url

    @property
    def backend(self) -> Literal["sqlite", "postgres"]:
        """The database it is kept in."""
        return self._j.backend  # type: ignore[return-value]

    def __repr__(self) -> str:
        return repr(self._j)

    async def orders(
        self,
        *,
        state: Optional[EntryState] = None,
        provider: Optional[str] = None,
        status: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> List[JournalEntry]:
        """The journaled orders, the newest first (see :meth:`Journal.orders`)."""
        return cast(List[JournalEntry], await self._j.call(True, "orders", _given(state=state, provider=provider, status=status, limit=limit)))

    async def order(self, key: str) -> Optional[JournalEntry]:
        """The order journaled under ``key``."""
        return cast(Optional[JournalEntry], await self._j.call(True, "order", {"key": key}))

    async def unknown(self) -> List[JournalEntry]:
        """The orders whose outcome is unknown, oldest first."""
        return cast(List[JournalEntry], await self._j.call(True, "unknown", {}))

    async def resolve(
        self, key: str, *, placed: Union[int, str, None] = None, not_placed: bool = False
    ) -> JournalEntry:
        """Records how an unknown order turned out (see :meth:`Journal.resolve`)."""
        return cast(JournalEntry, await self._j.call(True, "resolve", _given(key=key, placed=placed, not_placed=not_placed)))

    async def history(self, key: str) -> List[StatusRecord]:
        """Every status change of the order under ``key``, oldest first."""
        return cast(List[StatusRecord], await self._j.call(True, "history", {"key": key}))

    async def sync(self) -> SyncReport:
        """Polls every open order and returns the changes (see :meth:`Journal.sync`)."""
        return cast(SyncReport, await self._j.call(True, "sync", {}))

    async def spend(self) -> List[Spend]:
        """What was spent, per provider and currency."""
        return cast(List[Spend], await self._j.call(True, "spend", {}))

    async def catalog_changes(self, provider: Optional[str] = None) -> List[CatalogChange]:
        """What catalog refreshes found new, removed or repriced, oldest first."""
        return cast(List[CatalogChange], await self._j.call(True, "catalog_changes", _given(provider=provider)))

    async def refresh_catalog(self, provider: str) -> List[CatalogChange]:
        """Fetches the catalog of an attached provider now; returns what changed."""
        return cast(List[CatalogChange], await self._j.call(True, "refresh_catalog", {"provider": provider}))
