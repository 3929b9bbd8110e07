"""Functions another module uses as FastAPI dependencies are checked as if it were here."""
import requests

RATES_URL = "https://rates.example.com/latest"


def get_rates():  # FastAPI runs this `def` in the thread pool: routers/misc.py uses it
    return requests.get(RATES_URL).json()  # error: ASR301


def get_bounded_rates():
    return requests.get(RATES_URL, timeout=5).json()


def refresh_rates_offline():  # a script's helper, no one's dependency: not a pool thread
    return requests.get(RATES_URL).json()
