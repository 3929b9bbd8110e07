"""Calls taken from a list written out, or through `getattr` with a constant name, are
followed; a name computed at run time or a registry lookup proves nothing."""
import asyncio
import sqlite3
import time

import requests
from fastapi import FastAPI

app = FastAPI()


def check_database():
    sqlite3.connect("app.db").execute("SELECT 1")


def check_cache():
    return True


HEALTH_CHECKS = [check_cache, check_database]


@app.get("/health")
async def health():
    for check in HEALTH_CHECKS:
        check()  # error: ASR110:9 "check()"
    await asyncio.sleep(0)
    return {"ok": True}


@app.get("/warm")
async def warm():
    for fetch in (requests.get, requests.head):
        fetch("https://example.com", timeout=5)  # error: ASR102:9 "fetch()"
    steps = (check_cache, check_database)
    steps[0]()
    steps[1]()  # error: ASR110:5 "steps[1]()"
    await asyncio.sleep(0)
    return {}


class Jobs:
    def run(self):
        time.sleep(1)

    async def dispatch(self, name: str):
        getattr(self, "run")()  # error: ASR110:9 "getattr(self, 'run')()"
        getattr(time, "sleep")(1)  # error: ASR101:9 "getattr(time, 'sleep')()"
        getattr(self, name)()  # a name known only at run time: not followed
        await asyncio.sleep(0)


REGISTRY = {"db": check_database, "cache": check_cache}


@app.get("/run/{name}")
async def run_named(name: str):
    # Good: which entry runs is known only at run time.
    REGISTRY[name]()
    for check in [check_cache]:
        check()
    await asyncio.sleep(0)
    return {}
