# flake8-args: --extend-select=ASR203
"""ASR203, chosen here: an await-less route or dependency that calls code not proven cheap,
where ASR201 found nothing shown to be costly. Never both on one handler."""
import gzip

import requests
from fastapi import Depends, FastAPI

from .config import get_current_settings
from .export import exporter, tracer
from .models import DBSession

app = FastAPI()


@app.get("/info")
async def info():  # error: ASR203:1 "GET /info" -- another module's accessor, not proven cheap
    return {"name": get_current_settings().app_name}


@app.get("/export")
async def export():  # error: ASR203:1 "GET /export" -- names `exporter.run()`, not the context manager
    with tracer.span("export"):
        return exporter.run()


async def get_db():  # error: ASR203:1 "get_db" -- a yield dependency around a placeholder factory
    db = DBSession()
    try:
        yield db
    finally:
        db.close()


@app.get("/users/{user_id}")
async def read_user(user_id: int, db=Depends(get_db)):
    return {"id": user_id, "db": repr(db)}


@app.get("/ping")
async def ping():  # error: ASR203:1 "GET /ping" -- the accepted call is left out; `exporter.ping()` is not
    requests.get("https://example.com/health", timeout=2)  # noqa: ASR102
    return {"up": exporter.ping()}


@app.post("/archive")
async def archive(text: str):  # error: ASR201:1 "POST /archive" -- shown costly: ASR201, not ASR203
    return {"size": len(gzip.compress(text.encode()))}


# ----- quiet even when chosen ---------------------------------------------------------------
@app.get("/health")
async def health():
    return {"status": "ok"}


@app.get("/settings")
async def settings_view():
    await exporter.refresh()  # awaits: the loop is used
    return get_current_settings()
