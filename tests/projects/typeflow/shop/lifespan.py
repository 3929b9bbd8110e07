from contextlib import asynccontextmanager

import boto3
import redis
from fastapi import FastAPI
from sqlalchemy import create_engine

from .db import initialize_db
from .services import Cache, Storage


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.engine = create_engine("postgresql://db/shop")
    app.state.storage = Storage(boto3.client("s3"))
    app.state.cache = Cache(redis.Redis())
    app.state.sessions = {}
    initialize_db()  # error: ASR111:5 "initialize_db()" -- sqlite3.connect() in SQLDB()
    yield
    app.state.engine.dispose()  # error: ASR111:5 "app.state.engine.dispose()"
