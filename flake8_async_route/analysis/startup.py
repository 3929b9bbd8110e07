"""Coroutines that serve no request on the server's event loop: startup work (lifespans,
startup and shutdown handlers), and offline ones (see offline.py), with the coroutines only
they use."""
from __future__ import annotations

from typing import Optional

from .. import catalog
from ..model import FunctionInfo, ModuleModel
from .offline import OfflineCoroutines, References
from .syntax import inside_any


class NonRequestCoroutines:
    def __init__(self, model: ModuleModel):
        self.model = model
        self._references: Optional[References] = None
        self._offline: Optional[set[FunctionInfo]] = None

    def offline(self) -> set[FunctionInfo]:
        """Coroutines that never run on a server's event loop: the ones a loop of their
        own runs (a command-line entry point, sync code calling `asyncio.run`, a decorator
        doing it), job-worker tasks, and the coroutines only they refer to."""
        if self._offline is None:
            self._offline, _ = OfflineCoroutines(self.model, self._module_references).find()
        return self._offline

    def startup(self) -> set[FunctionInfo]:
        """Lifespans, startup and shutdown handlers, and the module-level coroutines
        without a role that are named only inside them."""
        model = self.model
        found = {f for f in model.coroutines() if is_startup_work(f)}
        if not found:
            return found
        containers = [f.node for f in found]
        names = self._module_references().names
        grown = True
        while grown:
            grown = False
            for function in model.coroutines():
                if function in found or function.roles or \
                        function.parent is not model.module_scope:
                    continue
                uses = names.get(function.name, ())
                if uses and all(inside_any(use, containers) for use in uses):
                    found.add(function)
                    containers.append(function.node)
                    grown = True
        return found

    def _module_references(self) -> References:
        if self._references is None:
            self._references = References(self.model.tree)
        return self._references


def is_startup_work(function: FunctionInfo) -> bool:
    """A lifespan or a startup/shutdown handler: it runs once, not per request. An
    `@asynccontextmanager` taking the app is taken for a lifespan registered elsewhere."""
    if any(role.kind in ("lifespan", "event_handler") for role in function.roles):
        return True
    if not function.async_context_manager or function.roles:
        return False
    params = function.node.args.posonlyargs + function.node.args.args
    if len(params) != 1:
        return False
    annotation = params[0].annotation
    model = function.model
    if annotation is not None:
        return model.annotation_type(annotation, function.parent) in catalog.APP_TYPES or \
            (model.resolve(annotation, function.parent) or "") in catalog.APP_CLASSES
    return params[0].arg == "app"
