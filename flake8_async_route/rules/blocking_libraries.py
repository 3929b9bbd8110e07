"""ASR1xx, the sync APIs of libraries: HTTP clients (ASR102), database and cache
drivers (ASR103), password hashing (ASR108), SQLAlchemy sessions (ASR109). The family's
shared check is in blocking.py."""
from __future__ import annotations

from .blocking import BlockingCallRule


class SyncHttpCall(BlockingCallRule):
    """## What it does
    Reports synchronous HTTP calls in a coroutine: `requests` functions and `Session`
    methods, `httpx` module functions and `httpx.Client` methods, `urllib.request.urlopen`,
    `urllib3`, `http.client`, google-auth token verification, and AWS calls through
    `boto3` clients and resources (`generate_presigned_url` and paginator/waiter creation,
    which send nothing, are not reported).

    ## Why is this bad?
    A sync HTTP call waits for the remote server on the event loop. If the server takes
    two seconds, the whole application is frozen for two seconds, per request.

    ## Example
    ```python
    import requests
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/weather/{city}")
    async def weather(city: str):
        response = requests.get(f"https://api.example.com/{city}", timeout=5)
        return response.json()
    ```

    ## Use instead
    ```python
    import httpx
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/weather/{city}")
    async def weather(city: str):
        async with httpx.AsyncClient() as client:
            response = await client.get(f"https://api.example.com/{city}")
        return response.json()
    ```

    ## Known limits
    A client is recognised when the code shows how it was made (`requests.Session()`,
    `httpx.Client()`, `with ... as client`, `client or boto3.client("s3")`, a project
    factory or property returning one, `cast(...)` of one), annotated
    (`client: httpx.Client`), stored on `app.state` by the project, or passed to an
    unannotated constructor parameter by every call of the class that shows a type. A
    client received from code outside the project (an untyped third-party factory), or
    whose possible types disagree, is not tracked. Stub packages name a type too
    (`s3: S3Client` or `cast("S3Client", x)` with `S3Client` from `mypy_boto3_s3`), for the
    stubs the catalog lists.

    `urllib.request.urlopen()` of a `data:` URL, and the reads of its response, are not
    reported: urllib decodes the bytes from the URL itself. The URL must be a literal or
    f-string starting with `data:`, or a variable the call is inside `if
    url.startswith("data:..."):` of (alone or in an `and`) that the branch does not rebind.
    """

    code = "ASR102"
    slug = "sync-http-in-coroutine"
    fix_title = "Use `httpx.AsyncClient` and await the call"


class SyncDatabaseDriver(BlockingCallRule):
    """## What it does
    Reports sync database and cache drivers used in a coroutine: `sqlite3`, `psycopg2`,
    sync `psycopg`, `pymysql`, `MySQLdb`, `mysql.connector`, `oracledb`/`cx_Oracle`,
    `pyodbc`, `pymongo`, sync `redis`, sync Elasticsearch and Kafka clients, and the methods
    of their connections and cursors.

    ## Why is this bad?
    Every query waits for the database on the event loop, so one slow query stalls every
    other request.

    ## Example
    ```python
    import sqlite3
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/users")
    async def users():
        conn = sqlite3.connect("app.db")
        return conn.execute("SELECT * FROM users").fetchall()
    ```

    ## Use instead
    ```python
    import aiosqlite
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/users")
    async def users():
        async with aiosqlite.connect("app.db") as db:
            cursor = await db.execute("SELECT * FROM users")
            return await cursor.fetchall()
    ```

    ## Known limits
    A chain such as `conn.cursor().execute(...)` is reported once, at its start.
    Connections received from untyped helpers are not tracked. `fetchone()`,
    `fetchmany()` and `fetchall()` after an `execute()` on the same client-side cursor of
    psycopg2, PyMySQL or MySQLdb are not reported: those drivers hold the whole result
    when `execute()` returns, which is the call reported. A named (server-side) cursor,
    and sqlite3, which steps the statement as it fetches, are still reported.
    """

    code = "ASR103"
    slug = "sync-database-driver-in-coroutine"
    fix_title = "Use the driver's async API"


class SlowPasswordHash(BlockingCallRule):
    """## What it does
    Reports deliberately slow CPU work in a coroutine: `bcrypt`, passlib `CryptContext`
    and `passlib.hash` hash/verify, `pwdlib`, `argon2`, `hashlib.pbkdf2_hmac` and
    `hashlib.scrypt`, `werkzeug.security` password hashing and `cryptography` KDFs.

    ## Why is this bad?
    Password hashes are designed to take 100 ms or more of CPU. On the event loop every
    login freezes every other request for that long.

    ## Example
    ```python
    import bcrypt
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/login")
    async def login(password: str, stored: bytes):
        return {"ok": bcrypt.checkpw(password.encode(), stored)}
    ```

    ## Use instead
    ```python
    import asyncio

    import bcrypt
    from fastapi import FastAPI

    from .store import users

    app = FastAPI()


    @app.post("/login")
    async def login(name: str, password: str):
        user = await users.find(name)
        ok = await asyncio.to_thread(bcrypt.checkpw, password.encode(), user.hashed)
        return {"ok": ok}
    ```

    ## Known limits
    Fast digests (`hashlib.sha256`, `hmac`) are not reported.
    """

    code = "ASR108"
    slug = "slow-password-hash-in-coroutine"
    fix_title = "Run the hash with `asyncio.to_thread`"


class SyncSqlalchemySession(BlockingCallRule):
    """## What it does
    Reports a sync SQLAlchemy or SQLModel `Session`, `Connection` or `Engine` used in a
    coroutine (`query`, `execute`, `get`, `commit`, `refresh`, `scalars`, `exec`, ...),
    and the iteration of a lazy `Query` (`for user in db.query(User)`, a comprehension over
    one), which is when it runs. Sessions are recognised by annotation
    (`db: Session = Depends(get_db)`, `Annotated[Session, Depends(...)]` and its aliases)
    or by construction
    (`Session(engine)`, `SessionLocal()` from `sessionmaker`, `scoped_session`).

    ## Why is this bad?
    The sync session talks to the database on the event loop; every query stalls every
    request. FastAPI would have run the same handler in its thread pool had it been `def`.

    ## Example
    ```python
    from fastapi import Depends, FastAPI
    from sqlalchemy.orm import Session

    from .db import User, get_db

    app = FastAPI()


    @app.get("/users/{user_id}")
    async def read_user(user_id: int, db: Session = Depends(get_db)):
        return db.get(User, user_id)
    ```

    ## Use instead
    ```python
    from fastapi import Depends, FastAPI
    from sqlalchemy.orm import Session

    from .db import User, get_db

    app = FastAPI()


    @app.get("/users/{user_id}")
    def read_user(user_id: int, db: Session = Depends(get_db)):
        return db.get(User, user_id)
    ```

    ## Known limits
    `AsyncSession` is never reported, and neither are buffered results of an awaited
    `execute()`. `session.add()` and query building (`query()`, `filter()`) do no I/O
    and are not reported; the terminal call of a chain is.
    """

    code = "ASR109"
    slug = "sync-sqlalchemy-session-in-coroutine"
    fix_title = "Use `AsyncSession` or declare the handler `def`"
