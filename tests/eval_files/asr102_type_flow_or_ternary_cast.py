"""Types that flow through `or`, a conditional expression, `typing.cast`, tuple unpacking
and `@property` / `cached_property` (each shape from a real, fixed bug)."""
import asyncio
import functools
import os
import typing
from typing import TYPE_CHECKING, cast

import boto3
import redis
import requests
from fastapi import FastAPI

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

app = FastAPI()


class Mailer:
    def __init__(self, client=None):
        self.client = client or boto3.client("ses")

    async def send(self, to: str, body: str):
        self.client.send_email(Source="a@b.c", Destination={"ToAddresses": [to]},  # error: ASR102:9 "self.client.send_email()"
                               Message={"Body": {"Text": {"Data": body}}})


class AsyncMailer:
    """Good: two unknowns say nothing."""

    def __init__(self, client=None, fallback=None):
        self.client = client or fallback

    async def send(self, to: str):
        await self.client.send_email(to)


def pick_session(proxy: str):
    return requests.Session() if proxy else None


@app.get("/ternary")
async def ternary(proxy: str = ""):  # error: ASR201:1 "GET /ternary"
    session = pick_session(proxy)
    page = session.get("https://example.com", timeout=5)  # error: ASR102:12 "session.get()"
    http = make_anything() if proxy else requests.Session()
    http.get("https://example.com", timeout=5)  # error: ASR102:5 "http.get()"
    return page.text


@app.get("/ternary-disagrees")
async def ternary_disagrees(url: str = ""):
    # Good: two different known types (a client or a plain dict), nothing is inferred.
    cache = redis.Redis.from_url(url) if url else {}
    fallback = make_anything() or {}
    http = make_anything() if url else make_anything()
    await http.get("https://example.com")
    return cache.get("key") or fallback.get("key")


@app.get("/cast")
async def cast_value(key: str):  # error: ASR201:1 "GET /cast"
    s3 = cast("S3Client", boto3.client("s3"))
    s3.put_object(Bucket="b", Key=key, Body=b"")  # error: ASR102:5 "s3.put_object()"
    other = typing.cast(requests.Session, make_anything())
    other.get("https://example.com", timeout=5)  # error: ASR102:5 "other.get()"
    return {}


def make_anything():
    return os.environ.get("ANYTHING")


class Archive:
    def __init__(self, s3: "S3Client"):
        self.s3 = s3

    async def fetch(self, key: str):
        await asyncio.sleep(0)
        s3 = cast("S3Client", self.lookup_client())
        s3.get_object(Bucket="b", Key=key)  # error: ASR102:9 "s3.get_object()"
        return self.s3.get_object(Bucket="archive", Key=key)  # error: ASR102:16 "self.s3.get_object()"

    def lookup_client(self):
        return os.environ.get("CLIENT")


@app.get("/cast-unknown")
async def cast_unknown():
    # Good: a cast to a type the checker does not know, of a value it does not know.
    client = cast(typing.Any, make_anything())
    await client.put_object(Bucket="b", Key="k")
    return {}


class Storage:
    @property
    def s3(self):
        return boto3.client("s3")

    @functools.cached_property
    def http(self) -> requests.Session:
        return requests.Session()

    @property
    def name(self):
        return "storage"

    async def upload(self, key: str):
        self.s3.upload_file("/tmp/x", "bucket", key)  # error: ASR102:9 "self.s3.upload_file()"
        self.http.post("https://example.com/done", timeout=5)  # error: ASR102:9 "self.http.post()"
        return self.name.upper()


storage = Storage()


@app.get("/property")
async def through_a_property():  # error: ASR201:1 "GET /property"
    storage.s3.list_buckets()  # error: ASR102:5 "storage.s3.list_buckets()"
    return {}
