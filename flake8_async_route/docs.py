"""Rule documentation, generated from the rules' docstrings.

`python -m flake8_async_route.docs` rewrites `docs/rules/*.md` and the rule table in
README.md; a test fails when the committed files differ from what this produces.
"""
from __future__ import annotations

import functools
import importlib.metadata
import inspect
import re
import sys
import textwrap
from pathlib import Path
from typing import Optional

from .options import OPTIONS
from .results import INTERNAL_ERROR, UNREADABLE
from .rules import Rule

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Known limits")
TABLE_START = "<!-- rules-table-start -->"
TABLE_END = "<!-- rules-table-end -->"
_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


# Codes that report on the run rather than on the code: no rule class, no fixture.
DIAGNOSTICS = {
    INTERNAL_ERROR: (
        "# ASR000: internal-error\n\n"
        "flake8-async-route hit a bug while analysing this file. The file's other findings\n"
        "are missing; every other file is analysed as usual. Please report it with the\n"
        "message, which names the exception.\n"
    ),
    UNREADABLE: (
        "# ASR001: unreadable-file\n\n"
        "The command line could not read, decode or parse this file (or path): a missing\n"
        "path, a broken symbolic link or a loop, a file that is not UTF-8 and has no\n"
        "coding cookie, a null byte, or a syntax error. The run goes on with the other\n"
        "files. Under flake8 the same file gets flake8's own E902/E999.\n"
    ),
}


def rule_doc(rule: type[Rule]) -> str:
    """The rule's docstring, with the Known limits its family shares (a `shared_known_limits`
    paragraph, wrapped) at the end of that section."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    shared = getattr(rule, "shared_known_limits", "")
    return f"{doc}\n{textwrap.fill(shared, 88)}" if shared else doc


def sections(rule: type[Rule]) -> dict[str, str]:
    """The docstring's `## Heading` sections, by heading."""
    found: dict[str, str] = {}
    for chunk in re.split(r"^## ", rule_doc(rule), flags=re.MULTILINE)[1:]:
        heading, _, body = chunk.partition("\n")
        found[heading.strip()] = body.strip()
    return found


def example_code(rule: type[Rule], section: str) -> str:
    match = _CODE_BLOCK.search(sections(rule).get(section, ""))
    return match.group(1) if match else ""


def summary(rule: type[Rule]) -> str:
    first = sections(rule).get("What it does", "").split("\n\n")[0]
    return " ".join(first.split())


def page(rule: type[Rule]) -> str:
    return (
        f"# {rule.code}: {rule.slug}\n\n"
        f"Message: `{rule.message}`\n\n"
        f"Fix: {rule.fix_title}\n\n"
        f"{rule_doc(rule)}\n\n"
        f"## Fix safety\n{fix_safety(rule)}\n\n"
        f"## Options\n{options_text(rule)}\n"
    )


def fix_safety(rule: type[Rule]) -> str:
    """From the rule's declaration (`fix`, `fix_safe`): whether and how it is fixed."""
    if not rule.fix:
        return "No automatic fix: the change depends on what the code does (see Use instead)."
    if rule.fix_safe:
        return ("Safe: `flake8-async-route fix` (or `check --fix`) applies it; the behaviour "
                "is kept.")
    return ("Unsafe: applied only with `--unsafe-fixes` (`flake8-async-route fix "
            "--unsafe-fixes`), as it may change behaviour; review it first with `--diff`.")


def options_text(rule: type[Rule]) -> str:
    """The options of the table (options.OPTIONS) that change this rule's findings or fix,
    each with its flake8, pyproject.toml and command-line spellings."""
    lines = []
    for option in OPTIONS:
        if any(rule.code.startswith(code) for code in option.affects):
            names = [f"`{option.flake8}` (flake8)"] if option.flake8 else []
            names.append(f"`{option.key}` (pyproject.toml)")
            if option.flag:
                names.append(f"`{option.flag}` (command line)")
            lines.append(f"- {', '.join(names)}: {option.help}")
    every_rule = [f"`{option.flake8}`" for option in OPTIONS
                  if option.analysis and not option.affects]
    lines.append(f"- Like every rule: {' and '.join(every_rule)} (see the README's Options).")
    return "\n".join(lines)


@functools.lru_cache(maxsize=1)
def project_urls() -> dict:
    """The installed distribution's `[project.urls]`, by lower-cased label. Empty until the
    project is published somewhere: reports then link to no page rather than to one that
    does not exist (the rule's page is embedded in SARIF `help` and in the HTML report)."""
    try:
        entries = importlib.metadata.metadata("flake8-async-route").get_all("Project-URL")
    except importlib.metadata.PackageNotFoundError:
        return {}
    urls = {}
    for entry in entries or ():
        label, _, url = entry.partition(",")
        urls[label.strip().lower()] = url.strip()
    return urls


def home_url() -> Optional[str]:
    urls = project_urls()
    return urls.get("homepage") or urls.get("repository")


def rule_url(code: str) -> Optional[str]:
    """`<Documentation>/rules/ASR101.md` when `[project.urls] Documentation` names where
    the `docs/` directory is served, else None."""
    base = project_urls().get("documentation")
    return f"{base.rstrip('/')}/rules/{code}.md" if base else None


def table() -> str:
    rows = ["| Code | Name | What it reports |", "| --- | --- | --- |"]
    for code in sorted(Rule.registry):
        rule = Rule.registry[code]
        rows.append(f"| [{code}](docs/rules/{code}.md) | `{rule.slug}` | {summary(rule)} |")
    return "\n".join(rows)


def readme_with_table(readme: str) -> str:
    before, _, rest = readme.partition(TABLE_START)
    _, _, after = rest.partition(TABLE_END)
    return f"{before}{TABLE_START}\n{table()}\n{TABLE_END}{after}"


def expected_files(root: Path) -> dict[Path, str]:
    files = {root / "docs" / "rules" / f"{code}.md": page(rule)
             for code, rule in sorted(Rule.registry.items())}
    readme = root / "README.md"
    files[readme] = readme_with_table(readme.read_text(encoding="utf-8"))
    return files


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    (root / "docs" / "rules").mkdir(parents=True, exist_ok=True)
    for path, text in expected_files(root).items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
