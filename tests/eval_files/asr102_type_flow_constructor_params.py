"""Unannotated constructor parameters stored on `self` are typed from the project's calls
of the class, when every call that shows a type passes the same one."""
import asyncio

import boto3
import httpx
import requests
from fastapi import FastAPI

app = FastAPI()


class Uploader:
    def __init__(self, client, bucket):
        self.client = client
        self.bucket = bucket

    async def upload(self, key: str, body: bytes):
        await asyncio.sleep(0)
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body)  # error: ASR102:9 "self.client.put_object()"


uploader = Uploader(boto3.client("s3"), "uploads")
backup = Uploader(client=boto3.client("s3"), bucket="backup")


class Fetcher:
    def __init__(self, session=None, *, retries=3):
        self.session = session
        self.retries = retries

    @classmethod
    def default(cls):
        return cls(requests.Session())

    async def fetch(self, url: str):
        await asyncio.sleep(0)
        return self.session.get(url, timeout=5)  # error: ASR102:16 "self.session.get()"


class Either:
    """Good: one call passes a sync client and another an async one."""

    def __init__(self, http):
        self.http = http

    async def fetch(self, url: str):
        return await self.http.get(url)


sync_either = Either(requests.Session())
async_either = Either(httpx.AsyncClient())


class NeverBuilt:
    """Good: no call of the class shows what it holds."""

    def __init__(self, client):
        self.client = client

    async def fetch(self, url: str):
        return await self.client.get(url)


def build(*args):
    return Fetcher(*args)


@app.get("/files/{key}")
async def store(key: str):
    await uploader.upload(key, b"")
    return await Fetcher.default().fetch("https://example.com")
