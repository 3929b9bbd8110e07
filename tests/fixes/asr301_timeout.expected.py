# fix-args: --unsafe-fixes --fix-timeout=10
import requests
from fastapi import FastAPI
from urllib.request import urlopen

app = FastAPI()
session = requests.Session()


@app.get("/rates")
def rates():
    return requests.get("https://api.example.com/rates", timeout=10).json()


@app.post("/orders")
def orders(payload: dict):
    response = session.post(
        "https://api.example.com/orders",
        json=payload,
        timeout=10,
    )
    return response.json()


@app.get("/legacy")
def legacy():
    with urlopen("https://api.example.com/legacy", timeout=10) as response:
        return response.read()


@app.get("/slow")
def slow():
    return requests.get("https://api.example.com/slow", timeout=10).json()
