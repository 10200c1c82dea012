"""The API key appears in no str, repr or traceback."""

from __future__ import annotations

import socket
import traceback
from typing import Callable, List

import smmkit
from smmkit.testing import Sandbox

SENTINEL = "sentinel-fake-key-do-not-leak"


def dead_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/api/v2"


def texts_of(e: BaseException) -> List[str]:
    out = [str(e), repr(e), "".join(traceback.format_exception(type(e), e, e.__traceback__))]
    out += [repr(v) for v in vars(e).values()]
    cause = getattr(e, "cause", None)
    if cause is not None:
        out += texts_of(cause)
    return out


def every_failure(client: smmkit.PerfectPanel) -> List[str]:
    calls: List[Callable[[], object]] = [
        client.services,
        lambda: client.add(1, "https://x.y/p", 10),
        lambda: client.status(1),
        lambda: client.refill(1),
        lambda: client.refill_status(1),
        lambda: client.cancel(1),
        client.balance,
    ]
    texts = [repr(client)]
    for call in calls:
        try:
            call()
        except smmkit.SmmError as e:
            texts += texts_of(e)
    for result in client.statuses([1, 2]).values():
        texts.append(repr(result))
    return texts


def test_no_failure_shows_the_key() -> None:
    with Sandbox(speed=None) as panel:
        for transport in ("post", "get"):
            wrong = smmkit.PerfectPanel(panel.url, SENTINEL, transport=transport, retries=0, timeout=0.5)
            texts = every_failure(wrong)  # the panel refuses the key
            for fault in ({"html": 1.0}, {"server_error": 1.0}, {"drop": 1.0}, {"stall": 1.0, "stall_for": 2.0}):
                panel.set_faults(**fault)  # type: ignore[arg-type]
                texts += every_failure(wrong)
            panel.set_faults()
            dead = smmkit.PerfectPanel(dead_url(), SENTINEL, transport=transport, retries=0)
            texts += every_failure(dead)
            fampage = smmkit.Fampage(SENTINEL, url=dead_url(), retries=0)
            texts += every_failure(fampage)
            assert len(texts) > 40
            for text in texts:
                assert SENTINEL not in text, text


def test_config_errors_do_not_show_the_key() -> None:
    try:
        smmkit.PerfectPanel(f"https://panel.example/api/v2?key={SENTINEL}", SENTINEL)
    except smmkit.ConfigError as e:
        for text in texts_of(e):
            assert SENTINEL not in text
    else:
        raise AssertionError("a key in the URL is refused")
    assert SENTINEL not in repr(smmkit.AsyncFampage(SENTINEL))
