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
    body = image.file.read()  # error: ASR104:12 "image.file.read()` (and 6 more file-system calls: lines 30, 31, 32, 33, 34, 35)"
    chunk = image.file.read(CHUNK)  # folded into line 29, the same `image.file`: 1 MiB
    part = image.file.read(size)  # folded into line 29: an unknown size
    rest = image.file.read(-1)  # folded into line 29: -1 reads everything
    big = image.file.read(1024 * 1024)  # folded into line 29: above 64 KiB
    with open("/srv/upload.bin", "rb") as fh:  # folded into line 29: open()
        fh.read(16)  # folded into line 34, the same handle: a file on disk, not an upload
    return {"sizes": [len(body), len(chunk), len(part), len(rest), len(big)]}
