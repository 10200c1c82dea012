"""Python end to end: smmkit against what Python users write by hand.

Usage: bench.py URL KEY ORDERS_FILE  (prints one JSON record per line)
       bench.py --memory IMPL URL KEY (prints bytes held per service)

The baselines do what popular Python SMM clients do: `requests` (or
`httpx`) posting the form and `json` turning the answer into dicts; for
statuses, one request per order (the naive way) and the batched
`orders=` form, 100 ids a request.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Callable, Dict, List

import httpx
import msgspec
import orjson
import requests

import smmkit
from smmkit.testing import Sandbox


class TypedService(msgspec.Struct):
    """The typed struct a careful user decodes into with msgspec: every
    field, the rate as Decimal (numbers arrive as strings: strict=False)."""

    service: int
    name: str
    type: str
    category: str
    rate: Decimal
    min: int
    max: int
    refill: bool
    cancel: bool
    dripfeed: bool | None = None
    desc: str | None = None
    average_time: str | None = None


TYPED = msgspec.json.Decoder(List[TypedService], strict=False)


#: smmkit's default: how many batches of a call run at once.
CONCURRENCY = 4


def asked(call: Callable[[str, str], object]) -> Dict[str, int]:
    """What `call(url, key)` asks of a panel, counted by a sandbox panel in
    this process that holds the timed rows' orders nowhere (every id is
    unknown there; the requests are the same): how many requests, and the
    most it was answering at once, with answers that take up to 2 ms so
    that requests overlap as far as the caller lets them."""
    with Sandbox(speed=None) as panel:
        panel.set_faults(latency=0.002)
        before = panel.fault_counts()["clean"]
        call(panel.url, panel.key)
        return {"requests": panel.fault_counts()["clean"] - before,
                "most_in_flight": panel.connections()["most_in_flight"]}


def median_ms(fn: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def paired_median_ms(fns: List[Callable[[], object]], runs: int, rounds: int = 4, warmup: int = 3) -> List[float]:
    """Medians of several functions timed in rounds: each round times a
    few calls of each function in turn, after `warmup` calls that are not
    timed. A slow spell of a shared machine then falls on all of them
    alike, and the state one function leaves behind (memory returned to
    the system, a cold cache) is not counted against the next."""
    times: List[List[float]] = [[] for _ in fns]
    per_round = -(-runs // rounds)
    for _ in range(rounds):
        for fn, out in zip(fns, times):
            for _ in range(warmup):
                fn()
            for _ in range(per_round):
                started = time.perf_counter()
                fn()
                out.append(time.perf_counter() - started)
    return [statistics.median(t) * 1000 for t in times]


def record(suite: str, case: str, impl: str, ms: float, runs: int, baseline: bool = False, **extra: Any) -> None:
    print(json.dumps({"suite": suite, "case": case, "impl": impl, "median_ms": ms, "runs": runs,
                      "baseline": baseline, "extra": extra}), flush=True)


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory(impl: str, url: str, key: str) -> None:
    """Bytes of memory held per service by five copies of the catalog."""
    fetch: Callable[[], List[Any]]
    if impl == "smmkit":
        client = smmkit.PerfectPanel(url, key)
        fetch = client.services
    else:
        session = requests.Session()
        fetch = lambda: session.post(url, data={"key": key, "action": "services"}).json()  # noqa: E731
    # Steady state: the allocators have warmed up on a few catalogs first.
    for _ in range(3):
        fetch()
    gc.collect()
    before = rss_bytes()
    held = [fetch() for _ in range(5)]
    gc.collect()
    grown = rss_bytes() - before
    count = sum(len(h) for h in held)
    print(json.dumps({"bytes_per_service": grown / count}))


def main() -> None:
    if sys.argv[1] == "--memory":
        memory(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    url, key, orders_file = sys.argv[1:4]
    ids: List[int] = json.load(open(orders_file))
    form = {"key": key}

    client = smmkit.PerfectPanel(url, key)
    session = requests.Session()
    hx = httpx.Client()

    # ---- services() on a 10k-service catalog
    case = "services() of 10,000 services"
    n = len(client.services())
    assert n == 10_000, n
    runs = 15
    record("python", case, "requests + json", median_ms(lambda: session.post(url, data={**form, "action": "services"}).json(), runs), runs, baseline=True)
    record("python", case, "httpx + json", median_ms(lambda: hx.post(url, data={**form, "action": "services"}).json(), runs), runs)
    record("python", case, "httpx + orjson (untyped dicts)", median_ms(
        lambda: orjson.loads(hx.post(url, data={**form, "action": "services"}).content), runs), runs)
    record("python", case, "smmkit", median_ms(client.services, runs), runs)

    case = "services() and every rate as Decimal"
    record("python", case, "requests + json", median_ms(
        lambda: sum(Decimal(s["rate"]) for s in session.post(url, data={**form, "action": "services"}).json()), runs), runs, baseline=True)
    record("python", case, "smmkit", median_ms(lambda: sum(s.rate for s in client.services()), runs), runs)

    # The fastest a Python user could write: msgspec typed structs.
    case = "services(), typed, every rate read as Decimal (vs msgspec)"
    runs = 31
    typed = TYPED.decode(hx.post(url, data={**form, "action": "services"}).content)
    assert len(typed) == 10_000 and isinstance(typed[0].rate, Decimal)
    # The parts, each alone: what any implementation pays for the bytes
    # and for ten thousand Decimals, and what msgspec's decoding costs.
    # All timed in turns.
    body = hx.post(url, data={**form, "action": "services"}).content
    rates = [str(s.rate) for s in client.services()]
    msgspec_ms, smmkit_ms, bytes_ms, decoding_ms, decimals_ms = paired_median_ms([
        lambda: sum(s.rate for s in TYPED.decode(hx.post(url, data={**form, "action": "services"}).content)),
        lambda: sum(s.rate for s in client.services()),
        lambda: hx.post(url, data={**form, "action": "services"}).content,
        lambda: sum(s.rate for s in TYPED.decode(body)),
        lambda: sum(Decimal(r) for r in rates),
    ], runs)
    record("python", case, "httpx + msgspec typed structs", msgspec_ms, runs, baseline=True)
    record("python", case, "smmkit", smmkit_ms, runs)
    record("python", case, "part: httpx, the bytes alone", bytes_ms, runs)
    record("python", case, "part: msgspec decoding alone, bytes in hand", decoding_ms, runs)
    record("python", case, "part: 10,000 Decimal(str) and their sum alone", decimals_ms, runs)

    # ---- memory per service, each in a fresh process
    for impl in ("requests + json", "smmkit"):
        out = subprocess.run([sys.executable, __file__, "--memory", "smmkit" if impl == "smmkit" else "requests", url, key],
                             capture_output=True, text=True, check=True)
        per = json.loads(out.stdout)["bytes_per_service"]
        record("python-memory", "bytes held per service", impl, per, 1, baseline=impl != "smmkit", unit="bytes")

    # ---- statuses of 10,000 orders
    case = "statuses of 10,000 orders"

    chunks = [",".join(str(x) for x in ids[i : i + 100]) for i in range(0, len(ids), 100)]

    def asking(key: str, chunk: str) -> Dict[str, str]:
        return {"key": key, "action": "status", "orders": chunk}

    def batched(post: Callable[..., Any], url: str = url, key: str = key) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for chunk in chunks:
            out.update(post(url, data=asking(key, chunk)).json())
        return out

    # The same loop with smmkit's default concurrency, 4 batches at once: on
    # threads, each with its own httpx client (one shared between threads
    # can fail a request with a socket another thread closed), or as
    # asyncio tasks.
    pool = ThreadPoolExecutor(max_workers=CONCURRENCY)
    own = threading.local()
    loop = asyncio.new_event_loop()
    ahx = httpx.AsyncClient()

    def threaded(url: str, key: str) -> Dict[str, Any]:
        def one(chunk: str) -> Any:
            if not hasattr(own, "client"):
                own.client = httpx.Client()
            return own.client.post(url, data=asking(key, chunk)).json()

        out: Dict[str, Any] = {}
        for answer in pool.map(one, chunks):
            out.update(answer)
        return out

    def gathered(url: str, key: str) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        todo = iter(chunks)

        async def worker() -> None:
            for chunk in todo:
                answer = await ahx.post(url, data=asking(key, chunk))
                out.update(answer.json())

        async def every() -> None:
            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))

        loop.run_until_complete(every())
        return out

    def naive() -> List[Any]:
        return [session.post(url, data={**form, "action": "status", "order": i}).json() for i in ids]

    started = time.perf_counter()
    naive()
    record("python", case, "requests + json, one request per order", (time.perf_counter() - started) * 1000, 1, baseline=True)
    runs = 5
    record("python", case, "requests + json, batched by 100", median_ms(lambda: batched(session.post), runs), runs,
           **asked(lambda u, k: batched(session.post, u, k)))
    record("python", case, "httpx + json, batched by 100", median_ms(lambda: batched(hx.post), runs), runs,
           **asked(lambda u, k: batched(hx.post, u, k)))
    for impl, loop_of in (
        (f"httpx + json, batched by 100, {CONCURRENCY} threads", threaded),
        (f"httpx.AsyncClient + json, batched by 100, {CONCURRENCY} at a time", gathered),
    ):
        assert len(loop_of(url, key)) == len(ids)
        record("python", case, impl, median_ms(lambda: loop_of(url, key), runs), runs, **asked(loop_of))
    result = client.statuses(ids)
    assert len(result) == len(ids) and all(isinstance(v, smmkit.OrderStatus) for v in result.values())
    record("python", case, "smmkit statuses()", median_ms(lambda: client.statuses(ids), runs), runs,
           **asked(lambda u, k: smmkit.PerfectPanel(u, k).statuses(ids)))
    pool.shutdown()
    loop.run_until_complete(ahx.aclose())
    loop.close()


if __name__ == "__main__":
    main()
