"""Every method of the blocking client against the sandbox panel."""

from __future__ import annotations

import gc
import json
from decimal import Decimal

import pytest

import smmkit
from smmkit import OrderState, RefillState, ServiceType
from smmkit.testing import Sandbox


def test_services_are_typed_and_exact(client: smmkit.PerfectPanel) -> None:
    services = client.services()
    assert [s.id for s in services] == list(range(1, 10))
    likes = services[0]
    assert isinstance(likes, smmkit.Service)
    assert likes.rate == Decimal("0.90") and str(likes.rate) == "0.90"
    assert likes.type is ServiceType.DEFAULT and likes.type == "Default"
    assert (likes.min, likes.max, likes.refill, likes.cancel, likes.dripfeed) == (10, 5000, True, True, True)
    assert likes.cost(1500) == Decimal("1.35")
    magic = services[8]
    assert magic.type == "Premium Boost" and not magic.type.is_known and magic.type.name == "OTHER"
    assert repr(likes) == (
        "Service(id=1, name='Instagram Likes', type='Default', rate=Decimal('0.90'), min=10, max=5000, "
        "refill=True, cancel=True)"
    )
    d = likes.to_dict()
    assert d["rate"] == "0.90" and d["type"] == "Default", "JSON-safe: money as a decimal string"
    assert d["dripfeed"] is True and d["extra"] == {} and d["description"] is None
    cached = json.loads(json.dumps([s.to_dict() for s in services]))
    assert [smmkit.Service.from_dict(c) for c in cached] == list(services), "a catalog can be cached and handed back"
    with pytest.raises(smmkit.ValidationError):
        smmkit.Service.from_dict({"id": 1, "name": "x", "type": "Default", "rate": "1,5", "min": 1, "max": 2})
    assert services[0] == client.services()[0], "frozen models compare by value"
    with pytest.raises(AttributeError):
        likes.rate = Decimal(1)  # type: ignore[misc]


def test_services_outlive_their_list_and_stay_out_of_the_collector(client: smmkit.PerfectPanel) -> None:
    services = client.services()
    kept = services[2]
    twin = client.services()[2]
    del services
    gc.collect()
    # The catalog is shared by its services and freed with the last of them.
    assert (kept.id, kept.name, kept.rate, kept.cancel) == (3, "Telegram Views", Decimal("0.0123"), False)
    assert kept == twin and kept is not twin
    assert kept != client.services()[3]
    # They hold no Python object, so the cycle collector does not track them.
    assert not gc.is_tracked(kept)
    listed = smmkit.decode("services", json.dumps([{"service": 1, "name": "x", "rate": "1", "min": 1, "max": 2}]).encode())
    assert not gc.is_tracked(listed[0]) and gc.is_tracked(listed)


def test_add_every_form_and_track_it(client: smmkit.PerfectPanel, panel: Sandbox) -> None:
    client.services()  # the catalog tells add() each service's form
    ids = [
        client.add(1, "https://instagram.com/p/a", 100),
        client.add(1, "https://instagram.com/p/b", 100, runs=3, interval=10),
        client.add(2, link="https://instagram.com/p/c", comments="Great!\nLovely\n"),
        client.add(2, link="https://instagram.com/p/d", comments=["One", "Two", "Three"]),
        client.add(4, link="https://t.me/c/1", quantity=20, answer_number=2),
        client.add(5, link="https://youtube.com/@x"),
        client.add(6, link="https://site.example", quantity=500, country="US", device=5, type_of_traffic=1,
                   google_keyword="best shoes"),
        client.add(7, username="alice", min=10, max=20, posts=3, delay=30, expiry="31/12/2030"),
        client.add(8, link="https://instagram.com/p/e", quantity=10, usernames=["u1", "u2"], hashtags="#a\n#b"),
        client.add(9, link="https://x.y/magic", quantity=5),
    ]
    assert len(set(ids)) == len(ids)
    record = panel.orders()
    assert [o["id"] for o in record] == ids
    assert [o["quantity"] for o in record] == [100, 300, 2, 3, 20, 1, 500, 60, 10, 5]
    assert record[0]["charge"] == Decimal("0.09")

    first = client.status(ids[0])
    assert isinstance(first, smmkit.OrderStatus)
    assert first.status is OrderState.PENDING and not first.is_final
    assert first.charge == Decimal("0.09") and first.remains == 100 and first.currency == "USD"

    panel.advance(24 * 3600)
    everything = client.statuses(ids + [424242])
    assert set(everything) == set(ids) | {424242}
    assert isinstance(everything[424242], smmkit.IncorrectOrderId)
    for oid in ids:
        status = everything[oid]
        assert isinstance(status, smmkit.OrderStatus) and status.is_final, status


def test_statuses_batch_past_100_ids(client: smmkit.PerfectPanel, panel: Sandbox) -> None:
    placed = [client.add(3, f"https://t.me/c/{i}", 100) for i in range(5)]
    asked = placed + list(range(900_000, 900_150))
    result = client.statuses(asked)
    assert len(result) == 155
    assert all(isinstance(result[i], smmkit.OrderStatus) for i in placed)
    assert all(isinstance(result[i], smmkit.IncorrectOrderId) for i in range(900_000, 900_150))


@pytest.mark.parametrize("concurrency", [None, 1, 7])
def test_statuses_of_10000_orders_take_100_requests_and_no_more_at_once_than_the_concurrency(
    panel: Sandbox, concurrency: int | None
) -> None:
    # Answers that take up to 5 ms, so that requests overlap when they may.
    panel.set_faults(latency=0.005)
    client = smmkit.PerfectPanel(panel.url, panel.key, retries=0, timeout=30, concurrency=concurrency)
    before = panel.fault_counts()
    ids = list(range(1_000_000, 1_010_000))
    result = client.statuses(ids)
    assert list(result) == ids
    assert all(isinstance(r, smmkit.IncorrectOrderId) for r in result.values())
    after = panel.fault_counts()
    assert after["clean"] - before["clean"] == 100, (before, after)
    # The default is 4 batches at once; 100 batches of up to 5 ms each
    # overlap up to it, and never beyond it.
    most = panel.connections()["most_in_flight"]
    if concurrency == 1:
        assert most == 1
    else:
        assert 2 <= most <= (concurrency or 4), most


def test_refill_cancel_and_balance(client: smmkit.PerfectPanel, panel: Sandbox) -> None:
    client.services()
    start = client.balance()
    assert isinstance(start, smmkit.Balance) and start.amount == Decimal("1000.00") and start.currency == "USD"

    keep = client.add(1, "https://instagram.com/p/keep", 1000)
    drop = client.add(1, "https://instagram.com/p/drop", 2000)
    views = client.add(3, "https://t.me/c/views", 1000)

    canceled = client.cancel(drop)
    assert isinstance(canceled, smmkit.CancelRequested)
    many = client.cancel([views, 777777])
    assert isinstance(many[views], smmkit.CancelNotPossible)
    assert isinstance(many[777777], smmkit.IncorrectOrderId)
    with pytest.raises(smmkit.CancelNotPossible):
        client.cancel(views)
    assert client.status(drop).status is OrderState.CANCELED

    with pytest.raises(smmkit.RefillNotPossible):
        client.refill(keep)  # not delivered yet
    panel.advance(24 * 3600)
    refill = client.refill(keep)
    assert isinstance(refill, int)
    assert client.refill_status(refill) is RefillState.PENDING
    refills = client.refills([keep, views, 888888])
    assert isinstance(refills[keep], smmkit.RefillNotPossible), "one refill at a time"
    assert isinstance(refills[views], smmkit.RefillNotPossible)
    assert isinstance(refills[888888], smmkit.IncorrectOrderId)
    panel.advance(24 * 3600)
    states = client.refill_statuses([refill, 31337])
    assert states[refill] in (RefillState.COMPLETED, RefillState.REJECTED) and states[refill].is_final
    assert isinstance(states[31337], smmkit.IncorrectRefillId)

    end = client.balance()
    assert end.amount == panel.balance()
    spent = start.amount - end.amount
    kept = client.status(keep)
    assert kept.charge is not None
    assert spent == kept.charge + Decimal("0.0123"), "the canceled order was refunded in full"


def test_fampage_client_on_a_fampage_sandbox() -> None:
    with Sandbox(speed=None, dialect="fampage") as panel:
        f = smmkit.Fampage(panel.key, url=panel.url)
        assert f.name == "fampage"
        assert "transport='get'" in repr(f)
        services = f.services()
        default = next(s for s in services if s.type is ServiceType.DEFAULT and s.cancel)
        oid = f.add(default.id, "https://instagram.com/p/x", default.min)
        assert isinstance(f.cancel(oid), smmkit.CancelRequested)
        result = f.statuses([oid, 5])
        assert isinstance(result[5], smmkit.IncorrectOrderId)
        assert result[oid].status is OrderState.CANCELED  # type: ignore[union-attr]


def test_the_sync_client_works_from_many_threads(client: smmkit.PerfectPanel, panel: Sandbox) -> None:
    from concurrent.futures import ThreadPoolExecutor

    client.services()
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda i: client.add(3, f"https://t.me/t/{i}", 100), range(64)))
        balances = list(pool.map(lambda _: client.balance().amount, range(64)))
    assert len(set(ids)) == 64
    assert [o["id"] for o in panel.orders()] == sorted(ids)
    assert all(b == balances[-1] for b in balances)


def test_the_gil_is_released_while_rust_waits(panel: Sandbox) -> None:
    import threading

    client = smmkit.PerfectPanel(panel.url, panel.key, retries=0)
    panel.set_faults(stall=1.0, stall_for=0.8)
    counted = 0
    done = threading.Event()

    def call() -> None:
        try:
            client.balance()
        except smmkit.SmmError:
            pass
        finally:
            done.set()

    t = threading.Thread(target=call)
    t.start()
    while not done.is_set():
        counted += 1
    t.join()
    # The main thread kept running Python while the other waited in Rust.
    assert counted > 10_000
