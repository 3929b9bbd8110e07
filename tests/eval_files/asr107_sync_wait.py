"""ASR107: threading/queue/futures waits and nested event loops inside coroutines."""
import asyncio
import asyncio as aio
import concurrent.futures
import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from contextlib import asynccontextmanager
from queue import Queue as JobQueue

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool

executor = ThreadPoolExecutor(max_workers=4)
cache_lock = threading.RLock()
ready = threading.Event()
slots = threading.BoundedSemaphore(4)
changed = threading.Condition()
jobs = JobQueue(maxsize=100)
events = queue.Queue()
handoff = queue.SimpleQueue()
async_lock = asyncio.Lock()
async_ready = asyncio.Event()
async_jobs: asyncio.Queue = asyncio.Queue()
run_sync = asyncio.run  # module-level re-assignment keeps the qualified name


@asynccontextmanager
async def lifespan(app: FastAPI):
    ready.wait(timeout=10)  # error: ASR111:5 "ready.wait()"
    yield
    executor.shutdown(wait=True)  # error: ASR111:5 "executor.shutdown()"


app = FastAPI(lifespan=lifespan)
router = APIRouter()


def render(report_id: int) -> bytes:
    return str(report_id).encode()


@app.get("/cache/{key}")
async def read_cache(key: str, request: Request):
    await request.body()
    with cache_lock:  # short critical section guarding shared state: not reported
        value = {"key": key}
    if cache_lock.acquire(timeout=1):  # error: ASR107:8 "cache_lock.acquire()"
        cache_lock.release()
    with slots:  # error: ASR107:10 "with slots" -- a semaphore limiter waits for a free slot
        value["slot"] = "taken"
    with changed:
        changed.wait_for(lambda: bool(value), timeout=1)  # error: ASR107:9 "changed.wait_for()"
        changed.notify_all()
    return value


@app.get("/cache-async/{key}")
async def read_cache_async(key: str):
    async with async_lock:
        await async_ready.wait()
    got = cache_lock.acquire(blocking=False)  # non-blocking try-lock
    if got:
        cache_lock.release()
    return {"key": key, "ready": ready.is_set()}


@app.get("/cache-sync/{key}")
def read_cache_sync(key: str):
    with cache_lock:
        ready.wait(1)
        return {"key": key, "job": jobs.get(timeout=1)}


@router.post("/jobs")
async def enqueue(request: Request):
    payload = await request.json()
    jobs.put(payload)  # error: ASR107:5 "jobs.put()"
    events.put_nowait(payload)
    handoff.put(payload)  # SimpleQueue.put never blocks: it is unbounded
    jobs.put(payload, block=False)  # cannot block: raises queue.Full instead
    first = jobs.get()  # folded: same handle
    jobs.join()  # folded: same handle
    return {"first": first, "pending": jobs.qsize()}


async def enqueue_async(request: Request):
    async_jobs.put_nowait(await request.json())
    item = await async_jobs.get()
    other = events.get_nowait()
    moved = await asyncio.to_thread(events.get, True, 1)
    return {"item": item, "other": other, "moved": moved}


router.add_api_route("/jobs-async", enqueue_async, methods=["POST"])


@app.get("/reports/{report_id}")
async def report(report_id: int, request: Request):
    await request.body()
    fut = executor.submit(render, report_id)
    data = fut.result(timeout=5)  # error: ASR107:12 "fut.result()"
    more = [executor.submit(render, i) for i in range(3)]
    wait_futures(more)  # error: ASR107:5 "wait_futures()" -- from-import with `as`
    concurrent.futures.wait(more, timeout=1)  # error: ASR107:5 "concurrent.futures.wait()"
    return {"size": len(data), "parts": len(more)}


@app.get("/reports-async/{report_id}")
async def report_async(report_id: int):
    fut = executor.submit(render, report_id)
    data = await asyncio.wrap_future(fut)
    loop = asyncio.get_running_loop()
    other = await loop.run_in_executor(None, render, report_id)
    done = fut.done()
    late = await run_in_threadpool(lambda: executor.submit(render, 1).result())
    return {"size": len(data) + len(other) + len(late), "done": done}


async def await_future(fut: "Future[bytes]") -> bytes:
    return fut.result()  # error: ASR107:12 "fut.result()" -- generic annotation Future[bytes]


async def wait_plain(fut: Future, lock: threading.Lock) -> bytes:
    lock.acquire()  # error: ASR107:5 "lock.acquire()" -- parameters annotated with sync types
    return fut.result()  # error: ASR107:12 "fut.result()"


async def fetch_token() -> str:
    await asyncio.sleep(0)
    return "token"


async def get_token(request: Request) -> str:
    """Async dependency that drives a nested event loop."""
    await request.body()
    token = asyncio.run(fetch_token())  # error: ASR107:13 "asyncio.run()"
    token += run_sync(fetch_token())  # error: ASR107:14 "run_sync()"
    loop = asyncio.new_event_loop()
    again = loop.run_until_complete(fetch_token())  # error: ASR107:13 "loop.run_until_complete()"
    return token + again + aio.get_event_loop().run_until_complete(fetch_token())  # error: ASR107:28 "aio.get_event_loop().run_until_complete("


@router.get("/me")
async def me(token: str = Depends(get_token)):
    return {"token": token}


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._data: dict = {}

    async def get(self, key: str):
        with self._lock:  # guards shared state: not reported
            return self._data.get(key)

    async def set(self, key: str, value) -> None:
        if self._lock.acquire(timeout=0.5):  # error: ASR107:12 "self._lock.acquire()"
            self._data[key] = value
            self._lock.release()


async def drain_events() -> None:
    """Background task coroutine."""
    worker = threading.Thread(target=render, args=(1,), daemon=True)
    worker.start()
    worker.join(timeout=5)  # error: ASR107:5 "worker.join()"
    await asyncio.to_thread(worker.join, 5)


@app.post("/drain")
async def drain(tasks: BackgroundTasks):
    tasks.add_task(drain_events)
    return {"scheduled": True}


@app.websocket("/ws/events")
async def event_stream(websocket: WebSocket):
    await websocket.accept()
    event = events.get(timeout=30)  # error: ASR107:13 "events.get()"
    await websocket.send_json(event)


@app.middleware("http")
async def wait_until_ready(request: Request, call_next):
    ready.wait()  # error: ASR107:5 "ready.wait()"
    return await call_next(request)


held_locks = {}


@app.post("/locks/{key}")
async def take_new_lock(key: str):
    lock = threading.Lock()
    lock.acquire()  # nobody else has seen this lock yet: it cannot wait
    held_locks[key] = lock
    other = threading.Lock()
    held_locks["other"] = other
    other.acquire()  # error: ASR107:5 "other.acquire()" -- published first: another thread may hold it
    await asyncio.sleep(0)
    return {"held": key}


app.include_router(router)

if __name__ == "__main__":
    asyncio.run(fetch_token())
