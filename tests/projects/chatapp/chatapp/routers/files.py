"""Uploads: module imported as a whole, static methods, and calls kept off the loop."""
import asyncio

from fastapi import APIRouter, BackgroundTasks, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from chatapp.utils import storage
from chatapp.utils.misc import render_markdown
from chatapp.utils.notify import post_webhook
from chatapp.utils.storage import Storage, generate_thumbnail, iter_chunks, read_text

router = APIRouter(prefix="/files")


@router.post("/")
async def upload(file: UploadFile):
    data = await file.read()
    path = Storage.upload_file(data, file.filename)  # error: ASR110:12 "Storage.upload_file()" -- three hops to open()
    return {"path": path}


@router.post("/offloaded")
async def upload_offloaded(file: UploadFile):
    data = await file.read()
    path = await run_in_threadpool(Storage.upload_file, data, file.filename)
    thumb = await asyncio.to_thread(generate_thumbnail, path)
    return {"path": path, "thumbnail": len(thumb)}


@router.get("/{name}/text")
async def file_text(name: str):
    text = storage.read_text(name)  # error: ASR110:12 "storage.read_text()" -- `from pkg import module`
    await post_webhook("read", {"name": name})
    return {"text": await asyncio.to_thread(render_markdown, text)}


@router.get("/{name}/preview")
async def preview(name: str):
    text = await asyncio.to_thread(read_text, name)
    await post_webhook("preview", {"name": name})
    return {"html": render_markdown(text)}


@router.get("/{name}/title")
async def file_title(name: str):  # error: ASR201:1 "GET /files/{name}/title" -- this module hands render_markdown to a thread
    return {"title": render_markdown(name)}


@router.get("/{name}/download")
async def download(name: str):
    # Calling a generator function runs none of its body; Starlette iterates it in a thread.
    return StreamingResponse(iter_chunks(name), media_type="application/octet-stream")


@router.delete("/")
async def delete_all(tasks: BackgroundTasks, file: UploadFile):
    await file.close()
    tasks.add_task(Storage.delete_all)
    return {"scheduled": True}


@router.post("/sync")
def upload_sync(file: UploadFile):
    return {"path": Storage.upload_file(file.file.read(), file.filename)}
