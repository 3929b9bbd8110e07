from fastapi import APIRouter, Request, WebSocket
from sqlalchemy.orm import Session

from ..clients import make_clients
from ..db import get_db
from ..services import Mailer

router = APIRouter(prefix="/items")
mailer = Mailer(client=None)


@router.get("/{item_id}")
async def read_item(request: Request, item_id: int):
    with Session(request.app.state.engine) as session:
        row = session.get("Item", item_id)  # error: ASR109:15 "session.get()"
    found = get_db().get_item(item_id)  # error: ASR110:13 "get_db().get_item()"
    await request.body()
    return {"row": row, "found": found, "ok": get_db().ping()}


@router.post("/{item_id}/file")
async def upload(request: Request, item_id: int):
    body = await request.body()
    request.app.state.storage.save(f"items/{item_id}", body)  # error: ASR110:5 "request.app.state.storage.save()"
    return {}


@router.post("/{item_id}/notify")
async def notify(request: Request, item_id: int):
    queue, counter = make_clients()
    queue.send_message(QueueUrl="q", MessageBody=str(item_id))  # error: ASR102:5 "queue.send_message()"
    counter.incr("notified")  # error: ASR103:5 "counter.incr()"
    await request.body()
    return {}


@router.get("/cached/{key}")
async def cached(request: Request, key: str):
    # Good: `sessions` is a dict in one module and an async client in another; `Cache` is
    # built with a sync client in one module and a dict in another; `Mailer` is never
    # given a client.
    await request.app.state.sessions.get(key)
    value = request.app.state.cache.get(key) or request.app.state.local_cache.get(key)
    mailer.send("a@b.c", "cached")
    return {"value": value}


@router.websocket("/ws")
async def stream(websocket: WebSocket):
    await websocket.accept()
    engine = getattr(websocket.app.state, "engine", None)
    engine.connect()  # error: ASR109:5 "engine.connect()"
