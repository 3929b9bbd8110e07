"""Regressions from the second real-app review: cheap library values keep their type."""
import asyncio
import io
import os
import re
import tarfile
import zipfile
from collections import deque
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html
from starlette.datastructures import URL

app = FastAPI()
PORT = re.compile(r"\d+")
STATIC = Path("static")


def valid_port(value: str) -> bool:
    return PORT.match(value) is not None  # a compiled pattern's method


def safe_join(directory: Path, name: str) -> Path:
    cleaned = os.path.normpath(name)
    if os.path.isabs(cleaned) or os.path.commonpath([cleaned, ".."]) == "..":
        raise HTTPException(403)
    return directory / cleaned


class Recent:
    def __init__(self) -> None:
        self._items = deque(maxlen=10)

    def clear(self) -> None:
        self._items.clear()


RECENT = Recent()


@app.get("/port/{value}")
async def port(value: str):
    return {"ok": valid_port(value)}


@app.get("/static/{name}")
async def static(name: str):
    return {"path": str(safe_join(STATIC, name))}


@app.post("/recent/clear")
async def clear_recent():
    RECENT.clear()
    return {}


@app.get("/public")
async def public(url: URL, request: Request):
    return {"url": str(url.replace(query="")), "type": request.scope.get("type")}


@app.get("/redoc", include_in_schema=False)
async def redoc():
    return get_redoc_html(openapi_url="/openapi.json", title="docs")


@app.get("/bundle")
async def bundle():
    await asyncio.sleep(0)  # awaits, so only the ASR104 question is asked here
    tar = tarfile.open(fileobj=io.BytesIO(b""), mode="w")  # in memory: no file system
    tar.close()
    with zipfile.ZipFile(file=io.BytesIO(), mode="w") as archive:  # in memory too
        archive.writestr("a.txt", "a")
    return {}

