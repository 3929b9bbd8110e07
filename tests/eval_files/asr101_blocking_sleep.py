"""ASR101: `time.sleep()` on the event loop, in every spelling and every kind of coroutine."""
import asyncio
import time
import time as t
from contextlib import asynccontextmanager
from time import sleep
from time import sleep as snooze

import anyio
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from starlette.routing import Route

pause = time.sleep


@asynccontextmanager
async def lifespan(app: FastAPI):
    time.sleep(0.5)  # error: ASR111:5 "time.sleep()" -- the lifespan runs on the loop before serving
    yield


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/jobs")


class FakeClock:
    def sleep(self, seconds: float) -> None:
        self.slept = seconds


def wait_for_disk() -> None:
    time.sleep(0.2)  # a sync helper: only a problem where a coroutine calls it


# --- bad: each import style ----------------------------------------------------------------

@app.get("/plain")
async def plain_module():
    time.sleep(1)  # error: ASR101:5 "time.sleep()"
    await asyncio.sleep(0)
    return {"style": "import time"}


@app.get("/aliased")
async def aliased_module():  # error: ASR201:1 "GET /aliased" -- never awaits, and sleeps
    t.sleep(1)  # error: ASR101:5 "t.sleep()"
    return {"style": "import time as t"}


@router.post("/from-import")
async def from_import(job_id: int):
    sleep(2)  # error: ASR101:5 "sleep()"
    await asyncio.sleep(0)
    return {"job": job_id}


@router.post("/renamed")
async def renamed_import(job_id: int):
    snooze(2)  # error: ASR101:5 "snooze()"
    await asyncio.sleep(0)
    return {"job": job_id}


@router.get("/module-alias")
async def module_level_alias():
    for attempt in range(3):
        pause(attempt)  # error: ASR101:9 "pause()" -- `pause = time.sleep` at module level
        await asyncio.sleep(0)
    return {"retries": 3}


# --- bad: each kind of coroutine ------------------------------------------------------------

async def throttle():  # error: ASR201:1 "throttle" -- a dependency that never awaits
    sleep(0.1)  # error: ASR101:5 "sleep()" -- dependency


@app.get("/throttled", dependencies=[Depends(throttle)])
async def throttled():
    return {"ok": True}


async def legacy_report():
    t.sleep(5)  # error: ASR101:5 "t.sleep()"
    await asyncio.sleep(0)
    return {"report": "legacy"}


app.add_api_route("/legacy", legacy_report)


async def starlette_health(request):
    time.sleep(0.01)  # error: ASR101:5 "time.sleep()"
    await asyncio.sleep(0)
    return {"ok": True}


starlette_routes = [Route("/health", starlette_health)]


async def retry_later(job_id: int) -> None:
    pause(30)  # error: ASR101:5 "pause()" -- a plain helper coroutine


class Poller:
    async def poll(self) -> None:
        snooze(1)  # error: ASR101:9 "snooze()" -- an async method


def make_handler(delay: float):
    async def delayed_handler():
        time.sleep(delay)  # error: ASR101:9 "time.sleep()" -- nested coroutine in a sync factory
    return delayed_handler


@app.middleware("http")
async def slow_down(request: Request, call_next):
    time.sleep(0.05)  # error: ASR101:5 "time.sleep()"
    return await call_next(request)


async def send_digest(email: str) -> None:
    sleep(2)  # error: ASR101:5 "sleep()" -- background tasks run on the loop too


@app.post("/digest")
def schedule_digest(email: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_digest, email)
    return {"queued": True}


@app.websocket("/ticks")
async def ticks(websocket: WebSocket):
    await websocket.accept()
    while True:
        t.sleep(1)  # error: ASR101:9 "t.sleep()"
        await websocket.send_text(str(time.time()))


# --- good: the same waits, done right ----------------------------------------------------

@app.get("/sync-route")
def sync_route():
    time.sleep(1)  # a `def` route runs in the thread pool
    sleep(1)
    return {"ok": True}


@router.get("/async-sleep")
async def async_sleep():
    await asyncio.sleep(1)
    started = time.monotonic()
    return {"elapsed": time.time() - started}


async def offloaded():
    await asyncio.to_thread(time.sleep, 1)
    await run_in_threadpool(wait_for_disk)
    await anyio.to_thread.run_sync(snooze, 0.5)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: time.sleep(1))

    def work() -> None:
        time.sleep(1)  # a sync function: it runs in the worker thread
    await asyncio.to_thread(work)


async def shadowed(sleep, clock: FakeClock):
    sleep(1)  # a parameter named `sleep`, not time.sleep
    clock.sleep(1)
    time = FakeClock()
    time.sleep(2)  # a local `time` that is not the module
    snooze_ref = t.sleep  # referenced, not called
    return snooze_ref


async def local_function():
    def pause(seconds: float) -> float:
        return seconds * 2
    return pause(1)  # the local `pause`, not the module-level alias
