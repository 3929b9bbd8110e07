"""ASR2xx: the shape of async routes and dependencies, reported at the `def` line."""
from __future__ import annotations

from typing import Iterator

from ..analysis import Analysis, Violation, shown_call, source_text
from ..model import FunctionInfo
from .base import Rule


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _analysable_coroutines(analysis: Analysis) -> Iterator[FunctionInfo]:
    """The threadable coroutines but those blocking_calls() found too deeply nested: the
    same deep expressions would exhaust the stack here too."""
    analysis.blocking_calls()  # fills analysis.too_deep
    return (f for f in analysis.threadable_coroutines() if f not in analysis.too_deep)


class AsyncRouteWithoutAwait(Rule):
    """## What it does
    Reports an `async def` route or dependency that never awaits (no `await`,
    `async for`, `async with` or async comprehension of its own) and calls something
    shown to be costly: a blocking call (from the catalog, the configured names, or down a
    chain of project helpers), CPU-heavy work (compression, parsing or rendering documents
    and images, pure-Python QR encoding), or a project function that its own module runs in a thread elsewhere,
    called directly or down a chain of project helpers. The message names that call.

    ## Why is this bad?
    FastAPI runs an `async def` handler on the event loop and a `def` handler in its
    thread pool. A handler that never awaits gains nothing from the loop, and its costly
    work stalls all other requests meanwhile. Declared `def`, the same code would run in a
    worker thread.

    Calls that are merely not proven cheap (a helper in another module, `payload.get()`,
    a query builder, a settings accessor) are not enough: most are cheap, and a linter that
    reports them gets switched off. The opt-in ASR203 reports those too.

    ## Example
    ```python
    import gzip

    from fastapi import FastAPI
    from fastapi.responses import Response

    app = FastAPI()


    @app.get("/archive")
    async def archive(text: str):
        return Response(gzip.compress(text.encode()), media_type="application/gzip")
    ```

    ## Use instead
    ```python
    import gzip

    from fastapi import FastAPI
    from fastapi.responses import Response

    app = FastAPI()


    @app.get("/archive")
    def archive(text: str):
        return Response(gzip.compress(text.encode()), media_type="application/gzip")
    ```

    ## Known limits
    Never reported for websockets, middleware, lifespans, `@asynccontextmanager`
    functions, or handlers that use the running loop (`asyncio.create_task`, ...), which
    must stay async. A blocking call whose line says `# noqa` for its own code (say
    `# noqa: ASR102`) is taken as accepted: it alone does not make the handler costly, so
    the `noqa` leaves nothing (even under flake8's `--disable-noqa`). The blocking call
    keeps its own ASR1xx finding, whose message also says that declaring the handler `def`
    fixes it. CPU-heavy work is a catalog list, not a measurement; a name listed in
    `async-route-cheap-calls` is not CPU-heavy. A chain is seen through the types the
    project's calls pass to a helper's parameters (see ASR110). Work the analysis cannot
    follow (a method of
    a store typed by a `Protocol`, a global unpacked from a tuple) is not shown to be costly
    even when it is: such handlers are the opt-in ASR203's.
    """

    code = "ASR201"
    slug = "async-route-without-await"
    message = ("{where} never awaits but calls {reason}; declare it `def` so FastAPI runs "
               "it in the thread pool")
    fix_title = "Declare the handler with `def`"
    fix = "declare_def"

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        for function in _analysable_coroutines(analysis):
            if not analysis.never_awaiting_handler(function):
                continue
            reason = analysis.costly_call(function)
            if reason is not None:
                yield self.violation(function.node, where=_sentence_start(function.where()),
                                     reason=reason)


class AsyncRouteWithoutAwaitUnknownCalls(Rule):
    """## What it does
    Opt-in, the strict variant of ASR201: reports an `async def` route or dependency that
    never awaits and calls code that is not proven cheap, where ASR201 found nothing shown
    to be costly. The message names the first such call (a context manager only when there
    is no other).

    Off by default: flake8 lists it in its default ignore list, and neither flake8 nor the
    command line reports it unless a `select` or `extend-select` entry names it more
    narrowly than `ASR` (`--extend-select=ASR203`; `ASR2` and `ASR20` do too). `ASR` alone
    means this tool's default findings. Once chosen, `ignore` (the longer prefix wins),
    `per-file-ignores` and `# noqa` apply as to any code; any `extend-ignore` prefix of it
    turns it off, since flake8 adds those to its default ignore list, which holds ASR203,
    and gives ties to the ignore. The command line decides the same way.

    ## Why is this bad?
    A handler that never awaits gains nothing from the event loop: declared `def`, FastAPI
    runs it in its thread pool, where a call that turns out slow stalls one worker instead
    of every request. Teams that want every await-less handler declared `def` select this
    code.

    Proven cheap: builtins, a curated list (logging, datetime, uuid, `time.time`, json,
    fast digests, pydantic, FastAPI/Starlette responses and exceptions,
    `BackgroundTasks.add_task`, `jsonable_encoder`, str/dict/list methods), classes
    defined in the project and project functions whose bodies are themselves proven cheap.
    Handlers that only build and return data stay quiet.

    ## Example
    ```python
    # flake8-args: --extend-select=ASR203
    from fastapi import FastAPI

    from .reports import build_report

    app = FastAPI()


    @app.get("/report")
    async def report():
        return build_report()
    ```

    ## Use instead
    ```python
    # flake8-args: --extend-select=ASR203
    from fastapi import FastAPI

    from .reports import build_report

    app = FastAPI()


    @app.get("/report")
    def report():
        return build_report()
    ```

    ## Known limits
    Never reported where ASR201 is (one finding per handler), nor for the handlers ASR201
    leaves alone (websockets, middleware, lifespans, loop users). Blocking calls a
    `# noqa` accepts are left out, as for ASR201. Extend the cheap list with
    `async-route-cheap-calls`.
    """

    code = "ASR203"
    slug = "async-route-without-await-unknown-calls"
    message = ("{where} never awaits and calls {call}, not proven cheap; declaring it `def` "
               "lets FastAPI run it in the thread pool")
    fix_title = "Declare the handler with `def`"
    fix = "declare_def"
    opt_in = True

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        for function in _analysable_coroutines(analysis):
            if not analysis.never_awaiting_handler(function) or \
                    analysis.costly_call(function) is not None:
                continue
            call = analysis.first_unknown_call(function)
            if call is not None:
                yield self.violation(function.node, where=_sentence_start(function.where()),
                                     call=shown_call(call))


class OffloadOnlyAsyncRoute(Rule):
    """## What it does
    Reports an `async def` route or dependency whose every `await` is a thread offload
    (`asyncio.to_thread`, `run_in_threadpool`, `loop.run_in_executor(None, ...)`,
    `anyio.to_thread.run_sync`, `asyncer.asyncify`).

    ## Why is this bad?
    The handler hops onto the event loop only to hop off it again. Declared `def`, FastAPI
    runs it in the same thread pool with less code, no wrapper, and one thread switch
    instead of two.

    ## Example
    ```python
    import asyncio

    from fastapi import FastAPI

    from .pdf import parse_pdf

    app = FastAPI()


    @app.post("/upload")
    async def upload(data: bytes):
        return {"text": await asyncio.to_thread(parse_pdf, data)}
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI

    from .pdf import parse_pdf

    app = FastAPI()


    @app.post("/upload")
    def upload(data: bytes):
        return {"text": parse_pdf(data)}
    ```

    ## Known limits
    Not reported when an offload uses a dedicated executor or limiter (a plain `def`
    would not be equivalent), when offloads are awaited together (`asyncio.gather`, task
    groups), for asgiref's `sync_to_async` in its default thread-sensitive mode, or for
    coroutines that are not routes or dependencies.

    Not reported either when `def` would break or change the handler, so that the unsafe
    fix never produces code that fails at run time: when it fetches the running loop
    (`asyncio.get_running_loop()`, `get_event_loop()`) for anything but an awaited
    `loop.run_in_executor(None, ...)` (a worker thread has no running loop; a loop fetched
    only to offload with is removed by the fix, but a fire-and-forget
    `loop.run_in_executor(...)` that is not awaited has no direct-call equivalent), and
    when it checks shared state (a module-level object, a `global`, an attribute of
    `self`) and changes it with no `await` in between (`if seat in taken: ...` then
    `taken.add(seat)`): on the loop's one thread that is atomic, in the thread pool two
    requests could both pass the check.
    """

    code = "ASR202"
    slug = "offload-only-async-route"
    message = ("{where} only awaits thread offloads ({offloads}); declare it `def` and call "
               "the work directly")
    fix_title = "Declare the handler `def` and call the function directly"
    fix = "offload"

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        for function in _analysable_coroutines(analysis):
            scope = function.scope
            if (not scope.awaits or scope.async_constructs
                    or analysis.is_loop_bound(function, offloading=True)
                    or analysis.relies_on_the_loop_thread(function)):
                continue
            offloads = [analysis.offload_of(node.value, scope) for node in scope.awaits]
            if any(o is None or analysis.uses_dedicated_pool(o, scope) for o in offloads):
                continue
            shown = ", ".join(sorted({f"`{source_text(o.func)}`" for o in offloads}))
            yield self.violation(function.node, where=_sentence_start(function.where()),
                                 offloads=shown)
