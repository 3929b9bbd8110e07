"""ASR1xx: a blocking call inside a coroutine, reported at the call."""
from __future__ import annotations

from typing import ClassVar, Iterator

from .. import catalog
from ..analysis import Analysis, Violation
from .base import Rule


class BlockingCallRule(Rule):
    """Shared check: every blocking call on the event loop whose catalog code is ours."""

    message = "{call} blocks the event loop in {where}; {hint}"
    # Said once for the rules whose findings fold by handle; docs.py ends their Known
    # limits with it.
    shared_known_limits: ClassVar[str] = (
        "Calls on one handle in one coroutine make one finding, at the first, whose message "
        "counts the others: `open()` then `fh.read()`, `cur.execute()` then `cur.fetchall()`, "
        "45 `fh.write()` calls. Module functions (`time.sleep()`, `requests.get()`) call no "
        "handle and are reported each time. In a route or dependency that never awaits, the "
        "message says that declaring it `def` fixes it; ASR201 names the handler on its "
        "`def` line as well.")

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        for folded in analysis.folded_blocking_calls():
            found = folded.first
            if found.code != self.code:
                continue
            hint = found.hint
            never_awaits = analysis.never_awaiting_handler(found.function)
            if never_awaits or not analysis.is_threadable(found.function):
                # only handlers can be `def`, and one that never awaits is told so first
                hint = hint.replace(catalog.DECLARE_DEF, "").rstrip(",")
            if never_awaits:
                hint = (f"it never awaits, so declaring it `def` fixes this (FastAPI then runs "
                        f"it in the thread pool); or {hint}")
            yield self.violation(found.node, call=folded.describe(),
                                 where=found.function.where(), hint=hint)


class ConfiguredBlockingCall(BlockingCallRule):
    """## What it does
    Reports calls to the names listed in the `async-route-blocking-calls` option (for
    example an in-house SDK), method calls on instances of the sync client types listed in
    `async-route-sync-client-types` (what calling the class makes, wherever it flows), and
    code matching the ast-grep patterns of the `blocking-patterns` option, when they run on
    the event loop inside a coroutine.

    A pattern is Python code with metavariables (`legacy_sdk.$M($$$ARGS)`); it is reported
    with its own message and hint, in which `$M` and `$$$ARGS` stand for what they matched.

    ## Why is this bad?
    Your team knows which internal libraries block. Once listed, they are treated like
    the built-in catalog: a call on the event loop freezes every request in flight.

    ## Example
    ```python
    # flake8-args: '--async-route-blocking-calls=legacy_sdk.fetch->use legacy_sdk.aio.fetch'
    import legacy_sdk
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/report")
    async def report():
        return legacy_sdk.fetch("report")
    ```

    ## Use instead
    ```python
    # flake8-args: '--async-route-blocking-calls=legacy_sdk.fetch->use legacy_sdk.aio.fetch'
    import legacy_sdk
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/report")
    def report():
        return legacy_sdk.fetch("report")
    ```

    ## Known limits
    Names are matched after import resolution (`from legacy_sdk import fetch as f` still
    matches `legacy_sdk.fetch`); `pkg.*` matches everything below `pkg`. Methods match as
    `Type.method` only for types the catalog can track. When a name is also in the
    built-in catalog, the catalog's more specific code wins.

    Patterns match syntax, not resolved names: `legacy_sdk.$M($$$)` does not match a call
    through `from legacy_sdk import fetch`, and an alias needs a pattern of its own. A match
    is reported where it starts, only in a coroutine's own code (not in nested functions,
    class bodies or lambdas, except lambdas handed to `sorted`, `map` and the like), and not
    where an `ASR1xx` finding already starts: the catalog's or configured name's finding is
    kept, and of two patterns matching at one place the first listed. Like the catalog's
    calls, a match in startup work is reported as ASR111, and none in coroutines that
    never run on a server's loop (see ASR111).
    """

    code = "ASR100"
    slug = "configured-blocking-call-in-coroutine"
    fix_title = "Use the configured async alternative"


class BlockingSleep(BlockingCallRule):
    """## What it does
    Reports `time.sleep()` inside a coroutine (an `async def` route, dependency,
    middleware, background task or helper).

    ## Why is this bad?
    `time.sleep()` blocks the thread it runs on. In a coroutine that thread is the event
    loop: no other request is served while it sleeps, health checks time out and the
    orchestrator restarts the pod.

    ## Example
    ```python
    import time
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/slow")
    async def slow():
        time.sleep(1)
        return {"status": "done"}
    ```

    ## Use instead
    ```python
    import asyncio
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/slow")
    async def slow():
        await asyncio.sleep(1)
        return {"status": "done"}
    ```

    ## Known limits
    Only calls written in the coroutine itself are reported here; a helper that sleeps
    is reported where the coroutine calls it once call following is enabled.
    """

    code = "ASR101"
    slug = "blocking-sleep-in-coroutine"
    fix_title = "Replace with `await asyncio.sleep(...)`"


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


class BlockingFileIO(BlockingCallRule):
    """## What it does
    Reports file-system I/O in a coroutine: `open()`/`io.open()` and reads and writes on
    the file objects they return, `pathlib.Path` reads, writes and directory listings,
    `shutil` copies and moves, `tempfile` files, and blocking `os` file calls.

    ## Why is this bad?
    Disk and network file systems can take milliseconds to seconds; on the event loop
    that time is taken from every other request.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/readme")
    async def readme():
        with open("README.md") as fh:
            return {"text": fh.read()}
    ```

    ## Use instead
    ```python
    import aiofiles
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/readme")
    async def readme():
        async with aiofiles.open("README.md") as fh:
            return {"text": await fh.read()}
    ```

    ## Known limits
    Pure path arithmetic (`Path(...) / "x"`, `os.path.join`) and quick metadata calls
    (`exists()`, `is_file()`, `stat()`, `mkdir()`, `os.makedirs()`, `touch()`) are not
    reported, nor are in-memory files (`zipfile.ZipFile(io.BytesIO(...))`, or over a
    project class built on `io.BytesIO`) and virtual file systems (`/proc`, `/sys`),
    nor the reads and writes on a handle such an `open()` returned. `aiofiles`,
    `anyio.Path` and awaited `UploadFile` methods are never reported. Descriptor-level
    calls (`os.open`, `os.read`, `os.write`, `os.fsync`, `tempfile.mkstemp`) get the
    `asyncio.to_thread` hint only: anyio and aiofiles have no counterpart for them.

    A read of at most 64 KiB from an upload's spooled file, with the size written in the
    code (`upload.file.read(4)`, `upload.file.readline(256)`,
    `upload.file.read(len(PDF_MAGIC))` for a bytes or str constant), is not reported:
    Starlette keeps the first 1 MiB in memory and the rest in a temp file, so a few bytes
    are a copy from memory or the page cache, as cheap as the `seek()` beside them.
    Reading all of it, or a size held in a variable, is reported; so is a small read of a
    file the code opened itself (its `open()` is the finding to act on).
    """

    code = "ASR104"
    slug = "blocking-file-io-in-coroutine"
    fix_title = "Use `aiofiles` / `anyio` or `asyncio.to_thread`"


class BlockingSubprocess(BlockingCallRule):
    """## What it does
    Reports process creation and waits in a coroutine: `subprocess.*`, `os.system`,
    `os.popen`, `os.spawn*`, `os.wait*`.

    ## Why is this bad?
    Starting a process and waiting for it blocks the event loop for as long as the
    child runs.

    ## Example
    ```python
    import subprocess
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/convert")
    async def convert():
        subprocess.run(["convert", "in.png", "out.jpg"], check=True)
        return {"ok": True}
    ```

    ## Use instead
    ```python
    import asyncio
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/convert")
    async def convert():
        proc = await asyncio.create_subprocess_exec("convert", "in.png", "out.jpg")
        await proc.wait()
        return {"ok": True}
    ```

    ## Known limits
    `subprocess.Popen(...)` itself is reported, as are `wait()` and `communicate()` on a
    tracked `Popen` object. `os.waitpid()`, `os.wait3()`, `os.wait4()` and `os.waitid()`
    are not reported when their options name `os.WNOHANG` (alone or or-ed with other
    flags): they return at once. Options held in a variable are assumed to wait.
    """

    code = "ASR105"
    slug = "blocking-subprocess-in-coroutine"
    fix_title = "Use `asyncio.create_subprocess_exec`"


class BlockingSocket(BlockingCallRule):
    """## What it does
    Reports blocking sockets, DNS look-ups and mail/FTP clients in a coroutine:
    `socket.create_connection`, `gethostbyname`, `getaddrinfo`, blocking socket methods,
    `smtplib`, `ftplib`, `imaplib`, `poplib`.

    ## Why is this bad?
    Network round trips, and DNS look-ups in particular, can take seconds; the event
    loop is stuck for all of them.

    ## Example
    ```python
    import smtplib
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/notify")
    async def notify(to: str):
        with smtplib.SMTP("mail.example.com") as smtp:
            smtp.sendmail("app@example.com", [to], "hello")
        return {"sent": True}
    ```

    ## Use instead
    ```python
    import aiosmtplib
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/notify")
    async def notify(to: str):
        await aiosmtplib.send("hello", sender="app@example.com", recipients=[to],
                              hostname="mail.example.com")
        return {"sent": True}
    ```

    ## Known limits
    Sockets are tracked when created with `socket.socket()` or
    `socket.create_connection()` in view of the analysis.
    """

    code = "ASR106"
    slug = "blocking-socket-in-coroutine"
    fix_title = "Use asyncio streams or an async client"


class SyncWait(BlockingCallRule):
    """## What it does
    Reports synchronous waits in a coroutine: `threading` lock, event, condition and
    semaphore waits, `queue.Queue` `get`/`put`/`join`,
    `concurrent.futures` `Future.result()` and `wait()`, and `asyncio.run()` or
    `run_until_complete()` called from inside a running coroutine.

    ## Why is this bad?
    The thread that would release the wait may need the event loop to make progress, so
    the wait can deadlock the application; at best it stalls every request meanwhile.

    ## Example
    ```python
    import threading
    from fastapi import FastAPI

    app = FastAPI()
    ready = threading.Event()


    @app.get("/ready")
    async def wait_ready():
        ready.wait()
        return {"ready": True}
    ```

    ## Use instead
    ```python
    import asyncio
    from fastapi import FastAPI

    app = FastAPI()
    ready = asyncio.Event()


    @app.get("/ready")
    async def wait_ready():
        await ready.wait()
        return {"ready": True}
    ```

    ## Known limits
    Locks and queues are tracked when created in view of the analysis
    (`threading.Lock()`, `queue.Queue()`). Not reported: `get_nowait`/`put_nowait`,
    `acquire(blocking=False)`, `get(block=False)`, `executor.shutdown(wait=False)`
    (its hint says so, rather than suggesting an asyncio primitive), `with lock:` around a short
    critical section, the normal way to guard state shared with threads, and `acquire()`
    on the line right after `lock = threading.Lock()` in the same block (no other thread
    can hold a lock nobody else has seen yet). `Thread.join()` is reported with its own
    hint: wait for it in a thread.

    `put()` on a `queue.Queue` (or `LifoQueue`, `PriorityQueue`) is not reported when every
    assignment of it the analysis sees makes it without a positive `maxsize`
    (`self.q = queue.Queue()`): an unbounded queue always has room. A queue passed in as a
    parameter, imported from another module, or sized by a variable is assumed bounded.
    Assignments from outside the class or module (a subclass, `global` in another
    function) are not seen.
    """

    code = "ASR107"
    slug = "sync-wait-in-coroutine"
    fix_title = "Use the asyncio primitive"


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


class BlockingHelperCall(BlockingCallRule):
    """## What it does
    Reports a call, inside a coroutine, to a sync function or method of the project that
    blocks somewhere down its call chain: a helper in a utils module that runs bcrypt, a
    model method that queries a sync session, a classmethod on a table singleton. The
    message names the chain and the final blocking call with its location.

    ## Why is this bad?
    The blocking call is rarely written in the route itself. It sits one or two calls
    away, where neither the reviewer nor a line-by-line linter sees it, and it freezes
    the event loop just the same.

    ## Example
    ```python
    import bcrypt
    from fastapi import FastAPI

    app = FastAPI()


    def get_password_hash(password: str) -> bytes:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt())


    @app.post("/signup")
    async def signup(password: str):
        hashed = get_password_hash(password)
        return {"hashed": hashed.decode()}
    ```

    ## Use instead
    ```python
    import bcrypt
    from fastapi import FastAPI

    app = FastAPI()


    def get_password_hash(password: str) -> bytes:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt())


    @app.post("/signup")
    def signup(password: str):
        hashed = get_password_hash(password)
        return {"hashed": hashed.decode()}
    ```

    ## Known limits
    Follows module-level functions, methods through `self`/`cls`, classmethods and
    staticmethods on project classes, methods of module-level singleton instances and of
    objects the project stores on `app.state`, and callables imported from other modules of
    the project (resolved to files on disk, never imported). A call of an abstract method
    (of an ABC or a Protocol, or a body of `...`, `pass` or `raise NotImplementedError`)
    follows the project's implementations: the subclasses that override it, and for a
    Protocol the classes that define all its methods with the same arguments; it is
    reported when one of them blocks, and the message names it. Calls through a list or
    tuple written out (`for check in (a, b): check()`, `steps[1]()`) and `getattr(x,
    "name")()` with a constant name are followed.

    A branch that the call's own arguments rule out is not followed: `Run(h,
    read_only=True)` does not reach what `__init__` does under `if not read_only:`, also
    when the parameter is passed on (`self._setup(read_only=read_only)`), and
    `find(agent_id, agents)` leaves `db=None`, so `if db and ...:` does not run. Literal
    keyword arguments and literal defaults count; constants (`True`, `"pub"`) and dotted
    names (`Mode.SUB` is not `Mode.PUB`, `zmq.SUB` is not `zmq.PUB`) are told apart,
    positional literals too (`setup(zmq.SUB)`); module-level names are not read.

    Not followed, as what runs is decided at run time: `getattr(x, name)()` with a computed
    name, registries (`HANDLERS[name]()`, a list built up with `append`, one imported from
    another module), callables received as untyped parameters, and third-party code (the
    catalog describes third-party APIs). Calls handed to a thread offload are not followed.

    Calls in one coroutine whose chains end at the same blocking call (one helper called
    many times, or several helpers that share it), and calls of the methods of one object
    (`auth.db.get_user()` then `auth.db.list_keys()`: one sync layer, whatever queries its
    methods run), make one finding, at the first, whose message counts the others; calls
    through `self` fold only by the chain's end. In a route or dependency that never
    awaits, the message says that declaring it `def` fixes it; ASR201 names the handler on
    its `def` line as well.

    When a helper reaches several blocking calls, the message shows the costliest
    (network, database, subprocess, then password hashing and configured calls, then
    sleeps and waits, then file I/O), the shortest chain among equally costly ones. A
    helper that begins with `if not os.path.exists(p): return` is not followed when the
    statement before its call deletes the same path (`os.remove(p)`, `p.unlink()`): it
    returns at its check.

    Run-once work is not per-request work and is not reported, in a helper or in the
    coroutine itself: calls to functions decorated with `functools.cache`,
    `functools.lru_cache` (FastAPI's `@lru_cache def get_settings()`), `cachetools`
    decorators or `cached_property` that take no arguments or are given only constants
    (a cache keyed by a request's values, a random salt, misses as often as they differ,
    and is still followed), and the calls that fill a cache slot
    behind a guard, `if self._x is None: self._x = load()`, `if not self._x: ...`,
    `if self._x is not None: return self._x` followed by the assignment, or a module
    singleton (`global _client; if _client is None: _client = make()`, double-checked
    locking included). The first request still pays for it once; a guard on a local
    variable or on a request's state is not a cache and is still reported.
    """

    code = "ASR110"
    shared_known_limits = ""  # its Known limits say how chains fold
    slug = "blocking-helper-call-in-coroutine"
    fix_title = "Run the helper in a thread or declare the caller `def`"


class BlockingCallInStartup(BlockingCallRule):
    """## What it does
    Reports a blocking call (any of ASR100 to ASR110) in work that runs once, when the
    application starts or stops: a lifespan (`FastAPI(lifespan=...)`, or an
    `@asynccontextmanager` taking the app), an `@app.on_event("startup")` or
    `"shutdown"` handler, `on_startup=[...]` / `on_shutdown=[...]` and
    `add_event_handler`. It replaces the code the call would otherwise get, so that
    startup work can be told apart from per-request work and chosen separately.

    ## Why is this bad?
    The lifespan runs on the event loop. A blocking call there is paid once, not per
    request, but it delays readiness (health checks, other lifespans, a rolling deploy)
    and, at shutdown, the draining of requests still in flight. It is worth fixing when
    it is slow, and less urgent than a blocking call in a route: in SARIF it is a `note`,
    not an `error`.

    ## Example
    ```python
    import json
    from contextlib import asynccontextmanager

    from fastapi import FastAPI


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        with open("settings.json") as fh:
            app.state.settings = json.load(fh)
        yield


    app = FastAPI(lifespan=lifespan)
    ```

    ## Use instead
    ```python
    import asyncio
    import json
    from contextlib import asynccontextmanager
    from pathlib import Path

    from fastapi import FastAPI


    @asynccontextmanager
    async def lifespan(app: FastAPI):
        text = await asyncio.to_thread(Path("settings.json").read_text)
        app.state.settings = json.loads(text)
        yield


    app = FastAPI(lifespan=lifespan)
    ```

    ## Known limits
    Shown by default, like every other rule: blocking a starting loop is still a real
    cost. To keep only per-request findings, add `ASR111` to flake8's `extend-ignore`.
    A coroutine of the same module that only startup work refers to is startup work too;
    one also used elsewhere, or defined in another module, is reported under its own
    code. The message names the blocking call as ASR1xx would, with the same hint; a
    `time.sleep` keeps ASR101's safe fix.

    Coroutines that never run on a server's loop are reported under no code: one a
    command-line entry point hands to `asyncio.run` (`anyio.run`, `trio.run`) under
    `if __name__ == "__main__":`, in a click or typer command, or in a function called
    only from there; job-queue tasks (`@broker.task`, `@actor`, ... in a module importing
    arq, taskiq, dramatiq, celery, huey, saq or procrastinate); and the module's
    coroutines referred to only from those. A coroutine also referred to anywhere else
    in the module (awaited by a route or by another coroutine), or from another module,
    is still reported.
    """

    code = "ASR111"
    shared_known_limits = ""
    slug = "blocking-call-in-startup"
    message = "{call} blocks the event loop once, in {where} (startup/shutdown work); {hint}"
    fix_title = "Run the startup work in a thread, or accept the one-time cost"
