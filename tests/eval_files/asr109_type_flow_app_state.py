"""`app.state` attributes are typed from where the project assigns them: a lifespan, a
startup handler, an app factory."""
from contextlib import asynccontextmanager

import boto3
import redis
from fastapi import FastAPI, Request, WebSocket
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker


@asynccontextmanager
async def lifespan(app):
    app.state.tf_engine = create_engine("postgresql://db/app")
    app.state.tf_sessions = sessionmaker(bind=app.state.tf_engine)
    app.state.tf_mixed = redis.Redis()
    yield
    app.state.tf_engine = None


app = FastAPI(lifespan=lifespan)


@app.on_event("startup")
async def startup():
    app.state.tf_s3 = boto3.client("s3")
    app.state.tf_mixed = boto3.client("sqs")


@app.get("/engine")
async def read_engine(request: Request):  # error: ASR201:1 "GET /engine"
    with Session(request.app.state.tf_engine) as session:
        return session.execute("SELECT 1").all()  # error: ASR109:16 "session.execute()"


@app.get("/sessions")
async def read_sessions(request: Request):  # error: ASR201:1 "GET /sessions"
    session = request.app.state.tf_sessions()
    return session.query("User").all()  # error: ASR109:12 "session.query('User').all()"


@app.get("/getattr")
async def through_getattr(request: Request, key: str):  # error: ASR201:1 "GET /getattr"
    s3 = getattr(request.app.state, "tf_s3", None)
    s3.delete_object(Bucket="b", Key=key)  # error: ASR102:5 "s3.delete_object()"
    return {}


@app.get("/module-app")
async def through_the_module_app(key: str):  # error: ASR201:1 "GET /module-app"
    app.state.tf_s3.put_object(Bucket="b", Key=key, Body=b"")  # error: ASR102:5 "app.state.tf_s3.put_object()"
    return {}


@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket):
    await websocket.accept()
    websocket.app.state.tf_s3.list_buckets()  # error: ASR102:5 "websocket.app.state.tf_s3.list_buckets()"


@app.get("/state-good")
async def state_good(request: Request):
    # Good: two different types assigned; a name nothing assigns; a default of its own.
    request.app.state.tf_mixed.get("k")
    request.app.state.tf_never_assigned.fetch()
    cache = getattr(request.app.state, "tf_cache", None) or {}
    return await cache.get("k")
