"""Tuple unpacking from helpers and factories: each name gets the type of its element."""
import asyncio
import redis

import boto3
import httpx
from fastapi import FastAPI

app = FastAPI()


def make_clients():
    return boto3.client("s3"), redis.Redis()


async def make_async_clients():
    return httpx.AsyncClient(), redis.Redis()


def maybe_clients(ready: bool):
    if not ready:
        return None, None
    return boto3.client("s3"), redis.Redis()


@app.get("/unpack")
async def unpack(key: str):
    s3, db = make_clients()
    s3.delete_object(Bucket="b", Key=key)  # error: ASR102:5 "s3.delete_object()"
    db.delete(key)  # error: ASR103:5 "db.delete()"
    await asyncio.sleep(0)
    return {}


@app.get("/unpack-awaited")
async def unpack_awaited():
    http, db = await make_async_clients()
    await http.get("https://example.com")
    db.set("seen", 1)  # error: ASR103:5 "db.set()"
    return {}


@app.get("/unpack-maybe")
async def unpack_maybe(key: str):
    s3, _ = maybe_clients(True)
    s3.head_object(Bucket="b", Key=key)  # error: ASR102:5 "s3.head_object()"
    await asyncio.sleep(0)
    return {}


class Repository:
    def __init__(self):
        self.s3, self.db = make_clients()

    async def count(self):
        await asyncio.sleep(0)
        return self.db.dbsize()  # error: ASR103:16 "self.db.dbsize()"


@app.get("/unpack-literal")
async def unpack_literal(key: str):
    pair = (httpx.AsyncClient(), boto3.client("s3"))
    http, s3 = pair
    await http.get("https://example.com")
    s3.get_object(Bucket="b", Key=key)  # error: ASR102:5 "s3.get_object()"
    return {}


@app.get("/unpack-good")
async def unpack_good():
    # Good: what a starred target takes is not followed; the async client is awaited.
    _, *rest = make_clients()
    http, _ = await make_async_clients()
    batch, label = rest, "done"
    await http.get("https://example.com")
    batch.fetch(label)
    return {}
