"""ASR202: async routes and dependencies whose every await is a thread offload."""
import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import anyio
import anyio.to_thread
from asgiref.sync import sync_to_async
from asyncer import asyncify
from fastapi import APIRouter, Depends, FastAPI, Security, UploadFile, WebSocket
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool as starlette_run_in_threadpool
from starlette.endpoints import HTTPEndpoint
from starlette.responses import JSONResponse

from .db import fetch_order, fetch_customer, notify
from .legacy import legacy_lookup, legacy_save
from .media import make_thumbnail, parse_pdf, resize_image, transcode
from .ml import load_model, predict
from .security import check_api_key

app = FastAPI()
router = APIRouter(prefix="/media")
api_key_header = APIKeyHeader(name="X-API-Key")

render_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="render")
gpu_limiter = anyio.CapacityLimiter(2)


# ----- reported: the handler only hops to a thread and back -----------------------------------
@app.post("/upload")
async def upload(data: bytes):  # error: ASR202:1 "POST /upload" -- asyncio.to_thread
    text = await asyncio.to_thread(parse_pdf, data)
    return {"text": text}


@app.post("/predict")
async def run_prediction(features: list):  # error: ASR202:1 "POST /predict" -- fastapi.concurrency
    return {"label": await run_in_threadpool(predict, features)}


@router.post("/thumbnail")
async def thumbnail(image: bytes):  # error: ASR202:1 "POST /media/thumbnail" -- starlette.concurrency spelling
    return await starlette_run_in_threadpool(make_thumbnail, image, size=128)


@router.post("/resize")
async def resize(image: bytes, width: int):  # error: ASR202:1 "POST /media/resize" -- run_in_executor(None, ...)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, partial(resize_image, image, width=width))


@router.post("/transcode")
async def transcode_clip(clip: bytes):  # error: ASR202:1 "POST /media/transcode" -- anyio.to_thread.run_sync
    return {"clip": await anyio.to_thread.run_sync(transcode, clip)}


@app.get("/legacy/{key}")
async def legacy(key: str):  # error: ASR202:1 "GET /legacy/{key}" -- asyncer.asyncify
    return await asyncify(legacy_lookup)(key)


@app.post("/orders/{order_id}/invoice")
async def invoice(order_id: int):  # error: ASR202:1 "POST /orders/{order_id}/invoice" -- several offloads, one after the other
    order = await asyncio.to_thread(fetch_order, order_id)
    customer = await run_in_threadpool(fetch_customer, order.customer_id)
    await asyncio.to_thread(notify, customer.email, order)
    return {"order": order_id, "sent_to": customer.email}


@app.post("/batch")
async def batch(files: list):  # error: ASR202:1 "POST /batch" -- sequential offloads in a loop
    pages = []
    for payload in files:
        pages.append(await asyncio.to_thread(parse_pdf, payload))
    return {"pages": pages}


@app.put("/legacy/{key}")
async def legacy_write(key: str, value: str):  # error: ASR202:1 "PUT /legacy/{key}" -- not thread-sensitive
    await sync_to_async(legacy_save, thread_sensitive=False)(key, value)
    return {"saved": key}


async def verify_key(key: str = Security(api_key_header)):  # error: ASR202:1 "verify_key" -- a dependency
    if not await asyncio.to_thread(check_api_key, key):
        raise PermissionError(key)
    return key


@app.get("/secure", dependencies=[Depends(verify_key)])
async def secure():
    return {"ok": True}


class Reports(HTTPEndpoint):
    async def get(self, request):  # error: ASR202:5 "Reports.get" -- HTTPEndpoint method
        return JSONResponse(await asyncio.to_thread(fetch_order, request.path_params["id"]))


# ----- quiet: a plain `def` would not be equivalent ----------------------------------------------
@router.post("/render")
async def render(scene: bytes):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(render_pool, make_thumbnail, scene)  # dedicated pool


@router.post("/infer")
async def infer(features: list):
    return await anyio.to_thread.run_sync(predict, features, limiter=gpu_limiter)


@router.post("/infer-batch")
async def infer_batch(batch: list):
    return await asyncify(predict, limiter=gpu_limiter)(batch)


@app.get("/orders/{order_id}/summary")
async def summary(order_id: int):
    order, customer = await asyncio.gather(  # offloads awaited together run in parallel
        asyncio.to_thread(fetch_order, order_id),
        asyncio.to_thread(fetch_customer, order_id),
    )
    return {"order": order, "customer": customer}


@app.post("/thumbnails")
async def thumbnails(images: list):
    async with anyio.create_task_group() as group:
        for image in images:
            group.start_soon(anyio.to_thread.run_sync, make_thumbnail, image)
    return {"count": len(images)}


@app.post("/avatar")
async def avatar(file: UploadFile):
    raw = await file.read()  # a real await
    return {"thumb": await asyncio.to_thread(make_thumbnail, raw)}


@app.get("/slow-legacy/{key}")
async def slow_legacy(key: str):
    return await asyncio.wait_for(asyncio.to_thread(legacy_lookup, key), timeout=2.0)


@app.get("/legacy-safe/{key}")
async def legacy_safe(key: str):
    return await sync_to_async(legacy_lookup)(key)  # thread_sensitive=True: one shared thread


@app.get("/legacy-pool/{key}")
async def legacy_pool(key: str):
    return await sync_to_async(legacy_lookup, thread_sensitive=False, executor=render_pool)(key)


@app.post("/legacy-pool/{key}")
async def legacy_pool_write(key: str, value: str):
    return await sync_to_async(legacy_save, executor=render_pool, thread_sensitive=False)(key, value)


@app.post("/prefetch/{order_id}")
async def prefetch(order_id: int):
    asyncio.create_task(warm_model())  # needs the running loop
    return await asyncio.to_thread(fetch_order, order_id)


async def warm_model():
    await asyncio.to_thread(load_model)  # a plain coroutine, not a route or dependency


async def load_order(order_id: int):
    return await asyncio.to_thread(fetch_order, order_id)


@app.get("/orders/{order_id}")
async def read_order(order_id: int):
    return await load_order(order_id)  # awaits a coroutine, not an offload


@app.websocket("/ws/thumbnails")
async def thumbnail_socket(websocket: WebSocket):
    await asyncio.to_thread(make_thumbnail, b"")  # websockets must stay async
