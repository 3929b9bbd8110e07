"""What the analysis knows about the outside world: data, not code.

Names are qualified as the analysis resolves them: an imported callable is its import
path (``time.sleep``); a method called on an instance of a known type is
``<type>.<method>`` (``requests.Session.get``). A trailing ``.*`` matches every name
below a prefix. Extend these tables to teach the checker a new library.
"""
from __future__ import annotations

from typing import NamedTuple

from .catalog_sdks import FAMILIES as SDK_FAMILIES


class Blocking(NamedTuple):
    code: str
    hint: str


def _blocking(code: str, hint: str, *names: str) -> dict[str, Blocking]:
    return {name: Blocking(code, hint) for name in names}


# The end of a hint that only fits a route or a dependency, which FastAPI can run in its
# thread pool when declared `def`; other coroutines get the hint without it.
DECLARE_DEF = " or declare the handler `def`"

HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# Classes whose first argument is a function run after the response (`add_task` is the
# method that does the same).
BACKGROUND_TASK_CONSTRUCTORS = frozenset({"starlette.background.BackgroundTask"})

# What makes a new `threading.Lock` (acquiring one just made cannot wait).
LOCK_CONSTRUCTORS = frozenset({"threading.Lock", "threading.RLock"})

# Calls that block the thread they run on, by code.
BLOCKING: dict[str, Blocking] = {
    **_blocking("ASR101", "use `await asyncio.sleep(...)`", "time.sleep"),
    **_blocking(
        "ASR102",
        "use `httpx.AsyncClient` (or `aiohttp`) and await it",
        *(f"requests.{verb}" for verb in HTTP_VERBS),
        *(f"requests.api.{verb}" for verb in HTTP_VERBS),
        *(f"requests.Session.{verb}" for verb in HTTP_VERBS),
        "requests.Session.send",
        *(f"httpx.{verb}" for verb in HTTP_VERBS),
        "httpx.stream",
        *(f"httpx.Client.{verb}" for verb in HTTP_VERBS),
        "httpx.Client.send",
        "httpx.Client.stream",
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "http.client.HTTPResponse.readline",
        "http.client.HTTPResponse.readlines",
        "http.client.HTTPResponse.read1",
        "urllib.request.OpenerDirector.open",
        "urllib3.request",
        "urllib3.PoolManager.request",
        "urllib3.PoolManager.urlopen",
        "urllib3.PoolManager.request_encode_body",
        "urllib3.PoolManager.request_encode_url",
        "http.client.HTTPConnection.request",
        "http.client.HTTPConnection.getresponse",
        "http.client.HTTPConnection.connect",
        "http.client.HTTPResponse.read",
    ),
    **_blocking(
        "ASR102",
        "use `aioboto3` (or `aiobotocore`) and await it, or run it with `asyncio.to_thread`",
        "boto3.Client.*",
        "boto3.Resource.*",
    ),
    **_blocking(
        "ASR102",
        "run it with `asyncio.to_thread`",
        "google.oauth2.id_token.verify_oauth2_token",
        "google.oauth2.id_token.verify_token",
        "google.oauth2.id_token.verify_firebase_token",
        "google.oauth2.id_token.fetch_id_token",
        "google.oauth2.credentials.Credentials.refresh",
        "google.oauth2.service_account.Credentials.refresh",
        "google.auth.transport.requests.AuthorizedSession.request",
        *(f"google.auth.transport.requests.AuthorizedSession.{verb}" for verb in HTTP_VERBS),
    ),
    **_blocking(
        "ASR103",
        "use an async driver (aiosqlite, asyncpg, redis.asyncio, motor, ...)" + DECLARE_DEF,
        "sqlite3.connect",
        "sqlite3.Connection.execute",
        "sqlite3.Connection.executemany",
        "sqlite3.Connection.executescript",
        "sqlite3.Connection.commit",
        "sqlite3.Connection.rollback",
        "sqlite3.Connection.backup",
        "sqlite3.Cursor.execute",
        "sqlite3.Cursor.executemany",
        "sqlite3.Cursor.executescript",
        "sqlite3.Cursor.fetchone",
        "sqlite3.Cursor.fetchmany",
        "sqlite3.Cursor.fetchall",
        "psycopg2.connect",
        "psycopg2.pool.AbstractConnectionPool.getconn",
        "psycopg.connect",
        "psycopg.Connection.connect",
        "pymysql.connect",
        "MySQLdb.connect",
        "mysql.connector.connect",
        "oracledb.connect",
        "cx_Oracle.connect",
        "pyodbc.connect",
        "DBConnection.commit",
        "DBConnection.rollback",
        "DBConnection.execute",
        "DBConnection.executemany",
        "DBCursor.execute",
        "DBCursor.executemany",
        "DBCursor.callproc",
        "DBCursor.fetchone",
        "DBCursor.fetchmany",
        "DBCursor.fetchall",
        "DBCursor.copy_from",
        "DBCursor.copy_to",
        "DBCursor.copy_expert",
        "redis.Redis.*",
        "redis.client.Pipeline.execute",
        "redis.client.PubSub.get_message",
        "redis.client.PubSub.listen",
        "redis.client.PubSub.subscribe",
        "redis.client.PubSub.psubscribe",
        "pymongo.collection.Collection.*",
        "pymongo.database.Database.command",
        "pymongo.database.Database.list_collection_names",
        "pymongo.database.Database.create_collection",
        "pymongo.database.Database.drop_collection",
        "pymongo.MongoClient.list_database_names",
        "pymongo.MongoClient.server_info",
        "pymongo.MongoClient.drop_database",
        "elasticsearch.Elasticsearch.*",
        "kafka.KafkaProducer.send",
        "kafka.KafkaProducer.flush",
        "kafka.KafkaConsumer.poll",
        "confluent_kafka.Producer.flush",
        "confluent_kafka.Producer.poll",
        "confluent_kafka.Consumer.poll",
        "confluent_kafka.Consumer.consume",
    ),
    **_blocking(
        "ASR104",
        "use `aiofiles`, `anyio.Path` / `anyio.open_file`, or run it with `asyncio.to_thread`",
        "builtins.open",
        "io.open",
        "codecs.open",
        "os.listdir",
        "os.scandir",
        "os.walk",
        "os.remove",
        "os.unlink",
        "os.rename",
        "os.renames",
        "os.replace",
        "os.rmdir",
        "os.removedirs",
        "os.sendfile",
        "os.truncate",
        "shutil.copy",
        "shutil.copy2",
        "shutil.copyfile",
        "shutil.copyfileobj",
        "shutil.copytree",
        "shutil.move",
        "shutil.rmtree",
        "shutil.make_archive",
        "shutil.unpack_archive",
        "tempfile.NamedTemporaryFile",
        "tempfile.TemporaryFile",
        "tempfile.SpooledTemporaryFile",
        "glob.glob",
        "glob.iglob",
        "pathlib.Path.open",
        "pathlib.Path.read_text",
        "pathlib.Path.read_bytes",
        "pathlib.Path.write_text",
        "pathlib.Path.write_bytes",
        "pathlib.Path.iterdir",
        "pathlib.Path.glob",
        "pathlib.Path.rglob",
        "pathlib.Path.walk",
        "pathlib.Path.unlink",
        "pathlib.Path.rmdir",
        "pathlib.Path.rename",
        "pathlib.Path.replace",
        "FileObject.read",
        "FileObject.readline",
        "FileObject.readlines",
        "FileObject.write",
        "FileObject.writelines",
        "FileObject.flush",
        "FileObject.truncate",
        "zipfile.ZipFile",
        "tarfile.open",
    ),
    # Descriptor-level calls anyio and aiofiles have no counterpart for.
    **_blocking("ASR104", "run it with `asyncio.to_thread`",
                "os.open", "os.fdopen", "os.read", "os.write", "os.fsync", "tempfile.mkstemp"),
    **_blocking(
        "ASR105",
        "use `asyncio.create_subprocess_exec` / `create_subprocess_shell` and await it",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "subprocess.Popen",
        "subprocess.Popen.wait",
        "subprocess.Popen.communicate",
        "os.system",
        "os.popen",
        "os.spawnl",
        "os.spawnle",
        "os.spawnlp",
        "os.spawnlpe",
        "os.spawnv",
        "os.spawnve",
        "os.spawnvp",
        "os.spawnvpe",
        "os.posix_spawn",
        "os.posix_spawnp",
        "os.wait",
        "os.wait3",
        "os.wait4",
        "os.waitid",
        "os.waitpid",
    ),
    **_blocking(
        "ASR106",
        "use `asyncio.open_connection`, `loop.getaddrinfo`, or an async client "
        "(aiosmtplib, aioftp, aioimaplib)",
        "socket.create_connection",
        "socket.gethostbyname",
        "socket.gethostbyname_ex",
        "socket.gethostbyaddr",
        "socket.getaddrinfo",
        "socket.getnameinfo",
        "socket.getfqdn",
        "socket.socket.connect",
        "socket.socket.connect_ex",
        "socket.socket.accept",
        "socket.socket.recv",
        "socket.socket.recvfrom",
        "socket.socket.recv_into",
        "socket.socket.send",
        "socket.socket.sendall",
        "socket.socket.sendto",
        "socket.socket.sendfile",
        "smtplib.SMTP",
        "smtplib.SMTP_SSL",
        "smtplib.LMTP",
        "smtplib.SMTP.*",
        "ftplib.FTP",
        "ftplib.FTP_TLS",
        "ftplib.FTP.*",
        "imaplib.IMAP4",
        "imaplib.IMAP4_SSL",
        "imaplib.IMAP4.*",
        "poplib.POP3",
        "poplib.POP3_SSL",
        "poplib.POP3.*",
    ),
    **_blocking("ASR107", "wait for it in a thread: `await asyncio.to_thread(thread.join)`",
                "threading.Thread.join"),
    **_blocking(
        "ASR107",
        "use asyncio primitives (`asyncio.Lock`, `asyncio.Event`, `asyncio.Queue`) or "
        "`await asyncio.wrap_future(...)`",
        "threading.Lock.acquire",
        "threading.Event.wait",
        "threading.Condition.wait",
        "threading.Condition.wait_for",
        "threading.Condition.acquire",
        "threading.Semaphore.acquire",
        "threading.Barrier.wait",
        "queue.Queue.get",
        "queue.Queue.put",
        "queue.Queue.join",
        "queue.SimpleQueue.get",
        "concurrent.futures.Future.result",
        "concurrent.futures.Future.exception",
        "concurrent.futures.wait",
        "multiprocessing.pool.Pool.map",
        "multiprocessing.pool.Pool.apply",
        "multiprocessing.pool.Pool.starmap",
        "asyncio.run",
        "asyncio.AbstractEventLoop.run_until_complete",
        "asyncio.AbstractEventLoop.run_forever",
        "*.run_until_complete",
    ),
    **_blocking("ASR107", "pass `wait=False`, or wait for it in a thread: "
                "`await asyncio.to_thread(executor.shutdown)`",
                "concurrent.futures.Executor.shutdown"),
    **_blocking(
        "ASR108",
        "run the hash in a thread (`await asyncio.to_thread(...)`)" + DECLARE_DEF,
        "bcrypt.hashpw",
        "bcrypt.checkpw",
        "bcrypt.kdf",
        "passlib.context.CryptContext.hash",
        "passlib.context.CryptContext.verify",
        "passlib.context.CryptContext.encrypt",
        "passlib.context.CryptContext.verify_and_update",
        *(f"passlib.hash.{scheme}.{method}"
          for scheme in ("bcrypt", "bcrypt_sha256", "argon2", "scrypt", "pbkdf2_sha1",
                         "pbkdf2_sha256", "pbkdf2_sha512", "sha256_crypt", "sha512_crypt",
                         "md5_crypt", "django_pbkdf2_sha256", "django_bcrypt")
          for method in ("hash", "verify", "encrypt", "verify_and_update")),
        "pwdlib.PasswordHash.hash",
        "pwdlib.PasswordHash.verify",
        "pwdlib.PasswordHash.verify_and_update",
        "argon2.PasswordHasher.hash",
        "argon2.PasswordHasher.verify",
        "argon2.low_level.hash_secret",
        "argon2.low_level.hash_secret_raw",
        "argon2.low_level.verify_secret",
        "hashlib.pbkdf2_hmac",
        "hashlib.scrypt",
        "werkzeug.security.generate_password_hash",
        "werkzeug.security.check_password_hash",
        "cryptography.KDF.derive",
        "cryptography.KDF.verify",
        "scrypt.hash",
    ),
    **_blocking(
        "ASR109",
        "use `AsyncSession` / `create_async_engine` and await it," + DECLARE_DEF,
        "sqlalchemy.orm.Session.*",
        "sqlalchemy.orm.Query.*",
        "sqlalchemy.engine.Connection.*",
        "sqlalchemy.engine.Engine.connect",
        "sqlalchemy.engine.Engine.begin",
        "sqlalchemy.engine.Engine.execute",
        "sqlalchemy.engine.Engine.raw_connection",
        "sqlalchemy.engine.Engine.dispose",
    ),
}

# Decorators that run a function's body once and keep the result (or once per argument).
MEMOISING_DECORATORS: frozenset[str] = frozenset(
    {"functools.cache", "functools.lru_cache", "functools.cached_property", "cachetools.cached",
     "cachetools.func.*", "async_lru.alru_cache"}
)

# How much less a chain's blocking call usually costs than a network, database or
# subprocess call (0): a chain with several is shown with its costliest.
SINK_COST: dict[str, int] = {"ASR100": 1, "ASR108": 1, "ASR101": 2, "ASR107": 2, "ASR104": 3}

# Calls that delete a file, and the checks that tell whether one is still there.
FILE_DELETERS: frozenset[str] = frozenset(
    {"os.remove", "os.unlink", "pathlib.Path.unlink", "shutil.rmtree"})
EXISTENCE_CHECKS: frozenset[str] = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.lexists", "pathlib.Path.exists",
     "pathlib.Path.is_file"})

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
VIRTUAL_FILE_SYSTEMS: tuple = ("/proc/", "/sys/", "/dev/shm/")

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

# Exceptions carved out of a wildcard above: these do no I/O.
NOT_BLOCKING: frozenset[str] = frozenset(
    {
        *(f"boto3.Client.{m}" for m in (
            "generate_presigned_url", "generate_presigned_post", "get_paginator",
            "get_waiter", "can_paginate", "close")),
        *(f"boto3.Resource.{m}" for m in (
            "Bucket", "Object", "Table", "Queue", "Topic", "Instance", "User")),
        *(f"redis.Redis.{m}" for m in (
            "pipeline", "pubsub", "lock", "get_connection_kwargs", "get_encoder",
            "register_script", "close", "from_url", "from_pool")),
        *(f"sqlalchemy.orm.Session.{m}" for m in (
            "add", "add_all", "expunge", "expunge_all", "is_modified", "begin", "begin_nested",
            "close", "in_transaction", "get_bind", "no_autoflush", "expire", "expire_all",
            "enable_relationship_loading", "query", "info", "identity_key",
        )),
        *(f"sqlalchemy.orm.Query.{m}" for m in (
            "filter", "filter_by", "join", "outerjoin", "order_by", "group_by", "limit",
            "offset", "options", "where", "having", "distinct", "select_from", "with_entities",
            "subquery", "add_columns", "params", "execution_options", "correlate",
            "with_for_update", "yield_per", "enable_eagerloads", "union", "union_all", "slice",
            "from_statement", "statement", "cte", "label", "as_scalar", "scalar_subquery",
        )),
        *(f"sqlalchemy.engine.Connection.{m}" for m in (
            "close", "begin", "begin_nested", "in_transaction", "info")),
        "pymongo.collection.Collection.find",
        "pymongo.collection.Collection.aggregate_raw_batches",
        "pymongo.collection.Collection.with_options",
        "pymongo.collection.Collection.get_collection",
        *(f"smtplib.SMTP.{m}" for m in ("set_debuglevel", "close")),
        "elasticsearch.Elasticsearch.options",
        *(name for family in SDK_FAMILIES for name in family.not_blocking),
    }
)

# Calls that create an instance of a type the tables above know about.
CONSTRUCTORS: dict[str, str] = {
    "re.compile": "re.Pattern",
    "collections.deque": "collections.deque",
    "asyncio.Event": "asyncio.Event",
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "httpx.Client": "httpx.Client",
    "urllib.request.build_opener": "urllib.request.OpenerDirector",
    "urllib3.PoolManager": "urllib3.PoolManager",
    "urllib3.ProxyManager": "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool": "urllib3.PoolManager",
    "urllib3.HTTPSConnectionPool": "urllib3.PoolManager",
    "http.client.HTTPConnection": "http.client.HTTPConnection",
    "http.client.HTTPSConnection": "http.client.HTTPConnection",
    "google.auth.transport.requests.AuthorizedSession": (
        "google.auth.transport.requests.AuthorizedSession"
    ),
    "sqlite3.connect": "sqlite3.Connection",
    "psycopg2.connect": "DBConnection",
    "psycopg.connect": "DBConnection",
    "psycopg.Connection.connect": "DBConnection",
    "pymysql.connect": "DBConnection",
    "MySQLdb.connect": "DBConnection",
    "mysql.connector.connect": "DBConnection",
    "oracledb.connect": "DBConnection",
    "cx_Oracle.connect": "DBConnection",
    "pyodbc.connect": "DBConnection",
    "psycopg2.pool.SimpleConnectionPool": "psycopg2.pool.AbstractConnectionPool",
    "psycopg2.pool.ThreadedConnectionPool": "psycopg2.pool.AbstractConnectionPool",
    "redis.Redis": "redis.Redis",
    "redis.StrictRedis": "redis.Redis",
    "redis.Redis.from_url": "redis.Redis",
    "redis.StrictRedis.from_url": "redis.Redis",
    "redis.from_url": "redis.Redis",
    "pymongo.MongoClient": "pymongo.MongoClient",
    "elasticsearch.Elasticsearch": "elasticsearch.Elasticsearch",
    "boto3.client": "boto3.Client",
    "boto3.resource": "boto3.Resource",
    "boto3.session.Session": "boto3.Session",
    "boto3.Session": "boto3.Session",
    "kafka.KafkaProducer": "kafka.KafkaProducer",
    "kafka.KafkaConsumer": "kafka.KafkaConsumer",
    "confluent_kafka.Producer": "confluent_kafka.Producer",
    "confluent_kafka.Consumer": "confluent_kafka.Consumer",
    "urllib.request.urlopen": "http.client.HTTPResponse",
    "builtins.open": "FileObject",
    "zipfile.ZipFile": "zipfile.ZipFile",
    "io.BytesIO": "io.BytesIO",
    "io.StringIO": "io.StringIO",
    "starlette.datastructures.URL": "starlette.datastructures.URL",
    "typing.NewType": "typing.NewType",
    "io.open": "FileObject",
    "codecs.open": "FileObject",
    "tempfile.NamedTemporaryFile": "FileObject",
    "tempfile.TemporaryFile": "FileObject",
    "tempfile.SpooledTemporaryFile": "FileObject",
    "pathlib.Path": "pathlib.Path",
    "pathlib.PurePath": "pathlib.PurePath",
    "subprocess.Popen": "subprocess.Popen",
    "socket.socket": "socket.socket",
    "socket.create_connection": "socket.socket",
    "smtplib.SMTP": "smtplib.SMTP",
    "smtplib.SMTP_SSL": "smtplib.SMTP",
    "smtplib.LMTP": "smtplib.SMTP",
    "ftplib.FTP": "ftplib.FTP",
    "ftplib.FTP_TLS": "ftplib.FTP",
    "imaplib.IMAP4": "imaplib.IMAP4",
    "imaplib.IMAP4_SSL": "imaplib.IMAP4",
    "poplib.POP3": "poplib.POP3",
    "poplib.POP3_SSL": "poplib.POP3",
    "threading.Lock": "threading.Lock",
    "threading.RLock": "threading.Lock",
    "threading.Event": "threading.Event",
    "threading.Condition": "threading.Condition",
    "threading.Semaphore": "threading.Semaphore",
    "threading.BoundedSemaphore": "threading.Semaphore",
    "threading.Barrier": "threading.Barrier",
    "threading.Thread": "threading.Thread",
    "queue.Queue": "queue.Queue",
    "queue.LifoQueue": "queue.Queue",
    "queue.PriorityQueue": "queue.Queue",
    "queue.SimpleQueue": "queue.SimpleQueue",
    "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.Executor",
    "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.Executor",
    "multiprocessing.Pool": "multiprocessing.pool.Pool",
    "multiprocessing.pool.Pool": "multiprocessing.pool.Pool",
    "multiprocessing.pool.ThreadPool": "multiprocessing.pool.Pool",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "passlib.context.CryptContext": "passlib.context.CryptContext",
    "pwdlib.PasswordHash": "pwdlib.PasswordHash",
    "pwdlib.PasswordHash.recommended": "pwdlib.PasswordHash",
    "argon2.PasswordHasher": "argon2.PasswordHasher",
    "cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC": "cryptography.KDF",
    "cryptography.hazmat.primitives.kdf.scrypt.Scrypt": "cryptography.KDF",
    "cryptography.hazmat.primitives.kdf.argon2.Argon2id": "cryptography.KDF",
    "sqlalchemy.create_engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine.create_engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine_from_config": "sqlalchemy.engine.Engine",
    "sqlmodel.create_engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.orm.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.sessionmaker": "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.orm.scoped_session": "sqlalchemy.orm.scoped_session",
    "fastapi.FastAPI": "fastapi.FastAPI",
    "fastapi.APIRouter": "fastapi.APIRouter",
    "starlette.applications.Starlette": "fastapi.FastAPI",
    "logging.getLogger": "logging.Logger",
    "fastapi.templating.Jinja2Templates": "fastapi.templating.Jinja2Templates",
}

# What calling a method (or, for ``__call__``, the instance) of a known type returns.
RETURNS: dict[str, str] = {
    "jwt.decode": "builtins.dict",  # the claims
    "jose.jwt.decode": "builtins.dict",
    "sqlite3.Connection.cursor": "sqlite3.Cursor",
    "sqlite3.Connection.execute": "sqlite3.Cursor",
    "sqlite3.Cursor.execute": "sqlite3.Cursor",
    "DBConnection.cursor": "DBCursor",
    "DBConnection.execute": "DBCursor",
    "psycopg2.pool.AbstractConnectionPool.getconn": "DBConnection",
    "redis.Redis.pipeline": "redis.client.Pipeline",
    "redis.Redis.pubsub": "redis.client.PubSub",
    "redis.Redis.lock": "threading.Lock",
    "pymongo.MongoClient.get_database": "pymongo.database.Database",
    "pymongo.MongoClient.get_default_database": "pymongo.database.Database",
    "pymongo.database.Database.get_collection": "pymongo.collection.Collection",
    "pathlib.Path.resolve": "pathlib.Path",
    "pathlib.Path.absolute": "pathlib.Path",
    "pathlib.Path.expanduser": "pathlib.Path",
    "pathlib.Path.with_suffix": "pathlib.Path",
    "pathlib.Path.with_name": "pathlib.Path",
    "pathlib.Path.with_stem": "pathlib.Path",
    "pathlib.Path.joinpath": "pathlib.Path",
    "pathlib.Path.relative_to": "pathlib.Path",
    "pathlib.Path.open": "FileObject",
    "pathlib.Path.read_text": "builtins.str",
    "pathlib.Path.read_bytes": "builtins.bytes",
    "pathlib.Path.cwd": "pathlib.Path",
    "pathlib.Path.home": "pathlib.Path",
    "concurrent.futures.Executor.submit": "concurrent.futures.Future",
    "sqlalchemy.orm.sessionmaker.__call__": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.sessionmaker.begin": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.scoped_session.__call__": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.Session.query": "sqlalchemy.orm.Query",
    "sqlalchemy.orm.Session.connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.Engine.connect": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.Engine.begin": "sqlalchemy.engine.Connection",
    "asyncio.AbstractEventLoop.run_in_executor": "asyncio.Future",
    "http.client.HTTPConnection.getresponse": "http.client.HTTPResponse",
    "boto3.Session.client": "boto3.Client",
    "boto3.Session.resource": "boto3.Resource",
    **{f"boto3.Resource.{m}": "boto3.Resource" for m in (
        "Bucket", "Object", "Table", "Queue", "Topic", "Instance", "User")},
    "fastapi.Request.url_for": "starlette.datastructures.URL",
    **{f"starlette.datastructures.URL.{m}": "starlette.datastructures.URL" for m in (
        "replace", "include_query_params", "replace_query_params", "remove_query_params")},
    "urllib.request.OpenerDirector.open": "http.client.HTTPResponse",
    "urllib3.PoolManager.urlopen": "http.client.HTTPResponse",
    "urllib3.PoolManager.request": "http.client.HTTPResponse",
    **{f"builtins.str.{m}": "builtins.str" for m in (
        "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize",
        "replace", "format", "removeprefix", "removesuffix", "zfill", "ljust", "rjust",
        "center", "translate", "swapcase", "expandtabs", "join")},
    **{f"builtins.str.{m}": "builtins.list" for m in ("split", "rsplit", "splitlines")},
    **{f"sqlalchemy.orm.Query.{m}": "sqlalchemy.orm.Query" for m in (
        "filter", "filter_by", "join", "outerjoin", "order_by", "group_by", "limit", "offset",
        "options", "where", "having", "distinct", "select_from", "with_entities",
        "add_columns", "params", "execution_options", "correlate", "with_for_update",
        "yield_per", "enable_eagerloads", "union", "union_all", "slice")},
}

# Methods a project class inherits from pydantic's BaseModel, and the plain data they return.
MODEL_DUMPS: dict[str, str] = {
    "dict": "builtins.dict",
    "model_dump": "builtins.dict",
    "json": "builtins.str",
    "model_dump_json": "builtins.str",
}

# Attribute access on a known type that yields another known type.
ATTRIBUTES: dict[str, str] = {
    "pymongo.MongoClient.*": "pymongo.database.Database",
    "pymongo.database.Database.*": "pymongo.collection.Collection",
    "pathlib.Path.parent": "pathlib.Path",
    "fastapi.UploadFile.file": "FileObject",
    "fastapi.Request.headers": "builtins.dict",
    "fastapi.Request.query_params": "builtins.dict",
    "fastapi.Request.path_params": "builtins.dict",
    "fastapi.Request.cookies": "builtins.dict",
    "fastapi.Request.scope": "builtins.dict",
    "fastapi.Request.session": "builtins.dict",
    "fastapi.Request.app": "fastapi.FastAPI",
    "fastapi.Request.url": "starlette.datastructures.URL",
    "fastapi.Request.base_url": "starlette.datastructures.URL",
    "fastapi.WebSocket.app": "fastapi.FastAPI",
    "fastapi.FastAPI.state": "starlette.datastructures.State",
}

# `app.state`: its attributes are typed from what the project assigns to them.
APP_STATE = "starlette.datastructures.State"

# A sessionmaker / scoped_session behaves like the session it makes for method calls.
SESSION_PROXIES: dict[str, str] = {
    "sqlalchemy.orm.scoped_session": "sqlalchemy.orm.Session",
}

# Alternative spellings of one API, mapped to the spelling the tables use.
CANONICAL: dict[str, str] = {
    "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.sessionmaker": "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.orm.scoping.scoped_session": "sqlalchemy.orm.scoped_session",
    "sqlalchemy.orm.query.Query": "sqlalchemy.orm.Query",
    "sqlmodel.Session": "sqlalchemy.orm.Session",
    "sqlmodel.orm.session.Session": "sqlalchemy.orm.Session",
    "sqlalchemy.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.base.Connection": "sqlalchemy.engine.Connection",
    "sqlalchemy.Engine": "sqlalchemy.engine.Engine",
    "sqlalchemy.engine.base.Engine": "sqlalchemy.engine.Engine",
    "redis.client.Redis": "redis.Redis",
    "redis.client.StrictRedis": "redis.Redis",
    "redis.StrictRedis": "redis.Redis",
    "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
    "pymongo.database.Database": "pymongo.database.Database",
    "httpx._client.Client": "httpx.Client",
    "requests.sessions.Session": "requests.Session",
    "starlette.concurrency.run_in_threadpool": "fastapi.concurrency.run_in_threadpool",
    "starlette.requests.Request": "fastapi.Request",
    "starlette.requests.HTTPConnection": "fastapi.Request",
    "starlette.websockets.WebSocket": "fastapi.WebSocket",
    "fastapi.requests.Request": "fastapi.Request",
    "starlette.datastructures.UploadFile": "fastapi.UploadFile",
    "fastapi.datastructures.UploadFile": "fastapi.UploadFile",
    "starlette.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "fastapi.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "fastapi.routing.APIRouter": "fastapi.APIRouter",
    "fastapi.applications.FastAPI": "fastapi.FastAPI",
    "fastapi.param_functions.Depends": "fastapi.Depends",
    "fastapi.params.Depends": "fastapi.Depends",
    "fastapi.param_functions.Security": "fastapi.Security",
    "fastapi.params.Security": "fastapi.Security",
    "starlette.templating.Jinja2Templates": "fastapi.templating.Jinja2Templates",
    "fastapi.datastructures.URL": "starlette.datastructures.URL",
    "os.path.pathlib": "pathlib",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "socket.SocketType": "socket.socket",
    "smtplib.SMTP_SSL": "smtplib.SMTP",
    "threading.RLock": "threading.Lock",
    "psycopg2.extensions.connection": "DBConnection",
    "psycopg2.extensions.cursor": "DBCursor",
    "psycopg.Connection": "DBConnection",
    "psycopg.Cursor": "DBCursor",
    "pymysql.connections.Connection": "DBConnection",
    "pymysql.cursors.Cursor": "DBCursor",
    "asyncio.events.AbstractEventLoop": "asyncio.AbstractEventLoop",
    "multiprocessing.pool.ThreadPool": "multiprocessing.pool.Pool",
}

# Types whose name in an annotation marks a parameter as an instance of them.
ANNOTATION_TYPES: frozenset[str] = frozenset(
    {
        "requests.Session", "httpx.Client", "sqlite3.Connection", "sqlite3.Cursor",
        "DBConnection", "DBCursor", "redis.Redis", "pymongo.MongoClient",
        "pymongo.database.Database", "pymongo.collection.Collection",
        "elasticsearch.Elasticsearch", "pathlib.Path", "smtplib.SMTP", "socket.socket",
        "threading.Lock", "threading.Event", "queue.Queue", "concurrent.futures.Future",
        "concurrent.futures.Executor", "sqlalchemy.orm.Session", "sqlalchemy.orm.Query",
        "sqlalchemy.engine.Connection", "sqlalchemy.engine.Engine",
        "sqlalchemy.orm.scoped_session", "sqlalchemy.orm.sessionmaker",
        "passlib.context.CryptContext", "pwdlib.PasswordHash", "fastapi.Request",
        "fastapi.UploadFile", "fastapi.BackgroundTasks", "fastapi.WebSocket",
        "fastapi.Response", "logging.Logger", "fastapi.templating.Jinja2Templates",
        "http.client.HTTPResponse", "subprocess.Popen", "queue.SimpleQueue",
        "re.Pattern", "collections.deque", "asyncio.Event", "starlette.datastructures.URL",
        "fastapi.FastAPI",
        # An SDK's client class names its instances in annotations (`client: OpenAI`).
        *(made for family in SDK_FAMILIES for name, made in family.constructors.items()
          if name == made),
    }
)

# Type-stub packages that name the types of a library's objects: (module prefix, name
# suffix) → the type (`mypy_boto3_s3.S3Client`, `types_boto3_sqs.client.SQSClient`).
STUB_TYPES: dict[tuple[str, str], str] = {
    ("mypy_boto3_", "Client"): "boto3.Client",
    ("types_boto3_", "Client"): "boto3.Client",
    ("mypy_boto3_", "ServiceResource"): "boto3.Resource",
    ("types_boto3_", "ServiceResource"): "boto3.Resource",
}

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

# Calls known to return quickly: ASR201 treats a handler that only makes these as fine.
CHEAP: frozenset[str] = frozenset(
    {
        "builtins.*",
        "logging.*",
        "logging.Logger.*",
        "datetime.*",
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "time.process_time",
        "time.strftime",
        "time.gmtime",
        "time.localtime",
        "uuid.*",
        "json.dumps",
        "json.loads",
        "orjson.dumps",
        "orjson.loads",
        "ujson.dumps",
        "ujson.loads",
        "base64.*",
        "binascii.*",
        "hashlib.md5",
        "hashlib.sha1",
        "hashlib.sha224",
        "hashlib.sha256",
        "hashlib.sha384",
        "hashlib.sha512",
        "hashlib.blake2b",
        "hashlib.blake2s",
        "hashlib.new",
        "hmac.*",
        "secrets.*",
        "random.*",
        "math.*",
        "decimal.*",
        "fractions.*",
        "re.*",
        "string.*",
        "textwrap.*",
        "typing.*",
        "typing_extensions.*",
        "dataclasses.*",
        "enum.*",
        "collections.*",
        "itertools.*",
        "functools.partial",
        "functools.reduce",
        "operator.*",
        "copy.*",
        "urllib.parse.*",
        "os.getenv",
        "os.environ.get",
        "os.environ.*",
        "os.path.join",
        "os.path.basename",
        "os.path.dirname",
        "os.path.splitext",
        "os.path.split",
        "os.path.normpath",
        "os.path.abspath",
        "os.path.relpath",
        "os.path.exists",
        "os.path.isfile",
        "os.path.isdir",
        "os.path.islink",
        "os.path.getsize",
        "os.path.getmtime",
        "os.path.realpath",
        "os.path.expanduser",
        "os.path.isabs", "os.path.commonpath", "os.path.commonprefix", "os.path.normcase",
        "os.path.splitdrive", "os.path.lexists", "os.path.getctime",
        "os.getpid",
        "os.cpu_count",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.Path.with_suffix",
        "pathlib.Path.with_name",
        "pathlib.Path.with_stem",
        "pathlib.Path.joinpath",
        "pathlib.Path.relative_to",
        "pathlib.Path.as_posix",
        "pathlib.Path.is_relative_to",
        "pathlib.Path.match",
        "pathlib.Path.resolve",
        "pathlib.Path.absolute",
        "pathlib.Path.expanduser",
        "pathlib.Path.exists",
        "pathlib.Path.is_file",
        "pathlib.Path.is_dir",
        "pathlib.Path.stat",
        "fastapi.FastAPI.url_path_for",
        "fastapi.datastructures.*",
        "starlette.datastructures.*",
        "fastapi.security.utils.*",
        "mimetypes.guess_type",
        "mimetypes.guess_extension",
        *(f"posixpath.{f}" for f in ("join", "basename", "dirname", "splitext", "split",
                                     "normpath", "relpath", "abspath", "isabs")),
        "io.BytesIO",
        "io.StringIO",
        "httpx.URL",
        "yarl.URL",
        "pydantic.*",
        "fastapi.HTTPException",
        "fastapi.exceptions.*",
        "fastapi.Response",
        "fastapi.Response.*",
        "fastapi.openapi.docs.*",
        "fastapi.responses.*",
        "fastapi.encoders.jsonable_encoder",
        "fastapi.status.*",
        "fastapi.Request.*",
        "fastapi.BackgroundTasks.add_task",
        "fastapi.templating.Jinja2Templates.TemplateResponse",
        "fastapi.templating.Jinja2Templates.get_template",
        "fastapi.WebSocketException",
        "starlette.responses.*",
        "starlette.exceptions.*",
        "starlette.status.*",
        "starlette.background.BackgroundTask",
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.get_running_loop",
        "asyncio.get_event_loop",
        "asyncio.current_task",
        "asyncio.Event",
        "asyncio.Lock",
        "asyncio.Queue",
        "asyncio.Queue.put_nowait",
        "asyncio.Queue.get_nowait",
        "asyncio.Event.set",
        "asyncio.Semaphore",
        "sqlalchemy.select",
        "sqlalchemy.insert",
        "sqlalchemy.update",
        "sqlalchemy.delete",
        "sqlalchemy.text",
        "sqlalchemy.and_",
        "sqlalchemy.or_",
        "sqlalchemy.func.*",
        "sqlmodel.select",
        "sqlalchemy.orm.Session.add",
        "sqlalchemy.orm.Session.add_all",
        "sqlalchemy.orm.Session.expunge",
        "fastapi.UploadFile.filename",
        "jwt.encode",
        "jwt.decode",
        "jose.jwt.encode",
        "jose.jwt.decode",
        "fastapi.sse.*",
        "sse_starlette.*",
    }
)

# CPU-heavy work (compression, parsing and rendering documents and images): not blocking
# I/O, but long enough on the loop that ASR201 names it as the cost of an await-less
# handler.
CPU_HEAVY: frozenset[str] = frozenset(
    {
        *(f"{module}.{verb}" for module in ("zlib", "gzip", "bz2", "lzma")
          for verb in ("compress", "decompress")),
        "zipfile.ZipFile.writestr",
        "zipfile.ZipFile.write",
        "zipfile.ZipFile.read",
        "zipfile.ZipFile.testzip",
        "bs4.BeautifulSoup",
        "lxml.etree.fromstring",
        "lxml.html.fromstring",
        "lxml.html.document_fromstring",
        "markdown.markdown",
        "mistune.html",
        "pypdf.PdfReader",
        "pypdf.PdfWriter.write",
        "PyPDF2.PdfReader",
        "fitz.open",
        "pdfplumber.open",
        "docx.Document",
        "openpyxl.load_workbook",
        "PIL.Image.open",
        "qrcode.make",
        "cv2.*",
        "numpy.linalg.*",
        "pandas.read_csv",
        "pandas.read_excel",
        "pandas.read_parquet",
        "pandas.read_json",
        "difflib.get_close_matches",
    }
)

# Builtins that do I/O or wait: never proven cheap.
NOT_CHEAP_BUILTINS: frozenset[str] = frozenset(
    {"builtins.open", "builtins.input", "builtins.exec", "builtins.eval",
     "builtins.compile", "builtins.__import__", "builtins.breakpoint"}
)

# Method names that are cheap on any receiver: str, bytes, list, dict and set operations
# whose names no I/O client uses.
CHEAP_METHODS: frozenset[str] = frozenset(
    {
        "append", "extend", "items", "keys", "values", "setdefault", "copy", "strip",
        "lstrip", "rstrip", "split", "rsplit", "splitlines", "join", "lower", "upper",
        "casefold", "title", "capitalize", "startswith", "endswith", "format", "format_map",
        "encode", "decode", "isdigit", "isalpha", "isalnum", "isnumeric", "isspace",
        "removeprefix", "removesuffix", "zfill", "ljust", "rjust", "center", "partition",
        "rpartition", "hexdigest", "digest", "isoformat", "strftime", "timestamp",
        "model_dump", "model_dump_json", "model_copy", "model_validate", "dict", "json",
        "parse_obj", "from_orm", "model_validate_json", "to_dict", "total_seconds",
        "url_for", "add_task", "set_cookie", "delete_cookie", "sort", "reverse", "index",
        "issubset", "issuperset", "union", "intersection", "difference", "discard",
        "popitem", "fromkeys", "translate", "expandtabs", "swapcase", "count", "replace",
        "get", "pop", "update", "add", "remove", "insert", "clear",
    }
)

# Logging methods: cheap on a receiver whose name says it is a logger (`logger`, `self.log`).
LOGGING_METHODS: frozenset[str] = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)

# Method names on that list that an I/O client also uses: cheap only when the receiver is
# known to be plain data (a literal, a builtin container, a request's headers ...).
AMBIGUOUS_CHEAP_METHODS: frozenset[str] = frozenset(
    {"get", "pop", "update", "add", "remove", "insert", "clear", "count", "replace", "index"}
)

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
# other), and the command-line frameworks whose commands make them entry points that
# serve no request.
LOOP_RUNNERS: frozenset[str] = frozenset({"asyncio.run", "anyio.run", "trio.run", "uvloop.run"})
CLI_FRAMEWORKS: frozenset[str] = frozenset({"click", "typer", "asyncclick"})
# Job-queue libraries whose decorated coroutines run on a worker's loop.
JOB_QUEUE_MODULES: tuple = ("arq", "taskiq", "dramatiq", "celery", "huey", "saq", "procrastinate")
JOB_TASK_DECORATORS: frozenset[str] = frozenset({"task", "actor", "job", "periodic_task"})
ASYNC_CONTEXT_MANAGERS: frozenset[str] = frozenset(
    {"contextlib.asynccontextmanager"}
)
# Blocking HTTP calls that hang forever without `timeout=` (ASR301), with the position of a
# positional timeout argument when the API has one.
NEEDS_TIMEOUT: dict[str, int | None] = {
    **{f"requests.{verb}": None for verb in HTTP_VERBS},
    **{f"requests.api.{verb}": None for verb in HTTP_VERBS},
    **{f"requests.Session.{verb}": None for verb in HTTP_VERBS},
    "requests.Session.send": None,
    "urllib.request.urlopen": 2,
}


def _merge_sdk_families() -> None:
    """Fold the SDK families (catalog_sdks.py) into the tables above (NOT_BLOCKING takes
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
