"""What an audit produces: plain data shared by the runner, the cache and every report."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

# Verdicts on a handler, worst first.
VERDICTS = ("blocks the loop", "offload-only", "could be def", "may starve the pool", "clean")


@dataclass(frozen=True)
class Finding:
    path: str  # relative to the working directory, with `/` separators
    line: int
    col: int  # 0-based, in UTF-8 bytes as flake8 counts them
    code: str
    message: str
    context: str = ""  # the enclosing function's qualified name, "" at module level
    fingerprint: str = ""  # stable across unrelated edits and line shifts (see baseline.py)

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

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "FileReport":
        findings = [Finding(**f) for f in data["findings"]]
        handlers = [Handler(**{**h, "methods": tuple(h["methods"]),
                               "findings": [Finding(**f) for f in h["findings"]]})
                    for h in data["handlers"]]
        error = Finding(**data["error"]) if data.get("error") else None
        return cls(data["path"], findings, handlers, [tuple(i) for i in data["includes"]],
                   data.get("router_module", ""), error)


@dataclass
class AuditResult:
    files: list = field(default_factory=list)  # paths checked
    findings: list = field(default_factory=list)  # after noqa, selection and baseline
    handlers: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # ASR001 findings
    baseline_matched: int = 0  # findings hidden because the baseline lists them
