"""A real API v2 panel on loopback, for testing your own bots.

>>> import smmkit
>>> from smmkit.testing import Sandbox
>>> with Sandbox(speed=None) as panel:          # a clock that moves only when told
...     client = smmkit.PerfectPanel(panel.url, panel.key)
...     order = client.add(1, link="https://t.me/x", quantity=client.services()[0].min)
...     panel.advance(3600)
...     client.status(order).is_final
True
"""

from __future__ import annotations

from decimal import Decimal
from types import TracebackType
from typing import Any, Dict, List, Optional, Type

from . import _native

__all__ = ["Sandbox"]


class Sandbox:
    """Runs the smmkit sandbox panel in this process while in a ``with`` block.

    :param seed: seeds the catalog, the orders' lifecycles and the key
    :param services: how many services to generate (50 to 100,000)
    :param speed: sandbox seconds per real second; ``None`` for a clock that
        moves only with :meth:`advance`
    :param dialect: ``"common"`` or ``"fampage"`` answer shapes
    :param numbers: ``"strings"`` or ``"bare"`` JSON numbers
    :param balance: the account's starting balance
    :param currency: the account's currency
    :param key: the account's key (default: derived from the seed)
    :param catalog_json: a JSON list of services to sell instead
    :param echo: refusals of a key and fault pages echo the request, the key
        included, as some panels' debug pages do (to test that nothing shows it)
    """

    def __init__(
        self,
        *,
        seed: int = 1,
        services: int = 120,
        speed: Optional[float] = 60.0,
        dialect: str = "common",
        numbers: str = "strings",
        balance: str = "1000.00",
        currency: str = "USD",
        key: Optional[str] = None,
        catalog_json: Optional[str] = None,
        echo: bool = False,
    ) -> None:
        self._options: Dict[str, Any] = dict(
            seed=seed,
            services=services,
            speed=speed,
            dialect=dialect,
            numbers=numbers,
            balance=balance,
            currency=currency,
            key=key,
            catalog_json=catalog_json,
            echo=echo,
        )
        self._native: Optional[_native.Sandbox] = None

    def start(self) -> "Sandbox":
        """Starts the panel (``with`` does it for you)."""
        if self._native is None:
            self._native = _native.Sandbox(**self._options)
        return self

    def close(self) -> None:
        """Stops the panel."""
        if self._native is not None:
            self._native.close()
            self._native = None

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    @property
    def _running(self) -> _native.Sandbox:
        if self._native is None:
            raise RuntimeError("the sandbox is not running: use `with Sandbox() as panel:`")
        return self._native

    @property
    def url(self) -> str:
        """The panel's API v2 URL."""
        return self._running.url

    @property
    def key(self) -> str:
        """The account's API key."""
        return self._running.key

    def advance(self, seconds: float) -> None:
        """Moves the panel's clock forward."""
        self._running.advance(seconds)

    def orders(self) -> List[Dict[str, Any]]:
        """Every order the panel created, in order: its own record."""
        return self._running.orders()

    def balance(self) -> Decimal:
        """The account's balance as the panel keeps it."""
        return self._running.balance()

    def set_faults(
        self,
        *,
        seed: int = 0,
        latency: float = 0.0,
        server_error: float = 0.0,
        html: float = 0.0,
        drop: float = 0.0,
        stall: float = 0.0,
        stall_for: float = 30.0,
        after_action: float = 0.5,
    ) -> None:
        """Injects faults from now on: shares of requests answered with a 5xx
        page, an HTML page, a dropped connection or a stalled answer, before
        or (``after_action``) after the action ran, with up to ``latency``
        seconds of delay."""
        self._running.set_faults(
            seed=seed,
            latency=latency,
            server_error=server_error,
            html=html,
            drop=drop,
            stall=stall,
            stall_for=stall_for,
            after_action=after_action,
        )

    def fault_counts(self) -> Dict[str, int]:
        """How many requests were answered cleanly and how many got each fault."""
        return self._running.fault_counts()

    def connections(self) -> Dict[str, int]:
        """How many connections clients opened (``opened``), the most open at once (``most_open``), and the
        most requests answered at once (``most_in_flight``)."""
        return self._running.connections()

    def __repr__(self) -> str:
        state = f"url={self._native.url!r}" if self._native is not None else "stopped"
        return f"Sandbox({state})"
