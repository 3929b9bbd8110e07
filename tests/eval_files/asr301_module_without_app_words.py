"""ASR301 in a module with no coroutine, no app and no dependency of its own: the routes
hang on a router made elsewhere. Such a module is still analysed (modules that can hold no
finding are not): the route decorators are what tells them apart."""
import requests
from shop.routing import router

PRICES_URL = "https://prices.example.com/v2"


@router.get("/prices")
def prices():
    return requests.get(PRICES_URL).json()  # error: ASR301:12 "requests.get()"


@router.get("/stock")
def stock():
    return requests.get(PRICES_URL, timeout=5).json()


def refresh_prices():
    return requests.get(PRICES_URL).json()  # not a route: its callers' business
