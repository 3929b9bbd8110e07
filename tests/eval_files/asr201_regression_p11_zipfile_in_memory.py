# flake8-args: --extend-select=ASR203
# Regression from a real-app review (fixed): ASR104 (+ASR201, and ASR110 when inside a helper): zipfile.ZipFile over an
# io.BytesIO buffer never touches the file system.
import io
import zipfile

from fastapi import FastAPI
from fastapi.responses import Response

app = FastAPI()


@app.get("/export")
async def export_zip():  # error: ASR201:1 "GET /export" -- writestr compresses: CPU-heavy; no ASR104 for BytesIO
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "hello")
    return Response(buffer.getvalue(), media_type="application/zip")


def unpack(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.namelist()


@app.post("/import")
async def import_zip(data: bytes):  # error: ASR203:1 "POST /import" -- zf.namelist() is not proven cheap; no ASR104
    return {"names": unpack(data)}
