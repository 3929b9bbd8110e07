from fastapi import APIRouter

from webapp.utils.misc import avatar_url, hash_password

router = APIRouter()


@router.get("/avatar")
async def avatar(email: str):
    return {"url": avatar_url(email)}


@router.post("/signup")
async def signup(password: str):  # error: ASR201:1 "POST /signup" -- routers/ has no __init__.py
    return {"hash": hash_password(password).decode()}  # error: ASR110:21 "hash_password()" -- resolved through the namespace package
