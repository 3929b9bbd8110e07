"""Password hashing and tokens."""
import hashlib
import time

import bcrypt
import jwt
from fastapi import Request

from chatapp.models.users import UserModel, Users

from chatapp.config import JWT_SECRET, PASSWORD_SALT


def get_password_hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def verify_password(plain: str, hashed: str) -> bool:
    return bcrypt.checkpw(plain.encode(), hashed.encode())


def check_credentials(plain: str, hashed: str) -> bool:
    """Two hops from the route: check_credentials → verify_password → bcrypt."""
    return bool(hashed) and verify_password(plain, hashed)


# A lambda bound to a name and called like a function.
legacy_hash = lambda password: hashlib.pbkdf2_hmac(  # noqa: E731
    "sha256", password.encode(), PASSWORD_SALT, 600_000
).hex()


def create_token(user_id: str) -> str:
    return jwt.encode({"sub": user_id, "iat": int(time.time())}, JWT_SECRET, algorithm="HS256")


def decode_token(token: str) -> dict:
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"])


async def get_verified_user(request: Request) -> UserModel:
    """Async dependency used by other modules' routes."""
    claims = decode_token(request.headers.get("authorization", ""))
    await request.body()
    return Users.get_user_by_email(claims["sub"])  # error: ASR110:12 "Users.get_user_by_email()" -- in a coroutine of utils
