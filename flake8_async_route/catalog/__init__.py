"""What the analysis knows about the outside world: data, not code.

Names are qualified as the analysis resolves them: an imported callable is its import
path (``time.sleep``); a method called on an instance of a known type is
``<type>.<method>`` (``requests.Session.get``). A trailing ``.*`` matches every name
below a prefix. Extend these tables to teach the checker a new library: `blocking` (what
blocks, by code), `sdks` (third-party sync clients, one family a library, merged here),
`types` (what values are), `cost` (proven cheap, CPU-heavy), `context` (what rules a block
out), `loop` (offloads, loop-bound calls) and `frameworks` (what FastAPI and Starlette code
looks like).
"""
from __future__ import annotations

from .blocking import (  # noqa: F401 (the catalog's names, read as catalog.X)
    BLOCKING, Blocking, DECLARE_DEF, FOLDED_PER_COROUTINE, HTTP_VERBS, NEEDS_TIMEOUT,
    NOT_BLOCKING, SINK_COST, WORK_DONE
)
from .context import (  # noqa: F401 (the catalog's names, read as catalog.X)
    BOUNDABLE_QUEUES, BUFFERED_FETCHES, BUFFERING_DRIVERS, DATA_URL_OPENERS, DATA_URL_PREFIX,
    DATA_URL_RESPONSE, EXISTENCE_CHECKS, FILE_DELETERS, FILE_OBJECT_BASES, FILE_OPENERS,
    INLINE_CALLERS,
    IN_MEMORY_FILES, METADATA_SYSCALLS, LOCK_CONSTRUCTORS, MEMOISING_DECORATORS, NON_BLOCKING_FLAG,
    NON_BLOCKING_OPTION, SIZED_READS, SMALL_READ_BYTES, SPOOLED_UPLOADS, UNBOUNDED_PUTS,
    VIRTUAL_FILE_SYSTEMS, WAITING_CONTEXT_TYPES
)
from .cost import (  # noqa: F401 (the catalog's names, read as catalog.X)
    AMBIGUOUS_CHEAP_METHODS, CHEAP, CHEAP_METHODS, CPU_HEAVY, LOGGING_METHODS, MUTATING_METHODS,
    NOT_CHEAP_BUILTINS, PLAIN_BASES
)
from .frameworks import (  # noqa: F401 (the catalog's names, read as catalog.X)
    APP_CLASSES, APP_TYPES, ASYNC_CONTEXT_MANAGERS, BACKGROUND_TASK_CONSTRUCTORS, CLI_FRAMEWORKS,
    DEPENDS, HTTP_ENDPOINT_BASES, INERT_BASES, JOB_QUEUE_MODULES, JOB_TASK_DECORATORS,
    LOOP_REENTRY_PATCHES, LOOP_RUNNER_METHODS, LOOP_RUNNERS, MIDDLEWARE_BASES,
    OTHER_WEB_FRAMEWORKS, ROUTE_CLASSES, ROUTE_DECORATORS, ROUTE_REGISTRARS,
    SYNC_SAFE_DECORATORS, TASK_STARTERS, WEBSOCKET_DECORATORS, WEBSOCKET_ENDPOINT_BASES,
    WEBSOCKET_REGISTRARS, WEBSOCKET_ROUTE_CLASSES
)
from .loop import (  # noqa: F401 (the catalog's names, read as catalog.X)
    ARGUMENT_OFFLOADS, DEDICATED_OFFLOAD_KEYWORDS, LOOP_ACCESSORS, LOOP_BOUND, LOOP_THREAD_METHODS,
    LOOP_THREAD_METHODS_WITHOUT_ARGS, OFFLOADS, OPTION_KEYWORD_OFFLOADS, WRAPPER_OFFLOADS
)
from .types import (  # noqa: F401 (the catalog's names, read as catalog.X)
    ANNOTATION_TYPES, APP_STATE, ATTRIBUTES, CANONICAL, CONSTRUCTORS, DATA_BUILTINS, MODEL_DUMPS,
    RETURNS, SESSION_PROXIES, STUB_TYPES
)
from .stdlib import (  # noqa: F401 (the catalog's names, read as catalog.X)
    STDLIB_MODULES
)
from .lookup import lookup_table  # noqa: F401 (read as catalog.lookup_table)
from .sdks import FAMILIES as SDK_FAMILIES


def _merge_sdk_families() -> None:
    """Fold the SDK families (sdks.py) into the tables above (NOT_BLOCKING takes
    theirs where it is made); the built-in entries win where both name a call."""
    for family in SDK_FAMILIES:
        for name in family.blocking:
            BLOCKING.setdefault(name, Blocking(family.code, family.hint))
        for table, entries in ((CONSTRUCTORS, family.constructors), (RETURNS, family.returns),
                               (ATTRIBUTES, family.attributes)):
            for key, value in entries.items():
                table.setdefault(key, value)


_merge_sdk_families()

# Types whose iteration does the I/O (a lazy query runs when iterated).
BLOCKING_ITERATION: dict[str, Blocking] = {
    "sqlalchemy.orm.Query": BLOCKING["sqlalchemy.orm.Query.*"],
}
