"""A blocking sleep in a route: `import time` becomes `import asyncio`."""
import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/slow")
async def slow():
    time.sleep(1)  # wait for the cache
    return {"status": "done"}
