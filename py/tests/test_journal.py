"""The order journal from Python, sync and asyncio: an order sent once under
its idempotency key, refusals and unknown outcomes replayed without
sending, the unknown queue resolved, sync with its changes, spend; typed
values (Decimal, datetime, exceptions) and clear errors."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import smmkit
from conftest import CATALOG
from smmkit.testing import Sandbox


def requests(panel: Sandbox) -> int:
    return sum(panel.fault_counts().values()) - panel.fault_counts().get("after_action", 0)


@pytest.fixture()
def journal_url(tmp_path: Path) -> str:
    return f"sqlite://{tmp_path / 'orders.db'}"


def test_an_order_is_sent_once_under_its_key(panel: Sandbox, journal_url: str) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key, journal=journal_url, name="main")
    assert client.journal is not None and client.journal.backend == "sqlite"
    first = client.add(1, "https://instagram.com/p/j", 100, idempotency_key="inv-1",
                       reference="invoice 1", metadata={"customer": 42})
    sent = requests(panel)
    again = client.add(1, "https://instagram.com/p/j", 100, idempotency_key="inv-1")
    assert again == first
    assert requests(panel) == sent, "a replayed add sends nothing"
    assert len(panel.orders()) == 1

    entry = client.journal.order("inv-1")
    assert entry is not None
    assert entry["state"] == "placed" and entry["order"] == first and entry["provider"] == "main"
    assert entry["reference"] == "invoice 1" and entry["metadata"] == {"customer": 42}
    assert entry["request"] == {"service": 1, "form": "default", "link": "https://instagram.com/p/j", "quantity": "100"}
    quote = entry["quote"]
    assert quote is not None and quote["kind"] == "exact" and quote["amount"] == Decimal("0.09")
    assert isinstance(entry["created_at"], datetime) and entry["created_at"].tzinfo == timezone.utc

    with pytest.raises(smmkit.IdempotencyConflict) as e:
        client.add(1, "https://instagram.com/p/other", 100, idempotency_key="inv-1")
    assert e.value.key == "inv-1" and isinstance(e.value, ValueError)
    assert len(panel.orders()) == 1

    # Another client of the same journal (another process, a restart) too.
    other = smmkit.PerfectPanel(panel.url, panel.key, journal=journal_url, name="main")
    assert other.add(1, "https://instagram.com/p/j", 100, idempotency_key="inv-1") == first
    assert len(panel.orders()) == 1


def test_unknown_outcomes_wait_until_resolved(panel: Sandbox, journal_url: str) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key, journal=journal_url, retries=0)
    client.services()
    panel.set_faults(server_error=1.0, after_action=1.0)
    with pytest.raises(smmkit.OutcomeUnknown):
        client.add(1, "https://instagram.com/p/u", 100, idempotency_key="k-u")
    panel.set_faults()
    with pytest.raises(smmkit.OutcomeUnknown) as again:
        client.add(1, "https://instagram.com/p/u", 100, idempotency_key="k-u")
    assert "nothing was sent again" in str(again.value)
    assert isinstance(again.value.cause, smmkit.JournalError)
    assert client.journal is not None
    queue = client.journal.unknown()
    assert [e["key"] for e in queue] == ["k-u"]
    assert isinstance(queue[0]["error"], smmkit.OutcomeUnknown)
    created = panel.orders()[0]["id"]
    resolved = client.journal.resolve("k-u", placed=created)
    assert resolved["state"] == "placed" and resolved["order"] == created
    assert client.add(1, "https://instagram.com/p/u", 100, idempotency_key="k-u") == created
    with pytest.raises(smmkit.ValidationError, match="only an unknown outcome"):
        client.journal.resolve("k-u", not_placed=True)
    with pytest.raises(smmkit.ValidationError, match="either `placed`"):
        client.journal.resolve("k-u")
    assert len(panel.orders()) == 1


def test_a_refusal_is_replayed_without_sending(journal_url: str) -> None:
    with Sandbox(speed=None, catalog_json=CATALOG, balance="0.01") as poor:
        client = smmkit.PerfectPanel(poor.url, poor.key, journal=journal_url)
        with pytest.raises(smmkit.InsufficientFunds) as first:
            client.add(3, "https://t.me/big", 1000000, idempotency_key="big")
        sent = requests(poor)
        with pytest.raises(smmkit.InsufficientFunds) as again:
            client.add(3, "https://t.me/big", 1000000, idempotency_key="big")
        assert str(again.value) == str(first.value)
        assert requests(poor) == sent and poor.orders() == []
        assert client.journal is not None
        entry = client.journal.order("big")
        assert entry is not None and entry["state"] == "refused"
        assert isinstance(entry["error"], smmkit.InsufficientFunds)


def test_sync_reports_changes_and_spend(panel: Sandbox, journal_url: str) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key, journal=journal_url)
    assert client.journal is not None
    ids = [client.add(1, f"https://instagram.com/p/{i}", 100) for i in range(3)]
    report = client.journal.sync()
    assert report["polled"] == 3 and len(report["changes"]) == 3 and report["open"] == 3
    assert {c["to"] for c in report["changes"]} == {"Pending"}
    assert all(c["from"] is None for c in report["changes"])
    panel.advance(86400)
    report = client.journal.sync()
    assert report["open"] == 0 and {c["order"] for c in report["changes"]} == set(ids)
    spend = client.journal.spend()
    assert len(spend) == 1 and spend[0]["orders"] == 3
    charged = sum((e["charge"] or Decimal(0)) for e in client.journal.orders(state="placed"))
    assert spend[0]["charged"] == charged and isinstance(charged, Decimal)
    history = client.journal.history(client.journal.orders(limit=1)[0]["key"])
    assert [h["status"] for h in history][0] == "Pending" and len(history) == 2
    with pytest.raises(smmkit.ValidationError, match="did you mean `state`"):
        client.journal._j.call(False, "orders", {"stat": "placed"})


def test_the_async_client_has_the_same_journal(panel: Sandbox, journal_url: str) -> None:
    async def main() -> None:
        client = smmkit.AsyncPerfectPanel(panel.url, panel.key, journal=journal_url)
        assert client.journal is not None
        got = await asyncio.gather(*[
            client.add(1, "https://instagram.com/p/same", 100, idempotency_key="same") for _ in range(8)
        ])
        assert len(set(got)) == 1
        entries = await client.journal.orders()
        assert len(entries) == 1 and entries[0]["attempts"] == 1
        report = await client.journal.sync()
        assert report["polled"] == 1
    asyncio.run(main())
    assert len(panel.orders()) == 1


def test_a_journal_opened_alone_reads_and_says_what_is_wrong(tmp_path: Path, panel: Sandbox) -> None:
    url = f"sqlite://{tmp_path / 'j.db'}"
    smmkit.PerfectPanel(panel.url, panel.key, journal=url).add(1, "https://instagram.com/p/a", 100,
                                                              idempotency_key="a")
    journal = smmkit.Journal.open(url)
    assert [e["key"] for e in journal.orders()] == ["a"]
    assert repr(journal).startswith("Journal('sqlite://")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100)
    with pytest.raises(smmkit.JournalError, match="is not an SQLite database"):
        smmkit.Journal.open(str(notes))
    with pytest.raises(smmkit.ConfigError, match="need a journal"):
        smmkit.PerfectPanel(panel.url, panel.key).add(1, "https://instagram.com/p/b", 100, idempotency_key="b")
    with pytest.raises(smmkit.ConfigError, match="sqlite://"):
        smmkit.PerfectPanel(panel.url, panel.key, journal="mysql://db/x")
    with pytest.raises(smmkit.ValidationError, match="idempotency_key"):
        smmkit.PerfectPanel(panel.url, panel.key, journal=url).add(1, "https://instagram.com/p/c", 100,
                                                                  idempotency_key="")
