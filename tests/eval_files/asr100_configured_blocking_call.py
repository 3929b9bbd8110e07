# flake8-args: '--async-route-blocking-calls=legacy_sdk.fetch,legacy_sdk.Client.send,vendor.*->use vendor.aio'
"""ASR100: calls configured as blocking with --async-route-blocking-calls."""
import asyncio
import functools
from contextlib import asynccontextmanager

import legacy_sdk
import legacy_sdk as sdk
import vendor
import vendor.storage
import vendor.aio
import vendor_extra
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from legacy_sdk import Client
from legacy_sdk import fetch as sdk_fetch
from vendor import billing as vb
from vendor.billing import charge

fetch_report = legacy_sdk.fetch  # module-level re-assignment keeps the qualified name
client = Client("https://legacy.example.com")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.catalog = legacy_sdk.fetch("catalog")  # error: ASR111:25 "legacy_sdk.fetch()"
    yield
    vendor.storage.flush()  # error: ASR111:5 "vendor.storage.flush()"


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/reports")


def fetch_sync(name: str):
    return legacy_sdk.fetch(name)  # sync helper: fine


@router.get("/{name}")
async def report(name: str, request: Request):
    await request.body()
    data = legacy_sdk.fetch(name)  # error: ASR100:12 "legacy_sdk.fetch()"
    data2 = sdk.fetch(name)  # error: ASR100:13 "sdk.fetch()" -- module alias
    data3 = sdk_fetch(name)  # error: ASR100:13 "sdk_fetch()" -- from-import with `as`
    data4 = fetch_report(name)  # error: ASR100:13 "fetch_report()" -- module-level re-assignment
    many = legacy_sdk.fetch_many([name])  # not configured
    return {"data": [data, data2, data3, data4], "many": many}


@router.get("/{name}/quick")
async def report_quick(name: str):  # error: ASR201:1 "GET /reports/{name}/quick" -- never awaits
    return legacy_sdk.fetch(name)  # error: ASR100:12 "legacy_sdk.fetch()"


@router.get("/{name}/sync")
def report_sync(name: str):
    return {"data": legacy_sdk.fetch(name), "paid": vb.charge(name)}


@router.get("/{name}/offloaded")
async def report_offloaded(name: str, request: Request):
    await request.body()
    data = await asyncio.to_thread(legacy_sdk.fetch, name)
    data2 = await run_in_threadpool(sdk_fetch, name)
    loop = asyncio.get_running_loop()
    data3 = await loop.run_in_executor(None, functools.partial(fetch_report, name))
    data4 = await loop.run_in_executor(None, lambda: vendor.storage.get(name))
    data5 = await vendor.aio.fetch(name)
    return [data, data2, data3, data4, data5]


@router.post("/{name}/send")
async def send(name: str, request: Request):
    payload = await request.json()
    legacy_sdk.Client.send(client, payload)  # error: ASR100:5 "legacy_sdk.Client.send()" -- `Type.method` matches the unbound call
    client.send(payload)  # documented limit: legacy_sdk.Client instances are not tracked
    return {"sent": name}


async def bill(request: Request) -> str:
    """Async dependency."""
    body = await request.json()
    receipt = vb.charge(body["account"])  # error: ASR100:15 "vb.charge()" -- `vendor.*` wildcard
    charge(body["account"])  # error: ASR100:5 "charge()"
    vendor_extra.charge(body["account"])  # `vendor_extra` is not below `vendor`
    return receipt


@router.post("/{name}/buy")
async def buy(name: str, receipt: str = Depends(bill)):
    return {"name": name, "receipt": receipt}


async def archive(name: str) -> None:
    """Background task coroutine."""
    blob = vendor.storage.get(name)  # error: ASR100:12 "vendor.storage.get()"
    vendor.storage.put(f"archive/{name}", blob)  # error: ASR100:5 "vendor.storage.put()"
    await vendor.aio.storage.delete(name)


@router.delete("/{name}")
async def delete(name: str, tasks: BackgroundTasks):
    tasks.add_task(archive, name)
    return {"archived": name}


async def export(name: str, fmt: str = "csv"):
    await asyncio.sleep(0)
    return vendor.Exporter(fmt).run(legacy_sdk.fetch(name))  # error: ASR100:12 "vendor.Exporter()", ASR100:37 "legacy_sdk.fetch()"


app.add_api_route("/export/{name}", export)


class ReportService:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.warm = legacy_sdk.fetch(prefix)  # sync method: fine

    async def refresh(self) -> None:
        self.warm = legacy_sdk.fetch(self.prefix)  # error: ASR100:21 "legacy_sdk.fetch()" -- async method

    def refresh_sync(self) -> None:
        self.warm = legacy_sdk.fetch(self.prefix)


@app.websocket("/ws/reports")
async def report_feed(websocket: WebSocket):
    await websocket.accept()
    name = await websocket.receive_text()
    await websocket.send_json(legacy_sdk.fetch(name))  # error: ASR100:31 "legacy_sdk.fetch()"


@app.middleware("http")
async def audit(request: Request, call_next):
    vendor.audit.log(request.url.path)  # error: ASR100:5 "vendor.audit.log()"
    return await call_next(request)


def fetch(name: str) -> str:
    return name.upper()


async def shadowed(name: str, legacy_sdk: dict) -> str:
    """A local function and a parameter shadow the configured names."""
    return fetch(name) + str(legacy_sdk.get("fetch"))


async def helper(name: str):
    """Plain async helper."""
    await asyncio.sleep(0)
    return sdk.fetch(name)  # error: ASR100:12 "sdk.fetch()"


app.include_router(router)
