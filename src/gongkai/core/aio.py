"""Run a coroutine to completion from synchronous code.

``asyncio.run`` refuses to start when the calling thread already runs an event loop
(Playwright's sync API, a Jupyter kernel, an ASGI worker). The coroutine then runs on
a fresh loop in a short-lived thread; callers must not use the ORM inside it.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongkai-aio") as pool:
        return pool.submit(asyncio.run, coro).result()
