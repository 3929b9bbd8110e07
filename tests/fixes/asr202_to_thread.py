# fix-args: --unsafe-fixes
import asyncio

from fastapi import FastAPI

from .pdf import parse_pdf, parse_pdf_slowly

app = FastAPI()


@app.post("/upload")
async def upload(data: bytes, pages: int = 1):
    return {"text": await asyncio.to_thread(parse_pdf, data, pages)}


@app.post("/upload/fast")
async def upload_fast(data: bytes):
    text = await asyncio.to_thread(parse_pdf, data, pages=1, fast=True)
    return {"text": text}


@app.get("/empty")
async def empty():
    return await asyncio.to_thread(parse_pdf)


@app.post("/upload/either")
async def upload_either(data: bytes, fast: bool):
    return await asyncio.to_thread(parse_pdf if fast else parse_pdf_slowly, data)
