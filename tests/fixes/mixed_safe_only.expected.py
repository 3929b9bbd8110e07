import asyncio
import time

import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/a")
async def a():
    await asyncio.sleep(1)
    return {}


@app.get("/b")
async def b():
    return await asyncio.to_thread(time.sleep, 1)


@app.get("/c")
def c():
    return requests.get("https://example.com").text
