"""ASR301 under a route decorator continued with a backslash: the module is still analysed
(a decorator that goes on past its line might be a route)."""
import requests
from shop.routing import admin

PRICES_URL = "https://prices.example.com/v2"


@admin \
    .delete("/cache")
def clear_cache():
    requests.delete(PRICES_URL)  # error: ASR301:5 "requests.delete()"
