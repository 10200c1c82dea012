"""The Python package and the Rust core agree: every error code has its
class, and the enums hold the core's words."""

from __future__ import annotations

import smmkit
from smmkit import _native, enums, errors


def test_every_error_code_has_its_class() -> None:
    api_codes = {"invalid_key", "insufficient_funds", "incorrect_order_id", "incorrect_refill_id", "incorrect_service",
                 "quantity_out_of_range", "incorrect_link", "active_order_on_link", "refill_not_possible",
                 "cancel_not_possible", "rate_limited", "incorrect_request", "other"}
    for code in _native.error_codes():
        kind = "api" if code in api_codes else code
        e = smmkit.SmmError.from_payload({"kind": kind, "code": code, "action": None, "message": "m"})
        cls = type(e)
        assert cls is not smmkit.SmmError, f"no class for the code {code!r}"
        if kind == "api" and code != "other":
            assert cls is not smmkit.ApiError, f"{code} has its own class"
        assert cls.__name__ in smmkit.__all__, cls.__name__
        assert e.code == code and e.kind == kind
    assert set(errors._CODES) == set(_native.error_codes()), "no class for a code the core does not give"


def test_the_enums_hold_the_cores_words() -> None:
    lists = dict(_native.word_lists())
    assert [t.value for t in enums.ServiceType] == lists["service_types"]
    assert [s.value for s in enums.OrderState] == lists["order_states"]
    assert [s.value for s in enums.RefillState] == lists["refill_states"]
    assert [f.value for f in enums.OrderForm] == lists["order_forms"]
