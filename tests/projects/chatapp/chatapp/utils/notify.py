"""Async helpers the routes await."""
import httpx

WEBHOOK_URL = "https://hooks.example.com/chatapp"


async def post_webhook(event: str, payload: dict) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        await client.post(WEBHOOK_URL, json={"event": event, **payload})
