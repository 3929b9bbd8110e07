import os
import time
from datetime import datetime

from fastapi import FastAPI

app = FastAPI()


@app.get("/uptime")
async def uptime():
    started = time.monotonic()
    time.sleep(
        0.1,  # let the probe settle
    )
    return {"pid": os.getpid(), "now": datetime.now(), "took": time.monotonic() - started}
