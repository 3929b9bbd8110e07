"""ASR301 (unsafe, only with `--fix-timeout`): `timeout=<seconds>` added to the call."""
from __future__ import annotations

import ast
from typing import Optional

from .. import catalog
from ..analysis import Violation
from ..columns import char_column
from ..results import Edit
from ..rules.pool import timeout_argument
from .context import ModuleContext
from .source import bare_code, edit, end_of, range_of, start_of

# Stands for the `--fix-timeout` value in ASR301 edits until the run's settings fill it in
# (reports are cached without depending on the option). NUL cannot occur in Python source.
TIMEOUT_PLACEHOLDER = "\0timeout\0"


def build(context: ModuleContext, violation: Violation):
    model = context.model
    names = {s.node: model.call_name(s.node, s.scope) for s in model.all_calls
             if start_of(s.node) == (violation.line, violation.col)}
    calls = [(call, name) for call, name in names.items() if name in catalog.NEEDS_TIMEOUT]
    if len(calls) != 1:
        return None
    call, name = calls[0]
    items = [*call.args, *call.keywords]
    given = timeout_argument(call, catalog.NEEDS_TIMEOUT[name])
    if given is not None:  # `timeout=None`: the value is replaced
        return [edit(start_of(given), end_of(given), TIMEOUT_PLACEHOLDER)], range_of(call), ""
    if any(isinstance(a, (ast.Starred, ast.GeneratorExp)) for a in call.args) or \
            any(k.arg is None for k in call.keywords):
        return None
    source = context.source
    if items:
        last = max(items, key=end_of)
        added = _trailing_argument(context, call, last, f"timeout={TIMEOUT_PLACEHOLDER}") or \
            edit(end_of(last), end_of(last), f", timeout={TIMEOUT_PLACEHOLDER}")
    else:
        gap = source.segment(*end_of(call.func), *end_of(call))
        if bare_code(gap) != "()":
            return None
        start = source.offset(*end_of(call.func)) + gap.index("(") + 1
        at = source.position(start)
        added = edit(at, at, f"timeout={TIMEOUT_PLACEHOLDER}")
    return [added], range_of(call), ""


def _trailing_argument(context: ModuleContext, call: ast.Call, last: ast.AST,
                       text: str) -> Optional[Edit]:
    """For a call laid out one argument a line with a trailing comma, the edit adding
    `text` as a line of its own after the last one."""
    source = context.source
    gap = source.segment(*end_of(last), *end_of(call))
    if bare_code(gap) != ",)" or "\n" not in gap:
        return None
    line = source.line(last.lineno)
    before = line[:char_column(line, last.col_offset)]
    if before.strip():
        return None
    end_of_line = (last.end_lineno, len(source.line(last.end_lineno).encode("utf-8")))
    if "\n" in gap[:gap.index(",")]:
        return None  # the comma is on a line of its own
    return edit(end_of_line, end_of_line, f"\n{before}{text},")
