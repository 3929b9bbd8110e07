"""Users: imports spelled through package re-exports and aliases."""
import chatapp.utils.auth as auth_module
from fastapi import APIRouter, Depends, Request

from chatapp.models.users import UserModel
from chatapp.utils import get_password_hash
from chatapp.utils.auth import get_verified_user
from chatapp.utils.auth import verify_password as check_password
from chatapp.utils.notify import post_webhook

router = APIRouter(prefix="/users")


@router.get("/me")
async def me(user: UserModel = Depends(get_verified_user)):
    await post_webhook("me", {"user": user.id})
    return user


@router.post("/me/password")
async def reset_password(request: Request, user: UserModel = Depends(get_verified_user)):
    body = await request.json()
    if not check_password(body["old"], body["hashed"]):  # error: ASR110:12 "check_password()` → `bcrypt.checkpw()" -- imported under an alias
        return {"ok": False}
    return {"hashed": get_password_hash(body["new"])}  # folded into line 23 (one more password-hashing call in chatapp.utils.auth) -- get_password_hash() re-exported by chatapp.utils


@router.post("/me/legacy")
async def legacy_password(request: Request):
    body = await request.json()
    return {"hash": auth_module.legacy_hash(body["password"])}  # error: ASR110:21 "auth_module.legacy_hash()" -- `import a.b.c as m`
