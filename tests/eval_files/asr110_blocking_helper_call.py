"""ASR110: sync helpers of the same module that block somewhere down their call chain."""
import asyncio
import functools
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import bcrypt
import requests
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

DB_PATH = "notes.db"
TEMPLATES = Path("templates")
RATES_URL = "https://rates.example.com/latest"

app = FastAPI()
router = APIRouter(prefix="/notes")


class Note(BaseModel):
    id: int
    body: str


# ----- helpers one, two and three calls above the blocking call -------------------------


def get_password_hash(password: str) -> bytes:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())


def create_user_record(email: str, password: str) -> dict:
    return {"email": email.lower(), "hashed": get_password_hash(password)}


def register(email: str, password: str) -> dict:
    record = create_user_record(email, password)
    record["registered_at"] = time.time()
    return record


def normalize_email(email: str) -> str:
    return email.strip().lower()


def greeting(name: str) -> str:
    return f"Hello, {normalize_email(name).title()}"


@app.post("/signup")
async def signup(request: Request):
    form = await request.json()
    hashed = get_password_hash(form["password"])  # error: ASR110:14 "get_password_hash()" -- one hop
    record = create_user_record(form["email"], form["password"])  # folded: the same bcrypt call
    return {"hashed": hashed, "record": record, "hi": greeting(form["email"])}


@app.post("/signup/record")
async def signup_record(request: Request):
    form = await request.json()
    return create_user_record(form["email"], form["password"])  # error: ASR110:12 "create_user_record()" -- two hops


@app.post("/signup/full")
async def signup_full(request: Request):
    form = await request.json()
    return register(form["email"], form["password"])  # error: ASR110:12 "register()" -- three hops


# ----- sqlite3 through a @contextmanager -------------------------------------------------


@contextmanager
def connect():
    conn = sqlite3.connect(DB_PATH)
    try:
        yield conn
    finally:
        conn.close()


def count_notes() -> int:
    with connect() as conn:
        return conn.execute("SELECT count(*) FROM notes").fetchone()[0]


@router.get("/count")
async def notes_count(request: Request):
    await request.body()
    return {"count": count_notes()}  # error: ASR110:22 "count_notes()" -- `with connect()` inside the helper


@router.get("/raw")
async def notes_raw(request: Request):
    await request.body()
    with connect() as conn:  # error: ASR110:10 "connect()" -- entering the context manager connects
        rows = conn.execute("SELECT id, body FROM notes").fetchall()  # error: ASR103:16 "conn.execute()"
    return rows


# ----- methods: self, classmethods, staticmethods, singletons, inheritance ---------------


class NotesTable:
    def insert(self, body: str) -> int:
        return self._write("INSERT INTO notes (body) VALUES (?)", (body,))

    def _write(self, sql: str, params: tuple) -> int:
        with connect() as conn:
            cursor = conn.execute(sql, params)
            conn.commit()
            return cursor.lastrowid

    def all(self) -> list:
        with connect() as conn:
            return [Note(id=r[0], body=r[1]) for r in conn.execute("SELECT * FROM notes")]

    def preview(self, note: Note) -> str:
        return note.body[:40]


Notes = NotesTable()


@router.post("/")
async def create_note(request: Request):
    body = await request.json()
    note_id = Notes.insert(body["text"])  # error: ASR110:15 "Notes.insert()" -- singleton, self._write two hops down
    return {"id": note_id, "preview": Notes.preview(Note(id=note_id, body=body["text"]))}


@router.get("/")
async def list_notes(request: Request, repo: NotesTable = Depends(NotesTable)):
    await request.body()
    return repo.all()  # error: ASR110:12 "repo.all()" -- instance typed by its annotation


class Settings:
    cache: Optional[dict] = None

    @classmethod
    def load(cls) -> dict:
        return cls._parse(cls._read())

    @classmethod
    def _read(cls) -> str:
        return (TEMPLATES / "settings.ini").read_text()

    @staticmethod
    def _parse(text: str) -> dict:
        return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)

    @staticmethod
    def backup() -> None:
        os.replace("settings.ini", "settings.ini.bak")


@app.get("/settings")
async def settings(request: Request):
    await request.body()
    loaded = Settings.load()  # error: ASR110:14 "(and 1 more file-system call: line 168)" -- classmethod → cls._read()
    Settings.backup()  # folded into line 167: Settings.backup() -- staticmethod
    parsed = Settings._parse("a=1")
    return {"loaded": loaded, "parsed": parsed}


class BaseRenderer:
    def _template(self, name: str) -> str:
        with open(TEMPLATES / name) as fh:
            return fh.read()


class ReportRenderer(BaseRenderer):
    def __init__(self, title: str):
        self.title = title

    def render(self) -> str:
        return self._body().replace("{title}", self.title)

    def _body(self) -> str:
        return self._template("report.html")


class Hasher:
    def __call__(self, password: str) -> bytes:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt())


hasher = Hasher()


@app.get("/report")
async def report(request: Request):
    await request.body()
    renderer = ReportRenderer("Weekly")
    html = renderer.render()  # error: ASR110:12 "renderer.render()" -- self._body() → inherited self._template()
    return {"html": html, "hashed": hasher("x")}  # error: ASR110:37 "hasher()" -- instance `__call__`


# ----- lambdas and nested functions ------------------------------------------------------

fetch_rates = lambda: requests.get(RATES_URL, timeout=5).json()  # noqa: E731
double = lambda value: value * 2  # noqa: E731


@app.get("/rates")
async def rates(request: Request):
    await request.body()
    current = fetch_rates()  # error: ASR110:15 "fetch_rates()" -- lambda bound to a name
    (lambda: time.sleep(0.1))()  # error: ASR110:5 "time.sleep(0.1)()" -- lambda called where it is written
    return {"rates": current, "twice": double(2)}


@app.get("/export/{name}")
async def export(name: str, request: Request):
    await request.body()

    def render() -> str:
        return Path(name).read_text()

    def title() -> str:
        return name.upper()

    def offloaded() -> bytes:
        return Path(name).read_bytes()

    text = render()  # error: ASR110:12 "render()" -- nested def called synchronously
    data = await asyncio.to_thread(offloaded)
    return {"text": text, "title": title(), "size": len(data)}


def make_job(seconds: float):
    async def job() -> None:
        time.sleep(seconds)  # error: ASR101:9 "time.sleep()" -- the nested coroutine blocks when it runs

    return job


@app.post("/jobs")
async def schedule(request: Request):
    await request.body()
    asyncio.create_task(make_job(1.0)())
    return {"scheduled": True}


# ----- thread offloads: the helper never runs on the loop --------------------------------


def resize_image(path: str, width: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()[:width]


def hash_many(passwords: list) -> list:
    return [get_password_hash(p) for p in passwords]


@app.post("/images/{path}")
async def resize(path: str, request: Request):
    await request.body()
    small = await asyncio.to_thread(resize_image, path, 128)
    medium = await run_in_threadpool(resize_image, path, 512)
    loop = asyncio.get_running_loop()
    large = await loop.run_in_executor(None, functools.partial(resize_image, path, 1024))
    hashes = await asyncio.to_thread(lambda: hash_many(["a", "b"]))
    return {"sizes": [len(small), len(medium), len(large)], "hashes": hashes}


# ----- recursion and cycles --------------------------------------------------------------


def depth(tree: dict) -> int:
    return 1 + max((depth(child) for child in tree.get("children", [])), default=0)


def is_even(n: int) -> bool:
    return n == 0 or is_odd(n - 1)


def is_odd(n: int) -> bool:
    return n != 0 and is_even(n - 1)


def disk_usage(path: str) -> int:
    total = 0
    for entry in os.scandir(path):
        total += disk_usage(entry.path) if entry.is_dir() else entry.stat().st_size
    return total


@app.get("/tree")
async def tree(request: Request):
    body = await request.json()
    return {"depth": depth(body), "even": is_even(len(body)), "odd": is_odd(3)}


@app.get("/usage")
async def usage(request: Request):
    await request.body()
    return {"bytes": disk_usage("/srv/data")}  # error: ASR110:22 "disk_usage()" -- recursive helper that blocks


THREADS: dict = {}


def export_thread(thread_id: str) -> None:
    for reply_id in reply_ids(thread_id):
        THREADS.setdefault("exported", []).append(reply_id)
    write_export(thread_id)


def reply_ids(thread_id: str) -> list:
    ids = []
    for reply in THREADS.get(thread_id, []):
        if reply.get("has_replies"):
            export_thread(reply["id"])
        ids.append(reply["id"])
    return ids


def write_export(thread_id: str) -> None:
    Path(f"exports/{thread_id}.json").write_text(thread_id)


@app.post("/threads/{thread_id}/export")
async def export_whole_thread(thread_id: str, request: Request):
    await request.body()
    export_thread(thread_id)  # error: ASR110:5 "export_thread()"
    return {"ok": True}


@app.get("/threads/{thread_id}/replies")
async def thread_replies(thread_id: str, request: Request):
    await request.body()
    return reply_ids(thread_id)  # error: ASR110:12 "reply_ids()" -- reply_ids → export_thread → write_export


# ----- generators: calling one runs none of its body -------------------------------------


def iter_notes():
    conn = sqlite3.connect(DB_PATH)
    yield from conn.execute("SELECT body FROM notes")


@router.get("/stream")
async def stream_notes(request: Request):
    await request.body()
    return StreamingResponse(iter_notes(), media_type="text/plain")


@router.get("/first")
async def first_notes(request: Request):
    await request.body()
    out = []
    for body in iter_notes():  # error: ASR110:17 "iter_notes()" -- iterated on the loop
        out.append(body)
    return out


# ----- async helpers and sync routes -----------------------------------------------------


async def load_template(name: str) -> str:
    return BaseRenderer()._template(name)  # error: ASR110:12 "BaseRenderer()._template()" -- reported in the coroutine helper


@app.get("/page/{name}")
async def page(name: str):
    return {"html": await load_template(name)}


@app.post("/signup/sync")
def signup_sync(email: str, password: str):
    return {"record": register(email, password), "count": count_notes(), "rates": fetch_rates()}


app.include_router(router)
