import requests


async def test_sample():
    assert requests.get("http://localhost:8000/sample", timeout=5).ok
