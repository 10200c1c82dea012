"""Every exception class, raised the way users meet it."""

from __future__ import annotations

import socket

import pytest

import smmkit
from smmkit.testing import Sandbox

API_KINDS = {
    "Invalid API key": smmkit.InvalidKey,
    "Not enough funds on balance": smmkit.InsufficientFunds,
    "insufficient_funds": smmkit.InsufficientFunds,
    "Incorrect order ID": smmkit.IncorrectOrderId,
    "Refill not found": smmkit.IncorrectRefillId,
    "Incorrect service ID": smmkit.IncorrectService,
    "Quantity less than minimal 100": smmkit.QuantityOutOfRange,
    "Incorrect link": smmkit.IncorrectLink,
    "You have active order with this link. Please wait until order being completed.": smmkit.ActiveOrderOnLink,
    "Order not eligible for refill.": smmkit.RefillNotPossible,
    "Order can not be canceled": smmkit.CancelNotPossible,
    "Too many requests": smmkit.RateLimited,
    "Incorrect request": smmkit.IncorrectRequest,
    "Something else entirely": smmkit.ApiError,
}


@pytest.mark.parametrize("text,cls", API_KINDS.items())
def test_each_panel_error_text_has_its_class(text: str, cls: type) -> None:
    body = ('{"error": "%s"}' % text).encode()
    with pytest.raises(cls) as raised:
        smmkit.decode("add", body)
    e = raised.value
    assert type(e) is cls
    assert isinstance(e, smmkit.ApiError) and isinstance(e, smmkit.SmmError)
    assert e.kind == "api" and e.panel_message == text and e.action == "add"
    assert text in str(e)


def dead_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}/api/v2"


def test_api_errors_from_a_real_panel(panel: Sandbox) -> None:
    wrong = smmkit.PerfectPanel(panel.url, "not-the-key")
    with pytest.raises(smmkit.InvalidKey):
        wrong.balance()
    # Without the catalog, the panel itself judges the order.
    client = smmkit.PerfectPanel(panel.url, panel.key)
    with pytest.raises(smmkit.IncorrectService):
        client.add(99, "https://x.y/1", 10)
    with pytest.raises(smmkit.QuantityOutOfRange) as raised:
        client.add(1, "https://x.y/1", 5)
    assert raised.value.panel_message == "Quantity less than minimal 10"
    client.add(1, "https://x.y/2", 10)
    with pytest.raises(smmkit.ActiveOrderOnLink):
        client.add(1, "https://x.y/2", 10)
    with pytest.raises(smmkit.IncorrectRefillId):
        client.refill_status(123)


def test_insufficient_funds() -> None:
    with Sandbox(speed=None, balance="0.01") as panel:
        client = smmkit.PerfectPanel(panel.url, panel.key)
        service = client.services()[0]
        with pytest.raises(smmkit.InsufficientFunds):
            client.add(service.id, "https://x.y/p", service.max)
        assert panel.orders() == []


def test_transport_timeout_http_decode_size_and_config(panel: Sandbox) -> None:
    with pytest.raises(smmkit.TransportError) as raised:
        smmkit.PerfectPanel(dead_url(), "k", retries=0).balance()
    assert raised.value.not_sent is True and raised.value.kind == "transport"

    quick = smmkit.PerfectPanel(panel.url, panel.key, retries=0, timeout=0.3)
    panel.set_faults(stall=1.0, stall_for=2.0)
    with pytest.raises(smmkit.Timeout) as timeout:
        quick.balance()
    assert timeout.value.after == pytest.approx(0.3)

    panel.set_faults(server_error=1.0)
    with pytest.raises(smmkit.HttpStatusError) as http:
        quick.balance()
    assert http.value.status in (502, 503)

    panel.set_faults(html=1.0)
    with pytest.raises(smmkit.DecodeError) as decode:
        quick.balance()
    assert "HTML page" in str(decode.value)

    panel.set_faults()
    small = smmkit.PerfectPanel(panel.url, panel.key, max_response_bytes=100)
    with pytest.raises(smmkit.ResponseTooLarge) as large:
        small.services()
    assert large.value.limit == 100

    with pytest.raises(smmkit.ConfigError):
        smmkit.PerfectPanel(panel.url, panel.key, transport="carrier-pigeon")
    with pytest.raises(smmkit.ConfigError):
        smmkit.PerfectPanel("ftp://x", "k")
    with pytest.raises(smmkit.ConfigError):
        smmkit.PerfectPanel(panel.url, panel.key, timeout=-1)


def test_outcome_unknown_carries_what_was_sent(panel: Sandbox) -> None:
    client = smmkit.PerfectPanel(panel.url, panel.key, retries=5)
    panel.set_faults(drop=1.0, after_action=1.0)
    with pytest.raises(smmkit.OutcomeUnknown) as raised:
        client.add(1, "https://instagram.com/p/lost", 100)
    e = raised.value
    assert e.kind == "outcome_unknown"
    assert e.request == {"service": 1, "type": "default", "link": "https://instagram.com/p/lost", "quantity": 100,
                         "dripfeed": None}
    assert isinstance(e.cause, smmkit.TransportError)
    assert len(panel.orders()) == 1, "the order exists and was sent once"


def test_errors_pickle_and_keep_their_fields() -> None:
    import pickle

    try:
        smmkit.decode("balance", b'{"error":"Invalid API key"}')
    except smmkit.InvalidKey as e:
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is smmkit.InvalidKey and back.code == "invalid_key" and str(back) == str(e)
