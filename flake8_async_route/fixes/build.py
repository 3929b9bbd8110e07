"""The fixes of one module's findings: each rule code's fix module builds the edits, then
the imports those edits leave unused are removed with them."""
from __future__ import annotations

import importlib
from typing import Optional

from ..analysis import STARTUP_CODE, Analysis, Violation
from ..results import Fix
from ..rules import Rule
from .context import ModuleContext
from .source import CannotFix, merge_edits, start_of

# A rule names the module that fixes it (Rule.fix); each has `build(context, violation)`:
# None, or (edits, span no other fix may touch, the `function_key` of a function it makes
# `def` or "").
FIX_MODULES = {code: importlib.import_module(f"{__package__}.{rule.fix}")
               for code, rule in Rule.registry.items() if rule.fix}


def fixes_for(result, source: Optional[str]) -> list:
    """A Fix or None for each of `result.violations` (an engine.ModuleResult)."""
    analysis = getattr(result, "analysis", None)
    if analysis is None or source is None:
        return [None] * len(result.violations)
    context = ModuleContext(analysis, source)
    return [_fix(context, violation) for violation in result.violations]


def _fix(context: ModuleContext, violation: Violation) -> Optional[Fix]:
    code = _startup_kind(context.analysis, violation) if violation.code == STARTUP_CODE \
        else violation.code
    module = FIX_MODULES.get(code)
    if module is None:
        return None
    try:
        made = module.build(context, violation)
        if made is None:
            return None
        edits, span, unawaited = made
        releases = context.imports.released(edits)
        edits = list(edits) + context.imports.removals(releases, edits)
        rule = Rule.registry[code]
        return Fix(rule.fix_title, rule.fix_safe,
                   merge_edits(edits), span, unawaited, tuple(releases))
    except (CannotFix, ValueError, RecursionError):
        return None


def _startup_kind(analysis: Analysis, violation: Violation) -> str:
    """ASR101 for a `time.sleep` reported as startup work: it gets the same fix."""
    kinds = {c.kind for c in analysis.blocking_calls()
             if c.code == STARTUP_CODE and start_of(c.node) == (violation.line, violation.col)}
    return kinds.pop() if len(kinds) == 1 else STARTUP_CODE
