"""ASR1xx, the standard library's waits on the operating system and on other threads:
sleeping (ASR101), files (ASR104), processes (ASR105), sockets, DNS and mail clients
(ASR106), thread and future waits (ASR107). The family's shared check is in blocking.py."""
from __future__ import annotations

from .blocking import BlockingCallRule


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
    fix = "sleep"
    fix_safe = True


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
    project class built on `io.BytesIO`, or on `io.RawIOBase` and the other abstract
    file objects when its own methods make no blocking call) and virtual file systems
    (`/proc`, `/sys`),
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
