"""Several panels from Python: the cheapest panel with funds gets a routed
order, an unknown outcome is never failed over, every refusal is listed,
and price lists are exact Decimals."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import pytest

import smmkit
from smmkit.testing import Sandbox


def shop(service: int, rate: str, balance: str = "1000") -> Sandbox:
    catalog = json.dumps([{"service": service, "name": "Instagram Likes", "type": "Default",
                           "category": "Instagram", "rate": rate, "min": 10, "max": 100000}])
    return Sandbox(speed=None, catalog_json=catalog, balance=balance)


ROUTES: dict[str, smmkit.fleet.RouteDict] = {"likes": {"strategy": "cheapest", "services": ["a:10", "b:20", "c:30"]}}


def test_the_cheapest_panel_with_funds_gets_the_order() -> None:
    with shop(10, "0.50") as a, shop(20, "0.40", "0.10") as b, shop(30, "0.60") as c:
        clients = {n: smmkit.PerfectPanel(s.url, s.key, retries=0) for n, s in (("a", a), ("b", b), ("c", c))}
        fleet = smmkit.Fleet(clients, routes=ROUTES)
        assert fleet.panels == ["a", "b", "c"]
        plan = fleet.plan("likes", "https://instagram.com/p/1", 1000)
        assert [x["panel"] for x in plan["attempts"]] == ["a", "c", "b"]
        assert plan["attempts"][2]["outcome"] == "skipped" and "not enough funds" in plan["attempts"][2]["reason"]
        routed = fleet.add("likes", "https://instagram.com/p/1", 1000)
        assert routed["panel"] == "a" and routed["order"] == a.orders()[0]["id"]
        assert (len(a.orders()), len(b.orders()), len(c.orders())) == (1, 0, 0)
        prices = fleet.prices(markup="30%", round=2)
        row = prices["rows"][0]
        assert (row["name"], row["panel"], row["cost"], row["sale"]) == ("likes", "b", Decimal("0.40"), Decimal("0.52"))
        assert fleet.check_prices(prices["rows"]) == []
        stale = [dict(prices["rows"][0], sale=Decimal("0.10"))]
        warnings = fleet.check_prices(stale)
        assert len(warnings) == 1 and warnings[0]["cost"] == Decimal("0.40")
        statuses = fleet.statuses([("a", routed["order"]), ("c", routed["order"])])
        assert str(statuses[0]["status"]["status"]) == "Pending"
        assert isinstance(statuses[1]["error"], smmkit.IncorrectOrderId)
        assert [len(p["services"]) for p in fleet.services()] == [1, 1, 1]
        found = fleet.compare("instagram likes")
        assert len(found["panels"]) == 3 and len(found["suggestions"]) == 1
        with pytest.raises(smmkit.RouteExhausted) as e:
            fleet.add("likes", "https://instagram.com/p/2", 100000000)
        assert e.value.route == "likes" and len(e.value.reasons) == 3
        with pytest.raises(smmkit.ConfigError, match="needs the fleet's journal"):
            fleet.add("likes", "https://instagram.com/p/3", 1000, idempotency_key="k")
        with pytest.raises(smmkit.ValidationError, match="takes no service"):
            fleet.add("likes", "https://instagram.com/p/4", 1000, service=1)


def test_an_unknown_outcome_is_never_failed_over_and_a_key_covers_the_route(tmp_path: object) -> None:
    with shop(10, "0.50") as a, shop(20, "0.40") as b, shop(30, "0.60") as c:
        clients = {n: smmkit.PerfectPanel(s.url, s.key, retries=0) for n, s in (("a", a), ("b", b), ("c", c))}
        fleet = smmkit.Fleet(clients, routes=ROUTES, journal="sqlite::memory:")
        fleet.plan("likes", "https://instagram.com/p/0", 1000)      # the catalogs, into the journal
        b.set_faults(server_error=1.0, after_action=1.0)
        with pytest.raises(smmkit.OutcomeUnknown):
            fleet.add("likes", "https://instagram.com/p/1", 1000, idempotency_key="r1")
        b.set_faults()
        assert (len(a.orders()), len(b.orders()), len(c.orders())) == (0, 1, 0)
        with pytest.raises(smmkit.OutcomeUnknown):
            fleet.add("likes", "https://instagram.com/p/1", 1000, idempotency_key="r1")
        assert len(b.orders()) == 1
        assert fleet.journal is not None
        assert [e["key"] for e in fleet.journal.unknown()] == ["r1@b"]
        first = fleet.add("likes", "https://instagram.com/p/2", 1000, idempotency_key="r2")
        again = fleet.add("likes", "https://instagram.com/p/2", 1000, idempotency_key="r2")
        assert again["order"] == first["order"] and again["replayed"] is True

        async def run() -> None:
            afleet = smmkit.AsyncFleet({"a": clients["a"]}, routes={"one": {"services": ["a:10"]}})
            routed = await afleet.add("one", "https://instagram.com/p/async", 1000)
            assert routed["panel"] == "a"
            assert len(await afleet.balances()) == 1
        asyncio.run(run())
