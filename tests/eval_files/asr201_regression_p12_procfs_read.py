# Regression from a real-app review (fixed): ASR104/ASR110: reading /proc/<pid>/... is served from kernel memory, not disk.
import os
from pathlib import Path

from fastapi import FastAPI

app = FastAPI()


def process_start_time(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().split()[21]


@app.get("/health")
async def health():
    return {"started": process_start_time(os.getpid())}
