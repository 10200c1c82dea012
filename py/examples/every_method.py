"""Every method of smmkit's Python API, against the sandbox panel.

Run it (python examples/every_method.py) or type-check it
(mypy --strict examples/every_method.py).
"""

from __future__ import annotations

import asyncio
import tempfile
from decimal import Decimal
from typing import Dict, List, Union

import smmkit
from smmkit import OrderState, RefillState, ServiceType
from smmkit.testing import Sandbox


def sync_tour(panel: Sandbox) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key, transport="post", timeout=10.0, retries=2)
    services: List[smmkit.Service] = client.services()
    default = next(s for s in services if s.type is ServiceType.DEFAULT and s.refill and s.cancel)
    comments = next(s for s in services if s.type is ServiceType.CUSTOM_COMMENTS)
    cost: Decimal = default.cost(default.min)
    print(f"{default.name}: {cost} for {default.min}")

    order: int = client.add(default.id, "https://instagram.com/p/tour", default.min)
    client.add(comments.id, link="https://instagram.com/p/tour2", comments=["Nice!"] * max(comments.min, 1))
    doomed: int = client.add(default.id, "https://instagram.com/p/doomed", default.min)

    status: smmkit.OrderStatus = client.status(order)
    state: OrderState = status.status
    print(state, status.charge, status.remains, status.is_final)
    many: Dict[int, Union[smmkit.OrderStatus, smmkit.SmmError]] = client.statuses([order, doomed, 1])
    for oid, result in many.items():
        if isinstance(result, smmkit.SmmError):
            print(oid, result.code)
        else:
            print(oid, result.status)

    cancel: smmkit.CancelRequested = client.cancel(doomed)
    print(cancel.note)
    cancels: Dict[int, Union[smmkit.CancelRequested, smmkit.SmmError]] = client.cancel([doomed])
    print(len(cancels))

    panel.advance(48 * 3600)
    refill: int = client.refill(order)
    refill_state: RefillState = client.refill_status(refill)
    print(refill_state, refill_state.is_final)
    refills: Dict[int, Union[int, smmkit.SmmError]] = client.refills([order])
    states: Dict[int, Union[RefillState, smmkit.SmmError]] = client.refill_statuses([refill])
    print(refills, states)

    balance: smmkit.Balance = client.balance()
    print(balance.amount, balance.currency)
    try:
        client.add(default.id, "https://instagram.com/p/x", 0)
    except smmkit.ValidationError as e:
        print("refused:", e.field, e.message)


async def async_tour(panel: Sandbox) -> None:
    client = smmkit.AsyncPerfectPanel(panel.url, panel.key)
    services = await client.services()
    first = services[0]
    order = await client.add(first.id, "https://t.me/async", first.min)
    status = await client.status(order)
    statuses = await client.statuses([order])
    balance = await client.balance()
    refills = await client.refills([order])
    refill_states = await client.refill_statuses([1])
    cancels = await client.cancel([order])
    try:
        await client.refill(order)
    except smmkit.RefillNotPossible as e:
        print("not yet:", e.panel_message)
    try:
        await client.refill_status(1)
    except smmkit.IncorrectRefillId:
        print("no such refill")
    try:
        await client.cancel(order)
    except smmkit.SmmError as e:
        print(e.code)
    print(status.status, len(statuses), balance.amount, refills, refill_states, cancels)
    results = await asyncio.gather(*[client.balance() for _ in range(20)])
    print(len(results))


def journal_tour(panel: Sandbox, url: str) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key, journal=url, name="main")
    journal = client.journal
    assert journal is not None
    service = client.services()[0]
    order = client.add(service.id, "https://t.me/journal", service.min, idempotency_key="invoice-1",
                       reference="invoice 1", metadata={"customer": 7})
    assert client.add(service.id, "https://t.me/journal", service.min, idempotency_key="invoice-1") == order
    entry = journal.order("invoice-1")
    if entry is not None:
        print(entry["state"], entry["order"], entry["quote"], entry["created_at"].isoformat())
    report = journal.sync()
    for change in report["changes"]:
        print(change["order"], change["from"], "->", change["to"], change["remains"])
    for spend in journal.spend():
        print(spend["provider"], spend["charged"], spend["currency"])
    print(len(journal.orders(state="placed", limit=10)), len(journal.unknown()), len(journal.history("invoice-1")))
    print(journal.catalog_changes(), journal.refresh_catalog("main"), journal.url, journal.backend)
    try:
        journal.resolve("invoice-1", not_placed=True)
    except smmkit.ValidationError as e:
        print(e.field)
    alone = smmkit.Journal.open(url)
    print(len(alone.orders()))

    async def tour() -> None:
        aclient = smmkit.AsyncPerfectPanel(panel.url, panel.key, journal=url, name="main")
        ajournal = aclient.journal
        assert ajournal is not None
        await aclient.add(service.id, "https://t.me/journal", service.min, idempotency_key="invoice-1")
        print((await ajournal.sync())["polled"], len(await ajournal.orders()), await ajournal.order("x"))
        print(await ajournal.unknown(), await ajournal.spend(), await ajournal.history("invoice-1"))
        print(await ajournal.catalog_changes("main"), await ajournal.refresh_catalog("main"))
        try:
            await ajournal.resolve("nope", placed=1)
        except smmkit.ValidationError as e:
            print(e.field)

    asyncio.run(tour())


def fleet_tour(panel: Sandbox) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key)
    service = client.services()[0]
    routes: Dict[str, smmkit.fleet.RouteDict] = {"r": {"strategy": "cheapest", "services": [f"main:{service.id}"]}}
    fleet = smmkit.Fleet({"main": client}, routes=routes)
    print(fleet.panels, fleet.routes(), fleet.balances(), fleet.journal, len(fleet.services()))
    found = fleet.compare("a", type=None, category=None, panels=["main"])
    print(len(found["panels"]))
    plan: smmkit.fleet.Plan = fleet.plan("r", "https://t.me/fleet", service.min)
    routed: smmkit.fleet.Routed = fleet.add("r", "https://t.me/fleet", service.min)
    print(plan["strategy"], routed["panel"], routed["order"], [a["outcome"] for a in routed["attempts"]])
    print(fleet.statuses([("main", routed["order"])]))
    prices: smmkit.fleet.PriceList = fleet.prices(markup="30%+0.01", min_margin="0.05", round=2, rounding="half_up",
                                                  rules=[{"category": "Instagram", "markup": "50%"}])
    print(prices["rows"][0]["sale"], fleet.check_prices(prices["rows"]))
    try:
        fleet.add("r", "https://t.me/fleet-2", 10**12)
    except smmkit.RouteExhausted as e:
        print(e.route, e.reasons)

    async def tour() -> None:
        afleet = smmkit.AsyncFleet({"main": smmkit.AsyncPerfectPanel(panel.url, panel.key)}, routes=routes)
        print((await afleet.plan("r", "https://t.me/afleet", service.min))["route"], await afleet.routes())
        print((await afleet.add("r", "https://t.me/afleet", service.min))["order"], await afleet.balances())
        print(len((await afleet.prices())["rows"]), await afleet.check_prices([]), afleet.journal)
        print(len((await afleet.compare("a"))["panels"]), len(await afleet.services()))
        print(await afleet.statuses([("main", 1)]))

    asyncio.run(tour())


def fampage_clients(panel: Sandbox) -> None:
    f = smmkit.Fampage(panel.key, url=panel.url, timeout=5.0)
    af = smmkit.AsyncFampage(panel.key, url=panel.url)
    print(f.name, af.name, f.balance().amount)


def main() -> None:
    with Sandbox(speed=None, seed=3) as panel:
        sync_tour(panel)
        asyncio.run(async_tour(panel))
        fampage_clients(panel)
        with tempfile.TemporaryDirectory() as d:
            journal_tour(panel, f"sqlite://{d}/orders.db")
        fleet_tour(panel)
        print(panel.orders()[0]["id"], panel.balance(), panel.fault_counts()["clean"])
    print("every method ran")


if __name__ == "__main__":
    main()
