"""A script-style service: services/ has no __init__.py, so its root is services/ itself."""
from fastapi import FastAPI, Request
from lib.hashing import hash_pw, is_strong

api = FastAPI()


@api.post("/passwords")
async def set_password(request: Request):
    body = await request.json()
    if not is_strong(body["password"]):
        return {"ok": False}
    return {"ok": True, "hash": hash_pw(body["password"])}  # error: ASR110:33 "hash_pw()" -- needs --async-route-source-roots
