"""ASR1xx: a blocking call inside a coroutine, reported at the call.

This module holds the family's shared check, and the rules that are about how a blocking
call is reached rather than what it calls: the project's own helpers that block (ASR110)
and startup work (ASR111). The calls of the standard library are in blocking_system.py,
those of other libraries in blocking_libraries.py, what the configuration names (ASR100)
in configured.py.
"""
from __future__ import annotations

from typing import ClassVar, Iterator

from .. import catalog
from ..analysis import Analysis, Violation
from .base import Rule


class BlockingCallRule(Rule):
    """Shared check: every blocking call on the event loop whose catalog code is ours."""

    message = "{call} blocks the event loop in {where}; {hint}"
    # Said once for the rules whose own Known limits do not say it (how findings fold by
    # handle, which coroutines are offline); docs.py ends their Known limits with it.
    shared_known_limits: ClassVar[str] = (
        "Calls on one handle in one coroutine make one finding, at the first, whose message "
        "counts the others: `open()` then `fh.read()`, `cur.execute()` then `cur.fetchall()`, "
        "45 `fh.write()` calls, the managers of one sync client (`self.docker.containers`, "
        "`self.docker.volumes`). File-system calls in one coroutine make one finding too, "
        "whatever files they touch (`open()`, `shutil.copy()`, `os.remove()`), with the "
        "project helpers it calls that end at file-system work (an ASR110 chain): such work "
        "moves off the loop as one block, into one `asyncio.to_thread` function or a `def` "
        "handler; the message lists the lines of the others. The finding goes at the first "
        "that is more than a single metadata syscall (`os.remove()` of the old archive before "
        "a helper writes the new one is listed, not reported). Other module functions "
        "(`time.sleep()`, `requests.get()`) call no handle and are reported each time: each "
        "is its own line to rewrite. A call whose line says `# noqa` for its code does not "
        "take later calls of another handle with it. In a route or dependency that never "
        "awaits, the message says that declaring it `def` fixes it; ASR201 names the handler "
        "on its `def` line as well. "
        "Coroutines that never run on a server's loop are not reported: the ones a loop of "
        "their own runs (`asyncio.run()` or `loop.run_until_complete()` in sync code, a "
        "click or typer command, a project decorator whose sync wrapper does that), "
        "job-queue tasks, and the coroutines and methods that the project refers to only "
        "from those; ASR111's Known limits say which.")

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
    staticmethods on project classes (a staticmethod's first parameter is an ordinary
    argument, not `self`), methods of module-level singleton instances and of
    objects the project stores on `app.state`, and callables imported from other modules of
    the project (resolved to files on disk, never imported). A call of an abstract method
    (of an ABC or a Protocol, or a body of `...`, `pass` or `raise NotImplementedError`)
    follows the project's implementations: the subclasses that override it, and for a
    Protocol the classes that define all its methods with the same arguments; it is
    reported when one of them blocks, and the message names it. Calls through a list or
    tuple written out (`for check in (a, b): check()`, `steps[1]()`) and `getattr(x,
    "name")()` with a constant name are followed.

    An unannotated parameter of a helper is typed by what the project's calls of it pass,
    when every call that passes it passes a value of one known type (`first_item(session)`
    from routes that all hold a sync `Session`); a `**kwargs` lookup
    (`kwargs.get("session")`, `kwargs["session"]`) by what the calls pass under that
    keyword. One call passing a value of unknown type, through `*args`/`**kwargs`, or
    positionally to a method called on its class leaves it untyped; a helper also handed
    to code outside the project (a callback) is typed only by the calls the project shows.
    A method that only declares its result (`raise NotImplementedError`) returns what its
    implementations return, when they agree (`self.get_session()` of a base class).

    Code after `if True: ... return` in a method is dead and is not followed. A branch
    that the call's own arguments rule out is not followed either: `Run(h,
    read_only=True)` does not reach what `__init__` does under `if not read_only:`, also
    when the parameter is passed on (`self._setup(read_only=read_only)`), and
    `find(agent_id, agents)` leaves `db=None`, so `if db and ...:` does not run. Literal
    keyword arguments and literal defaults count; constants (`True`, `"pub"`) and dotted
    names (`Mode.SUB` is not `Mode.PUB`, `zmq.SUB` is not `zmq.PUB`) are told apart,
    positional literals too (`setup(zmq.SUB)`); module-level names are not read. A branch
    they make taken that ends in `return`, `raise`, `break` or `continue` rules out the
    rest of its block.

    What a sync method showed about the truthiness of `self.<attr>` is carried into the
    method it calls on the same `self` (a coroutine's facts are not: an `await` lets other
    tasks change the object): `if self.content: self.to_base64()` does not reach, down
    `to_base64()`, what `get_content_bytes()` does after `if self.content: return
    self.content`. The facts come from `if` tests without calls (`self.x`, `not self.x`,
    `self.x is None`, `and`/`or` of them) and from an early `if not self.x: return`; they
    hold until the next statement that makes a call (a `with` counts) or assigns the
    attribute or a part of it, are carried only by the one call of its statement, not into
    `with` blocks, loops that make calls, or except, else and finally blocks. Another
    thread changing the object in between, an assignment through another name for it, or
    a `content` property whose value changes between two reads, is not modelled.

    Not followed, as what runs is decided at run time: `getattr(x, name)()` with a computed
    name, registries (`HANDLERS[name]()`, a list built up with `append`, one imported from
    another module), callables received as untyped parameters, and third-party code (the
    catalog describes third-party APIs). Calls handed to a thread offload are not followed.

    Calls in one coroutine whose chains end at the same blocking call (one helper called
    many times, or several helpers that share it), calls of the methods of one object
    (`auth.db.get_user()` then `auth.db.list_keys()`: one sync layer, whatever queries its
    methods run), and calls whose chains end at the same kind of blocking work in the same
    module (two helpers that both query the project's sqlite store), make one finding, at
    the first, whose message counts the others and lists their lines. Chains that end in
    different modules (the auth database and a separate config store) or at different
    kinds of work (a file read and a query) are separate causes, reported each. A helper
    handed the handle an earlier blocking call of the coroutine used (`serialize(row,
    session)` after `session.query(...).first()`) folds into that call. A call whose
    line says `# noqa: ASR110` does not take the others with it. In a route or dependency
    that never awaits, the message says that declaring it `def` fixes it; ASR201 names the
    handler on its `def` line as well.

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
    locking included), also when the guard tests a local copy of the slot that the block
    stores back (`service = self._service; if service is None: ...; self._service =
    service`), or whose block calls a method on the same `self` that fills it (`if
    self._zmq is None: self.setup()`), and a keyed cache filled on a miss, on `self`/`cls`
    or a module-level dict (`repo = cls._pool.get(path); if repo is None: repo =
    Repo(path); cls._pool[path] = repo`, `if name not in _schemas: _schemas[name] =
    fetch(name)`, `if name in _schemas: return _schemas[name]` before the store): paid
    once per key. The first request still pays for it once; a guard on a local variable
    that is never stored back, or on a request's state, is not a cache and is still
    reported.

    Coroutines that never run on a server's loop are not reported (ASR111's Known limits
    say which): a click command whose project decorator runs it with `asyncio.run(f(*args,
    **kwargs))`, a worker's coroutine that sync code runs with
    `loop.run_until_complete()`, and the coroutines and methods only those refer to. One
    that a route also awaits, or that starts tasks on its loop, is reported.

    Iterating (a `for` loop or a comprehension) an instance of a project class that the
    coroutine or a sync helper it calls has just built (`for exp in factory.experiments()`
    where a `return` of the helper, on any path, constructs `ExperimentCollection(session,
    query=q)`, also through a generic alias `ExperimentCollection = Collection[Exp]`) runs
    the class's sync `__iter__`, and its chain is followed; the instance is new, so the
    caches its methods fill on `self` are empty and the work behind their guards counts.
    An instance held in a global or an attribute is not followed this way, nor `len()`,
    `in`, truthiness or property reads on it.
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

    Coroutines that never run on a server's loop are reported under no code. These are the
    ones a loop of their own runs: handed to `asyncio.run` (`anyio.run`, `trio.run`) or
    `loop.run_until_complete()` in sync code or under `if __name__ == "__main__":`, or under
    a project decorator whose sync wrapper only ever runs the coroutine that way (`def
    coro(f): ... return asyncio.run(f(*args, **kwargs))` on a click command). Also job-queue
    tasks (`@broker.task`, `@actor`, ... in a module importing arq, taskiq, dramatiq,
    celery, huey, saq or procrastinate), and the coroutines referred to only from those:
    module-level and nested coroutines, and methods (not dunders, of a class whose bases are
    the project's or `abc.ABC`), when every read of their name anywhere in the project is
    inside such code. Their own module must name them there, but for a method that a project
    base class calls from such code (`self.schedule_task()` in the base's
    `run_until_complete(_wrapper())`). A coroutine also referred to elsewhere (awaited by a
    route or by another coroutine, imported under another name, a method named in a string),
    or a method a third-party base class may call, is still reported, and so is one that
    starts tasks beside itself (`asyncio.create_task`, `ensure_future`, `gather`, a task
    group's `start_soon`) and those tasks: they share its loop, and a blocking call in one
    stalls the others (LitServe fixed such a worker loop). In a project that uses
    nest_asyncio, which lets a runner re-enter the running loop, a runner counts only in a
    command-line entry point. A coroutine run by `asyncio.run(main())` is offline even when
    `main` goes on to serve the app: work it starts before serving, referred to only from
    it, is not reported.
    """

    code = "ASR111"
    shared_known_limits = ""
    slug = "blocking-call-in-startup"
    message = "{call} blocks the event loop once, in {where} (startup/shutdown work); {hint}"
    fix_title = "Run the startup work in a thread, or accept the one-time cost"
