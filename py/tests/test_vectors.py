"""The decoded fixtures of tests/ give the same values as in Rust.

tests/vectors/decoded.json holds, for every fixture, what the Rust core
decodes (written by its snapshot tests). This replays each fixture through
smmkit.decode and compares what Python gets, field by field.
"""

from __future__ import annotations

import enum
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import smmkit

ROOT = Path(__file__).resolve().parents[2] / "tests"
VECTORS = json.loads((ROOT / "vectors" / "decoded.json").read_text(encoding="utf-8"))


#: The attributes of the core's error payload (snake_case, as in Python).
ERROR_ATTRIBUTES = ("kind", "code", "action", "message", "not_sent", "after_ms", "status", "panel_message",
                    "snippet", "retry_after_ms", "reason", "limit", "field", "type_error", "request", "cause")


def plain(value: Any) -> Any:
    """A Python result in the canonical JSON form of the Rust vectors."""
    if isinstance(value, smmkit.SmmError):
        return {k: plain(getattr(value, k)) for k in ERROR_ATTRIBUTES if k in vars(value) or k == "message"}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, smmkit.Service):
        d = value.to_dict()
        d["extra"] = {k: v for k, v in d["extra"].items()}
        return {k: plain(v) for k, v in d.items()}
    if isinstance(value, (smmkit.OrderStatus, smmkit.Balance, smmkit.CancelRequested)):
        return {k: plain(v) for k, v in value.to_dict().items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def entries(value: Any) -> Any:
    """A dict of id to result as the Rust list of {id, ok | error}."""
    out = []
    for key, result in value.items():
        if isinstance(result, smmkit.SmmError):
            out.append({"id": key, "error": plain(result)})
        else:
            out.append({"id": key, "ok": plain(result)})
    return out


MULTI = {"statuses", "refills", "refill_statuses", "cancels"}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_python_decodes_like_rust(name: str) -> None:
    vector = VECTORS[name]
    body = (ROOT / "fixtures" / vector["file"]).read_bytes()
    payload = vector["payload"]
    expected = vector["outcome"]
    try:
        got = smmkit.decode(payload, body)
    except smmkit.SmmError as e:
        assert "error" in expected, f"{name}: Python raised {e!r}, Rust decoded {expected}"
        assert plain(e) == expected["error"]
        return
    assert "ok" in expected, f"{name}: Python decoded, Rust said {expected}"
    value = entries(got) if payload in MULTI else plain(got)
    assert {"payload": payload, "value": value} == expected["ok"]
    if payload == "services":
        skipped = [{"index": s.index, "id": s.id, "reason": s.reason} for s in got.skipped]
        assert skipped == expected.get("skipped", [])


def test_every_fixture_has_a_vector() -> None:
    fixtures = {p.name for p in (ROOT / "fixtures").iterdir()}
    assert fixtures == {v["file"] for v in VECTORS.values()}
    assert len(fixtures) >= 40
