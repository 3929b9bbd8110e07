# flake8-args: --async-route-check-tests
"""ASR102: with `--async-route-check-tests`, test-support modules are checked like any
other (asr102_server_warmup_test.py: not reported by default)."""
import asyncio
import urllib.request

import requests


async def server_warmup(url: str):
    opener = urllib.request.build_opener()
    while opener.open(url + "/readyz").status != 200:  # error: ASR102:11 "opener.open()"
        await asyncio.sleep(0.5)


async def test_ping():
    assert requests.get("http://localhost:8000/ping", timeout=5).ok  # error: ASR102:12 "requests.get()"
    await asyncio.sleep(0)
