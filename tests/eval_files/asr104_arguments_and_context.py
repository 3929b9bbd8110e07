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


async def refresh() -> None:
    ...


@app.post("/shutdown")
async def shutdown_workers():
    await refresh()
    executor.shutdown(wait=False)
    executor.shutdown(False)
    executor.shutdown()  # error: ASR107 -- waits for every running job


@app.get("/next-job")
async def next_job():
    await refresh()
    first = jobs.get(block=False)
    second = jobs.get_nowait()
    third = jobs.get()  # error: ASR107
    return first, second, third


@app.get("/stats")
async def stats():
    await refresh()
    with open("/proc/self/stat") as stat_file:
        stat = stat_file.read()
    meminfo = open("/proc/meminfo")
    memory = meminfo.read()
    uptime = open("/proc/uptime").read()
    with open("/etc/hostname") as host_file:  # error: ASR104
        host = host_file.read()  # error: ASR104
    return stat, memory, uptime, host


@app.post("/archive")
async def archive(data: bytes):
    await refresh()
    with zipfile.ZipFile(NamedUploadBuffer(data)) as in_memory:
        names = in_memory.namelist()
    with zipfile.ZipFile("archive.zip") as on_disk:  # error: ASR104
        names += on_disk.namelist()
    return names


@app.post("/scratch")
async def scratch():
    await refresh()
    handle, path = tempfile.mkstemp()  # error: ASR104 -- hint: only `asyncio.to_thread`
    descriptor = os.open(path, os.O_RDONLY)  # error: ASR104
    return handle, descriptor


@app.get("/rows")
async def rows():
    await refresh()
    conn = psycopg2.connect("dbname=app")  # error: ASR103
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM items")  # error: ASR103 -- the query runs here
    every = cursor.fetchall()
    one = cursor.fetchone()
    server_side = conn.cursor("big_export")
    server_side.execute("SELECT * FROM events")  # error: ASR103
    streamed = server_side.fetchmany(1000)  # error: ASR103 -- a named cursor fetches from the server
    return every, one, streamed


@app.get("/mysql-rows")
async def mysql_rows():
    await refresh()
    conn = pymysql.connect(host="db")  # error: ASR103
    cursor = conn.cursor()
    cursor.execute("SELECT 1")  # error: ASR103
    return cursor.fetchall()


@app.get("/sqlite-rows")
async def sqlite_rows():
    await refresh()
    cursor = sqlite3.connect("app.db").cursor()  # error: ASR103
    cursor.execute("SELECT 1")  # error: ASR103
    return cursor.fetchall()  # error: ASR103 -- sqlite3 steps the statement as it fetches


def remove_if_present(path):
    if not os.path.exists(path):
        return
    os.remove(path)


@app.delete("/files/{name}")
async def delete_file(name: str):
    await refresh()
    path = f"/data/{name}"
    os.remove(path)  # error: ASR104
    remove_if_present(path)  # returns at its exists() check: the file was just deleted
    remove_if_present(name)  # error: ASR110 -- another file
