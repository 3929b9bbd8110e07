"""What rules a blocking call out in context: memoised functions, deleted files, in-memory
buffers, `data:` URLs, buffered cursors, non-blocking flags, small reads and unbounded
queues."""
from __future__ import annotations

# What makes a new `threading.Lock` (acquiring one just made cannot wait).
LOCK_CONSTRUCTORS = frozenset({"threading.Lock", "threading.RLock"})

# Decorators that run a function's body once and keep the result (or once per argument).
MEMOISING_DECORATORS: frozenset[str] = frozenset(
    {"functools.cache", "functools.lru_cache", "functools.cached_property", "cachetools.cached",
     "cachetools.func.*", "async_lru.alru_cache"}
)

# Calls that delete a file, and the checks that tell whether one is still there.
FILE_DELETERS: frozenset[str] = frozenset(
    {"os.remove", "os.unlink", "pathlib.Path.unlink", "shutil.rmtree"})
EXISTENCE_CHECKS: frozenset[str] = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.lexists", "pathlib.Path.exists",
     "pathlib.Path.is_file"})

# Single metadata syscalls: a finding folding them with other file-system work is reported
# at that work instead (an `os.remove()` of the old archive before the zip is written).
METADATA_SYSCALLS: frozenset[str] = frozenset(
    {*FILE_DELETERS - {"shutil.rmtree"}, *EXISTENCE_CHECKS, "os.stat", "os.lstat",
     "os.path.getsize", "os.path.getmtime", "os.path.isdir", "pathlib.Path.stat",
     "pathlib.Path.is_dir", "os.mkdir", "os.makedirs", "pathlib.Path.mkdir", "os.rename",
     "os.replace", "pathlib.Path.rename", "pathlib.Path.replace"})

# Context managers whose `with` waits for a free slot (a short `with lock:` is fine).
WAITING_CONTEXT_TYPES: frozenset[str] = frozenset({"threading.Semaphore"})

# Calls that run a lambda argument right away, on the caller's thread.
INLINE_CALLERS: frozenset[str] = frozenset(
    {"builtins.sorted", "builtins.min", "builtins.max", "builtins.map", "builtins.filter",
     "builtins.list", "builtins.tuple", "builtins.set", "builtins.dict", "builtins.any",
     "builtins.all", "builtins.sum", "functools.reduce", "itertools.*", "*.sort"}
)

# File openers whose first argument may be an in-memory buffer or a virtual file.
FILE_OPENERS: frozenset[str] = frozenset(
    {"builtins.open", "io.open", "zipfile.ZipFile", "tarfile.open", "pathlib.Path"}
)
IN_MEMORY_FILES: frozenset[str] = frozenset({"io.BytesIO", "io.StringIO"})
# The abstract bases of file objects: a project class on one holds what is written to it
# itself (a streaming buffer handed to `zipfile.ZipFile`) unless its own methods do I/O.
FILE_OBJECT_BASES: frozenset[str] = frozenset(
    {"io.IOBase", "io.RawIOBase", "io.BufferedIOBase", "io.TextIOBase"})
VIRTUAL_FILE_SYSTEMS: tuple = ("/proc/", "/sys/", "/dev/shm/")

# URL openers that decode a `data:` URL from the URL itself, in memory (urllib's
# DataHandler), and the type of what they return, whose reads then read memory too.
DATA_URL_OPENERS: frozenset[str] = frozenset({"urllib.request.urlopen"})
DATA_URL_RESPONSE = "http.client.HTTPResponse"
DATA_URL_PREFIX = "data:"

# Drivers whose default (client-side) cursor holds the whole result once `execute`
# returns, and the fetches that then only read it.
BUFFERING_DRIVERS: frozenset[str] = frozenset(
    {"psycopg2.connect", "psycopg2.pool.AbstractConnectionPool.getconn", "pymysql.connect",
     "MySQLdb.connect"}
)
BUFFERED_FETCHES: frozenset[str] = frozenset(
    {"DBCursor.fetchone", "DBCursor.fetchmany", "DBCursor.fetchall"}
)

# Waits that return at once when told not to block: (keyword, position) of the flag.
NON_BLOCKING_FLAG: dict[str, tuple[str, int]] = {
    "threading.Lock.acquire": ("blocking", 0),
    "threading.Condition.acquire": ("blocking", 0),
    "threading.Semaphore.acquire": ("blocking", 0),
    "queue.Queue.get": ("block", 0),
    "queue.Queue.put": ("block", 1),
    "queue.SimpleQueue.get": ("block", 0),
    "concurrent.futures.Executor.shutdown": ("wait", 0),
}

# Waits that return at once when an option flag is given: (keyword, position, flag).
NON_BLOCKING_OPTION: dict[str, tuple[str, int, str]] = {
    "os.waitpid": ("options", 1, "WNOHANG"),
    "os.wait3": ("options", 0, "WNOHANG"),
    "os.wait4": ("options", 1, "WNOHANG"),
    "os.waitid": ("options", 2, "WNOHANG"),
}

# An upload's spooled file (`upload.file`: in memory up to 1 MiB, then a temp file) and the
# reads on it that take a size: a small one is a copy from memory or the page cache.
SPOOLED_UPLOADS: dict[str, str] = {"fastapi.UploadFile": "file"}
SIZED_READS: frozenset[str] = frozenset({"FileObject.read", "FileObject.readline"})
SMALL_READ_BYTES = 64 * 1024

# `put` on a queue made without a positive `maxsize` never waits for room; the queue
# constructors, with the position of their `maxsize`.
UNBOUNDED_PUTS: frozenset[str] = frozenset({"queue.Queue.put"})
BOUNDABLE_QUEUES: dict[str, int] = {"queue.Queue": 0, "queue.LifoQueue": 0,
                                    "queue.PriorityQueue": 0}
