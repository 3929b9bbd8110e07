# fix-args: --unsafe-fixes
import asyncio
from functools import partial

import anyio
from asgiref.sync import sync_to_async
from fastapi import FastAPI

from .search import index_document, search

app = FastAPI()


@app.get("/search")
async def find(q: str, limit: int = 10):
    return await asyncio.to_thread(partial(search, q, fuzzy=True), limit, fuzzy=False)


@app.post("/index")
async def index(doc: str):
    await anyio.to_thread.run_sync(index_document, doc, cancellable=True)
    return {"ok": True}


@app.get("/search/strict")
async def find_strict(q: str):
    hits = await sync_to_async(search, thread_sensitive=False)(q, fuzzy=False)
    return {"hits": hits}


@app.get("/search/lazy")
async def find_lazy(q: str):
    return await asyncio.to_thread(lambda: search(q) or [])
