import asyncio as aio
from time import sleep as snooze

from fastapi import FastAPI

app = FastAPI()


@app.get("/snooze")
async def nap(seconds: float = 0.5):
    await aio.sleep(0)
    snooze(seconds)
    return {"slept": seconds}
