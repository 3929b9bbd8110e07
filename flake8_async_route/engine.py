"""Run every rule over one module: `check`, the one entry point the plugin and the CLI
share, and `guarded`, the one policy they run each file under."""
from __future__ import annotations

import ast
import bisect
import hashlib
from pathlib import Path
from typing import Callable, NamedTuple, Optional, TypeVar

from .analysis import Analysis, Violation, findings_possible
from .cache import ResultCache
from .config import Config
from .model import FunctionInfo, ModuleModel, relative_to_cwd
from .project import SESSION, long_lived_objects
from .results import INTERNAL_ERROR, UNREADABLE, verdict
from .rules import Rule


class HandlerInfo(NamedTuple):
    """A function with a framework role, and the findings inside it."""

    function: FunctionInfo
    kind: str
    methods: tuple
    route: Optional[str]
    router: Optional[str]
    verdict: str
    violations: tuple
    blocks_through: str  # "" or where a coroutine it runs blocks the loop (see verdict)


class ModuleResult(NamedTuple):
    violations: list  # Violations, sorted
    too_deep: list  # FunctionInfos of the coroutines skipped as too deeply nested
    # With the inventory only (see `check`):
    contexts: list = []  # the enclosing function's qualified name for each violation
    handlers: list = []  # HandlerInfos
    includes: list = []  # (parent router, child router, prefix) from `include_router`
    module: str = ""  # the module name router keys of this file start with
    analysis: Optional[Analysis] = None  # what the fixes are built from (see fixes/)


def module_model(tree: ast.Module, filename: str, config: Config,
                 source: Optional[str] = None) -> ModuleModel:
    """The model of a checked file, inside its project when it has one on disk."""
    project = SESSION.project_for(filename, config.source_roots, config.client_types)
    SESSION.keep_within_budget(project)
    model = project.model_for(Path(filename), tree, source) if project is not None else None
    return model if model is not None else ModuleModel(tree, source=source)


# Packages and modules that hold a project's tests and its test helpers (`bentoml.testing`):
# their coroutines run under a test runner, never on a serving loop.
_TEST_PACKAGES = frozenset({"tests", "test", "testing"})
_TEST_MODULES = _TEST_PACKAGES | {"conftest", "pytest_plugin"}


def is_test_support(model: ModuleModel, filename: str) -> bool:
    """The module, by its dotted name or its path below the working directory, is in a
    `tests`, `test` or `testing` package or folder, or is named `conftest`,
    `pytest_plugin`, `test_*` or `*_test` (a folder named `test_app` is not enough)."""
    paths = [model.name.split(".")] if model.name else []
    relative = relative_to_cwd(filename) if filename else ""
    if relative and not Path(relative).is_absolute():
        paths.append(Path(relative).with_suffix("").parts)
    for *packages, module in (parts for parts in paths if parts):
        if _TEST_PACKAGES.intersection(packages) or module in _TEST_MODULES \
                or module.startswith("test_") or module.endswith("_test"):
            return True
    return False


def _violations(analysis: Analysis, filename: str = "") -> list[Violation]:
    if not analysis.config.check_tests and \
            is_test_support(analysis.model, analysis.model.path or filename):
        return []
    found = {v for code in sorted(Rule.registry) for v in Rule.registry[code]().check(analysis)}
    return sorted(found)


def check(tree: ast.Module, config: Optional[Config] = None, filename: str = "",
          source: Optional[str] = None, cache: Optional[ResultCache] = None,
          inventory: bool = False) -> ModuleResult:
    """The one entry point: the findings for one parsed module and the coroutines skipped as
    too deeply nested to analyse; with `inventory` (the audit), also each finding's
    enclosing function and the handlers with their verdicts.

    `source`, when given, lets the analysis skip function bodies that cannot matter until
    a call needs them, and is the text the `blocking-patterns` are matched on (without it
    they are not). The findings alone (the plugin) are stored in `cache`, for a project
    file on disk with its source, with the content they came from and that of every file
    they may depend on, and reused while none of them changed."""
    config = config or Config()
    if not inventory and source is not None and not findings_possible(source):
        return ModuleResult([], [])  # most modules of an app: not even worth a model
    if inventory or cache is None or source is None:
        return _checked(tree, config, filename, source, inventory)
    project = SESSION.project_for(filename, config.source_roots, config.client_types)
    if project is None:
        return _checked(tree, config, filename, source, inventory)
    path = Path(filename)
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    stored = cache.load(path, _violations_from_json, digest)
    if stored is not None:
        return ModuleResult(stored, [])
    result = _checked(tree, config, filename, source, inventory)
    if not result.too_deep:  # then the findings depend on the stack, not only on the files
        cache.store(path, digest, [list(v) for v in result.violations],
                    project.dependency_digests(path))
    return result


def check_source(source: str, config: Optional[Config] = None) -> list[Violation]:
    """The findings in a module's text (tests and rule examples)."""
    return check(ast.parse(source), config, source=source).violations


def _checked(tree: ast.Module, config: Config, filename: str, source: Optional[str],
             inventory: bool) -> ModuleResult:
    model = module_model(tree, filename, config, source)
    analysis = Analysis(model, config)
    violations = _violations(analysis, filename)
    if not inventory:
        return ModuleResult(violations, analysis.too_deep)
    functions = sorted((f for f in model.functions if f.name != "<lambda>"),
                       key=lambda f: (f.node.lineno, -f.node.end_lineno))
    contexts = [_innermost(functions, v.line) for v in violations]
    handlers = [_handler(analysis, function, violations)
                for function in functions if function.roles]
    return ModuleResult(violations, analysis.too_deep, contexts, handlers, model.includes,
                        model.name, analysis)


def _violations_from_json(stored) -> list[Violation]:
    """Raises TypeError or ValueError for data of another shape."""
    return [Violation(int(line), int(col), str(code), str(message))
            for line, col, code, message in stored]


class Failure(NamedTuple):
    code: str  # INTERNAL_ERROR, or UNREADABLE for a file too deeply nested to analyse
    message: str


T = TypeVar("T")


def guarded(work: Callable[[], T]) -> tuple[Optional[T], Optional[Failure]]:
    """The run policy both front ends apply to each file: the collector is kept off the
    long-lived models (see long_lived_objects); deep code the per-coroutine skip did not
    catch skips the file; a bug in the analysis is reported on the file, not raised, so
    the run goes on."""
    try:
        with long_lived_objects():
            return work(), None
    except RecursionError:
        return None, Failure(UNREADABLE, "too deeply nested to analyse; file skipped")
    except Exception as error:
        return None, Failure(INTERNAL_ERROR, f"flake8-async-route could not analyse this "
                                             f"file ({type(error).__name__}: {error}); "
                                             "please report it")


def too_deep_message(function: FunctionInfo) -> str:
    return f"`{function.qualname}` is too deeply nested to analyse; skipped"


def _innermost(functions: list[FunctionInfo], line: int) -> str:
    starts = [f.node.lineno for f in functions]
    for function in reversed(functions[: bisect.bisect_right(starts, line)]):
        if function.node.end_lineno >= line:
            return function.qualname
    return ""


def _handler(analysis: Analysis, function: FunctionInfo,
             violations: list[Violation]) -> HandlerInfo:
    node = function.node
    inside = tuple(v for v in violations if node.lineno <= v.line <= node.end_lineno)
    role = function.roles[0]
    blocks_through = analysis.blocking_on_its_behalf(function) if function.is_async else ""
    return HandlerInfo(function, role.kind, role.methods, role.path, role.router,
                       verdict(function.is_async, {v.code for v in inside}, blocks_through),
                       inside, blocks_through)
