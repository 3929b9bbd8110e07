import asyncio
import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/twice")
async def twice():
    await asyncio.sleep(1); await asyncio.sleep(2)
    await asyncio.sleep(await asyncio.sleep(0) or 1)
    kind = (await asyncio.sleep(0)).__class__
    return sorted([3, 1], key=lambda x: time.sleep(0) or x), kind
