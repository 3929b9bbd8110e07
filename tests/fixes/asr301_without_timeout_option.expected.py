# fix-args: --unsafe-fixes
import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/rates")
def rates():
    return requests.get("https://api.example.com/rates").json()
