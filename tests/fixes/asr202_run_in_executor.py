# fix-args: --unsafe-fixes
import asyncio

from fastapi import FastAPI

from .images import resize, thumbnail

app = FastAPI()


@app.post("/resize")
async def resize_image(data: bytes, width: int):
    loop = asyncio.get_running_loop()
    resized = await loop.run_in_executor(None, resize, data, width)
    return {"size": len(resized)}


@app.post("/thumbnail")
async def make_thumbnail(data: bytes):
    return await asyncio.get_event_loop().run_in_executor(None, thumbnail, data)
