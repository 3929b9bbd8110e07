# Regression from a real-app review (fixed): ASR201: a same-module class's trivial method reached through a self attribute
# is not proven cheap (only module functions and class construction are).
from fastapi import APIRouter


class ClientTracker:
    def __init__(self) -> None:
        self._clients: dict[str, str] = {}

    def clients(self) -> dict[str, str]:
        return dict(self._clients)


class PubSub:
    def __init__(self) -> None:
        self.router = APIRouter()
        self.tracker = ClientTracker()

        @self.router.get("/clients")
        async def client_info():
            return self.tracker.clients()
