"""Calls through an abstract base class or a Protocol follow the project's implementations:
the concrete class is chosen at startup, so the call blocks when an implementation blocks."""
import sqlite3
import time
from abc import ABC, abstractmethod
from typing import Protocol

import requests
from fastapi import FastAPI

app = FastAPI()


class DBInterface(ABC):
    @abstractmethod
    def get_user(self, user_id: int):
        """Fetch one user."""

    @abstractmethod
    def count(self) -> int: ...


class SQLDB(DBInterface):
    def __init__(self, path: str):
        self.conn = sqlite3.connect(path, check_same_thread=False)

    def get_user(self, user_id: int):
        return self.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()

    def count(self) -> int:
        return 0


class MemoryDB(DBInterface):
    def __init__(self):
        self.users: dict = {}

    def get_user(self, user_id: int):
        return self.users.get(user_id)

    def count(self) -> int:
        return len(self.users)


_db: DBInterface = None


def initialize_db():
    global _db
    _db = SQLDB("app.db")


def get_db() -> DBInterface:
    return _db


@app.get("/users/{user_id}")
async def read_user(user_id: int):  # error: ASR201:1 "GET /users/{user_id}"
    user = get_db().get_user(user_id)  # error: ASR110:12 "get_db().get_user()"
    return {"user": user, "count": get_db().count()}  # no implementation of count blocks


class Notifier(Protocol):
    def notify(self, text: str) -> None: ...


class SlackNotifier:
    def notify(self, text: str) -> None:
        requests.post("https://hooks.slack.example/x", json={"text": text}, timeout=5)


class AsyncOnlyInterface(ABC):
    @abstractmethod
    def ping(self): ...


class Pinger(AsyncOnlyInterface):
    def ping(self):
        return "pong"


class Sleeper:
    def wait(self):
        raise NotImplementedError


class RealSleeper(Sleeper):
    def wait(self):
        time.sleep(1)


class Sink(Protocol):
    def write(self, data: bytes) -> None: ...


class FileLog:
    """Not a `Sink`: its `write` takes other arguments."""

    def write(self, path: str, data: bytes) -> None:
        with open(path, "ab") as handle:
            handle.write(data)


@app.post("/sink")
async def to_sink(sink: Sink):
    sink.write(b"data")
    await sink.flush()


def pick(notifier: Notifier, pinger: AsyncOnlyInterface, sleeper: Sleeper):
    return notifier, pinger, sleeper


@app.post("/notify")
async def notify(notifier: Notifier, pinger: AsyncOnlyInterface, sleeper: Sleeper):  # error: ASR201:1 "POST /notify"
    notifier.notify("hello")  # error: ASR110:5 "notifier.notify()"
    sleeper.wait()  # error: ASR110:5 "sleeper.wait()"
    return {"ping": pinger.ping()}  # the only implementation is cheap
