"""Test helpers shipped with the package (as `bentoml.testing`): run by a test harness."""
import time
import urllib.request


async def server_warmup(url: str) -> bool:
    while urllib.request.urlopen(url + "/readyz").status != 200:
        time.sleep(0.5)
    return True


def fixture_payload(path: str) -> str:
    with open(path) as fh:
        return fh.read()
