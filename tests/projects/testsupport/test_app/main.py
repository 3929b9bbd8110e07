"""A folder named `test_app` holds no tests: its module is checked."""
import asyncio

import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/proxy")
async def proxy():
    await asyncio.sleep(0)
    return requests.get("http://upstream/", timeout=5).json()  # error: ASR102:12 "requests.get()"
