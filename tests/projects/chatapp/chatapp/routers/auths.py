"""Sign-up and sign-in: relative imports into models and utils."""
from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel

from ..models import UserModel, Users
from ..utils import auth
from ..utils.auth import check_credentials, create_token, get_password_hash, legacy_hash
from ..utils.notify import post_webhook

router = APIRouter(prefix="/auths")


class SignupForm(BaseModel):
    email: str
    password: str
    name: str


class SigninForm(BaseModel):
    email: str
    password: str
    hashed: str = ""


@router.post("/signup")
async def signup(form: SignupForm):
    if Users.get_user_by_email(form.email.lower()):  # error: ASR110:8 "(and 1 more sync SQLAlchemy call: line 30)" -- classmethod, re-exported class
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "email already registered")
    hashed = get_password_hash(form.password)  # error: ASR110:14 "get_password_hash()"
    user = Users.insert_new_user(form.email, hashed, form.name)  # folded into line 27: the same sync layer (Users, chatapp.models.users); cls._save two hops down
    await post_webhook("signup", {"user": user.id})
    return {"token": create_token(user.id), "name": Users.display_name(user)}


@router.post("/signin")
async def signin(form: SigninForm):
    if not check_credentials(form.password, form.hashed):  # error: ASR110:12 "check_credentials()" -- two hops
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid credentials")
    await post_webhook("signin", {"email": form.email})
    return {"token": create_token(form.email)}


@router.post("/signin/legacy")
async def signin_legacy(form: SigninForm):
    ok = legacy_hash(form.password) == form.hashed  # error: ASR110:10 "legacy_hash()" -- lambda bound to a name
    await post_webhook("signin-legacy", {"email": form.email, "ok": ok})
    return {"ok": ok}


@router.post("/password")
async def change_password(form: SigninForm):
    hashed = auth.get_password_hash(form.password)  # error: ASR110:14 "auth.get_password_hash()" -- `from pkg import module`
    await post_webhook("password", {"email": form.email})
    return {"hashed": hashed}


@router.get("/avatar/{user_id}")
async def avatar(user_id: str):
    data = Users.read_avatar(user_id)  # error: ASR110:12 "Users.read_avatar()" -- staticmethod
    await post_webhook("avatar", {"user": user_id})
    return {"size": len(data)}


@router.post("/signup/sync")
def signup_sync(form: SignupForm) -> UserModel:
    hashed = get_password_hash(form.password)
    return Users.insert_new_user(form.email, hashed, form.name)
