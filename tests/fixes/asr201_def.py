# fix-args: --unsafe-fixes --extend-select=ASR203
import gzip

from fastapi import Depends, FastAPI, Request
from starlette.authentication import requires

from .cache import cached
from .reports import build_report, load_user

app = FastAPI()


async def current_user(request: Request):
    return load_user(request.headers["x-user"])


@app.get("/report")
async def report(user=Depends(current_user)):
    return build_report(user)


@app.get("/archive")
async def archive(text: str):  # CPU-heavy: ASR201, the rest are ASR203
    return gzip.compress(text.encode())


@app.get("/admin")
@requires(["admin"])
async def admin(request: Request):
    return build_report(None)


@app.get("/cached")
@cached(ttl=60)  # may need a coroutine function: left alone
async def cached_report():
    return build_report(None)


async def nightly_user():
    return load_user("nightly")


@app.get("/nightly", dependencies=[Depends(nightly_user)])
async def nightly():
    user = await nightly_user()  # awaited here: nightly_user stays a coroutine
    return build_report(user)
