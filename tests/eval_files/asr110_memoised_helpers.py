"""ASR110 (and ASR1xx): run-once work is paid on the first call, not on every request.

`@lru_cache` / `@functools.cache` functions, `cached_property`, `if self._x is None:
self._x = load()` and module-level singleton guards are not reported; the same work
without the cache is.
"""
import functools
import hashlib
import json
import socket
import sqlite3
import threading
import time
from functools import cached_property, lru_cache

import requests
from fastapi import Depends, FastAPI

app = FastAPI()
_client = None
_engine = None
_lock = threading.Lock()


@lru_cache
def get_settings() -> dict:
    with open("settings.json") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return requests.get("https://schemas.example.com/v1", timeout=5).json()


@functools.cache
def region_names() -> list:
    return requests.get("https://regions.example.com", timeout=5).json()


def uncached_settings() -> dict:
    with open("settings.json") as fh:
        return json.load(fh)


def get_client():
    global _client
    if _client is None:
        _client = sqlite3.connect("app.db")
    return _client


def get_engine():
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = sqlite3.connect("engine.db")
    return _engine


def not_a_guard():
    client = None
    if client is None:
        client = sqlite3.connect("app.db")  # a local: made again on every call
    return client


class Store:
    def __init__(self):
        self._conn = None
        self._schema = None
        self._service = None
        self._socket = None

    def conn(self):
        if self._conn is not None:
            return self._conn
        self._conn = sqlite3.connect("store.db")
        return self._conn

    def schema(self):
        if not self._schema:
            self._schema = requests.get("https://schemas.example.com", timeout=5).json()
        return self._schema

    def count(self):
        return self.conn().execute("SELECT count(*) FROM t").fetchone()

    def service(self):
        service = self._service
        if service is None:
            service = requests.get("https://keys.example.com", timeout=5).json()
            self._service = service
        return service

    def not_kept(self):
        service = self._service
        if service is None:
            service = requests.get("https://keys.example.com", timeout=5).json()
        return service

    def publish(self, item: dict):
        if self._socket is None:
            self.connect()  # fills `self._socket`: connected once
        return item

    def connect(self):
        self._socket = socket.create_connection(("broker", 5555))
        time.sleep(0.1)  # lets the subscription propagate

    def publish_fresh(self, item: dict):
        if self._socket is None:
            self.reconnect()  # leaves `self._socket` empty: waits on every call
        return item

    def reconnect(self):
        socket.create_connection(("broker", 5555)).close()
        time.sleep(0.1)

    @cached_property
    def labels(self) -> list:
        with open("labels.txt") as fh:
            return fh.read().splitlines()


store = Store()


_clients: dict = {}
_schemas: dict = {}


def client_for(region: str) -> sqlite3.Connection:
    client = _clients.get(region)
    if client is None:
        client = sqlite3.connect(f"{region}.db")  # a module-level keyed cache
        _clients[region] = client
    return client


def schema_for(name: str) -> dict:
    if name not in _schemas:
        _schemas[name] = requests.get(f"https://schemas.example.com/{name}", timeout=5).json()
    return _schemas[name]


def schema_once(name: str) -> dict:
    if name in _schemas:
        return _schemas[name]
    schema = requests.get(f"https://schemas.example.com/{name}", timeout=5).json()
    _schemas[name] = schema
    return schema


def schema_never_kept(name: str) -> dict:
    if name not in _schemas:
        return requests.get(f"https://schemas.example.com/{name}", timeout=5).json()
    return _schemas[name]


class Repo:
    _pool: dict = {}

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path)

    @classmethod
    def from_path(cls, path: str) -> "Repo":
        repo = cls._pool.get(path)
        if repo is None:
            repo = Repo(path)  # a keyed cache: opened once per path
            cls._pool[path] = repo
        return repo

    @classmethod
    def peek(cls, path: str) -> "Repo":
        repo = cls._pool.get(path)
        if repo is None:
            repo = Repo(path)  # never stored in the pool: opened on every call
        return repo


@app.get("/settings")
async def settings(current: dict = Depends(get_settings)):
    await store_ready()
    return {"settings": get_settings(), "schema": load_schema(), "regions": region_names()}


@app.get("/uncached")
async def uncached():
    await store_ready()
    return uncached_settings()  # error: ASR110:12 "uncached_settings()"


@app.get("/clients")
async def clients():
    await store_ready()
    return [get_client(), get_engine(), store.conn(), store.schema(), store.labels]


@app.get("/count")
async def count():
    await store_ready()
    return store.count()  # error: ASR110:12 "store.count()" -- the query runs on every call, the connect once


@app.get("/local")
async def local():
    await store_ready()
    return not_a_guard()  # error: ASR110:12 "not_a_guard()"


@app.get("/service")
async def service():
    await store_ready()
    return store.service()  # a local copy of `self._service`, stored back: fetched once


@app.get("/service-not-kept")
async def service_not_kept():
    await store_ready()
    return store.not_kept()  # error: ASR110:12 "store.not_kept()" -- the value is never stored back


async def store_ready() -> None:
    global _client
    if _client is None:
        _client = sqlite3.connect("app.db")


@app.get("/config")
async def config():
    return get_settings()  # a cached accessor: cheap, so no ASR201 either


@lru_cache(maxsize=256)
def derive_key(secret: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, 100_000)


@lru_cache
def load_model(name: str) -> bytes:
    with open(f"models/{name}.bin", "rb") as fh:
        return fh.read()


@app.post("/encrypt")
async def encrypt(secret: str, salt: bytes):
    await store_ready()
    key = derive_key(secret, salt)  # error: ASR110:11 "derive_key()" -- keyed by request values: a miss per salt
    return load_model("default"), key  # constant arguments: a hit after the first call


@app.post("/publish")
async def publish(item: dict):
    await store_ready()
    store.publish(item)  # a method on the same self fills the slot: connected once
    return store.publish_fresh(item)  # error: ASR110:12 "store.publish_fresh()"


@app.get("/repo")
async def repo_info():
    await store_ready()
    Repo.from_path("runs.db")
    return Repo.peek("runs.db")  # error: ASR110:12 "Repo.peek()"


@app.get("/regions/{region}")
async def region_schema(region: str):
    await store_ready()
    client_for(region)
    schema_for(region)
    schema_once(region)
    return schema_never_kept(region)  # error: ASR110:12 "schema_never_kept()"
