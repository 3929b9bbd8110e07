import time
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    time.sleep(0.5)
    yield
    open("shutdown.log", "a").close()


app = FastAPI(lifespan=lifespan)
