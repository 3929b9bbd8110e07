"""Only third-party imports at the top: `import asyncio` gets its own section."""
from __future__ import annotations

import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def index():
    import time

    await asyncio.sleep(1)
    return {}
