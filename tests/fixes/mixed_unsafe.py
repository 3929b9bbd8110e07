# fix-args: --unsafe-fixes --fix-timeout=2.5
import asyncio
import time

import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/a")
async def a():
    time.sleep(1)  # both ASR101 and ASR201: the safe fix wins
    return requests.get("https://example.com").text


@app.get("/b")
async def b():
    return await asyncio.to_thread(time.sleep, 1)


@app.get("/c")
def c():
    return requests.get("https://example.com").text
