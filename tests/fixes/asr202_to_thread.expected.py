# fix-args: --unsafe-fixes

from fastapi import FastAPI

from .pdf import parse_pdf, parse_pdf_slowly

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


@app.post("/upload/either")
def upload_either(data: bytes, fast: bool):
    return (parse_pdf if fast else parse_pdf_slowly)(data)
