"""ASR301: `def` routes and dependencies making HTTP calls that can hang a worker forever."""
import urllib.request
from typing import Annotated
from urllib.request import Request as UrlRequest, urlopen

import httpx
import requests
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI
from requests import get as fetch
from starlette.endpoints import HTTPEndpoint
from starlette.responses import JSONResponse

RATES_URL = "https://rates.example.com/v1/latest"
GEO_URL = "https://geo.example.com/lookup"
HOOK_URL = "https://hooks.example.com/orders"

app = FastAPI()
router = APIRouter(prefix="/partners")
session = requests.Session()
session.headers.update({"User-Agent": "orders/1.0"})
request_options = {"timeout": 5, "verify": True}


# ----- reported: the module-level `requests` API -------------------------------------------------
@app.get("/rates")
def rates():
    return requests.get(RATES_URL).json()  # error: ASR301:12 "requests.get()"


@app.post("/orders/{order_id}/hook")
def order_hook(order_id: int):
    requests.post(HOOK_URL, json={"order": order_id})  # error: ASR301:5 "requests.post()"
    return {"sent": True}


@app.api_route("/proxy", methods=["GET", "DELETE"])
def proxy(method: str):
    return requests.request(method, RATES_URL).text  # error: ASR301:12 "requests.request()"


@app.get("/compare")
def compare():
    ours, theirs = requests.get(RATES_URL), fetch(GEO_URL)  # error: ASR301:20 "requests.get()", ASR301:45 "fetch()"
    return {"ours": ours.json(), "theirs": theirs.json()}


# ----- reported: Session methods ---------------------------------------------------------------
@router.get("/geo")
def geo(ip: str):
    return session.get(GEO_URL, params={"ip": ip}).json()  # error: ASR301:12 "session.get()"


@router.post("/sync")
def sync_partner(payload: dict):
    with requests.Session() as partner:
        partner.auth = ("orders", "secret")
        partner.put(HOOK_URL, json=payload)  # error: ASR301:9 "partner.put()"
        return partner.request("GET", HOOK_URL).json()  # error: ASR301:16 "partner.request()"


@router.get("/status")
def partner_status():
    return requests.Session().head(HOOK_URL).status_code  # error: ASR301:12 "requests.Session().head()"


@router.post("/replay")
def replay(body: bytes):
    prepared = session.prepare_request(requests.Request("POST", HOOK_URL, data=body))
    return session.send(prepared).status_code  # error: ASR301:12 "session.send()" -- Session.send takes timeout=


# ----- reported: urllib ----------------------------------------------------------------------------
@app.get("/legacy-rates")
def legacy_rates():
    with urlopen(RATES_URL) as response:  # error: ASR301:10 "urlopen()"
        return response.read()


@app.post("/legacy-hook")
def legacy_hook(body: bytes):
    request = UrlRequest(HOOK_URL, method="POST")
    return urllib.request.urlopen(request, body).status  # error: ASR301:12 "urllib.request.urlopen()" -- no 3rd argument


# ----- reported: dependencies and other registrations ------------------------------------------
def get_exchange_rate():
    return requests.get(RATES_URL).json()["EUR"]  # error: ASR301:12 "requests.get()"


class GeoContext:
    def __init__(self, ip: str):
        self.country = requests.get(GEO_URL, params={"ip": ip}).json()  # error: ASR301:24 "requests.get()"


class PartnerCheck:
    def __call__(self, partner_id: str):
        return session.post(HOOK_URL, json={"check": partner_id}).ok  # error: ASR301:16 "session.post()"


check_partner = PartnerCheck()
RateDep = Annotated[float, Depends(get_exchange_rate)]


@app.get("/prices/{sku}")
def price(sku: str, rate: RateDep, geo: GeoContext = Depends(), ok=Depends(check_partner)):
    return {"sku": sku, "eur": rate, "country": geo.country, "partner_ok": ok}


def health_upstream():
    return {"upstream": requests.get(RATES_URL).ok}  # error: ASR301:25 "requests.get()"


app.add_api_route("/health/upstream", health_upstream)


class Invoices(HTTPEndpoint):
    def get(self, request):
        remote = requests.get(HOOK_URL, params=dict(request.query_params))  # error: ASR301:18 "requests.get()"
        return JSONResponse(remote.json())


# ----- quiet: a timeout is given, or may be -----------------------------------------------------
@app.get("/rates/safe")
def rates_safe():
    return requests.get(RATES_URL, timeout=5).json()


@app.post("/orders/{order_id}/hook/safe")
def order_hook_safe(order_id: int):
    session.post(HOOK_URL, json={"order": order_id}, timeout=(3.05, 27))
    return fetch(GEO_URL, timeout=2).json()


@app.get("/rates/options")
def rates_options():
    return requests.get(RATES_URL, **request_options).json()  # may carry a timeout


@app.get("/rates/stream")
def rates_stream():
    # Even for a long-lived stream `timeout=None` lets a server that never answers the
    # connection hold the worker: `timeout=(connect, None)` bounds the connect only.
    return requests.get(RATES_URL, stream=True, timeout=None).iter_lines()  # error: ASR301:12 "requests.get()"


@app.get("/legacy-rates/safe")
def legacy_rates_safe():
    with urlopen(RATES_URL, None, 10) as response:  # positional timeout
        first = response.read()
    with urllib.request.urlopen(GEO_URL, timeout=10) as response:
        return first + response.read()


@app.get("/httpx")
def httpx_rates():
    with httpx.Client() as client:
        client.get(GEO_URL)
    return httpx.get(RATES_URL).json()  # httpx has a default timeout


# ----- quiet: not a `def` route or dependency -------------------------------------------------
def fetch_rates():
    return requests.get(RATES_URL).json()  # a helper: the rule does not follow calls


@app.get("/rates/via-helper")
def rates_via_helper():
    return fetch_rates()


def post_hook(order_id: int):
    requests.post(HOOK_URL, json={"order": order_id})  # background task, not a route


@app.post("/orders/{order_id}/later")
def order_later(order_id: int, tasks: BackgroundTasks):
    tasks.add_task(post_hook, order_id)
    return {"queued": True}


@app.get("/rates/async")
async def rates_async():  # error: ASR201:1 "GET /rates/async" -- never awaits, calls a blocking function
    return requests.get(RATES_URL).json()  # error: ASR102:12 "requests.get()" -- ASR301 is for `def` handlers


@app.get("/rates/async-safe")
async def rates_async_safe():
    async with httpx.AsyncClient() as client:
        fresh = await client.get(RATES_URL)
    stale = requests.get(GEO_URL, timeout=1)  # error: ASR102:13 "requests.get()"
    return {"fresh": fresh.json(), "stale": stale.json()}


# ----- `timeout=None` is no timeout at all -------------------------------------------------------
REQUEST_TIMEOUT = None  # a name is not followed: only a literal None is known to be unbounded


@app.get("/rates/unbounded")
def rates_unbounded():
    return requests.get(RATES_URL, timeout=None).json()  # error: ASR301:12 "requests.get()"


@app.get("/legacy/unbounded")
def legacy_unbounded():
    with urlopen(GEO_URL, None, None) as response:  # error: ASR301:10 "urlopen()" -- positional timeout
        return response.read()


@app.get("/rates/bounded")
def rates_bounded(seconds: float = 2.0):
    first = requests.get(RATES_URL, timeout=seconds).json()
    with urlopen(GEO_URL, None, 3) as response:
        second = response.read()
    return {"first": first, "second": second,
            "third": requests.get(RATES_URL, timeout=REQUEST_TIMEOUT).json()}
