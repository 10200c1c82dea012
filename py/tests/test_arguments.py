"""Bad arguments get clear errors and send nothing."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import smmkit
from smmkit.testing import Sandbox

BAD_ADDS: list[tuple[dict[str, Any], type, str]] = [
    (dict(service="abc", link="https://x.y", quantity=10), smmkit.ValidationError, "`service`: `abc` is not a whole number"),
    (dict(service=-1, link="https://x.y", quantity=10), smmkit.ValidationError, "must be at least 0, not -1"),
    (dict(service=1.5, link="https://x.y", quantity=10), TypeError, "`service`: must be a whole number, not 1.5"),
    (dict(service=True, link="https://x.y", quantity=10), TypeError, "must be a whole number, not a boolean"),
    (dict(service=1, link="https://x.y", quantity=-5), smmkit.ValidationError, "must be at least 1, not -5"),
    (dict(service=1, link="https://x.y", quantity=0), smmkit.ValidationError, "must be at least 1, not 0"),
    (dict(service=1, link="https://x.y", quantity=2**70), smmkit.ValidationError, "is too large"),
    (dict(service=1, link="https://x.y", quantity=10.0), TypeError, "`quantity`: must be a whole number, not 10.0"),
    (dict(service=1, link="https://x.y", quantity="ten"), smmkit.ValidationError, "`quantity`: `ten` is not a whole number"),
    (dict(service=1, link="", quantity=10), smmkit.ValidationError, "`link`: is empty"),
    (dict(service=1, link="   ", quantity=10), smmkit.ValidationError, "`link`: is empty"),
    (dict(service=1, link="https://x.y/a b", quantity=10), smmkit.ValidationError, "must not contain spaces"),
    (dict(service=1, link=42, quantity=10), TypeError, "`link`: must be a string, not a number"),
    (dict(service=1, link="https://x.y", quantity=5), smmkit.ValidationError, "below the minimum of 10"),
    (dict(service=1, link="https://x.y", quantity=6000), smmkit.ValidationError, "above the maximum of 5000"),
    (dict(service=1, link="https://x.y", quantity=10, form="teleport"), smmkit.ValidationError, "`teleport` is not a form"),
    (dict(service=1, link="https://x.y", quantity=10, comments="x"), smmkit.ValidationError, "`comments`: is not taken by a default order"),
    (dict(service=2, link="https://x.y"), smmkit.ValidationError, "`comments`: is needed for a custom_comments order"),
    (dict(service=2, link="https://x.y", comments=[1, 2]), TypeError, "`comments`: item 1 must be a string, not a number"),
    (dict(service=2, link="https://x.y", comments=b"a"), TypeError, "bytes"),
    (dict(service=4, link="https://x.y", quantity=10), smmkit.ValidationError, "`answer_number`: is needed for a poll order"),
    (dict(service=1, link="https://x.y", quantity=10, runs=2), smmkit.ValidationError, "`interval`: is needed"),
    (dict(service=6, link="https://x.y", quantity=100, country="US", device=9, type_of_traffic=3), smmkit.ValidationError, "9 is not a device"),
    (dict(service=7, username="u", min=20, max=10), smmkit.ValidationError, "`max`: 10 is below min 20"),
    (dict(service=7, username="u", min=1, max=10, expiry="2030-12-31"), smmkit.ValidationError, "dd/mm/yyyy"),
    (dict(service=99, link="https://x.y", quantity=10), smmkit.ValidationError, "service 99 is not in the catalog"),
]


def test_type_errors_are_also_validation_errors(client: smmkit.PerfectPanel) -> None:
    with pytest.raises(smmkit.ValidationError) as raised:
        client.add(1, "https://x.y", 10.5)  # type: ignore[arg-type]
    assert isinstance(raised.value, TypeError)
    assert isinstance(raised.value, smmkit.ArgumentTypeError)
    assert raised.value.field == "quantity"


def test_numbers_may_be_strings_of_digits(client: smmkit.PerfectPanel, panel: Sandbox) -> None:
    client.services()
    order = client.add("1", "https://x.y", "100")  # type: ignore[arg-type]
    assert panel.orders()[0]["id"] == order


@pytest.mark.parametrize("kwargs,cls,message", BAD_ADDS)
def test_bad_orders_are_refused_before_sending(
    client: smmkit.PerfectPanel, panel: Sandbox, kwargs: dict[str, Any], cls: type, message: str
) -> None:
    client.services()
    with pytest.raises(cls) as raised:
        client.add(**kwargs)
    assert message in str(raised.value)
    assert panel.orders() == []


BAD_IDS: list[tuple[Callable[[smmkit.PerfectPanel], Any], type, str]] = [
    (lambda c: c.status("12a"), smmkit.ValidationError, "`12a` is not a whole number"),
    (lambda c: c.status(None), TypeError, "`order`: must be a whole number, not null"),
    (lambda c: c.status(-3), smmkit.ValidationError, "must be at least 0"),
    (lambda c: c.statuses("123"), TypeError, "`orders`: must be a list of ids, not a string"),
    (lambda c: c.statuses([1, "x"]), smmkit.ValidationError, "`x` is not a whole number"),
    (lambda c: c.statuses(5), TypeError, "`orders`: must be a list of ids, not a number"),
    (lambda c: c.refills([1.5]), TypeError, "must be a whole number, not 1.5"),
    (lambda c: c.refill_status(True), TypeError, "not a boolean"),
    (lambda c: c.cancel([object()]), TypeError, "is not a value smmkit takes"),
]


@pytest.mark.parametrize("call,cls,message", BAD_IDS)
def test_bad_ids_are_refused(client: smmkit.PerfectPanel, call: Callable[[smmkit.PerfectPanel], Any], cls: type, message: str) -> None:
    with pytest.raises(cls) as raised:
        call(client)
    assert message in str(raised.value)


def test_bad_client_settings() -> None:
    with pytest.raises(smmkit.ConfigError):
        smmkit.PerfectPanel("http://127.0.0.1:1/api/v2", 123)  # type: ignore[arg-type]
    with pytest.raises(smmkit.ConfigError):
        smmkit.PerfectPanel("http://127.0.0.1:1/api/v2", "")
    with pytest.raises(smmkit.ConfigError):
        smmkit.PerfectPanel("http://127.0.0.1:1/api/v2", "k", concurrency=0)
