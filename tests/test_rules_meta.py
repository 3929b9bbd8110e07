"""Every rule ships complete: fixtures, a generated doc page, a CHANGELOG line, and doc
examples that really fire (bad) and are entirely quiet (good) through real flake8."""
from __future__ import annotations

import re

import pytest

from flake8_async_route import docs
from flake8_async_route.rules import Rule
from helpers import REPO_ROOT, parse_output, read_flake8_args, run_flake8

CODES = sorted(Rule.registry)
EVAL_FILES = REPO_ROOT / "tests" / "eval_files"


def test_registry_is_exactly_the_catalog():
    expected = {"ASR100", *(f"ASR10{n}" for n in range(1, 10)), "ASR110", "ASR111", "ASR201",
                "ASR202", "ASR203", "ASR301"}
    assert set(CODES) == expected


def test_every_rule_module_is_imported_by_the_package():
    """A rule module the package forgets to import would register nothing, silently."""
    rules_dir = REPO_ROOT / "flake8_async_route" / "rules"
    modules = {f"flake8_async_route.rules.{path.stem}" for path in rules_dir.glob("*.py")
               if path.stem not in ("__init__", "base")}
    defining = {rule.__module__ for rule in Rule.registry.values()}
    assert modules == defining


@pytest.mark.parametrize("code", CODES)
def test_rule_metadata(code):
    rule = Rule.registry[code]
    assert re.fullmatch(r"ASR\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.slug), rule.slug
    assert rule.message and rule.fix_title
    assert list(docs.sections(rule)) == list(docs.SECTIONS), "docstring sections out of order"


def test_slugs_are_unique():
    slugs = [Rule.registry[code].slug for code in CODES]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize("code", CODES)
def test_rule_has_fixture_with_expectations(code):
    fixtures = sorted(EVAL_FILES.glob(f"{code.lower()}*.py"))
    assert fixtures, f"no tests/eval_files/{code.lower()}*.py"
    text = "".join(f.read_text(encoding="utf-8") for f in fixtures)
    assert re.search(rf"#\s*error:.*\b{code}\b", text), f"{code} fixture expects no {code}"


@pytest.mark.parametrize("code", CODES)
def test_rule_is_in_changelog(code):
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^- .*\b{code}\b", changelog, re.MULTILINE), f"{code} not in CHANGELOG.md"


def test_generated_docs_are_up_to_date():
    expected = docs.expected_files(REPO_ROOT)
    stale = [str(path.relative_to(REPO_ROOT)) for path, text in expected.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"run `python -m flake8_async_route.docs` to regenerate: {stale}"


def _findings_by_file(tmp_path, examples: dict[str, str]) -> dict[str, set[str]]:
    """Run flake8 once per distinct `# flake8-args:` header over the example files."""
    groups: dict[tuple, list] = {}
    for name, source in examples.items():
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        groups.setdefault(read_flake8_args(path), []).append(path)
    found: dict[str, set[str]] = {name: set() for name in examples}
    for args, paths in groups.items():
        result = run_flake8(paths, *args, cwd=tmp_path)
        assert "Traceback" not in result.stderr, result.stderr
        for finding in parse_output(result.stdout):
            found[finding.path.rsplit("/", 1)[-1]].add(finding.code)
    return found


def test_doc_examples_fire_and_alternatives_stay_quiet(tmp_path):
    examples = {}
    for code in CODES:
        rule = Rule.registry[code]
        examples[f"{code}_bad.py"] = docs.example_code(rule, "Example")
        examples[f"{code}_good.py"] = docs.example_code(rule, "Use instead")
    found = _findings_by_file(tmp_path, examples)
    problems = []
    for code in CODES:
        if code not in found[f"{code}_bad.py"]:
            problems.append(f"{code}: the Example does not report {code}")
        if found[f"{code}_good.py"]:
            problems.append(f"{code}: the Use instead example reports {found[f'{code}_good.py']}")
    assert not problems, "\n".join(problems)
