"""ASR110: a branch the call's own literal arguments rule out is not followed."""
import asyncio
import subprocess
import time

from fastapi import FastAPI

app = FastAPI()


class Mode:
    PUB = "pub"
    SUB = "sub"


class Run:
    def __init__(self, run_hash: str, *, read_only: bool = False) -> None:
        self.run_hash = run_hash
        self._setup(read_only=read_only)

    def _setup(self, read_only: bool) -> None:
        if not read_only:
            subprocess.run(["git", "rev-parse", "HEAD"], check=False)


def connect(mode: str) -> str:
    if mode == Mode.PUB:
        time.sleep(0.1)  # publishers wait for subscribers
    return mode


@app.get("/runs/{run_hash}")
async def read_run(run_hash: str):
    await asyncio.sleep(0)
    return Run(run_hash, read_only=True).run_hash  # only the read-only branch runs


@app.post("/runs")
async def new_run(run_hash: str):
    await asyncio.sleep(0)
    return Run(run_hash).run_hash  # error: ASR110:12 "Run()" -- read_only defaults to False


@app.get("/subscribe")
async def subscribe():
    await asyncio.sleep(0)
    return connect(mode=Mode.SUB)  # `Mode.SUB` is not `Mode.PUB`: no wait


@app.get("/publish")
async def publish():
    await asyncio.sleep(0)
    return connect(mode="pub")  # error: ASR110:12 "connect()" -- a literal the analysis cannot tell from Mode.PUB


def find_agent(agent_id: str, agents: list, db=None):
    for agent in agents:
        if agent == agent_id:
            return agent
    if db and db.startswith("sqlite"):
        time.sleep(0.5)  # stands for the database lookup
    return None


@app.get("/agents/{agent_id}")
async def agent_in_memory(agent_id: str):
    await asyncio.sleep(0)
    return find_agent(agent_id, ["a", "b"])  # `db` keeps its default None: no lookup


@app.get("/agents/{agent_id}/stored")
async def agent_stored(agent_id: str, db: str):
    await asyncio.sleep(0)
    return find_agent(agent_id, [], db=db)  # error: ASR110:12 "find_agent()" -- a db may be given
