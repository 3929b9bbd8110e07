# flake8-args: '--async-route-blocking-calls=legacy_sdk.fetch->use legacy_sdk.aio.fetch' '--async-route-blocking-patterns=[{"pattern": "legacy_sdk.$M($$$ARGS)", "message": "legacy_sdk.$M() is synchronous", "hint": "use `await legacy_sdk.aio.$M($$$ARGS)`"}, {"pattern": "time.sleep($$$)"}, {"pattern": "$DB.execute_sync($$$)", "message": "execute_sync waits for the database"}, {"pattern": "with $LOCK.hold(): $$$", "message": "holding $LOCK blocks"}]'
"""ASR100: ast-grep patterns configured with --async-route-blocking-patterns."""
import asyncio
import functools
import time

import legacy_sdk
from fastapi import BackgroundTasks, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from legacy_sdk import load

app = FastAPI()
registry = legacy_sdk.connect("registry")  # module level: not in a coroutine


@app.get("/items/{name}")
async def item(name: str, request: Request):
    await request.body()
    data = legacy_sdk.load(name)  # error: ASR100:12 "GET /items/{name}"
    title = "Ünïcödé ✓ 😀"; legacy_sdk.load(title)  # error: ASR100:37 "GET /items/{name}" -- non-ASCII before the match
    other = legacy_sdk.fetch(name)  # error: ASR100:13 "legacy_sdk.fetch()" -- configured name: one finding, not two
    time.sleep(0.1)  # error: ASR101:5 "time.sleep()" -- the catalog's finding wins over the pattern
    nested = legacy_sdk.wrap(legacy_sdk.load(name))  # error: ASR100:14 "GET /items/{name}", ASR100:30 "GET /items/{name}"
    big = legacy_sdk.load(  # error: ASR100:11 "GET /items/{name}" -- reported where the match starts
        name,
        strict=True,
    )
    quiet = legacy_sdk.load(name)  # noqa: ASR100
    load(name)  # patterns match syntax: a from-import is not `legacy_sdk.$M(...)`
    ranked = sorted([name], key=lambda n: legacy_sdk.rank(n))  # error: ASR100:43 "GET /items/{name}" -- runs at once
    return [data, other, nested, big, quiet, ranked]


@app.get("/offloaded/{name}")
async def offloaded(name: str, request: Request):
    await request.body()
    a = await asyncio.to_thread(lambda: legacy_sdk.load(name))
    b = await run_in_threadpool(functools.partial(legacy_sdk.load, name))
    loop = asyncio.get_running_loop()
    c = await loop.run_in_executor(None, lambda: legacy_sdk.load(name))
    later = lambda: legacy_sdk.load(name)  # noqa: E731 -- runs wherever it is called

    def worker():
        legacy_sdk.load(name)  # nested def: not the coroutine's own code

    class Loader:
        cached = legacy_sdk.load("class body")  # a class body is not checked

        def get(self):
            return legacy_sdk.load(name)

    def with_default(value=legacy_sdk.load("default")):  # error: ASR100:28 "GET /offloaded/{name}" -- default runs here
        return value

    await asyncio.to_thread(worker)
    return [a, b, c, later, Loader, with_default]


@app.get("/sync/{name}")
def sync_route(name: str):
    time.sleep(0.1)
    return legacy_sdk.load(name)  # a def route runs in the thread pool


async def get_db(request: Request):
    db = request.state.db
    await request.body()
    db.execute_sync("select 1")  # error: ASR100:5 "get_db"
    with db.lock.hold():  # error: ASR100:5 "get_db" -- a statement pattern
        pass
    yield db


@app.post("/orders")
async def order(tasks: BackgroundTasks, db=Depends(get_db)):
    tasks.add_task(notify, "order")
    await asyncio.sleep(0)
    return await db.execute("insert")


async def notify(what: str) -> None:
    """Background task coroutine."""
    await asyncio.sleep(0)
    legacy_sdk.notify(what)  # error: ASR100:5 "notify"


def helper(name: str):
    async def inner():  # a coroutine nested in a sync function is still a coroutine
        await asyncio.sleep(0)
        return legacy_sdk.load(name)  # error: ASR100:16 "inner"

    return inner
