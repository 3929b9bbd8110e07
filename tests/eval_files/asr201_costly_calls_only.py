"""ASR201 fires only when an await-less handler calls something shown to be costly, and names
that call. Code that is merely not proven cheap is left to the opt-in ASR203 (off here).
The quiet handlers are shapes from real applications that reviewers judged harmless."""
import asyncio
import gzip

import jwt
import pyqrcode
import requests
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel
from sqlalchemy import select

from support.text import money, read_blob, render

from .config import get_current_settings
from .models import DBSession, User

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")
SECRET_KEY = "change-me"
ITEMS = ["a", "b"]


class Item(BaseModel):
    name: str
    price: float


def active_users_query(limit: int):
    return select(User).where(User.active).limit(limit)


def build_report(rows: list) -> bytes:
    return gzip.compress(repr(rows).encode())


# ----- quiet: nothing here is shown to be costly ------------------------------------------
@app.put("/items/{item_id}")
async def update_item(item_id: str, item: Item):
    stored = item.dict()
    stored.update({"id": item_id})
    return stored


async def get_current_username(token: str = Depends(oauth2_scheme)):
    payload = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])
    username = payload.get("sub")
    if username is None:
        raise HTTPException(status_code=401)
    return username


@app.get("/events", response_class=EventSourceResponse)
async def events():
    for number, item in enumerate(ITEMS):
        yield ServerSentEvent(data=item, id=str(number))


@app.get("/info")
async def info():
    settings = get_current_settings()  # another module's accessor: not shown to be costly
    return {"name": settings.app_name}


@app.get("/users/query")
async def users_query(limit: int = 10):
    return {"sql": str(active_users_query(limit))}


@app.get("/price/{cents}")
async def price(cents: int):
    return {"price": money(cents)}  # a three-line helper in another module


async def get_db():
    db = DBSession()  # the tutorial's placeholder factory
    try:
        yield db
    finally:
        db.close()


@app.get("/users/{user_id}")
async def read_user(user_id: int, db=Depends(get_db)):
    return {"id": user_id, "db": repr(db)}


@app.get("/ping")
async def ping():
    response = requests.get("https://example.com/health", timeout=2)  # noqa: ASR102
    return {"up": response.ok}  # the user accepted the call above: nothing is left


@app.get("/notes")
async def notes():
    fh = open("notes.txt")  # noqa: ASR104
    return {"notes": fh.read()}  # folded into the accepted open(): nothing is left


# ----- reported: the message names the costly call ---------------------------------------
@app.post("/archive")
async def archive(text: str):  # error: ASR201:1 "POST /archive" -- gzip.compress is CPU-heavy
    return {"size": len(gzip.compress(text.encode()))}


@app.get("/qr/{data}")
async def qr(data: str):  # error: ASR201:1 "GET /qr/{data}" -- pure-Python QR encoding
    return {"svg": pyqrcode.create(data).svg_string()}


@app.post("/preview")
async def preview(source: str):  # error: ASR201:1 "POST /preview" -- render() → markdown.markdown() in support/
    return {"html": render(source)}


@app.get("/blobs/{name}")
async def blob(name: str):  # error: ASR201:1 "GET /blobs/{name}" -- read_blob() opens a file
    return {"size": len(read_blob(name))}  # error: ASR110:25 "read_blob()"


@app.get("/report")
async def report():  # error: ASR201:1 "GET /report" -- build_report is run in a thread below, and compresses
    return build_report([1, 2])


async def nightly_report():
    return await asyncio.to_thread(build_report, [3])


@app.get("/status")
async def status():  # error: ASR201:1 "GET /status" -- a noqa for another code accepts nothing
    response = requests.get("https://example.com/health", timeout=2)  # noqa: E501 # error: ASR102:16 "requests.get()"
    return {"up": response.ok}
