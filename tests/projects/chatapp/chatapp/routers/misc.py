"""Calls that must stay silent: cheap helpers, blocking-sounding names, unknown code."""
import asyncio
import time

from fastapi import APIRouter, Depends, Request
from missing_pkg import thing

from chatapp.utils import misc
from chatapp.utils import rates as rates_module
from chatapp.utils.legacy import migrate_chat
from chatapp.utils.misc import flatten, normalize_tags, open, render_markdown, sleep
from chatapp.utils.rates import get_bounded_rates

router = APIRouter(prefix="/misc")


@router.get("/retry")
async def retry_after(attempt: int):
    await asyncio.sleep(0)
    return {"retry_after": sleep(attempt), "again": misc.sleep(attempt + 1)}


@router.post("/channels/{name}")
async def open_channel(name: str, request: Request):
    await request.body()
    event = open(name, "rw")
    return {"event": event, "log": misc.open(name)}


@router.post("/tags")
async def tags(request: Request):
    body = await request.json()
    return {"tags": normalize_tags(body["tags"]), "flat": flatten(body["tree"])}


@router.post("/render")
async def render(request: Request):
    body = await request.json()
    return {"html": render_markdown(body["text"]), "at": time.time()}


@router.post("/migrate/{chat_id}")
async def migrate(chat_id: str, request: Request):
    await request.body()
    migrate_chat(chat_id)
    return {"thing": thing(chat_id)}


@router.get("/plain")
async def plain(request: Request):  # never awaits, calls unknown code alone: opt-in ASR203
    return {"thing": thing(request.url.path)}


@router.get("/render/{text}")
async def render_path(text: str):
    return {"html": render_markdown(text)}


@router.get("/flat/{csv}")
async def flat(csv: str):
    return {"flat": flatten([csv.split(","), [csv]])}


@router.get("/rates")
def rates(latest=Depends(rates_module.get_rates), bounded=Depends(get_bounded_rates)):
    return {"latest": latest, "bounded": bounded}
