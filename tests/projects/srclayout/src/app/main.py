"""The app package under src/: its root is found by walking up from src/app/."""
from fastapi import FastAPI, Request
from lib.hashing import hash_pw
from settings_io import load_settings

from app.services import warm_cache

app = FastAPI()


@app.post("/warm")
async def warm(request: Request):
    keys = await request.json()
    return {"warmed": warm_cache(keys)}  # error: ASR110:23 "warm_cache()" -- found without any option


@app.get("/settings")
async def settings(request: Request):
    await request.body()
    return load_settings()  # error: ASR110:12 "load_settings()" -- top-level module of src/


@app.post("/hash")
async def make_hash(request: Request):
    body = await request.json()
    return {"hash": hash_pw(body["password"])}  # error: ASR110:21 "hash_pw()" -- needs --async-route-source-roots
