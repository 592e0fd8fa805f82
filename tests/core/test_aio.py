"""core.aio.run works whether or not the calling thread already runs an event loop.

The CI failure it prevents: a Playwright (sync API) browser test left a loop running in
an xdist worker, and every later monitoring crawl in that worker raised RuntimeError.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from gongkai.core import aio


def _run_in_a_thread_with_its_own_loop(outer):
    """Run ``outer()`` as the running loop of a fresh thread (this test's own thread may already run
    Playwright's loop, which is exactly the situation aio.run handles)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, outer()).result()


async def _answer():
    await asyncio.sleep(0)
    return 42


def test_runs_without_a_loop():
    assert aio.run(_answer()) == 42


def test_runs_inside_a_running_loop():
    async def outer():
        return aio.run(_answer())

    assert _run_in_a_thread_with_its_own_loop(outer) == 42


def test_exceptions_reach_the_caller():
    async def boom():
        raise ValueError("坏输入")

    async def outer():
        try:
            aio.run(boom())
        except ValueError as exc:
            return str(exc)

    assert _run_in_a_thread_with_its_own_loop(outer) == "坏输入"
