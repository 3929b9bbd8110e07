import redis.asyncio
from fastapi import FastAPI

from .lifespan import lifespan
from .routers import items
from .services import Cache


def create_app() -> FastAPI:
    app = FastAPI(lifespan=lifespan)
    app.state.sessions = redis.asyncio.Redis()
    app.state.local_cache = Cache({})
    app.include_router(items.router)
    return app


app = create_app()
