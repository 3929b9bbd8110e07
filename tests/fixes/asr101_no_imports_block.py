"""Only third-party imports at the top: `import asyncio` gets its own section."""
from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def index():
    import time

    time.sleep(1)
    return {}
