"""Prints the benchmark table (medians and ratios against each case's
baseline) and writes every figure to results/results.json.

Usage: report.py RESULTS_DIR
"""

from __future__ import annotations

import json
import sys
from collections import OrderedDict
from pathlib import Path


def criterion_records(target: Path) -> list[dict]:
    """The decode benchmarks, from criterion's own estimates: against the
    untyped parse, against the typed anchors a user could write, smmkit
    against `sonic-rs` again with mimalloc as the allocator, and what every
    core gives here to work that shares nothing."""
    out = []
    decode = "decode {n:,} services ({mb:.1f} MB)"
    suites = (
        ("decode_services", "rust-decode", decode, "serde_json_value", (
            ("serde_json_value", "serde_json::Value (untyped)"),
            ("smmkit_typed", "smmkit Vec<Service> (typed), every core"),
        )),
        ("decode_services", "rust-decode-typed", decode + ", vs typed anchors", "sonic_rs_derive", (
            ("sonic_rs_derive", "sonic-rs derive, String fields (one thread)"),
            ("serde_derive_decimal", "serde derive, Decimal rate (one thread)"),
            ("sonic_rs_same_rules", "sonic-rs derive + smmkit's rules by hand (one thread)"),
            ("sonic_rs_rules_in_derive", "sonic-rs derive, smmkit's rules as each field is read (one thread)"),
            ("smmkit_one_thread", "smmkit, one thread"),
            ("smmkit_typed", "smmkit, every core"),
            ("sonic_rs_derive_halves", "sonic-rs derive, cut in two by hand, every core"),
        )),
        # The same rows in a binary whose allocator is mimalloc.
        ("decode_services_mimalloc", "rust-decode-mimalloc", decode + ", mimalloc", "sonic_rs_derive", (
            ("sonic_rs_derive", "sonic-rs derive, String fields (one thread)"),
            ("smmkit_one_thread", "smmkit, one thread"),
            ("smmkit_typed", "smmkit, every core"),
            ("sonic_rs_derive_halves", "sonic-rs derive, cut in two by hand, every core"),
        )),
        # One answer of `statuses()`'s requests, against what a hand-written
        # loop parses it into.
        ("decode_statuses", "rust-decode-statuses", "decode one answer of {n:,} order statuses ({mb:.3f} MB)",
         "serde_json_value", (
            ("serde_json_value", "serde_json HashMap<String, Value> (untyped)"),
            ("smmkit", "smmkit typed statuses, one thread"),
        )),
        # What every core gives here to work that shares nothing: about the
        # most an every-core decode gains over its one-thread row.
        ("machine_scaling", "rust-scaling", "the bytes of {n:,} services ({mb:.1f} MB), a loop that only computes",
         "compute_one_thread", (
            ("compute_one_thread", "one thread"),
            ("compute_every_core", "cut in parts, every core"),
        )),
    )
    for group, suite, case, baseline, impls in suites:
        base = target / "criterion" / group
        for n in (100, 1000, 10000, 100000):
            for impl, label in impls:
                est = base / impl / str(n) / "new" / "estimates.json"
                bench = base / impl / str(n) / "new" / "benchmark.json"
                if not est.exists():
                    continue
                median_ns = json.loads(est.read_text())["median"]["point_estimate"]
                size = json.loads(bench.read_text()).get("throughput", {}).get("Bytes", 0)
                out.append({
                    "suite": suite,
                    "case": case.format(n=n, mb=size / 1e6),
                    "impl": label,
                    "median_ms": median_ns / 1e6,
                    "runs": 20,
                    "baseline": impl == baseline,
                    "extra": {"mb_per_s": size / 1e6 / (median_ns / 1e9)},
                })
    return out


def goals(records: list[dict]) -> None:
    """Prints where each of the speed goals stands in this run, from the
    rows above: 10,000 services, smmkit against the fastest code a user
    could write instead. Where a goal is out of reach, the floor: what any
    client pays before its first Python object, from the parts measured
    alone."""

    def row(suite: str, case: str, impl: str) -> dict | None:
        return next((r for r in records
                     if r["suite"] == suite and r["case"].startswith(case) and r["impl"] == impl), None)

    def ms(suite: str, case: str, impl: str) -> float | None:
        found = row(suite, case, impl)
        return None if found is None else found["median_ms"]

    def seen(suite: str, case: str, impl: str) -> dict:
        found = row(suite, case, impl)
        return {} if found is None else found.get("extra", {})

    lines = []

    def goal(what: str, ours: float | None, theirs: float | None, at_least: float, note: str = "") -> None:
        if ours is None or theirs is None:
            return
        ratio = theirs / ours
        verdict = "met" if ratio >= at_least else "not met"
        lines.append(f"{what}: {ratio:.2f}× (goal ≥ {at_least:g}×, {verdict}){note}")

    for allocator in ("glibc", "mimalloc"):
        suite = "rust-decode-turns" + ("-mimalloc" if allocator == "mimalloc" else "")
        case = "decode 10,000 services"
        sonic = ms(suite, case, "sonic-rs derive, String fields (one thread)")
        goal(f"Rust decode, one thread, {allocator}, against sonic-rs derive", ms(suite, case, "smmkit, one thread"), sonic, 1.0)
        goal(f"Rust decode, every core, {allocator}, against sonic-rs derive on one thread",
             ms(suite, case, "smmkit, every core"), sonic, 2.0)

    case = "services(), typed, every rate read as Decimal"
    msgspec = ms("python", case, "httpx + msgspec typed structs")
    smmkit = ms("python", case, "smmkit")
    parts = (ms("rust-services", "services() of 10,000", "part: the bytes alone (reqwest, one buffer)"),
             ms("rust-decode-turns-mimalloc", "decode 10,000 services", "smmkit, every core"),
             ms("python", case, "part: 10,000 Decimal(str) and their sum alone"))
    floor = ""
    if msgspec is not None and smmkit is not None and None not in parts:
        total = sum(p for p in parts if p is not None)
        floor = (f"; the floor, bytes + the decode on every core (the module's allocator) + 10,000 Decimals: "
                 f"{' + '.join(f'{p:.2f}' for p in parts if p is not None)} = {total:.2f} ms, "
                 f"against half of msgspec's time, {msgspec / 2:.2f} ms; smmkit {smmkit:.2f} ms")
    goal("Python services(), every rate a Decimal, against httpx + msgspec", smmkit, msgspec, 2.0, floor)
    case = "services() of 10,000, every field read"
    goal("Node services(), every field read, against undici.request + JSON.parse",
         ms("node", case, "smmkit"), ms("node", case, "undici.request + JSON.parse"), 1.5)

    # Against the fastest of the batched loops, one batch at a time or as
    # many at once as smmkit's default.
    for suite, case, anchors in (
        ("throughput", "statuses of 10,000 orders (Rust)", ["reqwest + serde_json, batched by 100, 4 at a time"]),
        ("python", "statuses of 10,000 orders", ["requests + json, batched by 100", "httpx + json, batched by 100",
                                                 "httpx + json, batched by 100, 4 threads",
                                                 "httpx.AsyncClient + json, batched by 100, 4 at a time"]),
        ("node", "statuses of 10,000 orders", ["fetch + JSON.parse, batched by 100, one at a time",
                                               "fetch + JSON.parse, batched by 100, 4 at a time"]),
    ):
        ours = "smmkit statuses(), default concurrency (4)" if suite == "throughput" else "smmkit statuses()"
        timed = [(ms(suite, case, a), a) for a in anchors]
        best = min(((t, a) for t, a in timed if t is not None), default=None)
        if best is None:
            continue
        mine, theirs = seen(suite, case, ours), seen(suite, case, best[1])
        requests = mine.get("requests")
        within = requests is not None and requests <= 100
        goal(f"{suite.replace('throughput', 'Rust').capitalize()} statuses(), against the best batched loop ({best[1]})",
             ms(suite, case, ours), best[0], 1.0,
             f"; {requests} requests ({'≤ 100, met' if within else 'goal ≤ 100, not met'}), "
             f"at most {mine.get('most_in_flight')} at once against {theirs.get('most_in_flight')}")

    if lines:
        print("\nThe goals, in this run:")
        for line in lines:
            print(f"- {line}")


def main() -> None:
    results = Path(sys.argv[1])
    records = criterion_records(results.parent.parent / "target")
    for name in ("turns.json", "throughput.json", "journal.json", "python.json", "node.json"):
        path = results / name
        if path.exists():
            records += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    cases: "OrderedDict[tuple[str, str], list[dict]]" = OrderedDict()
    for r in records:
        cases.setdefault((r["suite"], r["case"]), []).append(r)
    rows = [("suite", "case", "implementation", "median", "vs baseline", "notes")]
    for (suite, case), items in cases.items():
        base = next((r for r in items if r["baseline"]), None)
        for r in items:
            unit = r.get("extra", {}).get("unit")
            value = f"{r['median_ms']:.0f} B" if unit == "bytes" else f"{r['median_ms']:.2f} ms"
            if base is None or r is base:
                ratio = "baseline" if r is base else ""
            elif unit == "bytes":
                ratio = f"{r['median_ms'] / base['median_ms']:.2f}× the memory"
                r["ratio"] = r["median_ms"] / base["median_ms"]
            else:
                r["speedup"] = base["median_ms"] / r["median_ms"]
                ratio = f"{r['speedup']:.2f}× faster" if r["speedup"] >= 1 else f"{1 / r['speedup']:.2f}× slower"
            extra = r.get("extra", {})
            notes = []
            if "mb_per_s" in extra:
                notes.append(f"{extra['mb_per_s']:.0f} MB/s")
            if "most_in_flight" in extra:
                notes.append(f"{extra['requests']} requests, at most {extra['most_in_flight']} at once")
            elif "requests" in extra and "requests_per_s" not in extra:
                notes.append(f"{extra['requests']} requests")
            if "requests_per_s" in extra:
                notes.append(f"{extra['requests_per_s']:.0f} req/s, {extra['statuses_per_s']:.0f} statuses/s")
            rows.append((suite, case, r["impl"], value, ratio, ", ".join(notes)))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    goals(records)
    (results / "results.json").write_text(json.dumps(records, indent=2) + "\n")
    print(f"\nwritten: {results / 'results.json'}")


if __name__ == "__main__":
    main()
