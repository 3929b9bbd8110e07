"""The analysis of one module: the questions its rules and fixes ask, answered by the
collaborators of this package, which share the project's memo."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, Optional

from ..model import FunctionInfo, ModuleModel
from . import handlers
from .blocking import CoroutineScan
from .cheap import CheapCalls
from .costly import CostlyWork
from .folding import RootCauses
from .memo import Memo
from .results import BlockingCall, FoldedCall
from .search import BlockingSearch
from .startup import NonRequestCoroutines
from .suppressions import Suppressions

if TYPE_CHECKING:
    from ..config import Config


class Analysis:
    """What the rules, the fixes and the audit ask about one module. The module's findings
    are made once (blocking_calls); per-function answers are memoised on the project."""

    def __init__(self, model: ModuleModel, config: Config):
        self.model = model
        self.config = config
        model.assign_roles()
        project = model.project
        memo = Memo(project.summaries if project is not None else {})
        self._search = BlockingSearch(config, memo)
        self._non_request = NonRequestCoroutines(model)
        self._scan = CoroutineScan(model, self._search, self._non_request)
        suppressions = Suppressions(model)
        self._root_causes = RootCauses(self._search, suppressions)
        self._folded: Optional[list[FoldedCall]] = None
        self._costly = CostlyWork(model, self._search, CheapCalls(model, self._search),
                                  suppressions)
        self.too_deep: list[FunctionInfo] = self._scan.too_deep  # skipped by blocking_calls()

    # ----- blocking calls ----------------------------------------------------------------

    def blocking_calls(self) -> list[BlockingCall]:
        """Blocking calls in this module's coroutines, direct (ASR1xx) or through project
        helpers (ASR110)."""
        return self._scan.blocking_calls()

    def folded_blocking_calls(self) -> list[FoldedCall]:
        """blocking_calls() with one finding per root cause per coroutine (see folding.py)."""
        if self._folded is None:
            self._folded = self._root_causes.fold(self.blocking_calls())
        return self._folded

    def blocking_on_its_behalf(self, handler: FunctionInfo) -> str:
        """Where the first blocking call is in a project coroutine that `handler` runs on
        the loop, or ""; this only tells the audit's verdict."""
        return self._scan.blocking_on_its_behalf(handler)

    def offline_coroutines(self) -> set[FunctionInfo]:
        return self._non_request.offline()

    def startup_coroutines(self) -> set[FunctionInfo]:
        return self._non_request.startup()

    # ----- costly work -------------------------------------------------------------------

    def costly_call(self, function: FunctionInfo) -> Optional[str]:
        return self._costly.costly_call(function, self.folded_blocking_calls())

    def first_unknown_call(self, function: FunctionInfo) -> Optional[ast.Call]:
        return self._costly.first_unknown_call(function, self.folded_blocking_calls())

    # ----- the route-shape rules ---------------------------------------------------------

    def never_awaiting_handler(self, function: FunctionInfo) -> bool:
        return handlers.never_awaiting_handler(self._search, function)

    def is_loop_bound(self, function: FunctionInfo, offloading: bool = False) -> bool:
        return handlers.is_loop_bound(self._search, function, offloading)

    relies_on_the_loop_thread = staticmethod(handlers.relies_on_the_loop_thread)
    is_threadable = staticmethod(handlers.is_threadable)

    def offload_of(self, expr: ast.expr, scope) -> Optional[ast.Call]:
        return handlers.offload_of(self.model, expr, scope)

    def uses_dedicated_pool(self, offload: ast.Call, scope) -> bool:
        return handlers.uses_dedicated_pool(self.model, offload, scope)

    def threadable_coroutines(self) -> Iterator[FunctionInfo]:
        """Async routes and dependencies FastAPI could run as `def` in its thread pool."""
        return (f for f in self.model.coroutines() if handlers.is_threadable(f))

    def sync_handlers(self, worth_asking=None) -> Iterator[FunctionInfo]:
        return handlers.sync_handlers(self.model, worth_asking)
