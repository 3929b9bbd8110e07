"""ASR103: sync database and cache drivers, their connections and cursors, in coroutines."""
import asyncio
import sqlite3
from contextlib import asynccontextmanager
from typing import AsyncIterator

import aiosqlite
import cx_Oracle
import MySQLdb
import mysql.connector
import oracledb
import psycopg
import psycopg2
import psycopg2.pool
import pymysql
import redis
import redis.asyncio as aioredis
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from pymongo import MongoClient

DSN = "postgresql://app:app@localhost/app"
shared_db = sqlite3.connect("app.db", check_same_thread=False)  # module level: not a coroutine
cache = redis.Redis(host="localhost", port=6379)
async_cache = aioredis.Redis(host="localhost", port=6379)
mongo = MongoClient("mongodb://localhost:27017")
pg_pool = psycopg2.pool.SimpleConnectionPool(1, 5, DSN)


@asynccontextmanager
async def lifespan(app: FastAPI):
    sessions = redis.Redis.from_url("redis://localhost/1")  # builds a client, no I/O yet
    sessions.flushdb()  # error: ASR111:5 "sessions.flushdb()"
    app.state.sessions = sessions
    yield
    await async_cache.aclose()


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/data")


class FakeDB:
    def execute(self, sql: str) -> list:
        return []


# --- bad: sqlite3 connection and cursor ----------------------------------------------------

@app.get("/users")
async def list_users():
    conn = sqlite3.connect("app.db")  # error: ASR103:12 "sqlite3.connect()"
    rows = conn.execute("SELECT id, name FROM users").fetchall()  # folded: same handle (one per chain)
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM users")  # folded: same handle
    shared_db.execute("UPDATE stats SET reads = reads + 1")  # error: ASR103:5 "shared_db.execute()" -- module-level conn
    total = cur.fetchone()  # folded: same handle
    await asyncio.sleep(0)
    return {"rows": rows, "total": total}


async def get_conn() -> AsyncIterator[sqlite3.Connection]:  # error: ASR201:1 "get_conn" -- never awaits
    conn = sqlite3.connect("app.db")  # error: ASR103:12 "sqlite3.connect()" -- async generator dependency
    try:
        yield conn
    finally:
        conn.close()


@router.post("/users")
async def create_user(name: str, conn: sqlite3.Connection = Depends(get_conn)):
    conn.execute("INSERT INTO users (name) VALUES (?)", (name,))  # error: ASR103:5 "conn.execute()"
    conn.commit()  # folded: same handle
    await asyncio.sleep(0)
    return {"name": name}


# --- bad: other SQL drivers -----------------------------------------------------------------

@router.get("/report")
async def report():
    pg = psycopg2.connect(DSN)  # error: ASR103:10 "psycopg2.connect()"
    with pg.cursor() as cur:
        cur.execute("SELECT 1")  # folded: same handle
    pg.commit()  # folded: same handle
    with psycopg.connect(DSN) as conn3:  # error: ASR103:10 "psycopg.connect()"
        conn3.execute("SELECT 1")  # folded: same handle
    pymysql.connect(host="db", user="app")  # error: ASR103:5 "pymysql.connect()"
    MySQLdb.connect(host="db", user="app")  # error: ASR103:5 "MySQLdb.connect()"
    mysql.connector.connect(host="db", user="app")  # error: ASR103:5 "mysql.connector.connect()"
    oracledb.connect(user="app", dsn="db/orcl")  # error: ASR103:5 "oracledb.connect()"
    cx_Oracle.connect("app/app@db/orcl")  # error: ASR103:5 "cx_Oracle.connect()"
    pooled = pg_pool.getconn()  # error: ASR103:14 "pg_pool.getconn()"
    pooled.cursor().execute("SELECT 2")  # folded: same handle
    await asyncio.sleep(0)
    return {"ok": True}


# --- bad: cache and document stores --------------------------------------------------------

@router.get("/cache/{key}")
async def read_cache(key: str):  # error: ASR201:1 "GET /data/cache/{key}" -- never awaits, and blocks
    value = cache.get(key)  # error: ASR103:13 "cache.get()"
    cache.set(key, "seen", ex=60)  # folded: same handle
    pipe = cache.pipeline()
    pipe.incr("hits")
    pipe.execute()  # folded: same handle
    redis.from_url("redis://localhost").ping()  # error: ASR103:5 "redis.from_url('redis://localhost').ping"
    return {"value": value}


class OrderRepository:
    async def find(self, order_id: int) -> dict:
        orders = mongo["shop"]["orders"]
        orders.insert_one({"seen": order_id})  # error: ASR103:9 "orders.insert_one()"
        mongo.shop.audit.count_documents({})  # error: ASR103:9 "mongo.shop.audit.count_documents()"
        return mongo["shop"]["orders"].find_one({"_id": order_id})  # error: ASR103:16 "mongo['shop']['orders'].find_one()"


@app.websocket("/live")
async def live(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_json({"visits": cache.incr("visits")})  # error: ASR103:42 "cache.incr()"


@app.middleware("http")
async def count_requests(request: Request, call_next):
    cache.incr(f"hits:{request.url.path}")  # error: ASR103:5 "cache.incr()"
    return await call_next(request)


async def archive_order(order_id: int) -> None:
    mongo.shop.archive.insert_one({"_id": order_id})  # error: ASR103:5 "mongo.shop.archive.insert_one()" -- background task


@router.delete("/orders/{order_id}")
def delete_order(order_id: int, background_tasks: BackgroundTasks):
    background_tasks.add_task(archive_order, order_id)
    return {"archived": order_id}


def make_counter(table: str):
    async def count_rows():
        await asyncio.sleep(0)
        return shared_db.execute(f"SELECT count(*) FROM {table}").fetchone()  # error: ASR103:16 "shared_db.execute()"
    return count_rows


app.add_api_route("/count/users", make_counter("users"))


# --- good ---------------------------------------------------------------------------------

@app.get("/sync-users")
def sync_users():
    conn = sqlite3.connect("app.db")
    cache.incr("sync-hits")
    return conn.execute("SELECT * FROM users").fetchall()


def run_query(sql: str) -> list:
    with sqlite3.connect("app.db") as conn:
        return conn.execute(sql).fetchall()


@router.get("/async-users")
async def async_users():
    async with aiosqlite.connect("app.db") as db:
        cursor = await db.execute("SELECT * FROM users")
        rows = await cursor.fetchall()
    hits = await async_cache.incr("hits")
    await async_cache.set("last", "users")
    return {"rows": rows, "hits": hits}


async def offloaded(sql: str) -> list:
    first = await asyncio.to_thread(run_query, sql)
    second = await run_in_threadpool(lambda: shared_db.execute(sql).fetchall())
    loop = asyncio.get_running_loop()
    third = await loop.run_in_executor(None, cache.get, "key")
    return [first, second, third]


async def look_alikes(db: FakeDB, settings: dict) -> list:
    orders = mongo["shop"]["orders"].find({"open": True})  # a lazy cursor, no round trip yet
    pipe = cache.pipeline()  # no I/O until execute()
    db.execute("SELECT 1")  # a local class, not a driver
    return [settings.get("dsn"), orders, pipe]
