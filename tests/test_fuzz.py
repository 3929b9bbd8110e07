"""Property-based fuzzing of the engine: generated programs and mutated fixtures must never
make it raise, and never make it report ASR000 (a bug in the analysis).

Bounded and deterministic here; `scripts/fuzz --examples N` runs the same properties longer
(it sets FLAKE8_ASYNC_ROUTE_FUZZ_EXAMPLES).
"""
from __future__ import annotations

import ast
import json
import os
import re
import warnings

import pytest
from helpers import REPO_ROOT

from flake8_async_route import engine
from flake8_async_route.config import Config
from flake8_async_route.reports.streaming import Lazy, chunks
from flake8_async_route.results import INTERNAL_ERROR

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# Generated programs are full of `1()`, which CPython warns about when compiling them.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
EXAMPLES = int(os.environ.get("FLAKE8_ASYNC_ROUTE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
FIXTURES = sorted((REPO_ROOT / "tests" / "eval_files").glob("*.py"))
FIXTURE_LINES = {path.name: path.read_text(encoding="utf-8").splitlines() for path in FIXTURES}
IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():  # generated code is full of `1()`: not our concern
            warnings.simplefilter("ignore", SyntaxWarning)
            compile(source, "<fuzz>", "exec", flags=ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def assert_analysed(source: str) -> None:
    """Both entry points run to the end; ASR000 would mean the engine caught its own bug."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        violations = engine.check_source(source)
        result = engine.check(ast.parse(source), Config(), "", source, inventory=True)
    codes = {v.code for v in violations} | {v.code for v in result.violations}
    assert INTERNAL_ERROR not in codes


@FUZZ
@given(hypothesmith.from_grammar().filter(parses))
def test_programs_from_the_grammar(source: str) -> None:
    assert_analysed(source)


@FUZZ
@given(hypothesmith.from_node().filter(parses))
def test_programs_from_the_syntax_tree(source: str) -> None:
    assert_analysed(source)


@st.composite
def mutated_fixture(draw) -> str:
    lines = list(FIXTURE_LINES[draw(st.sampled_from(sorted(FIXTURE_LINES)))])
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        other = draw(st.integers(0, len(lines) - 1))
        mutation = draw(st.sampled_from(["delete", "duplicate", "swap", "await", "async",
                                         "rename"]))
        if mutation == "delete":
            del lines[at]
        elif mutation == "duplicate":
            lines.insert(other, lines[at])
        elif mutation == "swap":
            lines[at], lines[other] = lines[other], lines[at]
        elif mutation == "await":  # `await` before the line's first expression
            stripped = lines[at].lstrip()
            lines[at] = lines[at][: len(lines[at]) - len(stripped)] + "await " + stripped
        elif mutation == "async":
            lines[at] = re.sub(r"\b(def|with|for)\b", r"async \1", lines[at], count=1)
        else:
            names = sorted(set(IDENTIFIER.findall(lines[at])))
            if names:
                name = draw(st.sampled_from(names))
                new = draw(st.sampled_from(["time", "requests", "sleep", "app", "x", "self",
                                            "asyncio", "Depends", "open", "get"]))
                lines = [re.sub(rf"\b{name}\b", new, line) for line in lines]
    return "\n".join(lines) + "\n"


@FUZZ
@given(mutated_fixture().filter(parses))
def test_mutated_fixtures(source: str) -> None:
    assert_analysed(source)


def test_the_fixtures_themselves_are_fuzzed() -> None:
    assert len(FIXTURES) >= 20 and all(parses("\n".join(v)) for v in FIXTURE_LINES.values())


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.dictionaries(st.integers(), inner, max_size=2),
    max_leaves=20)


@FUZZ
@given(JSON_VALUES, JSON_VALUES)
def test_streamed_json_is_the_library_text(value, listed) -> None:
    """The report writers' encoder writes what `json.dumps(indent=2)` would, lazily listed
    items included."""
    document = {"value": value, "items": Lazy(iter([listed, value])), "last": [listed]}
    assert "".join(chunks(document)) == json.dumps(
        {"value": value, "items": [listed, value], "last": [listed]}, indent=2,
        ensure_ascii=False)
