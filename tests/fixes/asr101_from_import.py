from __future__ import annotations

from time import sleep

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def index():
    sleep(1)
    return {}
