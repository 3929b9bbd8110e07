import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    await asyncio.sleep(0.5)
    yield
    open("shutdown.log", "a").close()


app = FastAPI(lifespan=lifespan)
