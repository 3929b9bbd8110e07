"""What a coroutine that never awaits does on the loop: the costly call that makes it worth
declaring `def` (ASR201), or else the first call not proven cheap (ASR203)."""
from __future__ import annotations

import ast
from typing import Optional

from .. import catalog
from ..catalog import lookup_table
from ..model import CallSite, FunctionInfo, ModuleModel
from .cheap import CheapCalls
from .results import FoldedCall, link_here, shown_call
from .search import BlockingSearch
from .suppressions import Suppressions


class CostlyWork:
    """`root_causes`: the module's blocking calls, folded (see folding.py)."""

    def __init__(self, model: ModuleModel, search: BlockingSearch, cheap: CheapCalls,
                 suppressions: Suppressions):
        self.model = model  # the module analysed
        self.search = search
        self.config = search.config
        self.cheap = cheap
        self.suppressed = suppressions.covers

    def costly_call(self, function: FunctionInfo,
                    root_causes: list[FoldedCall]) -> Optional[str]:
        """The call that shows a coroutine does costly work on the loop, as shown in a
        message: a blocking call (its own, or down a helper chain) whose line does not say
        `# noqa` for it, else CPU-heavy work or a function the project runs in a thread
        elsewhere, called here or down a chain of project helpers. None when no call is
        shown to be costly."""
        for folded in root_causes:
            found = folded.first
            if found.function is function and not self.suppressed(found.code, found.node):
                return f"blocking {found.describe()}"
        for site in self.search.per_call_sites(function):
            if site.awaited:
                continue
            reason = self._costly(site)
            target = self.search.callee(site)
            if reason is None and target is not None and target in self.model.offloaded:
                reason = "which this module also runs in a thread"
            if reason is not None:
                return f"{shown_call(site.node)} ({reason})"
            if target is not None and not target.is_async:
                found = self.costly_chain(target)
                if found is not None:
                    links, reason = found
                    shown = " → ".join(link.shown for link in (link_here(site.node), *links))
                    return f"{shown} ({reason}, {links[-1].path}:{links[-1].line})"
        return None

    def _costly(self, site: CallSite) -> Optional[str]:
        """Why one call is costly without blocking: CPU-heavy work, or a project function
        its own module hands to a thread elsewhere (its authors know it is slow)."""
        name = site.scope.owner_model().call_name(site.node, site.scope)
        if name and lookup_table(catalog.CPU_HEAVY, name) and not self.config.is_cheap(name):
            return "CPU-heavy"
        target = self.search.callee(site)
        if target is not None and target in target.model.offloaded:
            return "which its module also runs in a thread"
        return None

    def costly_chain(self, function: FunctionInfo):
        """(links, reason) for the shortest chain from a sync function to a costly call."""
        return self.search.memo.get((self.config, "costly-chain", function),
                                    lambda: self.search.search(function, self._costly))

    def first_unknown_call(self, function: FunctionInfo,
                           root_causes: list[FoldedCall]) -> Optional[ast.Call]:
        """The first call not proven cheap, leaving out blocking calls a `# noqa` accepts;
        a call entered by `with` only when there is no other."""
        accepted = {found.node for folded in root_causes
                    if folded.first.function is function
                    and self.suppressed(folded.first.code, folded.first.node)
                    for found in (folded.first, *folded.repeats)}
        unknown = [site.node for site in self.search.per_call_sites(function)
                   if site.node not in accepted and self.cheap.verdict(site) != "cheap"]
        entered = {item.context_expr for item in function.scope.with_items}
        return next((call for call in unknown if call not in entered),
                    unknown[0] if unknown else None)
