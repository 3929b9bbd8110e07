"""ASR102: `urlopen()` of a `data:` URL decodes the URL itself, in memory; any other URL,
or one the code does not show to be a `data:` URL, is fetched over the network."""
import asyncio
import base64
import urllib.request

from fastapi import FastAPI

app = FastAPI()


def decode(value: str) -> bytes:
    if value.startswith("data:"):
        return urllib.request.urlopen(value).read()  # the bytes are in the URL
    return base64.b64decode(value)


def decode_image(value: str, kind: str) -> bytes:
    if kind == "image" and value.startswith("data:image/"):
        with urllib.request.urlopen(value) as response:
            return response.read()
    return b""


def fetch_unless_data(value: str) -> bytes:
    if not value.startswith("data:"):
        return urllib.request.urlopen(value).read()
    return b""


def decode_rebound(value: str) -> bytes:
    if value.startswith("data:"):
        value = value.replace("data:", "https://", 1)
        return urllib.request.urlopen(value).read()
    return b""


@app.get("/decode")
async def decode_route(value: str):
    await asyncio.sleep(0)
    return decode(value)


@app.get("/decode/image")
async def decode_image_route(value: str):
    await asyncio.sleep(0)
    return decode_image(value, "image")


@app.get("/pixel")
async def pixel():
    await asyncio.sleep(0)
    return urllib.request.urlopen("data:image/gif;base64,R0lGODlhAQABAAAAACw=").read()


@app.get("/fetch")
async def fetch_route(value: str):
    await asyncio.sleep(0)
    return fetch_unless_data(value)  # error: ASR110:12 "urlopen"


@app.get("/rebound")
async def rebound_route(value: str):
    await asyncio.sleep(0)
    return decode_rebound(value)  # error: ASR110:12 "urlopen"


@app.get("/remote")
async def remote(value: str):
    await asyncio.sleep(0)
    return urllib.request.urlopen(f"https://example.com/{value}").read()  # error: ASR102:12 "urlopen"
