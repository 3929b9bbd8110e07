"""ASR102: synchronous HTTP clients used on the event loop."""
import asyncio
import http.client
from contextlib import asynccontextmanager
import urllib.request
from typing import Optional
from urllib.request import urlopen

import httpx
import requests
import requests as rq
import urllib3
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from requests import get
from requests import post as send_post
from starlette.routing import Route

API = "https://api.example.com"
fetch = requests.get
session = requests.Session()
pool = urllib3.PoolManager()
async_client = httpx.AsyncClient(base_url=API)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.flags = requests.get(f"{API}/flags", timeout=5).json()  # error: ASR111:23 "requests.get()"
    yield
    await async_client.aclose()


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/proxy")


class Cache:
    def get(self, key: str) -> Optional[str]:
        return None


cache = Cache()


# --- bad: module functions in each import style -------------------------------------------

@app.get("/weather/{city}")
async def weather(city: str):
    data = requests.get(f"{API}/weather/{city}", timeout=5).json()  # error: ASR102:12 "requests.get()"
    rq.post(f"{API}/audit", json=data, timeout=5)  # error: ASR102:5 "rq.post()"
    await asyncio.sleep(0)
    return data


@router.post("/ping")
async def ping():  # error: ASR201:1 "POST /proxy/ping" -- never awaits, and blocks
    get(f"{API}/ping", timeout=1)  # error: ASR102:5 "get()"
    send_post(f"{API}/pong", timeout=1)  # error: ASR102:5 "send_post()"
    return fetch(f"{API}/status", timeout=1).json()  # error: ASR102:12 "fetch()" -- `fetch = requests.get`


@router.get("/mixed")
async def mixed(request: Request):
    httpx.get(f"{API}/a")  # error: ASR102:5 "httpx.get()"
    urlopen(f"{API}/b", timeout=3)  # error: ASR102:5 "urlopen()"
    urllib.request.urlopen(f"{API}/c", timeout=3)  # error: ASR102:5 "urllib.request.urlopen()"
    pool.request("GET", f"{API}/d")  # error: ASR102:5 "pool.request()"
    urllib3.request("GET", f"{API}/e")  # error: ASR102:5 "urllib3.request()"
    return await request.json()


# --- bad: client objects ------------------------------------------------------------------

async def get_profile(user_id: int) -> dict:  # error: ASR201:1 "get_profile" -- dependency, never awaits
    response = session.get(f"{API}/users/{user_id}", timeout=5)  # error: ASR102:16 "session.get()" -- module Session
    return response.json()


@router.get("/orders/{order_id}")
async def order(order_id: int, profile: dict = Depends(get_profile)):
    local = requests.Session()
    local.headers.update({"X-Trace": "1"})
    with requests.Session() as s:
        s.get(f"{API}/orders/{order_id}", timeout=5)  # error: ASR102:9 "s.get()"
    local.put(f"{API}/orders/{order_id}", timeout=5)  # error: ASR102:5 "local.put()"
    await asyncio.sleep(0)
    return profile


async def push_metrics(client: httpx.Client, payload: dict) -> None:
    client.post(f"{API}/metrics", json=payload)  # error: ASR102:5 "client.post()" -- annotated parameter
    with httpx.Client(timeout=2) as c:
        c.get(f"{API}/metrics")  # error: ASR102:9 "c.get()"
    plain = httpx.Client()
    plain.send(plain.build_request("GET", API))  # error: ASR102:5 "plain.send()"


class Notifier:
    async def notify(self, text: str) -> None:
        conn = http.client.HTTPSConnection("hooks.example.com", timeout=5)
        conn.request("POST", "/notify", body=text)  # error: ASR102:9 "conn.request()"
        reply = conn.getresponse()  # folded: same handle
        reply.read()  # folded: same handle (reading the body waits on the socket)


@app.websocket("/feed")
async def feed(websocket: WebSocket):
    await websocket.accept()
    quote = requests.get(f"{API}/quote", timeout=5).text  # error: ASR102:13 "requests.get()"
    await websocket.send_text(quote)


@app.middleware("http")
async def geo_header(request: Request, call_next):
    response = await call_next(request)
    response.headers["X-Geo"] = session.get(f"{API}/geo", timeout=1).text  # error: ASR102:33 "session.get()"
    return response


async def send_receipt(email: str) -> None:
    rq.post(f"{API}/mail", json={"to": email}, timeout=5)  # error: ASR102:5 "rq.post()" -- background task


@router.post("/checkout")
def checkout(email: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_receipt, email)
    return {"queued": True}


async def starlette_status(request):
    await request.body()
    return httpx.get(f"{API}/status").json()  # error: ASR102:12 "httpx.get()"


starlette_routes = [Route("/status", starlette_status)]


def make_proxy(target: str):
    async def proxy(request: Request):
        body = await request.body()
        return session.post(target, data=body, timeout=5).json()  # error: ASR102:16 "session.post()" -- nested
    return proxy


app.add_api_route("/hook", make_proxy(f"{API}/hook"), methods=["POST"])


# --- good -------------------------------------------------------------------------------

@app.get("/sync/{city}")
def sync_weather(city: str):
    with requests.Session() as s:
        s.get(f"{API}/weather/{city}", timeout=5)
    return requests.get(f"{API}/weather/{city}", timeout=5).json()


def call_partner(path: str) -> dict:
    return session.get(f"{API}{path}", timeout=5).json()


@router.get("/async/{city}")
async def async_weather(city: str, request: Request):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{API}/weather/{city}")
    shared = await async_client.get(f"/weather/{city}")
    trace = request.headers.get("X-Trace")
    params = {"city": city}
    return {"a": response.json(), "b": shared.json(), "city": params.get("city"), "t": trace}


async def offloaded(url: str) -> dict:
    first = await asyncio.to_thread(requests.get, url, timeout=5)
    second = await run_in_threadpool(lambda: session.get(url, timeout=5))
    loop = asyncio.get_running_loop()
    third = await loop.run_in_executor(None, call_partner, "/x")
    return {"first": first.json(), "second": second.json(), "third": third}


async def not_calls(response: requests.Response) -> bool:
    prepared = requests.Request("GET", API).prepare()  # builds a request, sends nothing
    try:
        response.raise_for_status()
    except requests.RequestException:
        return False
    return response.status_code == requests.codes.ok and prepared.url == API


async def shadowed(get, url: str) -> Optional[str]:
    get(url)  # a parameter named `get`
    cache.get(url)  # a local class's `.get`
    return {"k": url}.get("k")


async def local_get(url: str) -> dict:
    def get(key: str) -> dict:
        return {"key": key}
    return get(url)  # a local function named `get`, not requests.get


# --- boto3: every AWS API call is a sync HTTP request --------------------------------------
import boto3  # noqa: E402

s3 = boto3.client("s3")
dynamodb = boto3.resource("dynamodb")


async def archive(key: str, body: bytes) -> str:
    await asyncio.sleep(0)
    s3.put_object(Bucket="archive", Key=key, Body=body)  # error: ASR102:5 "s3.put_object()"
    dynamodb.Table("files").put_item(Item={"key": key})  # error: ASR102:5 "dynamodb.Table('files').put_item()"
    session = boto3.session.Session()
    session.client("sqs").send_message(QueueUrl="q", MessageBody=key)  # error: ASR102:5 "session.client('sqs').send_message()"
    # Signing a URL is local computation: no request is sent.
    return s3.generate_presigned_url("get_object", Params={"Bucket": "archive", "Key": key})


def archive_sync(key: str, body: bytes) -> None:
    s3.put_object(Bucket="archive", Key=key, Body=body)  # a plain def: fine
