"""ASR104 and its neighbours: the arguments and context of a call decide whether it blocks.

Quiet: `shutdown(wait=False)`, `get(block=False)` / `get_nowait()`, reads on a handle whose
`open()` is of a virtual file, archives over an in-memory buffer class, and the fetches of
a buffered (client-side) psycopg2/PyMySQL cursor after its `execute`, which is reported.
"""
import io
import os
import queue
import sqlite3
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pymysql
from fastapi import FastAPI

app = FastAPI()
executor = ThreadPoolExecutor(max_workers=2)
jobs: queue.Queue = queue.Queue()


class UploadBuffer(io.BytesIO):
    """An in-memory buffer with a name."""


class NamedUploadBuffer(UploadBuffer):
    name = "upload.zip"


class StreamingBuffer(io.RawIOBase):
    """What zipfile writes is kept in memory and drained by the caller."""

    def __init__(self) -> None:
        self.chunks: list = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)


class SpoolingBuffer(io.RawIOBase):
    """A file object of its own that spools to disk when it is closed."""

    def __init__(self) -> None:
        self.chunks: list = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def close(self) -> None:
        with open("/tmp/spool.bin", "ab") as fh:
            fh.write(b"".join(self.chunks))


async def refresh() -> None:
    ...


@app.post("/shutdown")
async def shutdown_workers():
    await refresh()
    executor.shutdown(wait=False)
    executor.shutdown(False)
    executor.shutdown()  # error: ASR107:5 "executor.shutdown()" -- waits for every running job


@app.get("/next-job")
async def next_job():
    await refresh()
    first = jobs.get(block=False)
    second = jobs.get_nowait()
    third = jobs.get()  # error: ASR107:13 "jobs.get()"
    return first, second, third


@app.get("/stats")
async def stats():
    await refresh()
    with open("/proc/self/stat") as stat_file:
        stat = stat_file.read()
    meminfo = open("/proc/meminfo")
    memory = meminfo.read()
    uptime = open("/proc/uptime").read()
    with open("/etc/hostname") as host_file:  # error: ASR104:10 "open()"
        host = host_file.read()  # folded into the connect/open above (one handle)
    return stat, memory, uptime, host


@app.post("/archive")
async def archive(data: bytes):
    await refresh()
    with zipfile.ZipFile(NamedUploadBuffer(data)) as in_memory:
        names = in_memory.namelist()
    with zipfile.ZipFile("archive.zip") as on_disk:  # error: ASR104:10 "zipfile.ZipFile()"
        names += on_disk.namelist()
    return names


@app.post("/scratch")
async def scratch():
    await refresh()
    handle, path = tempfile.mkstemp()  # error: ASR104:20 "tempfile.mkstemp()` (and 1 more file-system call: line 106)" -- hint: only `asyncio.to_thread`
    descriptor = os.open(path, os.O_RDONLY)  # folded into line 105: os.open()
    return handle, descriptor


@app.get("/rows")
async def rows():
    await refresh()
    conn = psycopg2.connect("dbname=app")  # error: ASR103:12 "psycopg2.connect()"
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM items")  # folded into the connect/open above (one handle); the query runs here
    every = cursor.fetchall()
    one = cursor.fetchone()
    server_side = conn.cursor("big_export")
    server_side.execute("SELECT * FROM events")  # folded into the connect/open above (one handle)
    streamed = server_side.fetchmany(1000)  # folded into the connect/open above (one handle); a named cursor fetches from the server
    return every, one, streamed


@app.get("/mysql-rows")
async def mysql_rows():
    await refresh()
    conn = pymysql.connect(host="db")  # error: ASR103:12 "pymysql.connect()"
    cursor = conn.cursor()
    cursor.execute("SELECT 1")  # folded into the connect/open above (one handle)
    return cursor.fetchall()


@app.get("/sqlite-rows")
async def sqlite_rows():
    await refresh()
    cursor = sqlite3.connect("app.db").cursor()  # error: ASR103:14 "sqlite3.connect()"
    cursor.execute("SELECT 1")  # folded into the connect/open above (one handle)
    return cursor.fetchall()  # folded into the connect/open above (one handle); sqlite3 steps the statement as it fetches


def remove_if_present(path):
    if not os.path.exists(path):
        return
    os.remove(path)


@app.delete("/files/{name}")
async def delete_file(name: str):
    await refresh()
    path = f"/data/{name}"
    os.remove(path)  # a single syscall: folded into line 153, more file-system work
    remove_if_present(path)  # returns at its exists() check: the file was just deleted
    remove_if_present(name)  # error: ASR110:5 "remove_if_present()` → `os.remove()` (asr104_arguments_and_context.py:144) (and 1 more file-system call: line 151)" -- another file


@app.get("/stream-zip")
async def stream_zip():
    await refresh()
    with zipfile.ZipFile(StreamingBuffer(), "w") as in_memory:  # a buffer class of the project: memory
        in_memory.writestr("a.txt", "a")
    with zipfile.ZipFile(SpoolingBuffer(), "w") as spooled:  # error: ASR104:10 "zipfile.ZipFile()" -- its close() opens a file
        spooled.writestr("b.txt", "b")
