"""What FastAPI and Starlette code looks like: route decorators and registrars, endpoint
and middleware bases, dependency markers, and the entry points that serve no request."""
from __future__ import annotations

# Classes whose first argument is a function run after the response (`add_task` is the
# method that does the same).
BACKGROUND_TASK_CONSTRUCTORS = frozenset({"starlette.background.BackgroundTask"})

# Decorator names that register a route on an app or router, with the HTTP method(s).
ROUTE_DECORATORS: dict[str, tuple[str, ...]] = {
    "get": ("GET",),
    "post": ("POST",),
    "put": ("PUT",),
    "patch": ("PATCH",),
    "delete": ("DELETE",),
    "head": ("HEAD",),
    "options": ("OPTIONS",),
    "trace": ("TRACE",),
    "api_route": (),
    "route": (),
}
WEBSOCKET_DECORATORS: frozenset[str] = frozenset({"websocket", "websocket_route"})

# Method names that register a handler given as an argument.
ROUTE_REGISTRARS: frozenset[str] = frozenset({"add_api_route", "add_route"})
WEBSOCKET_REGISTRARS: frozenset[str] = frozenset(
    {"add_api_websocket_route", "add_websocket_route"}
)
ROUTE_CLASSES: frozenset[str] = frozenset(
    {"starlette.routing.Route", "fastapi.routing.APIRoute", "fastapi.APIRoute"}
)
WEBSOCKET_ROUTE_CLASSES: frozenset[str] = frozenset(
    {"starlette.routing.WebSocketRoute", "fastapi.routing.APIWebSocketRoute"}
)
DEPENDS: frozenset[str] = frozenset({"fastapi.Depends", "fastapi.Security"})
HTTP_ENDPOINT_BASES: frozenset[str] = frozenset(
    {"starlette.endpoints.HTTPEndpoint", "fastapi.endpoints.HTTPEndpoint"}
)
WEBSOCKET_ENDPOINT_BASES: frozenset[str] = frozenset(
    {"starlette.endpoints.WebSocketEndpoint"}
)
MIDDLEWARE_BASES: frozenset[str] = frozenset(
    {"starlette.middleware.base.BaseHTTPMiddleware", "fastapi.middleware.base.BaseHTTPMiddleware"}
)
APP_TYPES: frozenset[str] = frozenset({"fastapi.FastAPI", "fastapi.APIRouter"})
# What a lifespan's parameter may be annotated with when its type is not tracked.
APP_CLASSES: frozenset[str] = frozenset(
    {"fastapi.FastAPI", "starlette.applications.Starlette", "fastapi.applications.FastAPI"})
# Calls that start an event loop of their own (all named `run`: the analysis looks for no
# other), the event-loop methods that run a coroutine to its end on a loop that is not
# running (whatever the loop's type, known by name), and the command-line frameworks whose
# commands make them entry points that serve no request.
LOOP_RUNNERS: frozenset[str] = frozenset({"asyncio.run", "anyio.run", "trio.run", "uvloop.run"})
LOOP_RUNNER_METHODS: frozenset[str] = frozenset({"run_until_complete"})
# Calls (by their last name) that start tasks beside the running one: a coroutine making
# them on a loop of its own hosts concurrent work, which a blocking call in it stalls.
TASK_STARTERS: frozenset[str] = frozenset(
    {"create_task", "ensure_future", "gather", "start_soon", "as_completed"})
# Libraries that let a loop runner re-enter the running loop: in a project using one, a
# runner called from sync code may run its coroutine on the server's loop.
LOOP_REENTRY_PATCHES: tuple = ("nest_asyncio",)
# Base classes that call none of their subclasses' methods.
INERT_BASES: frozenset[str] = frozenset(
    {"abc.ABC", "builtins.object", "object", "typing.Generic", "typing.Protocol"})
CLI_FRAMEWORKS: frozenset[str] = frozenset({"click", "typer", "asyncclick"})
# Job-queue libraries whose decorated coroutines run on a worker's loop.
JOB_QUEUE_MODULES: tuple = ("arq", "taskiq", "dramatiq", "celery", "huey", "saq", "procrastinate")
JOB_TASK_DECORATORS: frozenset[str] = frozenset({"task", "actor", "job", "periodic_task"})
ASYNC_CONTEXT_MANAGERS: frozenset[str] = frozenset(
    {"contextlib.asynccontextmanager"}
)

# Frameworks whose `@app.get("/x")` decorators look like FastAPI's but are not.
OTHER_WEB_FRAMEWORKS = ("flask", "quart", "sanic", "django", "litestar", "aiohttp", "robyn")

# Decorators that work on a `def` handler as on an `async def` one.
SYNC_SAFE_DECORATORS = frozenset({"starlette.authentication.requires"})
