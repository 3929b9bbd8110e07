"""ASR108: deliberately slow password hashing / key derivation inside coroutines."""
import asyncio
import hashlib
import hmac
import os

import bcrypt
import bcrypt as bc
from argon2 import PasswordHasher
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Form, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm
from passlib.context import CryptContext
from passlib.hash import pbkdf2_sha256 as legacy_hash
from pwdlib import PasswordHash
from werkzeug.security import check_password_hash as werkzeug_check
from werkzeug.security import generate_password_hash

app = FastAPI()
router = APIRouter(prefix="/auth")
pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")
password_hash = PasswordHash.recommended()
argon = PasswordHasher()
hash_pw = bcrypt.hashpw  # module-level re-assignment keeps the qualified name
USERS: dict = {}


def verify_sync(password: str, hashed: str) -> bool:
    return pwd_context.verify(password, hashed)  # sync helper: fine


@router.post("/login")
async def login(form: OAuth2PasswordRequestForm = Depends()):
    await asyncio.sleep(0)
    user = USERS[form.username]
    if not pwd_context.verify(form.password, user["hashed"]):  # error: ASR108:12 "pwd_context.verify()"
        return {"ok": False}
    if pwd_context.needs_update(user["hashed"]):
        user["hashed"] = pwd_context.hash(form.password)  # folded: same handle
    return {"ok": bcrypt.checkpw(form.password.encode(), user["raw"])}  # error: ASR108:19 "bcrypt.checkpw()"


@router.post("/login-offloaded")
async def login_offloaded(request: Request, form: OAuth2PasswordRequestForm = Depends()):
    await request.form()
    user = USERS[form.username]
    ok = await asyncio.to_thread(pwd_context.verify, form.password, user["hashed"])
    ok2 = await run_in_threadpool(verify_sync, form.password, user["hashed"])
    loop = asyncio.get_running_loop()
    ok3 = await loop.run_in_executor(None, lambda: bcrypt.checkpw(b"x", user["raw"]))
    return {"ok": ok and ok2 and ok3}


@router.post("/login-sync")
def login_sync(form: OAuth2PasswordRequestForm = Depends()):
    user = USERS[form.username]
    return {"ok": pwd_context.verify(form.password, user["hashed"])}


@router.post("/register")
async def register(request: Request, username: str = Form(...), password: str = Form(...)):
    await request.form()
    salt = bc.gensalt(rounds=12)
    USERS[username] = {
        "raw": hash_pw(password.encode(), salt),  # error: ASR108:16 "hash_pw()"
        "bc": bc.hashpw(password.encode(), salt),  # error: ASR108:15 "bc.hashpw()" -- module alias
        "pwdlib": password_hash.hash(password),  # error: ASR108:19 "password_hash.hash()"
        "argon": argon.hash(password),  # error: ASR108:18 "argon.hash()"
        "legacy": legacy_hash.hash(password),  # error: ASR108:19 "legacy_hash.hash()" -- passlib.hash with `as`
        "werkzeug": generate_password_hash(password),  # error: ASR108:21 "generate_password_hash()"
    }
    return {"created": username}


@router.post("/check")
async def check(request: Request, password: str = Form(...)):
    await request.form()
    stored = USERS["admin"]
    ok = werkzeug_check(stored["werkzeug"], password)  # error: ASR108:10 "werkzeug_check()" -- from-import with `as`
    ok = ok and argon.verify(stored["argon"], password)  # error: ASR108:17 "argon.verify()"
    ok = ok and password_hash.verify(password, stored["pwdlib"])  # error: ASR108:17 "password_hash.verify()"
    return {"ok": ok}


def get_hasher() -> PasswordHasher:
    return argon


@router.post("/check-argon")
async def check_argon(request: Request, hasher: PasswordHasher = Depends(get_hasher)):
    await request.form()
    stored = USERS["admin"]
    if legacy_hash.identify(stored["legacy"]):  # only recognises the hash format: cheap
        stored["scheme"] = "pbkdf2"
    return {"ok": hasher.verify(stored["argon"], "pw")}  # error: ASR108:19 "hasher.verify()" -- annotated parameter


async def derive_key(secret: bytes, salt: bytes) -> bytes:
    """Plain async helper."""
    key = hashlib.pbkdf2_hmac("sha256", secret, salt, 600_000)  # error: ASR108:11 "hashlib.pbkdf2_hmac()"
    key += hashlib.scrypt(secret, salt=salt, n=2**14, r=8, p=1)  # error: ASR108:12 "hashlib.scrypt()"
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=480_000)
    key += kdf.derive(secret)  # error: ASR108:12 "kdf.derive()"
    key += Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(secret)  # error: ASR108:12 "Scrypt(salt=salt, length=32, n=2 ** 14, "
    key += hash_secret_raw(secret, salt, 3, 65536, 4, 32, Type.ID)  # error: ASR108:12 "hash_secret_raw()"
    return key


async def derive_key_fast(secret: bytes, salt: bytes) -> bytes:
    digest = hashlib.sha256(salt + secret).digest()
    mac = hmac.new(salt, secret, hashlib.sha256).hexdigest()
    info = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"ctx").derive(secret)
    slow = await asyncio.to_thread(hashlib.pbkdf2_hmac, "sha256", secret, salt, 600_000)
    return digest + mac.encode() + info + slow + hashlib.md5(secret).digest()


async def current_user(request: Request) -> str:
    """Async dependency checking an API key."""
    await request.body()
    key = request.headers.get("x-api-key", "")
    if not hmac.compare_digest(hashlib.sha256(key.encode()).hexdigest(), "0" * 64):
        bcrypt.checkpw(key.encode(), USERS["admin"]["raw"])  # error: ASR108:9 "bcrypt.checkpw()"
    return "admin"


@router.get("/me")
async def me(user: str = Depends(current_user)):
    return {"user": user}


class PasswordService:
    def __init__(self, context: CryptContext):
        self.context = context

    async def verify(self, plain: str, hashed: str) -> bool:
        return self.context.verify(plain, hashed)  # error: ASR108:16 "self.context.verify()" -- async method


class FakeHasher:
    """Test double: same method names, no cost."""

    def hash(self, password: str) -> str:
        return password[::-1]

    def verify(self, password: str, hashed: str) -> bool:
        return password[::-1] == hashed


fake = FakeHasher()


async def check_fake(password: str, bcrypt: FakeHasher) -> bool:
    return fake.verify(password, fake.hash(password)) and bcrypt.verify(password, "x")


async def rotate_keys() -> None:  # error: ASR201:1 "POST /rotate" -- route that never awaits
    """Registered with add_api_route below."""
    secret = os.urandom(32)
    USERS["key"] = hashlib.pbkdf2_hmac("sha512", secret, b"salt", 100_000)  # error: ASR108:20 "hashlib.pbkdf2_hmac()"


router.add_api_route("/rotate", rotate_keys, methods=["POST"])


async def rehash_all(password: str) -> None:
    """Background task coroutine."""
    for user in USERS.values():
        user["hashed"] = pwd_context.hash(password)  # error: ASR108:26 "pwd_context.hash()"


@router.post("/rehash")
async def rehash(password: str, tasks: BackgroundTasks):
    tasks.add_task(rehash_all, password)
    return {"scheduled": True}


@app.websocket("/ws/login")
async def ws_login(websocket: WebSocket):
    await websocket.accept()
    creds = await websocket.receive_json()
    ok = pwd_context.verify(creds["password"], USERS[creds["user"]]["hashed"])  # error: ASR108:10 "pwd_context.verify()"
    await websocket.send_json({"ok": ok})


@app.middleware("http")
async def basic_auth(request: Request, call_next):
    token = request.headers.get("authorization", "")
    if token and not bcrypt.checkpw(token.encode(), USERS["admin"]["raw"]):  # error: ASR108:22 "bcrypt.checkpw()"
        request.state.user = None
    return await call_next(request)


app.include_router(router)
