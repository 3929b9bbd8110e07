"""Offloads to a worker thread and the calls that only make sense on the running loop."""
from __future__ import annotations

# Callables that run their callable argument in a worker thread.
OFFLOADS: frozenset[str] = frozenset(
    {
        "asyncio.to_thread",
        "asyncio.AbstractEventLoop.run_in_executor",
        "*.run_in_executor",
        "fastapi.concurrency.run_in_threadpool",
        "anyio.to_thread.run_sync",
        "asgiref.sync.sync_to_async",
        "asyncer.asyncify",
        "trio.to_thread.run_sync",
        "starlette.concurrency.iterate_in_threadpool",
        "fastapi.concurrency.iterate_in_threadpool",
    }
)

# Offload keyword arguments that pick a dedicated executor or limiter.
DEDICATED_OFFLOAD_KEYWORDS: frozenset[str] = frozenset({"limiter", "executor"})

# Calls that fetch the running loop: fine in a handler that only uses the loop to offload.
LOOP_ACCESSORS: frozenset[str] = frozenset({"asyncio.get_running_loop", "asyncio.get_event_loop"})
# Calls that only make sense on the running event loop: a handler using them must stay async.
LOOP_BOUND: frozenset[str] = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.current_task",
        "asyncio.all_tasks",
        "asyncio.Queue.put_nowait",
        "asyncio.Queue.get_nowait",
        "asyncio.Event.set",
        "asyncio.AbstractEventLoop.*",
        "anyio.create_task_group",
        "fastapi.WebSocket.*",
    }
)

# Methods of asyncio objects that only work on the loop's thread (`Queue.put_nowait`,
# `Future.set_result`, ...); `set`, `clear` and `cancel` only when called without arguments
# (`event.set()`, `task.cancel()`, not `cache.set(key, value)`).
LOOP_THREAD_METHODS = frozenset({"put_nowait", "get_nowait", "set_result", "set_exception",
                                 "call_soon", "call_later", "call_at", "create_task",
                                 "add_done_callback"})
LOOP_THREAD_METHODS_WITHOUT_ARGS = frozenset({"set", "clear", "cancel"})

# The offloads ASR202's fix unwraps: those called `f(fn, *args)` (the keyword ones also
# take options as keywords), and the wrappers called `f(fn)(*args)`.
OPTION_KEYWORD_OFFLOADS = ("anyio.to_thread.run_sync", "trio.to_thread.run_sync")
WRAPPER_OFFLOADS = ("asgiref.sync.sync_to_async", "asyncer.asyncify")
ARGUMENT_OFFLOADS = ("asyncio.to_thread", "fastapi.concurrency.run_in_threadpool",
                     "starlette.concurrency.run_in_threadpool", *OPTION_KEYWORD_OFFLOADS)
