"""The asyncio client: the same methods, as coroutines, on one runtime."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import smmkit
from smmkit import OrderState, RefillState
from smmkit.testing import Sandbox

from conftest import run_python


def test_every_method_as_a_coroutine(aclient: smmkit.AsyncPerfectPanel, panel: Sandbox) -> None:
    async def main() -> None:
        services = await aclient.services()
        assert len(services) == 9
        oid = await aclient.add(1, "https://instagram.com/p/a", 100)
        other = await aclient.add(2, "https://instagram.com/p/b", comments=["a", "b"])
        status = await aclient.status(oid)
        assert status.status is OrderState.PENDING and status.charge == Decimal("0.09")
        many = await aclient.statuses([oid, other, 5])
        assert isinstance(many[5], smmkit.IncorrectOrderId)
        try:
            await aclient.cancel(other)
        except smmkit.CancelNotPossible as e:
            assert e.panel_message == "This order can not be canceled"
        else:
            raise AssertionError("service 2 cannot be canceled")
        panel.advance(24 * 3600)
        refill = await aclient.refill(oid)
        assert await aclient.refill_status(refill) is RefillState.PENDING
        refills = await aclient.refills([oid, 6])
        assert isinstance(refills[6], smmkit.IncorrectOrderId)
        states = await aclient.refill_statuses([refill])
        assert states[refill] is RefillState.PENDING
        cancels = await aclient.cancel([oid])
        assert isinstance(cancels[oid], smmkit.CancelNotPossible), "a completed order cannot be canceled"
        balance = await aclient.balance()
        assert balance.amount == panel.balance()

    asyncio.run(main())


def test_errors_raise_from_the_coroutine(aclient: smmkit.AsyncPerfectPanel) -> None:
    async def main() -> None:
        try:
            await aclient.status(999)
        except smmkit.IncorrectOrderId as e:
            assert e.code == "incorrect_order_id" and e.action == "status"
        else:
            raise AssertionError("no error")
        try:
            await aclient.add(1, "", 100)
        except smmkit.ValidationError as e:
            assert e.field == "link"
        else:
            raise AssertionError("no error")

    asyncio.run(main())


def test_gather_of_200_calls(aclient: smmkit.AsyncPerfectPanel, panel: Sandbox) -> None:
    async def main() -> None:
        await aclient.services()
        ids = await asyncio.gather(*[aclient.add(3, f"https://t.me/g/{i}", 100) for i in range(100)])
        statuses = await asyncio.gather(*[aclient.status(i) for i in ids])
        balances = await asyncio.gather(*[aclient.balance() for _ in range(100)])
        assert len(set(ids)) == 100
        assert all(s.status is OrderState.PENDING for s in statuses)
        assert len({b.amount for b in balances}) == 1

    asyncio.run(main())
    assert len(panel.orders()) == 100


EXITS_WITH_CALLS_IN_FLIGHT = """
import asyncio
import smmkit
from smmkit.testing import Sandbox



async def main(client: smmkit.AsyncPerfectPanel) -> None:
    # Left pending: the loop closes and the interpreter exits while the
    # runtime still answers them.
    for _ in range(300):
        asyncio.ensure_future(client.services())
    await asyncio.sleep(0.005)


with Sandbox(speed=None) as panel:
    asyncio.run(main(smmkit.AsyncPerfectPanel(panel.url, panel.key)))
print("exited")
"""


def test_exit_with_calls_in_flight_is_clean() -> None:
    # Calls whose answers came back while the interpreter was being torn
    # down entered Python and crashed the process at exit (SIGSEGV), in
    # about one run of forty of the example. Each run here leaves 300 in
    # flight.
    for _ in range(15):
        assert run_python(EXITS_WITH_CALLS_IN_FLIGHT) == "exited"
