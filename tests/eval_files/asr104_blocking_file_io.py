"""ASR104: file-system I/O on the event loop; path arithmetic and async file APIs stay quiet."""
import asyncio
import io
import os
import shutil
import tempfile
from contextlib import asynccontextmanager
from os import listdir
from pathlib import Path
from shutil import copyfile as cp
from typing import Optional

import aiofiles
import anyio
from fastapi import APIRouter, BackgroundTasks, FastAPI, File, Request, UploadFile, WebSocket
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

BASE_DIR = Path(__file__).parent / "static"
UPLOADS = os.path.join("/srv", "uploads")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.banner = (Path(__file__).parent / "banner.txt").read_text()  # error: ASR111:24 "(Path(__file__).parent / 'banner.txt').r"
    yield


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/files")


class Buffer:
    def read(self) -> bytes:
        return b""


# --- bad: open() and the file objects it returns ---------------------------------------------

@app.get("/readme")
async def readme():
    with open("README.md") as fh:  # error: ASR104:10 "open()` (and 2 more file-system calls: lines 43, 44)"
        text = fh.read()  # folded: same handle
    licence = open("LICENSE").read()  # folded into line 42: open() -- one finding per chain
    await asyncio.sleep(0)
    return {"readme": text, "licence": licence}


@app.get("/changes")
async def changes():
    await asyncio.sleep(0)
    with io.open("CHANGES.md", encoding="utf-8") as stream:  # error: ASR104:10 "io.open()"
        return {"first": stream.readline()}  # folded: same handle


@router.post("/copy")
async def copy(src: str, dst: str):
    with open(src, "rb") as a, open(dst, "wb") as b:  # error: ASR104:10 "open()" -- the second open() folds in
        b.write(a.read())  # folded: same handle (the write and the read)
    await asyncio.sleep(0)
    return {"copied": dst}


# --- bad: pathlib ----------------------------------------------------------------------------

@router.get("/page/{name}")
async def page(name: str):  # error: ASR201:1 "GET /files/page/{name}" -- never awaits, and reads files
    template = (BASE_DIR / f"{name}.html").read_text()  # error: ASR104:16 "(BASE_DIR / f'{name}.html').read_text()"
    return {"html": template}


@router.get("/footer")
async def footer():  # error: ASR201:1 "GET /files/footer"
    return {"html": Path("templates/footer.html").read_text()}  # error: ASR104:21 "Path('templates/footer.html').read_text("


async def save_report(path: Path, body: bytes) -> list:
    path.parent.mkdir(parents=True, exist_ok=True)  # metadata only, like exists(): quiet
    path.write_bytes(body)  # error: ASR104:5 "path.write_bytes()` (and 3 more file-system calls: lines 80, 81, 82)"
    with path.open("a") as log:  # folded: same handle
        log.write("saved\n")  # folded: same handle
    return sorted(p.name for p in path.parent.iterdir())  # folded into line 79: path.parent.iterdir()


# --- bad: shutil, os, tempfile, upload.file --------------------------------------------------

@router.post("/upload")
async def upload(file: UploadFile = File(...)):
    target = os.path.join(UPLOADS, file.filename or "upload.bin")
    os.makedirs(UPLOADS, exist_ok=True)  # metadata only: quiet
    with open(target, "wb") as out:  # error: ASR104:10 "open()` (and 6 more file-system calls: lines 92, 93, 94, 95, 96, 98)"
        shutil.copyfileobj(file.file, out)  # folded into line 91: shutil.copyfileobj()
    head = file.file.read()  # folded into line 91: file.file.read() -- the sync file behind UploadFile, all of it
    shutil.copy(target, target + ".bak")  # folded into line 91: shutil.copy()
    shutil.move(target + ".bak", "/srv/archive")  # folded into line 91: shutil.move()
    os.remove(target)  # folded into line 91: os.remove()
    await file.close()
    return {"head": head.hex(), "files": os.listdir(UPLOADS)}  # folded into line 91: os.listdir()


@app.websocket("/tail")
async def tail(websocket: WebSocket):
    await websocket.accept()
    with tempfile.NamedTemporaryFile() as scratch:  # error: ASR104:10 "tempfile.NamedTemporaryFile()` (and 2 more file-system calls: lines 105, 106)"
        scratch.write(b"x")  # folded: same handle
    await websocket.send_text(Path("/var/log/app.log").read_text())  # folded into line 104: Path('/var/log/app.log').read_text()


class Exporter:
    async def export(self, rows: list, dest: Path) -> None:
        dest.write_text("\n".join(rows))  # error: ASR104:9 "dest.write_text()` (and 1 more file-system call: line 112)" -- an async method
        cp(dest, dest.with_suffix(".bak"))  # folded into line 111: cp()


async def write_audit(line: str) -> None:
    with open("audit.log", "a") as audit:  # error: ASR104:10 "open()" -- background task
        audit.write(line)  # folded: same handle


@app.post("/audit")
def audit_endpoint(line: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(write_audit, line)
    return {"queued": True}


@app.middleware("http")
async def access_log(request: Request, call_next):
    response = await call_next(request)
    if not listdir("/var/run/app"):  # error: ASR104:12 "listdir()` (and 1 more file-system call: line 130)"
        open("/var/run/app/first", "w").close()  # folded into line 129: open()
    return response


def make_exporter(root: Path):
    async def export_all() -> list:
        index = (root / "index.json").read_bytes()  # error: ASR104:17 "(root / 'index.json').read_bytes()` (and 1 more file-system call: line 137)" -- nested coroutine
        return [index, *sorted(root.iterdir())]  # folded into line 136: root.iterdir()
    return export_all


async def download_index():
    await asyncio.sleep(0)
    return {"index": (BASE_DIR / "index.json").read_bytes()}  # error: ASR104:22 "(BASE_DIR / 'index.json').read_bytes()"


app.add_api_route("/index", download_index)


# --- good ---------------------------------------------------------------------------------------

@app.get("/sync-readme")
def sync_readme():
    with open("README.md") as fh:
        return {"readme": fh.read(), "css": (BASE_DIR / "app.css").read_text()}


def load_config(path: Path) -> str:
    return path.read_text()


@router.get("/async-readme")
async def async_readme():
    async with aiofiles.open("README.md") as fh:
        text = await fh.read()
    data = await anyio.Path("LICENSE").read_text()
    return {"readme": text, "licence": data}


@router.post("/async-upload")
async def async_upload(file: UploadFile = File(...)):
    content = await file.read()
    await file.seek(0)
    target = Path(UPLOADS) / (file.filename or "upload.bin")
    async with aiofiles.open(target, "wb") as out:
        await out.write(content)
    buffer = io.BytesIO(content)
    buffer.write(b"!")
    return {"size": len(buffer.getvalue()), "suffix": target.suffix}


async def offloaded(path: Path) -> list:
    text = await asyncio.to_thread(path.read_text)
    config = await run_in_threadpool(load_config, path)
    loop = asyncio.get_running_loop()
    raw = await loop.run_in_executor(None, lambda: open(path, "rb").read())
    names = await anyio.to_thread.run_sync(os.listdir, "/srv")
    return [text, config, raw, names]


async def metadata_only(path: Path, name: Optional[str] = None) -> dict:
    joined = os.path.join(UPLOADS, name or "x")
    nested = BASE_DIR / "img" / "logo.png"
    return {
        "exists": path.exists(),
        "is_file": nested.is_file(),
        "size": path.stat().st_size,
        "joined": joined,
        "base": os.path.basename(joined),
        "bak": nested.with_suffix(".bak").name,
    }


async def look_alikes(buffer: Buffer) -> FileResponse:
    def open(key: str) -> dict:
        return {"key": key}
    open("config")  # a local function named `open`
    buffer.read()  # a local class's `.read`
    return FileResponse(BASE_DIR / "index.html")
