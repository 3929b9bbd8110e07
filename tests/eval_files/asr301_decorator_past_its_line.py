"""ASR301 under a route decorator whose method name is not on the `@` line: the module is
still analysed (a decorator that goes on past its line might be a route)."""
import requests
from shop.routing import admin

PRICES_URL = "https://prices.example.com/v2"


@(
    admin.post
)("/refresh")
def refresh():
    requests.post(PRICES_URL)  # error: ASR301:5 "requests.post()"
