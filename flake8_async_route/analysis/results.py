"""What the analysis hands the rules: blocking calls with the chain that reaches them,
folded by root cause, and the violations the rules make of them. A leaf: it imports
nothing of the package at run time, so the pattern rules can use it too."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, NamedTuple, Optional

if TYPE_CHECKING:
    from ..model import FunctionInfo

# Blocking work at startup (a lifespan, a startup handler): paid once, not per request.
STARTUP_CODE = "ASR111"


class Link(NamedTuple):
    """One call in a chain that ends at a blocking call."""

    shown: str  # the call as written: "`get_password_hash()`"
    path: str
    line: int


class BlockingCall(NamedTuple):
    node: ast.AST
    function: FunctionInfo  # the coroutine it happens in
    code: str
    chain: tuple  # Links from the call in the coroutine down to the blocking call
    hint: str
    helper: Optional[FunctionInfo] = None  # ASR110: the project function called
    origin: str = ""  # for startup work (ASR111), the code the call has elsewhere
    sink: str = ""  # ASR110: the code of the blocking call the chain ends at

    @property
    def kind(self) -> str:
        """The code the call has in a route: ASR101 for a `time.sleep` at startup too."""
        return self.origin or self.code

    @property
    def work(self) -> str:
        """The code of the blocking call itself, at the end of any chain."""
        return self.sink or self.kind

    def describe(self) -> str:
        return describe_chain(self.chain)


def describe_chain(chain: tuple) -> str:
    if len(chain) == 1:
        return chain[0].shown
    last = chain[-1]
    return " → ".join(link.shown for link in chain) + f" ({last.path}:{last.line})"


class FoldedCall(NamedTuple):
    """One root cause in one coroutine: the first blocking call made on a handle (or
    through helpers down to one blocking call, or of one kind of work that moves off the
    loop together), and the later calls that share it."""

    first: BlockingCall
    repeats: tuple  # BlockingCalls
    shared: str  # what the repeats share: " on `fh`", " of `load()`", ": lines 12, 14"
    work: str = ""  # what kind of calls they are, when they share only that: "file-system"

    def describe(self) -> str:
        shown = self.first.describe()
        if not self.repeats:
            return shown
        count = len(self.repeats)
        calls = f"{self.work} call" if self.work else "call"
        return f"{shown} (and {count} more {calls}{'s' if count > 1 else ''}{self.shared})"


class Violation(NamedTuple):
    line: int
    col: int
    code: str
    message: str


def source_text(node: ast.AST, limit: int = 60) -> str:
    try:
        text = " ".join(ast.unparse(node).split())
    except RecursionError:  # too deep to unparse: its end names it well enough
        text = f"….{node.attr}" if isinstance(node, ast.Attribute) else "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_call(call: ast.Call) -> str:
    return f"`{source_text(call.func)}()`"


def link_here(call: ast.Call) -> Link:
    """The first link of a finding's chain: the call in the coroutine itself."""
    return Link(shown_call(call), "", call.lineno)
