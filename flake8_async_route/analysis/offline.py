"""Coroutines that never run on a server's event loop: the ones a loop of their own runs
(`asyncio.run(main())` or `loop.run_until_complete(...)` in sync code, a click or typer
command, a project decorator whose wrapper does that), job-queue tasks, and the coroutines
that only those refer to, wherever the project refers to them."""
from __future__ import annotations

import ast
from typing import Callable, Optional

from .. import catalog
from ..model import CallSite, ClassInfo, FunctionInfo, ModuleModel, Scope
from .syntax import inside_any, last_identifier, references

# Text that a line starting a loop holds: the bodies holding it are walked for their calls.
RUNNER_MARKERS = ("run(", *(f"{name}(" for name in sorted(catalog.LOOP_RUNNER_METHODS)))


class References:
    """What one module reads, by name: names, attributes, string constants, and the names
    it imports under another name. One walk answers every question about the module."""

    def __init__(self, tree: ast.Module):
        self.names: dict[str, list[ast.Name]] = {}
        self.attributes: dict[str, list[ast.Attribute]] = {}
        self.strings: set[str] = set()  # `getattr(self, "name")`
        self.renamed: set[str] = set()  # `from x import name as other`
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.names.setdefault(node.id, []).append(node)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                self.attributes.setdefault(node.attr, []).append(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.strings.add(node.value)
            elif isinstance(node, ast.alias) and node.asname not in (None, node.name):
                self.renamed.add(node.name.rpartition(".")[2])

    def of(self, function: FunctionInfo) -> Optional[list[ast.expr]]:
        """The reads that may refer to the function; None when one may go unseen."""
        name = function.name
        if name in self.renamed or (function.cls is not None and name in self.strings):
            return None
        return [*self.names.get(name, ()), *self.attributes.get(name, ())]


class OfflineCoroutines:
    """The offline coroutines of one module. With `project_wide`, a module-level coroutine
    or a method also used by another module is offline only if each of those uses is in
    that module's own offline code; without it (asked of those other modules), only the
    sure ones are found: loops' coroutines, tasks and the nested coroutines only they use."""

    def __init__(self, model: ModuleModel, references: Callable[[], References],
                 project_wide: bool = True):
        self.model = model
        self.references = references  # built when first needed: most modules never do
        self.project_wide = project_wide
        self._other_references: dict[int, References] = {}
        self._other_containers: dict[int, list[ast.AST]] = {}

    def find(self) -> tuple[set[FunctionInfo], list[ast.AST]]:
        """The offline coroutines, and the code that runs only offline (their bodies and
        the loop runners' calls)."""
        model = self.model
        model.walk_functions_with(RUNNER_MARKERS)
        sites = [site for site in model.all_calls if is_loop_runner(model, site)]
        anywhere = bool(sites) and not _loops_reentered(model)
        runners = [site.node for site in sites if _runs_a_new_loop(model, site, anywhere)]
        found = {f for f in model.coroutines() if not f.roles and (
            _is_job_task(model, f) or _run_by_its_decorator(model, f))}
        containers = [f.node for f in found] + runners
        if not containers and (not self.project_wide or not any(
                self._called_offline_by_a_base(f) for f in model.coroutines() if not f.roles)):
            return found, containers
        grown = True
        while grown:
            grown = False
            for function in model.coroutines():
                if function not in found and not function.roles and \
                        not _starts_tasks(function) and \
                        self._used_only_inside(function, containers):
                    found.add(function)
                    containers.append(function.node)
                    grown = True
        return found, containers

    def _used_only_inside(self, function: FunctionInfo, containers: list) -> bool:
        """Every read of the function's name, in this module and in the others, is in
        offline code, and there is one."""
        nested = function.parent.kind == "function"
        if not nested and (not self.project_wide or not _reached_only_by_name(function)):
            return False
        uses = self.references().of(function)
        if uses is None or not all(inside_any(use, containers) for use in uses):
            return False
        if nested:  # its name is read nowhere else
            return bool(uses)
        if not uses and not self._called_offline_by_a_base(function):
            return False  # the project searched only for a method its base runs offline
        elsewhere = self._uses_elsewhere(function)
        return elsewhere is not None and bool(uses or elsewhere)

    def _uses_elsewhere(self, function: FunctionInfo) -> Optional[int]:
        """How many reads of the function's name other modules make, all in their own
        offline code; None when one of them is not."""
        project, count = self.model.project, 0
        if project is None:
            return 0
        for other in project.search.models_mentioning(function.name, origin=self.model):
            if other is self.model:
                continue
            uses = self._references_of(other).of(function)
            if uses is None:
                return None
            other.walk_functions_with((function.name,))
            uses = [use for use in uses if not _names_another_function(other, use, function)]
            if uses and not all(inside_any(use, self._offline_code_of(other)) for use in uses):
                return None
            count += len(uses)
        return count

    def _called_offline_by_a_base(self, function: FunctionInfo) -> bool:
        """A method that the offline code of a project base class calls, and only that
        code in the base's module: `self.schedule_task()` in the base's
        `run_until_complete(_wrapper())`. The other modules are asked afterwards."""
        if function.cls is None or not _reached_only_by_name(function):
            return False
        for overridden in _overridden_methods(function):
            other = overridden.model
            containers = self._offline_code_of(other)
            uses = self._references_of(other).of(function) if containers else None
            if uses and all(inside_any(use, containers) for use in uses):
                return True
        return False

    def _references_of(self, other: ModuleModel) -> References:
        if id(other) not in self._other_references:
            self._other_references[id(other)] = References(other.tree)
        return self._other_references[id(other)]

    def _offline_code_of(self, other: ModuleModel) -> list[ast.AST]:
        if id(other) not in self._other_containers:
            other.assign_roles()
            _, containers = OfflineCoroutines(other, lambda: self._references_of(other),
                                              project_wide=False).find()
            self._other_containers[id(other)] = containers
        return self._other_containers[id(other)]


def _starts_tasks(function: FunctionInfo) -> bool:
    """`asyncio.create_task(...)` in its body: on a loop of its own the coroutine still
    shares that loop with the tasks it starts, so what blocks in it stalls them."""
    return any(last_identifier(site.node.func) in catalog.TASK_STARTERS
               for site in function.scope.calls)


def _names_another_function(model: ModuleModel, use: ast.expr, function: FunctionInfo) -> bool:
    """`install_extension(...)` in a module that imports another module's function of that
    name. A method found through an instance is not another: it may dispatch to an
    override, `function`."""
    found = model.local_definition(use, _scope_at(model, use))
    if found is None or _same_definition(found, function):
        return False
    if isinstance(use, ast.Name):
        return True
    return isinstance(found, FunctionInfo) and found.parent is found.model.module_scope


def _same_definition(found, function: FunctionInfo) -> bool:
    """The same function, also in a model built again since (Session.keep_within_budget)."""
    return found is function or isinstance(found, FunctionInfo) and \
        found.model.path == function.model.path and found.node.lineno == function.node.lineno


def _scope_at(model: ModuleModel, node: ast.expr) -> Scope:
    """The innermost walked function or class scope holding the node."""
    holders = [(f.node, f) for f in model.functions] + [(c.node, c) for c in model.classes]
    inner = [(holder, info) for holder, info in holders if inside_any(node, [holder])]
    if not inner:
        return model.module_scope
    _, info = max(inner, key=lambda pair: (pair[0].lineno, pair[0].col_offset))
    return info.scope


def _overridden_methods(function: FunctionInfo) -> list[FunctionInfo]:
    """The methods of the project's base classes that the method overrides."""
    cls, found = function.cls, []
    owner = cls.scope.owner_model()
    for base in cls.node.bases:
        base_cls = owner.names.local_definition(base, cls.scope.parent)
        if isinstance(base_cls, ClassInfo) and base_cls is not cls:
            method = base_cls.scope.owner_model().hierarchy.method(base_cls, function.name)
            if method is not None and method is not function:
                found.append(method)
    return found


def _reached_only_by_name(function: FunctionInfo) -> bool:
    """A module-level coroutine, or a method that nothing outside the project calls: not
    a dunder, of a class whose bases are the project's or call no method."""
    if function.parent is function.model.module_scope:
        return True
    if function.cls is None or function.parent.kind != "class" or \
            function.name.startswith("__"):
        return False
    return _bases_call_nothing(function.cls)


def _bases_call_nothing(cls: ClassInfo, depth: int = 0) -> bool:
    owner = cls.scope.owner_model()
    for base in cls.node.bases:
        base = base.value if isinstance(base, ast.Subscript) else base  # `Generic[T]`
        found = owner.names.local_definition(base, cls.scope.parent)
        if isinstance(found, ClassInfo):
            if found is cls or depth > 10 or not _bases_call_nothing(found, depth + 1):
                return False
        elif (owner.resolve(base, cls.scope.parent) or "") not in catalog.INERT_BASES:
            return False
    return True


def _loops_reentered(model: ModuleModel) -> bool:
    """The project uses nest_asyncio: `asyncio.run()` may then run on a running loop."""
    if model.imports_module(*catalog.LOOP_REENTRY_PATCHES):
        return True
    project = model.project
    return project is not None and any(project.search.models_mentioning(name, origin=model)
                                       for name in catalog.LOOP_REENTRY_PATCHES)


def is_loop_runner(model: ModuleModel, site: CallSite) -> bool:
    """`asyncio.run(...)`, `anyio.run(...)`, `loop.run_until_complete(...)`: a loop that
    runs its coroutine to the end, on a thread where no loop is running."""
    func = site.node.func
    if isinstance(func, ast.Attribute) and func.attr in catalog.LOOP_RUNNER_METHODS:
        return True
    return last_identifier(func) == "run" and \
        model.call_name(site.node, site.scope) in catalog.LOOP_RUNNERS


def _runs_a_new_loop(model: ModuleModel, site: CallSite, anywhere: bool) -> bool:
    """A loop runner in sync code (`anywhere`), or in a command-line entry point."""
    scope = site.scope
    if scope.kind == "module":
        return anywhere or any(
            _is_main_guard(node) and node.lineno <= site.node.lineno <= node.end_lineno
            for node in model.tree.body)
    function = scope.function
    if function is None or function.is_async:
        return False
    return anywhere or _is_command(model, function) or _is_main_guard_call(model, function)


def _is_command(model: ModuleModel, function: FunctionInfo) -> bool:
    for decorator in getattr(function.node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = model.resolve(target, function.parent) or ""
        if name.split(".")[0] in catalog.CLI_FRAMEWORKS:
            return True  # `@click.command()`
        if isinstance(target, ast.Attribute) and target.attr in ("command", "callback") and \
                model.imports_module(*catalog.CLI_FRAMEWORKS):
            return True  # `@cli.command()`, `@app.command()` on a typer app
    return False


def _run_by_its_decorator(model: ModuleModel, function: FunctionInfo) -> bool:
    """`@coro async def main()`, where the project's `coro` replaces the coroutine
    function with a sync one that runs it in a new loop: `asyncio.run(f(*args))`."""
    for decorator in function.node.decorator_list:
        if isinstance(decorator, (ast.Name, ast.Attribute)):
            found = model.local_definition(decorator, function.parent)
            if isinstance(found, FunctionInfo) and _runs_its_argument_in_a_new_loop(found):
                return True
    return False


def _runs_its_argument_in_a_new_loop(decorator: FunctionInfo) -> bool:
    """A decorator whose sync wrappers call the function it takes only inside a loop
    runner: the coroutine can never be awaited, on any loop but the runner's."""
    node = decorator.node
    if decorator.is_async or isinstance(node, ast.Lambda):
        return False
    params = [*node.args.posonlyargs, *node.args.args]
    if len(params) != 1:
        return False
    wrapped, model = params[0].arg, decorator.model
    scope = decorator.scope  # walks the body: its wrappers become known
    run_calls = [site.node.args[0].func for inner in model.functions
                 if inner.parent is scope and not inner.is_async
                 for site in inner.scope.calls
                 if is_loop_runner(model, site) and _calls_name(site.node, wrapped)]
    if not run_calls:
        return False  # most decorators: their bodies are not walked for the rest
    wrapper_decorators = [d for inner in ast.walk(node) if inner is not node and
                          isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef))
                          for d in inner.decorator_list]  # `@functools.wraps(f)`
    return all(use in run_calls or inside_any(use, wrapper_decorators)
               for use in references(node, wrapped))


def _calls_name(call: ast.Call, name: str) -> bool:
    """`asyncio.run(f(...))`: the runner's first argument is a call of `name`."""
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Call) and isinstance(first.func, ast.Name) and \
        first.func.id == name


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
