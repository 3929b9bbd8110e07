"""One finding per root cause per coroutine, at the line to change: calls on one handle, of
one helper or of one sync layer, and file-system work (direct calls and helper chains),
fold into the first (past a single metadata syscall), whose message counts the others
("and N more calls") and lists the lines of other kinds of call."""
import asyncio
import os
import sqlite3
import time

import psycopg2
import requests
from fastapi import FastAPI

app = FastAPI()
jobs_db = sqlite3.connect("jobs.db")


def load_rows(name: str) -> list:
    with open(f"data/{name}.csv") as fh:
        return fh.readlines()


def load_config() -> str:
    with open("config.toml") as fh:
        return fh.read()


def trace(event: str) -> None:
    with open("trace.log", "a") as fh:
        fh.write(event)


def ask_openai(prompt: str) -> str:
    trace(prompt)
    return prompt.upper()


def ask_anthropic(prompt: str) -> str:
    trace(prompt)
    return prompt.lower()


class Reports:
    def __init__(self):
        self.session = requests.Session()

    async def refresh(self):
        await asyncio.sleep(0)
        self.session.get("https://example.com/a", timeout=5)  # error: ASR102:9 "self.session.get()"
        self.session.get("https://example.com/b", timeout=5)  # folded: same `self.session`


@app.post("/export")
async def export(rows: list):
    await asyncio.sleep(0)
    fh = open("export.csv", "w")  # error: ASR104:10 "open()` (and 7 more file-system calls: lines 57, 59, 60, 61, 62, 64, …)" -- the later calls on `fh` and on `other`
    fh.write("id,name\n")
    for row in rows:
        fh.write(f"{row[0]},")
        fh.write(f"{row[1]}\n")
    fh.write("# end\n")
    fh.flush()
    fh.close()
    other = open("summary.txt", "w")  # folded into line 56: another file, but file-system work moves off the loop as one block
    other.write(str(len(rows)))
    return {"rows": len(rows)}


@app.get("/pair")
async def pair():
    await asyncio.sleep(0)
    with open("a.txt") as fh:  # error: ASR104:10 "open()` (and 3 more file-system calls: lines 73, 74, 75)"
        first = fh.read()
    with open("b.txt") as fh:  # folded into line 72: another file, the same kind of work
        second = fh.read()
    return {"a": first, "b": second}


@app.get("/orders")
async def orders():
    await asyncio.sleep(0)
    conn = psycopg2.connect("dbname=shop")  # error: ASR103:12 "psycopg2.connect()" -- connect, cursor, execute, fetchall
    cur = conn.cursor()
    cur.execute("SELECT * FROM orders")
    return cur.fetchall()


@app.get("/jobs")
async def jobs():
    await asyncio.sleep(0)
    pending = jobs_db.execute("SELECT * FROM jobs WHERE done = 0").fetchall()  # error: ASR103:15 "jobs_db.execute()"
    jobs_db.execute("UPDATE jobs SET seen = 1")  # folded: the module's one connection
    return pending


@app.get("/dashboard")
async def dashboard():
    await asyncio.sleep(0)
    users = load_rows("users")  # error: ASR110:13 "(and 3 more file-system calls: lines 100, 101, 102)" -- one helper chain from three call sites
    teams = load_rows("teams")
    roles = load_rows("roles")
    config = load_config()  # folded into line 99: another helper reaching file-system work in this module
    return {"counts": [len(users), len(teams), len(roles)], "config": config}


@app.post("/ask")
async def ask(prompt: str, provider: str):
    await asyncio.sleep(0)
    if provider == "openai":
        return ask_openai(prompt)  # error: ASR110:16 "ask_openai()" -- both chains end at trace()'s open()
    return ask_anthropic(prompt)  # folded: the same blocking call down the chain


@app.get("/throttled")
async def throttled():
    await asyncio.sleep(0)
    time.sleep(0.1)  # error: ASR101:5 "time.sleep()" -- module functions call no handle: one finding each
    time.sleep(0.1)  # error: ASR101:5 "time.sleep()"
    return {}


@app.get("/readme")
async def readme():  # error: ASR201:1 "GET /readme" -- the def line says why; the call says how to fix
    with open("README.md") as fh:  # error: ASR104:10 "open()" -- the message says declaring it `def` fixes it
        return {"text": fh.read()}


class AuthStore:
    """A sync layer: every method runs its own sqlite query."""

    def __init__(self) -> None:
        self.conn = sqlite3.connect("auth.db", check_same_thread=False)

    def get_user(self, user_id: int):
        return self.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()

    def list_keys(self, user_id: int):
        return self.conn.execute("SELECT * FROM keys WHERE user = ?", (user_id,)).fetchall()


class Auth:
    def __init__(self) -> None:
        self.db = AuthStore()


auth = Auth()


@app.get("/users/{user_id}/keys")
async def user_keys(user_id: int):
    await asyncio.sleep(0)
    user = auth.db.get_user(user_id)  # error: ASR110:12 "auth.db.get_user()" -- one sync layer: the query below folds in
    keys = auth.db.list_keys(user_id)  # one finding with the line above: the same `auth.db`
    return {"user": user, "keys": keys}


class Exporter:
    def read_template(self) -> str:
        with open("template.txt") as fh:
            return fh.read()

    def count_jobs(self) -> int:
        return jobs_db.execute("SELECT count(*) FROM jobs").fetchone()[0]

    async def export(self) -> dict:
        await asyncio.sleep(0)
        template = self.read_template()  # error: ASR110:20 "self.read_template()" -- `self` is no layer: a file ...
        jobs = self.count_jobs()  # error: ASR110:16 "self.count_jobs()" -- ... and a query, two causes
        return {"template": template, "jobs": jobs}


@app.get("/proc")
async def proc_stats():
    await asyncio.sleep(0)
    with open("/proc/self/status") as fh:  # noqa: ASR104 -- accepted here, it speaks for no other call
        status = fh.read()  # the same handle: accepted with it
    with open("stats.json") as stats:  # error: ASR104:10 "open()` (and 1 more call on `stats`)" -- its own finding
        return {"status": status, "stats": stats.read()}

import docker  # noqa: E402


class Sandboxes:
    def __init__(self) -> None:
        self.docker = docker.from_env()

    async def delete(self, name: str) -> None:
        await asyncio.sleep(0)
        self.docker.containers.get(name).remove()  # error: ASR102:9 "(and 1 more call on `self.docker.volumes`)" -- one client's managers: one handle
        self.docker.volumes.get(name).remove()  # folded into line above: the same `self.docker`


@app.post("/reload")
async def reload(name: str):
    await asyncio.sleep(0)
    os.remove(f"cache/{name}.csv")  # a single syscall: folded into the work after it
    rows = load_rows(name)  # error: ASR110:12 "(and 3 more file-system calls: lines 196, 198, 199)" -- helpers and direct calls: one block of file-system work
    with open(f"cache/{name}.csv", "w") as fh:
        fh.writelines(rows)
    return {"rows": len(rows)}
