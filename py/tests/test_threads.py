"""smmkit imported first in a thread that ends, then used from other threads.

The module's allocator crashed the process (SIGSEGV) when the thread that
first loaded it had ended and another thread allocated: a script that
imports smmkit lazily in a worker thread (a thread pool, a web handler).
Each case runs in a fresh interpreter, where the import is the first.
"""

from __future__ import annotations

from conftest import run_python

IMPORTED_IN_A_THREAD = """
import asyncio
import threading

found = {}


def load():
    import smmkit
    from smmkit.testing import Sandbox

    panel = Sandbox(speed=None).__enter__()
    client = smmkit.PerfectPanel(panel.url, panel.key)
    found.update(smmkit=smmkit, panel=panel, services=len(client.services()))


def use(n):
    smmkit = found["smmkit"]
    panel = found["panel"]
    client = smmkit.PerfectPanel(panel.url, panel.key)
    assert len(client.services()) == found["services"]
    aclient = smmkit.AsyncPerfectPanel(panel.url, panel.key)

    async def balances():
        return await asyncio.wait_for(asyncio.gather(*[aclient.balance() for _ in range(20)]), 30)

    balances = asyncio.run(balances())
    assert len({b.amount for b in balances}) == 1
    found[n] = True


loader = threading.Thread(target=load)
loader.start()
loader.join()
for n in range(4):
    t = threading.Thread(target=use, args=(n,))
    t.start()
    t.join()
use("main")
found["panel"].__exit__(None, None, None)
print(sorted(str(k) for k in found if k not in ("smmkit", "panel")), found["services"] > 0)
"""


def test_imported_in_a_thread_that_ends() -> None:
    for _ in range(3):
        assert run_python(IMPORTED_IN_A_THREAD) == "['0', '1', '2', '3', 'main', 'services'] True"
