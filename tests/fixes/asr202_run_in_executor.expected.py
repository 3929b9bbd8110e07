# fix-args: --unsafe-fixes

from fastapi import FastAPI

from .images import resize, thumbnail

app = FastAPI()


@app.post("/resize")
def resize_image(data: bytes, width: int):
    resized = resize(data, width)
    return {"size": len(resized)}


@app.post("/thumbnail")
def make_thumbnail(data: bytes):
    return thumbnail(data)
