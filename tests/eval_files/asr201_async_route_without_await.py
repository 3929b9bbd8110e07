# flake8-args: --extend-select=ASR203
"""ASR201 and the opt-in ASR203: async routes and dependencies that never await. ASR201 when
they call something shown to be costly, ASR203 (chosen here) when they only call code not
proven cheap; never both on one handler."""
import asyncio
import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, HTTPException, Request, WebSocket
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.endpoints import HTTPEndpoint
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from .clients import catalog
from .services import compute, load_user, notify_admins, rebuild_index, record_event

logger = logging.getLogger(__name__)
cache_lock = asyncio.Lock()


class Item(BaseModel):
    name: str
    price: float


class ReportBuilder:
    def __init__(self, template_path: str):
        self.template = open(template_path).read()


def slugify(title: str) -> str:
    return title.strip().lower().replace(" ", "-")


def enrich(item: Item) -> dict:
    return {**item.model_dump(), "score": compute(item.price)}


def csv_line(row: list) -> str:
    return ",".join(str(cell) for cell in row)


def build_export(rows: list) -> bytes:
    return "\n".join(csv_line(row) for row in rows).encode()


def count_nodes(tree: dict) -> int:
    return 1 + sum(count_nodes(child) for child in tree.get("children", []))


@asynccontextmanager
async def lifespan(app: FastAPI):
    record_event("startup")  # lifespans stay async: they are never reported
    yield


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/v1")


# ----- quiet: only builds and returns data, or calls code proven cheap -----------------------
@app.get("/health")
async def health():
    return {"status": "ok"}


@app.post("/items", status_code=201)
async def create_item(item: Item, background_tasks: BackgroundTasks):
    item_id = str(uuid.uuid4())
    logger.info("created item %s at %s", item_id, datetime.now(timezone.utc).isoformat())
    background_tasks.add_task(notify_admins, item_id)  # runs after the response, not here
    return {"id": item_id, "slug": slugify(item.name), "created": time.time()}


@app.get("/items/{item_id}")
async def read_item(item_id: str):
    if not item_id.isdigit():
        raise HTTPException(status_code=404, detail="Item not found")
    return JSONResponse(jsonable_encoder(Item(name=item_id.upper(), price=1.0)))


@router.post("/export")
async def export_items(raw: dict):
    item = Item.model_validate(raw)
    body = json.dumps(raw, sort_keys=True)
    row = [*sorted(raw.keys()), raw.get("kind"), len(body), *item.model_dump().values()]
    return PlainTextResponse(csv_line(row))


# ----- reported: calls code that is not proven cheap -------------------------------------------
@app.get("/stats")
async def stats():  # error: ASR203:1 "GET /stats" -- imported helper from another module
    return compute(42)


@router.post("/items/enriched")
async def enriched_item(item: Item):  # error: ASR203:1 "POST /v1/items/enriched" -- local helper calls unknown code
    return enrich(item)


@app.get("/tree/size")
async def tree_size(tree: dict):  # recursion over cheap calls is proven cheap
    return {"nodes": count_nodes(tree)}


@app.get("/report")
async def report():  # error: ASR201:1 "GET /report" -- local class whose __init__ reads a file
    builder = ReportBuilder("templates/report.txt")  # error: ASR110:15 "ReportBuilder()"
    return {"template": builder.template}


@app.post("/slow")
async def slow():  # error: ASR201:1 "POST /slow" -- blocking call
    time.sleep(0.5)  # error: ASR101:5 "time.sleep()"
    return {"done": True}


@app.get("/rows/export")
async def rows_export():  # error: ASR201:1 "GET /rows/export" -- build_export is handed to a thread below
    return PlainTextResponse(build_export([["x", 1]]))


async def nightly_export():
    return await asyncio.to_thread(build_export, [["x", 1]])


@app.get("/leaderboard")
async def leaderboard(players: list):  # error: ASR203:1 "GET /leaderboard" -- the lambda runs inline
    return sorted(players, key=lambda player: compute(player))


@app.get("/products/{sku}")
async def product(sku: str):  # error: ASR203:1 "GET /products/{sku}" -- `catalog` is a service client, not a logger
    return catalog.info(sku)


# ----- dependencies: every way FastAPI learns about one ----------------------------------------
async def get_current_user(request: Request):  # error: ASR203:1 "get_current_user" -- used as Depends(...) default
    return load_user(request.headers["authorization"])


async def get_settings():  # error: ASR203:1 "get_settings" -- used in an Annotated alias
    return compute("settings")


SettingsDep = Annotated[dict, Depends(get_settings)]


async def verify_api_key(request: Request):  # error: ASR203:1 "verify_api_key" -- dependencies=[Depends(...)]
    record_event("api-key-check", request.url.path)


class RoleChecker:
    def __init__(self, role: str):
        self.role = role

    async def __call__(self, user=Depends(get_current_user)):  # error: ASR203:5 "RoleChecker.__call__"
        return load_user(user, self.role)


require_admin = RoleChecker("admin")


@app.get("/me")
async def me(request: Request, user=Depends(get_current_user)):
    return {"user": user, "locale": request.headers.get("accept-language", "en")}


@app.get("/settings", dependencies=[Depends(verify_api_key)])
async def settings(values: SettingsDep):
    return values


@app.delete("/admin/cache")
async def clear_cache(user: Annotated[dict, Depends(require_admin)]):
    return {"cleared_by": user}


# ----- other ways to register a route ------------------------------------------------------------
async def metrics():  # error: ASR203:1 "GET /metrics" -- app.add_api_route
    return compute("metrics")


app.add_api_route("/metrics", metrics, methods=["GET"])


async def starlette_ping(request):  # error: ASR203:1 "GET /ping" -- Starlette Route
    return PlainTextResponse(compute("ping"))


routes = [Route("/ping", starlette_ping)]


class Dashboard(HTTPEndpoint):
    async def get(self, request):  # error: ASR203:5 "Dashboard.get" -- HTTPEndpoint method
        return JSONResponse(compute("dashboard"))


# ----- traps: never reported ------------------------------------------------------------------
@app.websocket("/ws/reject")
async def reject_socket(websocket: WebSocket):
    record_event("ws-rejected")


@app.middleware("http")
async def maintenance_mode(request: Request, call_next):
    record_event("maintenance", request.url.path)
    return PlainTextResponse("down for maintenance", status_code=503)


@app.exception_handler(ValueError)
async def value_error_handler(request: Request, exc: ValueError):
    record_event("value-error", str(exc))
    return JSONResponse({"detail": str(exc)}, status_code=400)


async def refresh_cache():
    return compute("cache")  # a plain coroutine, not a route or dependency


@app.get("/users/{user_id}")
async def read_user(user_id: int):
    user = load_user(user_id)
    await asyncio.sleep(0)  # one await is enough
    return user


@app.get("/stream-count")
async def stream_count(request: Request):
    chunks = 0
    async for _chunk in request.stream():
        chunks += 1
    return {"chunks": chunks, "score": compute(chunks)}


@app.put("/cache/{key}")
async def put_cache(key: str):
    async with cache_lock:
        return {key: compute(key)}


@app.post("/reindex")
async def reindex():
    asyncio.create_task(rebuild_index())  # needs the running loop: must stay async
    return {"queued": compute("reindex")}
