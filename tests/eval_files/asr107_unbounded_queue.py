"""ASR107: `put()` on a `queue.Queue` made without a `maxsize` never waits for room
(infinity-emb's cache queue); a bounded queue's `put()` waits while it is full."""
import asyncio
import queue
from queue import LifoQueue
from queue import Queue as JobQueue

from fastapi import FastAPI

app = FastAPI()
results = queue.Queue()
unlimited = JobQueue(maxsize=0)
backlog = LifoQueue(-1)
jobs = JobQueue(maxsize=100)
sized = queue.Queue(8)


class Cache:
    _pending: queue.Queue  # a declaration: assigns nothing

    def __init__(self, size: int):
        self._add_q: queue.Queue = queue.Queue()
        self._pending = queue.Queue()
        self._limited = queue.Queue(size)
        self._resized = queue.Queue()

    def resize(self, size: int):
        self._resized = queue.Queue(maxsize=size)

    async def add(self, item):
        self._add_q.put(item)
        self._pending.put(item, timeout=1)
        self._limited.put(item)  # error: ASR107:9 "self._limited.put()"
        self._resized.put(item)  # error: ASR107:9 "self._resized.put()" -- bounded by resize()


# --- good: unbounded queues ----------------------------------------------------------------

@app.post("/results")
async def publish(item: str):
    await asyncio.sleep(0)  # awaits: only the calls below can be reported
    results.put(item)
    unlimited.put(item)
    backlog.put(item)
    return {"queued": results.qsize()}


# --- bad: bounded or unknown queues ----------------------------------------------------------

@app.post("/jobs")
async def enqueue(item: str, handoff: queue.Queue):
    await asyncio.sleep(0)  # awaits: only the calls below can be reported
    jobs.put(item)  # error: ASR107:5 "jobs.put()"
    sized.put(item)  # error: ASR107:5 "sized.put()"
    handoff.put(item)  # error: ASR107:5 "handoff.put()" -- made elsewhere: its size is unknown
    results.get()  # error: ASR107:5 "results.get()" -- get still waits for an item
    return {"queued": jobs.qsize()}
