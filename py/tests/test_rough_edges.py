"""What real panels do, met from Python: keys that need encoding echoed
back, bad options, malformed catalog entries, quotes of every form, ids
looked up as they were given, connections capped."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from typing import List
from urllib.parse import quote_plus

import pytest

import smmkit
from smmkit.testing import Sandbox

from test_secrets import texts_of

KEY = "Zq9/Xv+Kp8=&%w s\"<éx>'Yt7Nw=="


def spellings(key: str) -> List[str]:
    form = quote_plus(key)
    html = key.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#039;")
    php = json.dumps(key).strip('"').replace("/", "\\/")
    return [key, form, form.replace("+", "%20"), php, html, key[:8], form[:10]]


def test_a_key_that_needs_encoding_never_shows_even_when_echoed() -> None:
    with Sandbox(speed=None, echo=True) as panel:
        for transport in ("post", "get"):
            client = smmkit.PerfectPanel(panel.url, KEY, transport=transport, retries=0, timeout=2)
            texts: List[str] = []
            for fault in ({}, {"html": 1.0}, {"server_error": 1.0}):
                panel.set_faults(**fault)  # type: ignore[arg-type]
                for call in (client.balance, client.services, lambda: client.add(1, "https://x.y", 10)):
                    try:
                        call()
                    except smmkit.SmmError as e:
                        texts += texts_of(e)
            panel.set_faults()
            assert any("[redacted]" in t for t in texts), "the panel echoed the key"
            for text in texts:
                for spelling in spellings(KEY):
                    assert spelling not in text, (spelling, text)


@pytest.mark.parametrize(
    "option,value,message",
    [
        ("retries", -1, "`retries` must be a whole number from 0 to 20, not -1"),
        ("retries", 21, "from 0 to 20"),
        ("concurrency", -1, "`concurrency` must be a whole number from 1 to 64, not -1"),
        ("max_connections", 0, "`max_connections` must be a whole number from 1 to 1024"),
        ("timeout", 0, "`timeout` must be a number of seconds from 0.001 to 86400"),
        ("timeout", 1e9, "from 0.001 to 86400"),
        ("transport", "put", '`transport` must be "post" or "get"'),
    ],
)
def test_bad_options_are_config_errors_with_the_command_lines_bounds(option: str, value: object, message: str) -> None:
    with pytest.raises(smmkit.ConfigError) as raised:
        smmkit.PerfectPanel("https://panel.example/api/v2", "k", **{option: value})  # type: ignore[arg-type]
    assert message in str(raised.value)


def test_every_option_is_taken() -> None:
    client = smmkit.AsyncPerfectPanel(
        "https://panel.example/api/v2", "k", transport="get", timeout=1.5, connect_timeout=2, retries=0,
        concurrency=2, max_connections=4, max_response_bytes=1 << 20, user_agent="my-bot/1.0",
        proxy="http://127.0.0.1:3128", params={"lang": "en"},
    )
    assert "transport='get'" in repr(client)


def test_a_malformed_entry_is_skipped_and_reported() -> None:
    catalog = json.dumps([
        {"service": 1, "name": "Good &amp; cheap", "type": "Default", "rate": "1.00", "min": 1, "max": 100},
        {"service": 2, "name": "Fine", "type": "Default", "rate": "2.00", "min": 1, "max": 100},
    ])
    # The sandbox sells what it is given; a panel's malformed entry comes through decode().
    body = b'[{"service":1,"name":"A","rate":"1","min":1,"max":""},{"service":2,"name":"B &amp; C","rate":"1","min":1,"max":9}]'
    services = smmkit.decode("services", body)
    assert isinstance(services, smmkit.ServiceList)
    assert [s.id for s in services] == [2]
    assert [str(s) for s in services.skipped] == ["services[0] (service 1): `max` is empty"]
    assert services.skipped[0] == smmkit.SkippedService(0, 1, "`max` is empty", "")
    assert services[0].name == "B & C" and services[0].raw == {"name": "B &amp; C"}
    with Sandbox(speed=None, catalog_json=catalog) as panel:
        listed = smmkit.PerfectPanel(panel.url, panel.key).services()
        assert listed.skipped == [] and listed[0].name == "Good & cheap"


def test_quotes_match_what_the_sandbox_charges(client: smmkit.PerfectPanel, panel: Sandbox) -> None:
    services = {s.id: s for s in client.services()}
    cases = [
        (1, dict(link="https://x.y/a", quantity=1500), "exact"),
        (1, dict(link="https://x.y/b", quantity=100, runs=3, interval=10), "exact"),
        (2, dict(link="https://x.y/c", comments=["a", "b", "c"]), "exact"),
        (4, dict(link="https://x.y/d", quantity=10, answer_number=1), "exact"),
        (5, dict(link="https://x.y/e"), "exact"),
        (7, dict(username="someone", min=10, max=20, posts=5, delay=0), "up_to"),
    ]
    for sid, fields, kind in cases:
        q = services[sid].quote(fields)
        assert q.kind == kind, (sid, q)
        client.add(sid, **fields)  # type: ignore[arg-type]
        charged = Decimal(panel.orders()[-1]["charge"])
        assert q.amount is not None and charged <= q.amount, (sid, q, charged)
        if kind == "exact":
            assert charged == q.amount, (sid, q, charged)
    assert str(services[5].quote({"link": "https://x.y"})) == "12.00", "a package costs its rate"
    assert services[5].cost(1) == Decimal("12.00")
    unlimited = services[7].quote({"username": "u", "min": 10, "max": 20})
    assert unlimited.kind == "set_by_panel" and unlimited.amount is None


def test_batch_results_are_keyed_by_the_ids_as_given(client: smmkit.PerfectPanel) -> None:
    client.services()
    order = client.add(1, "https://x.y/k", 100)
    given = [str(order), 777777]
    result = client.statuses(given)
    assert list(result) == given
    assert isinstance(result[str(order)], smmkit.OrderStatus)
    assert isinstance(result[777777], smmkit.IncorrectOrderId)


def test_a_thousand_calls_at_once_open_at_most_the_connection_cap(panel: Sandbox) -> None:
    # Answers that take up to 10 ms: without the cap, many more than 8
    # requests would be answered at once.
    panel.set_faults(latency=0.01)
    client = smmkit.AsyncPerfectPanel(panel.url, panel.key, max_connections=8)

    async def many() -> None:
        await asyncio.gather(*[client.balance() for _ in range(1000)])

    asyncio.run(many())
    # At most 8 requests are in flight, so the panel never answers more than
    # 8 at once. Connections are not counted at once: one goes back to the
    # pool a moment after its answer is read, and a request that gets its
    # turn meanwhile may open another.
    counts = panel.connections()
    assert 1 <= counts["most_in_flight"] <= 8, counts
    assert counts["opened"] <= 8 * 2, counts
