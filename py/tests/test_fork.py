"""A forked process (multiprocessing's default on Linux) gets working clients."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from typing import Any, Callable, Dict

import pytest

import smmkit
from smmkit.testing import Sandbox

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")


def in_child(work: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """Runs `work` in a forked child and returns what it reported."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, never return into pytest
        os.close(read)
        signal.alarm(20)  # a hang fails the test instead of stalling the suite
        try:
            report = work()
        except BaseException as e:  # noqa: BLE001
            report = {"crashed": f"{type(e).__name__}: {e}"}
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        text = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"child status {status}"
    reported: Dict[str, Any] = json.loads(text)
    return reported


def test_a_forked_child_makes_working_clients_and_is_told_about_old_ones(panel: Sandbox) -> None:
    old = smmkit.PerfectPanel(panel.url, panel.key, retries=0, timeout=5)
    assert len(old.services()) == 9  # the parent's runtime and pool are in use

    def work() -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        try:
            old.balance()
            out["old"] = "answered"
        except smmkit.ConfigError as e:
            out["old"] = str(e)
        fresh = smmkit.PerfectPanel(panel.url, panel.key, retries=0, timeout=5)
        out["services"] = len(fresh.services())

        async def run() -> str:
            client = smmkit.AsyncPerfectPanel(panel.url, panel.key, retries=0, timeout=5)
            return str((await client.balance()).amount)

        out["balance"] = asyncio.run(run())
        return out

    report = in_child(work)
    assert "crashed" not in report, report
    assert "made before the process forked" in report["old"], report
    assert report["services"] == 9
    assert report["balance"] == str(old.balance().amount)
    # The parent's client still works.
    assert len(old.services()) == 9


def test_a_forked_child_decodes_large_catalogs() -> None:
    # Large enough to be decoded on every core in the parent, whose
    # threads the child does not have.
    body = json.dumps(
        [{"service": i, "name": f"Service {i} \u0416", "type": "Default", "category": "Telegram",
          "rate": f"{i % 90}.{i % 100:02d}", "min": 10, "max": 1000 + i, "average_time": f"{i % 60} minutes"}
         for i in range(1, 6001)],
        separators=(",", ":"),
    ).encode()
    assert len(body) > 600_000
    assert len(smmkit.decode("services", body)) == 6000

    def work() -> Dict[str, Any]:
        services = smmkit.decode("services", body)
        return {"count": len(services), "last": services[-1].max}

    assert in_child(work) == {"count": 6000, "last": 7000}
