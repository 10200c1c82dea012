"""Several panels at once: compare, routes with safe failover, price lists.

A :class:`Fleet` holds named clients (a reseller's panels) and routes
between them::

    fleet = smmkit.Fleet(
        {"main": smmkit.PerfectPanel(url1, key1), "backup": smmkit.PerfectPanel(url2, key2)},
        routes={"ig-likes": {"strategy": "cheapest", "services": ["main:1203", "backup:77"]}},
        journal="sqlite://orders.db",
    )
    routed = fleet.add("ig-likes", "https://instagram.com/p/x", 500, idempotency_key="invoice-7")
    print(routed["panel"], routed["order"])

A routed ``add`` goes to the first panel, in the route's order (cheapest
first, or as listed), whose catalog lists the service, whose limits take the
quantity and whose balance covers the quote; it moves to the next only when
the failure proves nothing was placed, and raises
:class:`~smmkit.OutcomeUnknown` (trying no other panel) when the outcome is
unknown; :class:`~smmkit.RouteExhausted` lists why each panel did not place
it. Amounts are :class:`decimal.Decimal`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union, cast

from . import _native
from .errors import SmmError
from .journal import AsyncJournal, Journal

__all__ = ["Fleet", "AsyncFleet", "RouteDict", "Attempt", "Routed", "Plan", "PriceRow", "PriceList", "PriceWarning"]


class RouteDict(TypedDict, total=False):
    """A route: ``strategy`` (``"cheapest"`` or ``"priority"``) and
    ``services``, ``"PANEL:SERVICE"`` pairs."""

    strategy: Literal["cheapest", "priority"]
    services: List[str]


class Attempt(TypedDict, total=False):
    """One panel of a route: ``outcome`` is ``eligible`` (a plan),
    ``skipped`` (with ``reason``), ``refused`` (with ``error``), ``placed``
    (with ``order``) or ``not_tried``."""

    panel: str
    service: int
    quote: Optional[Dict[str, Any]]
    outcome: Literal["eligible", "skipped", "refused", "placed", "not_tried"]
    reason: str
    error: SmmError
    order: int


class Routed(TypedDict):
    """A routed order that was placed."""

    route: str
    panel: str
    service: int
    order: int
    quote: Optional[Dict[str, Any]]
    replayed: bool
    attempts: List[Attempt]


class Plan(TypedDict):
    """Where a routed order would go: the panels in the order they would be
    tried, each eligible or skipped with why."""

    route: str
    strategy: Literal["cheapest", "priority"]
    attempts: List[Attempt]


class PriceRow(TypedDict):
    """One line of a price list: cost and sale per 1000 (per package for packages)."""

    name: str
    service_name: str
    type: str
    category: str
    panel: str
    service: int
    cost: Decimal
    sale: Decimal
    margin: Decimal
    min: int
    max: int


class PriceList(TypedDict):
    rows: List[PriceRow]
    #: Routes none of whose panels lists its service now.
    unavailable: List[str]


class PriceWarning(TypedDict):
    """A sale price below what a panel now charges."""

    name: str
    panel: str
    service: int
    cost: Decimal
    sale: Decimal


def _given(**values: Any) -> Dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _native_client(client: Any) -> Any:
    native = getattr(client, "_c", None)
    if native is None:
        raise TypeError(f"a fleet's panels are smmkit clients, not {type(client).__name__}")
    return native


def _pricing(markup: str, min_margin: Union[str, Decimal, None], round: int, rounding: str,
             rules: Optional[Sequence[Mapping[str, Any]]]) -> Dict[str, Any]:
    pricing: Dict[str, Any] = {"markup": markup, "round": round, "rounding": rounding}
    if min_margin is not None:
        pricing["min_margin"] = str(min_margin)
    if rules is not None:
        pricing["rules"] = [dict(r) for r in rules]
    return pricing


class _FleetBase:
    _f: _native.Fleet

    def __init__(
        self,
        panels: Mapping[str, Any],
        *,
        routes: Optional[Mapping[str, RouteDict]] = None,
        journal: Optional[str] = None,
    ) -> None:
        natives = {name: _native_client(client) for name, client in panels.items()}
        self._f = _native.Fleet.create(natives, dict(routes or {}), journal)

    @property
    def panels(self) -> List[str]:
        """The panels' names."""
        return self._f.panels

    def __repr__(self) -> str:
        return repr(self._f)


class Fleet(_FleetBase):
    """Several named panels (blocking calls). ``panels`` maps names to
    clients; ``routes`` maps route names to :class:`RouteDict`; with
    ``journal``, every routed attempt is journaled and an idempotency key
    covers a whole route."""

    @property
    def journal(self) -> Optional[Journal]:
        """The fleet's journal."""
        native = self._f.journal
        return None if native is None else Journal(native)

    def balances(self) -> List[Dict[str, Any]]:
        """Every panel's balance (or error), asked at once."""
        return cast(List[Dict[str, Any]], self._f.call(False, "balances", {}))

    def routes(self) -> List[Dict[str, Any]]:
        """The routes."""
        return cast(List[Dict[str, Any]], self._f.call(False, "routes", {}))

    def services(self) -> List[Dict[str, Any]]:
        """Every panel's catalog (or error): ``{"panel", "services"}`` each."""
        return cast(List[Dict[str, Any]], self._f.call(False, "services", {}))

    def statuses(self, orders: Iterable[Tuple[str, Union[int, str]]]) -> List[Dict[str, Any]]:
        """The statuses of ``(panel, order id)`` pairs, each asked of its
        panel (batched): ``{"panel", "order", "status" | "error"}`` each."""
        pairs = [{"panel": p, "order": o} for p, o in orders]
        return cast(List[Dict[str, Any]], self._f.call(False, "statuses", {"orders": pairs}))

    def compare(self, search: Optional[str] = None, *, type: Optional[str] = None,  # noqa: A002
                category: Optional[str] = None, panels: Optional[Iterable[str]] = None) -> Dict[str, Any]:
        """The services matching ``search`` (words of the name or category),
        ``type`` and ``category`` on every panel, cheapest first, and
        suggested matches of the same offering across panels."""
        args = _given(search=search, type=type, category=category,
                      panels=None if panels is None else list(panels))
        return cast(Dict[str, Any], self._f.call(False, "compare", args))

    def plan(self, route: str, link: Optional[str] = None, quantity: Optional[int] = None, **fields: Any) -> Plan:
        """Where a routed order would go, and why the other panels would not
        get it; nothing is sent."""
        order = _given(link=link, quantity=quantity, **fields)
        return cast(Plan, self._f.call(False, "plan", {"route": route, "order": order}))

    def add(self, route: str, link: Optional[str] = None, quantity: Optional[int] = None, *,
            idempotency_key: Optional[str] = None, reference: Optional[str] = None, metadata: Any = None,
            **fields: Any) -> Routed:
        """Places an order through ``route`` (the fields as
        :meth:`PerfectPanel.add` takes them, without a service)."""
        order = _given(link=link, quantity=quantity, **fields)
        args = _given(route=route, order=order, idempotency_key=idempotency_key, reference=reference,
                      metadata=metadata)
        return cast(Routed, self._f.call(False, "add", args))

    def prices(self, routes: Optional[Iterable[str]] = None, *, markup: str = "0%",
               min_margin: Union[str, Decimal, None] = None, round: int = 2,  # noqa: A002
               rounding: Literal["up", "half_up"] = "up",
               rules: Optional[Sequence[Mapping[str, Any]]] = None) -> PriceList:
        """The sale prices of the routes (all, or those named; every service
        of every panel when there are none): ``markup`` ``"30%"``, ``"0.50"``
        or ``"30%+0.50"``, at least ``min_margin`` over the cost, rounded
        (``up`` never eats the margin) to ``round`` decimals; ``rules`` are
        ``{"category"|"type": ..., "markup": ...}`` markups of their own."""
        args = _given(routes=None if routes is None else list(routes),
                      pricing=_pricing(markup, min_margin, round, rounding, rules))
        return cast(PriceList, self._f.call(False, "prices", args))

    def check_prices(self, rows: Iterable[Mapping[str, Any]]) -> List[PriceWarning]:
        """The lines of a price list whose panel now charges more than
        their sale price."""
        plain = [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows]
        return cast(List[PriceWarning], self._f.call(False, "check_prices", {"rows": plain}))


class AsyncFleet(_FleetBase):
    """Several named panels for asyncio: the methods of :class:`Fleet`, as
    coroutines."""

    @property
    def journal(self) -> Optional[AsyncJournal]:
        """The fleet's journal."""
        native = self._f.journal
        return None if native is None else AsyncJournal(native)

    async def balances(self) -> List[Dict[str, Any]]:
        """Every panel's balance (or error), asked at once."""
        return cast(List[Dict[str, Any]], await self._f.call(True, "balances", {}))

    async def routes(self) -> List[Dict[str, Any]]:
        """The routes."""
        return cast(List[Dict[str, Any]], await self._f.call(True, "routes", {}))

    async def services(self) -> List[Dict[str, Any]]:
        """See :meth:`Fleet.services`."""
        return cast(List[Dict[str, Any]], await self._f.call(True, "services", {}))

    async def statuses(self, orders: Iterable[Tuple[str, Union[int, str]]]) -> List[Dict[str, Any]]:
        """See :meth:`Fleet.statuses`."""
        pairs = [{"panel": p, "order": o} for p, o in orders]
        return cast(List[Dict[str, Any]], await self._f.call(True, "statuses", {"orders": pairs}))

    async def compare(self, search: Optional[str] = None, *, type: Optional[str] = None,  # noqa: A002
                      category: Optional[str] = None, panels: Optional[Iterable[str]] = None) -> Dict[str, Any]:
        """See :meth:`Fleet.compare`."""
        args = _given(search=search, type=type, category=category,
                      panels=None if panels is None else list(panels))
        return cast(Dict[str, Any], await self._f.call(True, "compare", args))

    async def plan(self, route: str, link: Optional[str] = None, quantity: Optional[int] = None,
                   **fields: Any) -> Plan:
        """See :meth:`Fleet.plan`."""
        order = _given(link=link, quantity=quantity, **fields)
        return cast(Plan, await self._f.call(True, "plan", {"route": route, "order": order}))

    async def add(self, route: str, link: Optional[str] = None, quantity: Optional[int] = None, *,
                  idempotency_key: Optional[str] = None, reference: Optional[str] = None, metadata: Any = None,
                  **fields: Any) -> Routed:
        """See :meth:`Fleet.add`."""
        order = _given(link=link, quantity=quantity, **fields)
        args = _given(route=route, order=order, idempotency_key=idempotency_key, reference=reference,
                      metadata=metadata)
        return cast(Routed, await self._f.call(True, "add", args))

    async def prices(self, routes: Optional[Iterable[str]] = None, *, markup: str = "0%",
                     min_margin: Union[str, Decimal, None] = None, round: int = 2,  # noqa: A002
                     rounding: Literal["up", "half_up"] = "up",
                     rules: Optional[Sequence[Mapping[str, Any]]] = None) -> PriceList:
        """See :meth:`Fleet.prices`."""
        args = _given(routes=None if routes is None else list(routes),
                      pricing=_pricing(markup, min_margin, round, rounding, rules))
        return cast(PriceList, await self._f.call(True, "prices", args))

    async def check_prices(self, rows: Iterable[Mapping[str, Any]]) -> List[PriceWarning]:
        """See :meth:`Fleet.check_prices`."""
        plain = [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.items()} for r in rows]
        return cast(List[PriceWarning], await self._f.call(True, "check_prices", {"rows": plain}))
