"""What an audit produces: plain data shared by the runner, the cache and every report."""
from __future__ import annotations

import pickle
import zlib
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Optional


class Verdict(Enum):
    """What an audit says of a handler, worst first. Results hold the value, plain text."""

    BLOCKS_THE_LOOP = "blocks the loop"
    OFFLOAD_ONLY = "offload-only"
    COULD_BE_DEF = "could be def"
    MAY_STARVE_THE_POOL = "may starve the pool"
    CLEAN = "clean"


VERDICTS = tuple(member.value for member in Verdict)


def route_label(kind: str, methods: tuple, path: Optional[str]) -> Optional[str]:
    """`GET /items/{id}` for a route or websocket registered at a known path, else None."""
    if kind not in ("route", "websocket") or path is None:
        return None
    verb = "/".join(methods) or ("WS" if kind == "websocket" else "ANY")
    return f"{verb} {path}"


# The run's own codes, reported about a file rather than its code (see docs.DIAGNOSTICS).
INTERNAL_ERROR = "ASR000"  # a bug of this tool on the file
UNREADABLE = "ASR001"  # the file could not be read, decoded or parsed


def verdict(is_async: bool, codes: set, blocks_through: str = "") -> str:
    """The handler's verdict from the codes of its findings. `blocks_through`: a coroutine
    the handler runs blocks the loop (its finding is made there, once), so it does too."""
    if is_async and (blocks_through or any(code.startswith("ASR1") for code in codes)):
        return Verdict.BLOCKS_THE_LOOP.value
    if "ASR202" in codes:
        return Verdict.OFFLOAD_ONLY.value
    if "ASR201" in codes:
        return Verdict.COULD_BE_DEF.value
    if not is_async and "ASR301" in codes:
        return Verdict.MAY_STARVE_THE_POOL.value
    return Verdict.CLEAN.value


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, col) to (end_line, end_col) with `text`; lines 1-based,
    columns 0-based in UTF-8 bytes, as findings count them. An empty range inserts."""

    line: int
    col: int
    end_line: int
    end_col: int
    text: str

    def sort_key(self) -> tuple:
        return (self.line, self.col, self.end_line, self.end_col, self.text)


@dataclass(frozen=True)
class Fix:
    """An automatic fix of one finding: its edits are applied together or not at all."""

    title: str
    safe: bool  # safe fixes keep the behaviour; unsafe ones need `--unsafe-fixes`
    edits: tuple = ()  # Edits, sorted, not overlapping
    # Internal, not in the reports: the region no other fix may edit in the same pass
    # (line, col, end_line, end_col); the `path::qualname` of a function the fix turns
    # from `async def` into `def`, dropped when the checked files call it; the imported
    # names whose uses the fix removes, for the clean-up of imports left unused.
    span: Optional[tuple] = None
    unawaited: str = ""
    releases: tuple = ()

    def public(self) -> dict:
        return {"title": self.title, "safe": self.safe,
                "edits": [asdict(edit) for edit in self.edits]}

    @classmethod
    def from_json(cls, data: dict) -> "Fix":
        return cls(data["title"], data["safe"], tuple(Edit(**e) for e in data["edits"]),
                   tuple(data["span"]) if data.get("span") else None,
                   data.get("unawaited", ""), tuple(data.get("releases", ())))


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the working directory, with `/` separators
    line: int
    col: int  # 0-based, in UTF-8 bytes as flake8 counts them
    code: str
    message: str
    context: str = ""  # the enclosing function's qualified name, "" at module level
    fingerprint: str = ""  # stable across unrelated edits and line shifts (see audit/baseline.py)
    fix: Optional[Fix] = field(default=None, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> "Finding":
        fix = data.get("fix")
        return cls(**{**data, "fix": Fix.from_json(fix) if fix else None})

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code, self.message)


@dataclass
class Handler:
    """A function the framework calls: a route, websocket, dependency, middleware, ..."""

    path: str
    line: int
    name: str
    kind: str
    is_async: bool
    methods: tuple = ()
    route: Optional[str] = None  # the full path, router prefixes applied when known
    router: Optional[str] = None
    verdict: str = "clean"
    findings: list = field(default_factory=list)  # Findings inside the handler
    # Where a coroutine the handler awaits or schedules blocks the loop, "" if none: the
    # finding is that coroutine's, the verdict this handler's too.
    blocks_through: str = ""

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.kind, self.name)


@dataclass
class FileReport:
    path: str
    findings: list = field(default_factory=list)
    handlers: list = field(default_factory=list)
    includes: list = field(default_factory=list)  # (parent router, child router, prefix)
    router_module: str = ""  # the module name routers of this file are keyed by
    error: Optional[Finding] = None  # ASR001: the file could not be read or parsed
    # `path::qualname` of the project functions this file calls (`*.name` for awaited
    # methods of unknown objects): fixes must not turn those into `def` (see fixes/callers.py).
    awaited: list = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    def packed(self) -> "PackedReport":
        data = pickle.dumps(self, pickle.HIGHEST_PROTOCOL)
        return PackedReport(self.includes, self.awaited, zlib.compress(data, 1))

    def unpack(self) -> "FileReport":
        return self

    @classmethod
    def from_json(cls, data: dict) -> "FileReport":
        findings = [Finding.from_json(f) for f in data["findings"]]
        handlers = [Handler(**{**h, "methods": tuple(h["methods"]),
                               "findings": [Finding.from_json(f) for f in h["findings"]]})
                    for h in data["handlers"]]
        error = Finding.from_json(data["error"]) if data.get("error") else None
        return cls(data["path"], findings, handlers, [tuple(i) for i in data["includes"]],
                   data.get("router_module", ""), error, list(data.get("awaited", ())))


@dataclass(frozen=True)
class PackedReport:
    """A file's report as the audit holds it while it analyses the other files: in the
    clear, what composing every file's report needs first (router includes, called
    coroutines); the whole report pickled and compressed. As objects, a finding with its
    handler and fix takes about 1.3 KB, and the small objects of reports made during the
    analysis settle in the memory the parsed trees freed, which then cannot be returned."""

    includes: list
    awaited: list
    data: bytes

    def unpack(self) -> FileReport:
        return pickle.loads(zlib.decompress(self.data))  # made by `packed`, in this run

    def to_json(self) -> dict:
        return self.unpack().to_json()


@dataclass
class AuditResult:
    files: list = field(default_factory=list)  # paths checked
    findings: list = field(default_factory=list)  # after noqa, selection and baseline
    handlers: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # ASR001 findings
    baseline_matched: int = 0  # findings hidden because the baseline lists them
