"""ASR202: no `def` suggestion when the handler needs the loop, or its one thread.

Declared `def`, a handler runs in a worker thread, which has no running event loop: a
kept `asyncio.get_running_loop()` raises there. And the loop's single thread makes a
check followed by a change of shared state atomic; in the thread pool it would race.
"""
import asyncio

from fastapi import FastAPI

from .work import render

app = FastAPI()
taken: set = set()
hits: dict = {}
served = 0


@app.get("/offload-only")
async def offload_only():  # error: ASR202:1 "GET /offload-only" -- the loop only feeds the offload: removed by the fix
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, render)


@app.get("/inline-loop")
async def inline_loop():  # error: ASR202:1 "GET /inline-loop"
    return await asyncio.get_running_loop().run_in_executor(None, render)


@app.get("/loop-for-more")
async def loop_for_more():
    loop = asyncio.get_running_loop()
    print("offloading on", loop)
    return await asyncio.to_thread(render)


@app.get("/loop-call-kept")
async def loop_call_kept():
    asyncio.get_event_loop()
    return await asyncio.to_thread(render)


@app.post("/jobs")
async def start_job(background: bool = False):
    if background:
        loop = asyncio.get_running_loop()
        loop.run_in_executor(None, render)  # fire and forget: declared `def`, no loop to run it on
        return {"status": "accepted"}
    return await asyncio.to_thread(render)


@app.post("/jobs-inline")
async def start_job_inline(background: bool = False):
    if background:
        asyncio.get_running_loop().run_in_executor(None, render)  # unawaited as well
        return {"status": "accepted"}
    return await asyncio.to_thread(render)


@app.get("/loop-time")
async def loop_time():
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await loop.run_in_executor(None, render)
    return result, loop.time() - started


@app.post("/reserve/{seat}")
async def reserve(seat: str):
    if seat in taken:
        return {"ok": False}
    taken.add(seat)  # atomic on the loop's thread: no await since the check
    return {"ok": True, "ticket": await asyncio.to_thread(render)}


@app.post("/count")
async def count():
    global served
    if served >= 100:
        return None
    served += 1
    return await asyncio.to_thread(render)


@app.post("/first-hit/{key}")
async def first_hit(key: str):
    if key not in hits:
        hits[key] = 0
    return await asyncio.to_thread(render)


@app.post("/reserve-late/{seat}")
async def reserve_late(seat: str):  # error: ASR202:1 "POST /reserve-late/{seat}" -- an await between: racy either way
    if seat in taken:
        return {"ok": False}
    ticket = await asyncio.to_thread(render)
    taken.add(seat)
    return {"ok": True, "ticket": ticket}


@app.get("/lookup/{key}")
async def lookup(key: str):  # error: ASR202:1 "GET /lookup/{key}" -- reads shared state, never changes it
    if key in hits:
        return hits[key]
    return await asyncio.to_thread(render)
