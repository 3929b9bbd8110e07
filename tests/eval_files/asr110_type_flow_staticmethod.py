"""ASR110: a staticmethod's first parameter is an ordinary argument, not `self`: its
methods are those of whatever is passed, not the class's own."""
import asyncio
import sqlite3
from typing import Optional

from fastapi import FastAPI

app = FastAPI()


class UserDirectory:
    def __init__(self, path: str):
        self.path = path

    def get(self, user_id: str) -> Optional[tuple]:
        return sqlite3.connect(self.path).execute("SELECT 1 WHERE ?", (user_id,)).fetchone()

    @staticmethod
    def summary(row: dict) -> str:
        return row.get("email") or row["id"]  # a dict's get, not UserDirectory.get

    def looked_up(self, user_id: str) -> str:
        return str(self.get(user_id))


@app.get("/users/{user_id}/summary")
async def summary(user_id: str):
    await asyncio.sleep(0)
    return UserDirectory("users.db").summary({"id": user_id})


@app.get("/users/{user_id}")
async def user(user_id: str):
    await asyncio.sleep(0)
    return UserDirectory("users.db").looked_up(user_id)  # error: ASR110:12 "looked_up()"
