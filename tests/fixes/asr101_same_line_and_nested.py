import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/twice")
async def twice():
    time.sleep(1); time.sleep(2)
    time.sleep(time.sleep(0) or 1)
    kind = time.sleep(0).__class__
    return sorted([3, 1], key=lambda x: time.sleep(0) or x), kind
