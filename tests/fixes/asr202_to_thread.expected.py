# fix-args: --unsafe-fixes

from fastapi import FastAPI

from .pdf import parse_pdf

app = FastAPI()


@app.post("/upload")
def upload(data: bytes, pages: int = 1):
    return {"text": parse_pdf(data, pages)}


@app.post("/upload/fast")
def upload_fast(data: bytes):
    text = parse_pdf(data, pages=1, fast=True)
    return {"text": text}


@app.get("/empty")
def empty():
    return parse_pdf()
