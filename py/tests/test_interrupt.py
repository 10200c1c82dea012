"""Ctrl-C and cancelled awaitables: a read stops at once; an order is never
cut halfway, so the panel's answer is known and the journal records it."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import smmkit
from smmkit.testing import Sandbox

# Each script prints "calling" just before the call that Ctrl-C interrupts,
# then one line of JSON. Python installs no handler for SIGINT when it
# starts with the signal ignored (as a background job can), so the scripts
# install Python's own.
STALLED_READ = """
import json, signal, time
import smmkit
from smmkit.testing import Sandbox

signal.signal(signal.SIGINT, signal.default_int_handler)
with Sandbox(speed=None) as panel:
    client = smmkit.PerfectPanel(panel.url, panel.key, timeout=60, retries=0)
    panel.set_faults(stall=1.0, stall_for=60)
    print("calling", flush=True)
    start = time.monotonic()
    try:
        client.balance()
        interrupted = False
    except KeyboardInterrupt:
        interrupted = True
    print(json.dumps({"interrupted": interrupted, "elapsed": time.monotonic() - start}))
"""

SLOW_ADD = """
import json, signal, sys, time
import smmkit
from smmkit.testing import Sandbox

signal.signal(signal.SIGINT, signal.default_int_handler)
with Sandbox(speed=None) as panel:
    client = smmkit.PerfectPanel(panel.url, panel.key, timeout=20, retries=0, journal=sys.argv[1])
    service = next(s for s in client.services() if s.type is smmkit.ServiceType.DEFAULT)
    # Seed 1 delays the next request by 1.3 s, before the panel acts on it.
    panel.set_faults(latency=2.0, seed=1)
    print("calling", flush=True)
    start = time.monotonic()
    try:
        client.add(service.id, "https://t.me/c/1", service.min, idempotency_key="k-1")
        interrupted = False
    except KeyboardInterrupt:
        interrupted = True
    elapsed = time.monotonic() - start
    entry = client.journal.order("k-1")
    print(json.dumps({"interrupted": interrupted, "elapsed": elapsed, "orders": len(panel.orders()),
                      "state": entry["state"] if entry else None}))
"""


def interrupted_run(script: str, *args: str, after: float) -> dict:
    """Runs `script`, sends it SIGINT `after` seconds after it says "calling": what it printed."""
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "calling"
        time.sleep(after)
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 0
    printed: dict = json.loads(out)
    return printed


def test_ctrl_c_stops_a_read_at_once() -> None:
    # The panel stalls for a minute; before, the call could not be
    # interrupted until its 60 s timeout.
    printed = interrupted_run(STALLED_READ, after=0.5)
    assert printed["interrupted"] is True
    assert printed["elapsed"] < 5, printed


def test_ctrl_c_never_cuts_an_order_halfway(tmp_path: Path) -> None:
    printed = interrupted_run(SLOW_ADD, f"sqlite://{tmp_path / 'orders.db'}", after=0.3)
    # Ctrl-C came 0.3 s in; the add waited for the panel's answer (1.3 s
    # in), the order was placed once and the journal knows it.
    assert printed["interrupted"] is True
    assert printed["elapsed"] > 1.0, printed
    assert printed["orders"] == 1
    assert printed["state"] == "placed"


def test_a_cancelled_add_still_reaches_its_answer(panel: Sandbox, tmp_path: Path) -> None:
    journal = f"sqlite://{tmp_path / 'orders.db'}"
    aclient = smmkit.AsyncPerfectPanel(panel.url, panel.key, timeout=20, retries=0, journal=journal)

    async def main() -> None:
        await aclient.services()
        panel.set_faults(latency=2.0, seed=1)  # the next request waits 1.3 s
        start = time.monotonic()
        try:
            await asyncio.wait_for(aclient.add(3, "https://t.me/c/2", 100, idempotency_key="k-2"), 0.2)
        except asyncio.TimeoutError:
            pass
        else:
            raise AssertionError("the add was not cancelled")
        assert time.monotonic() - start < 1.0
        await asyncio.sleep(2.0)

    asyncio.run(main())
    # Cancelled, the add still ran to the panel's answer: one order, placed
    # in the journal. Before, the request was dropped mid-way and the journal
    # left it unknown.
    assert len(panel.orders()) == 1
    panel.set_faults()
    entry = smmkit.PerfectPanel(panel.url, panel.key, journal=journal).journal
    assert entry is not None
    found = entry.order("k-2")
    assert found is not None and found["state"] == "placed"
