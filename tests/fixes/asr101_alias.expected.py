import asyncio as aio

from fastapi import FastAPI

app = FastAPI()


@app.get("/snooze")
async def nap(seconds: float = 0.5):
    await aio.sleep(0)
    await aio.sleep(seconds)
    return {"slept": seconds}
