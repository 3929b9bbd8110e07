"""ASR2xx: the shape of async routes and dependencies, reported at the `def` line."""
from __future__ import annotations

from typing import Iterator

from ..analysis import Analysis, Violation, source_text
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
    `async for`, `async with` or async comprehension of its own) and calls code that is
    not proven cheap.

    ## Why is this bad?
    FastAPI runs an `async def` handler on the event loop and a `def` handler in its
    thread pool. A handler that never awaits gains nothing from the loop, and every call
    it makes that is slower than expected stalls all other requests. Declared `def`, the
    same code would run in a worker thread.

    Proven cheap: builtins, a curated list (logging, datetime, uuid, `time.time`, json,
    fast digests, pydantic, FastAPI/Starlette responses and exceptions,
    `BackgroundTasks.add_task`, `jsonable_encoder`, str/dict/list methods), classes
    defined in the module and functions of the module whose bodies are themselves proven
    cheap. Handlers that only build and return data stay quiet.

    ## Example
    ```python
    from fastapi import FastAPI

    from .reports import build_report

    app = FastAPI()


    @app.get("/report")
    async def report():
        return build_report()
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI

    from .reports import build_report

    app = FastAPI()


    @app.get("/report")
    def report():
        return build_report()
    ```

    ## Known limits
    Never reported for websockets, middleware, lifespans, `@asynccontextmanager`
    functions, or handlers that use the running loop (`asyncio.create_task`, ...), which
    must stay async. A module function the project hands to a thread offload elsewhere is
    treated as slow. Extend the cheap list with `async-route-cheap-calls`.
    """

    code = "ASR201"
    slug = "async-route-without-await"
    message = ("{where} never awaits but calls {reason}; declare it `def` so FastAPI runs "
               "it in the thread pool")
    fix_title = "Declare the handler with `def`"

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        for function in _analysable_coroutines(analysis):
            if function.awaits_anything or analysis.is_loop_bound(function):
                continue
            costly = analysis.first_costly_call(function)
            if costly is None:
                continue
            verdict, call = costly
            shown = f"`{source_text(call.func)}()`"
            reason = f"blocking {shown}" if verdict == "blocking" else f"{shown} (not proven cheap)"
            yield self.violation(function.node, where=_sentence_start(function.where()),
                                 reason=reason)


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
    (`asyncio.get_running_loop()`, `get_event_loop()`) for anything but
    `loop.run_in_executor(None, ...)` (a worker thread has no running loop; a loop fetched
    only to offload with is removed by the fix), and when it checks shared state (a
    module-level object, a `global`, an attribute of `self`) and changes it with no
    `await` in between (`if seat in taken: ...` then `taken.add(seat)`): on the loop's
    one thread that is atomic, in the thread pool two requests could both pass the check.
    """

    code = "ASR202"
    slug = "offload-only-async-route"
    message = ("{where} only awaits thread offloads ({offloads}); declare it `def` and call "
               "the work directly")
    fix_title = "Declare the handler `def` and call the function directly"

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
