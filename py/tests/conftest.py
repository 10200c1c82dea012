"""Shared fixtures: sandbox panels and clients on them."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Iterator

import pytest

import smmkit
from smmkit.testing import Sandbox

CATALOG = json.dumps(
    [
        {"service": 1, "name": "Instagram Likes", "type": "Default", "category": "Instagram", "rate": "0.90",
         "min": 10, "max": 5000, "refill": True, "cancel": True, "dripfeed": True},
        {"service": 2, "name": "Custom Comments", "type": "Custom Comments", "category": "Instagram",
         "rate": "45.00", "min": 2, "max": 100},
        {"service": 3, "name": "Telegram Views", "type": "Default", "category": "Telegram", "rate": "0.0123",
         "min": 100, "max": 1000000, "cancel": False},
        {"service": 4, "name": "Poll", "type": "Poll", "category": "Telegram", "rate": "2.50", "min": 10, "max": 1000},
        {"service": 5, "name": "Package", "type": "Package", "category": "YouTube", "rate": "12.00", "min": 1, "max": 1},
        {"service": 6, "name": "Web", "type": "Web Traffic", "category": "Web", "rate": "1.00", "min": 100, "max": 100000},
        {"service": 7, "name": "Subs", "type": "Subscriptions", "category": "Instagram", "rate": "3.00", "min": 10, "max": 500},
        {"service": 8, "name": "Mentions", "type": "Mentions with Hashtags", "category": "Instagram", "rate": "4.00",
         "min": 10, "max": 1000},
        {"service": 9, "name": "Magic", "type": "Premium Boost", "category": "Other", "rate": "1.00", "min": 1, "max": 100},
    ]
)


def run_python(source: str) -> str:
    """Runs `source` in a fresh interpreter, which must exit 0: what it printed."""
    result = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    return result.stdout.strip()


@pytest.fixture()
def panel() -> Iterator[Sandbox]:
    """A sandbox with a small catalog and a clock that moves only when told."""
    with Sandbox(speed=None, catalog_json=CATALOG, key="sandbox-python-test-key") as s:
        yield s


@pytest.fixture()
def client(panel: Sandbox) -> smmkit.PerfectPanel:
    return smmkit.PerfectPanel(panel.url, panel.key, retries=0, timeout=5)


@pytest.fixture()
def aclient(panel: Sandbox) -> smmkit.AsyncPerfectPanel:
    return smmkit.AsyncPerfectPanel(panel.url, panel.key, retries=0, timeout=5)
