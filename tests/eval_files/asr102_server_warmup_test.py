"""ASR102 (and every rule): a module named like test support (`*_test.py`, `test_*.py`,
`conftest.py`, `pytest_plugin.py`, or inside `tests/`, `test/` or a `testing` package, as
`bentoml.testing`) runs under a test runner, never on a serving loop: nothing in it is
reported unless `--async-route-check-tests` is given (asr102_checked_test.py)."""
import time
import urllib.request

import requests
from fastapi import FastAPI

app = FastAPI()


async def server_warmup(url: str, timeout: float = 30):
    opener = urllib.request.build_opener()
    start = time.time()
    while time.time() - start < timeout:
        if opener.open(url + "/readyz").status == 200:
            return True
        time.sleep(0.5)
    return False


@app.get("/ping")
async def ping():
    return requests.get("http://upstream/ping", timeout=5).json()
