import requests


async def live_server_ready() -> bool:
    return requests.get("http://localhost:8000/health", timeout=5).ok
