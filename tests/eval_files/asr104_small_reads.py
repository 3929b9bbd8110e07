"""ASR104: a few bytes read from an upload's spooled file (`upload.file`, in memory up to
1 MiB, then a temp file) are a copy from memory or the page cache (xinference sniffing
the PDF magic); reading the whole upload, or a large or unknown size, is reported."""
from fastapi import FastAPI, File, UploadFile

app = FastAPI()
PDF_MAGIC = b"%PDF"
CHUNK = 1024 * 1024


# --- good: a small constant size -----------------------------------------------------------

@app.post("/sniff")
async def sniff(image: UploadFile = File(...)):
    head = image.file.read(len(PDF_MAGIC))
    image.file.seek(0)
    first_line = image.file.readline(256)
    image.file.seek(0)
    more = image.file.read(size=64 * 1024)
    await image.seek(0)
    return {"pdf": head == PDF_MAGIC, "line": first_line, "more": len(more)}


# --- bad: all of it, a large or an unknown size ---------------------------------------------

@app.post("/store")
async def store(image: UploadFile, size: int):
    await image.seek(0)
    body = image.file.read()  # error: ASR104
    chunk = image.file.read(CHUNK)  # error: ASR104 -- 1 MiB
    part = image.file.read(size)  # error: ASR104
    rest = image.file.read(-1)  # error: ASR104 -- -1 reads everything
    big = image.file.read(1024 * 1024)  # error: ASR104 -- above 64 KiB
    with open("/srv/upload.bin", "rb") as fh:  # error: ASR104
        fh.read(16)  # error: ASR104 -- a file on disk, not an upload
    return {"sizes": [len(body), len(chunk), len(part), len(rest), len(big)]}
