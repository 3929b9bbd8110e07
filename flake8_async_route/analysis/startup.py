"""Coroutines that serve no request on the server's event loop: startup work (lifespans,
startup and shutdown handlers), and offline ones (command-line entry points, job-queue
tasks), with the coroutines only they use."""
from __future__ import annotations

import ast
from typing import Optional

from .. import catalog
from ..model import CallSite, FunctionInfo, ModuleModel
from .syntax import inside_any, last_identifier, references


class NonRequestCoroutines:
    def __init__(self, model: ModuleModel):
        self.model = model
        self._uses: Optional[dict] = None

    def offline(self) -> set[FunctionInfo]:
        """Coroutines that never run on a server's event loop: the ones a command-line
        entry point (`if __name__ == "__main__":`, a click or typer command) hands to
        `asyncio.run`, job-worker tasks, and the coroutines only they refer to."""
        model = self.model
        runners = [site.node for site in model.all_calls if _runs_a_new_loop(model, site)]
        tasks = {f for f in model.coroutines() if _is_job_task(model, f) and not f.roles}
        return self._only_used_from(tasks, runners)

    def startup(self) -> set[FunctionInfo]:
        """Lifespans, startup and shutdown handlers, and the coroutines only they use."""
        return self._only_used_from({f for f in self.model.coroutines()
                                     if is_startup_work(f)}, [])

    def _only_used_from(self, seeds: set, calls: list) -> set[FunctionInfo]:
        """`seeds`, and the module's coroutines without a role that are named only inside
        them or inside `calls`."""
        if not seeds and not calls:
            return set()
        model, found = self.model, set(seeds)
        containers = [f.node for f in found] + list(calls)
        grown = True
        while grown:
            grown = False
            for function in model.coroutines():
                if function in found or function.roles or \
                        function.parent is not model.module_scope:
                    continue
                uses = self._name_uses().get(function.name, ())
                if uses and all(inside_any(use, containers) for use in uses):
                    found.add(function)
                    containers.append(function.node)
                    grown = True
        return found

    def _name_uses(self) -> dict[str, list[ast.Name]]:
        """Every name read in the module, by name: one walk for every question."""
        if self._uses is None:
            self._uses = {}
            for node in ast.walk(self.model.tree):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    self._uses.setdefault(node.id, []).append(node)
        return self._uses


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


def _runs_a_new_loop(model: ModuleModel, site: CallSite) -> bool:
    """`asyncio.run(main())` in a command-line entry point."""
    if last_identifier(site.node.func) != "run" or \
            model.call_name(site.node, site.scope) not in catalog.LOOP_RUNNERS:
        return False
    scope = site.scope
    if scope.kind == "module":
        return any(_is_main_guard(node) and node.lineno <= site.node.lineno <= node.end_lineno
                   for node in model.tree.body)
    function = scope.function
    if function is None or function.is_async:
        return False
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = model.resolve(target, function.parent) or ""
        if name.split(".")[0] in catalog.CLI_FRAMEWORKS:
            return True  # `@click.command()`
        if isinstance(target, ast.Attribute) and target.attr in ("command", "callback") and \
                model.imports_module(*catalog.CLI_FRAMEWORKS):
            return True  # `@cli.command()`, `@app.command()` on a typer app
    return _is_main_guard_call(model, function)


def _is_main_guard_call(model: ModuleModel, function: FunctionInfo) -> bool:
    """`def main(): asyncio.run(serve_once())` called only under `if __name__ == ...`."""
    if function.parent is not model.module_scope:
        return False
    uses = references(model.tree, function.name)
    guards = [node for node in model.tree.body if _is_main_guard(node)]
    return bool(uses) and all(inside_any(use, guards) for use in uses)


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    return any(isinstance(p, ast.Name) and p.id == "__name__" for p in parts) and \
        any(isinstance(p, ast.Constant) and p.value == "__main__" for p in parts)


def _is_job_task(model: ModuleModel, function: FunctionInfo) -> bool:
    """`@broker.task` / `@dramatiq.actor` in a module of a job-queue library: it runs on
    a worker's loop, not the server's."""
    if not model.imports_module(*catalog.JOB_QUEUE_MODULES):
        return False
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else \
            target.id if isinstance(target, ast.Name) else ""
        if name in catalog.JOB_TASK_DECORATORS:
            return True
    return False
