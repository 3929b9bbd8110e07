from fastapi import FastAPI

from .batching import BatchingLoop
from .commands import check_extension
from .services import install_extension

app = FastAPI()
loop = BatchingLoop()


@app.post("/extensions/{name}")
async def install(name: str):
    return await install_extension(name)


@app.get("/check/{name}")
async def check(name: str):
    await check_extension(name)


@app.get("/report")
async def report():
    await loop.report()
