"""ASR111: blocking calls in work that runs once, at startup or shutdown.

Lifespans and startup/shutdown handlers get ASR111 (a SARIF `note`) instead of their
ASR1xx code; coroutines that only a command-line entry point runs with `asyncio.run`
never run on the server's loop and are not reported.
"""
import asyncio
import json
import sqlite3
import subprocess
import time
from contextlib import asynccontextmanager

import click
import requests
import typer
from fastapi import FastAPI
from taskiq import InMemoryBroker

cli = typer.Typer()
broker = InMemoryBroker()


def load_catalog() -> dict:
    with open("catalog.json") as fh:
        return json.load(fh)


async def create_tables() -> None:
    sqlite3.connect("app.db").execute("CREATE TABLE IF NOT EXISTS t (x)")  # error: ASR111:5 "sqlite3.connect()"


async def ping_upstream() -> None:
    requests.get("https://upstream.example.com/ping", timeout=5)  # error: ASR102:5 "requests.get()"


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.db = sqlite3.connect("app.db")  # error: ASR111:20 "sqlite3.connect()"
    app.state.catalog = load_catalog()  # error: ASR111:25 "load_catalog()" -- a chain, still startup work
    await create_tables()  # only the lifespan awaits it: startup work too
    await ping_upstream()  # also awaited by a route: per-request work
    yield
    app.state.db.close()


@asynccontextmanager
async def worker_lifespan(app: FastAPI):  # registered by another module
    app.state.sha = subprocess.check_output(["git", "rev-parse", "HEAD"])  # error: ASR111:21 "subprocess.check_output()"
    yield


async def warm_cache():
    time.sleep(1)  # error: ASR111:5 "time.sleep()"


async def close_clients():
    time.sleep(1)  # error: ASR111:5 "time.sleep()"


app = FastAPI(lifespan=lifespan, on_shutdown=[close_clients])
app.add_event_handler("startup", warm_cache)


@app.on_event("startup")
async def announce():
    requests.post("https://hooks.example.com/up", timeout=5)  # error: ASR111:5 "requests.post()"


async def fetch_prices() -> list:
    return requests.get("https://prices.example.com", timeout=5).json()  # error: ASR102:12 "requests.get()"


@app.get("/prices")
async def prices():
    await ping_upstream()
    return await fetch_prices()


async def seed_database() -> None:
    conn = sqlite3.connect("app.db")
    conn.execute("INSERT INTO t VALUES (1)")


async def seed_all() -> None:
    await seed_database()
    time.sleep(1)


async def sync_once() -> None:
    requests.post("https://sync.example.com", timeout=5)


async def export(path: str) -> None:
    with open(path, "w") as fh:
        fh.write("x")


async def backfill() -> None:
    await fetch_prices()  # run from the command line, but fetch_prices also serves /prices
    time.sleep(1)


@broker.task
async def send_report() -> None:
    requests.post("https://reports.example.com", timeout=5)  # a worker's loop, not the server's


@cli.command()
def seed() -> None:
    asyncio.run(seed_all())


@click.command()
@click.argument("path")
def export_command(path: str) -> None:
    asyncio.run(export(path))


def main() -> None:
    asyncio.run(sync_once())


if __name__ == "__main__":
    asyncio.run(backfill())
    main()


async def run_host(args: list) -> None:
    time.sleep(1)  # error: ASR101:5 "time.sleep()" -- also awaited by a coroutine the server may run


async def run_host_from_config(config: dict) -> None:
    await run_host([json.dumps(config)])


@app.post("/hosts")
async def start_host(config: dict):
    await run_host_from_config(config)


def host_main() -> None:
    asyncio.run(run_host(["--default"]))


if __name__ == "__main__":
    host_main()
