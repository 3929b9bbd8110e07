"""Every option, once. The flake8 plugin's options, the command line's flags, the keys of
`[tool.flake8-async-route]` and of the `[flake8]` section, `Settings` and the analysis
`Config` (and so the result cache's digest of it) are all derived from OPTIONS.

A value is read by its `kind`: `codes` (code prefixes, checked against the rules),
`per-file` (`PATTERN:CODES` entries), `list` (comma- or line-separated strings), `names`
(a list of dotted names the analysis checks), `bool`, `int`, `choice`, `str`,
`patterns` (ast-grep patterns) and `timeout` (seconds).
"""
from __future__ import annotations

import copy
from typing import Mapping, NamedTuple, Optional

from .config import Config, split_list

DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".venv*",
                   "env", "node_modules", "build", "dist", "__pycache__", ".eggs",
                   "*.egg-info", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".asr-cache")
FORMATS = ("text", "json", "sarif", "github", "markdown", "html")
LIST_KINDS = ("codes", "per-file", "list", "names")


class Option(NamedTuple):
    field: str  # the Settings attribute; with `-` for `_`, the pyproject.toml key
    kind: str
    default: object
    help: str
    flag: Optional[str] = None  # the command line's flag, when it has one
    short: Optional[str] = None  # its one-letter form
    metavar: Optional[str] = None
    flake8: Optional[str] = None  # the option's name in flake8 and its `[flake8]` section
    plugin: bool = False  # the plugin adds it to flake8 (the others are flake8's own)
    in_pyproject: bool = True  # False: only for one run (a flag), not in a file
    commands: tuple = ("check", "fix", "audit")
    analysis: Optional[str] = None  # the analysis reads it: Config's parameter
    affects: tuple = ()  # the codes whose findings or fixes it changes (in their docs)

    @property
    def key(self) -> str:
        return self.field.replace("_", "-")


def _shared(name: str, kind: str, default, help: str, **more) -> Option:
    """An option flake8 has too: the same name on the command line and under [flake8]."""
    return Option(name.replace("-", "_"), kind, default, help, flag=f"--{name}",
                  metavar=more.pop("metavar", "LIST"), flake8=name, **more)


def _plugin(name: str, kind: str, default, help: str, field: Optional[str] = None,
            **more) -> Option:
    """One of the plugin's own flake8 options, `--async-route-<name>`, the command line's
    flag too unless it names another."""
    flake8 = f"async-route-{name}"
    more.setdefault("flag", f"--{flake8}")
    return Option(field or flake8.replace("-", "_"), kind, default, help, flake8=flake8,
                  plugin=True, **more)


OPTIONS: tuple[Option, ...] = (
    _shared("select", "codes", ("ASR",), "code prefixes to report, as in flake8"),
    _shared("ignore", "codes", (), "code prefixes not to report, as in flake8"),
    _shared("extend-select", "codes", (), "code prefixes to report besides `select`"),
    _shared("extend-ignore", "codes", (), "code prefixes not to report besides `ignore`"),
    _shared("per-file-ignores", "per-file", (),
            "`PATTERN:CODE,CODE` entries: codes not reported in matching files"),
    _shared("exclude", "list", DEFAULT_EXCLUDE,
            "file or directory patterns not to check (replaces the defaults)"),
    _shared("extend-exclude", "list", (), "patterns not to check besides `exclude`"),
    _plugin("blocking-calls", "names", (),
            "Extra blocking calls reported as ASR100 in coroutines: comma-separated "
            "qualified names or `pkg.*` wildcards, each with an optional `->hint`.",
            metavar="LIST", analysis="blocking_calls", affects=("ASR100", "ASR111")),
    _plugin("cheap-calls", "names", (),
            "Extra qualified names treated as proven cheap (`pkg.*` allowed): not "
            "CPU-heavy for ASR201, and cheap for ASR203.",
            metavar="LIST", analysis="cheap_calls", affects=("ASR201", "ASR203")),
    _plugin("source-roots", "list", (),
            "Directories that hold the project's top-level packages, for following "
            "imports (default: the directory above each file's top package).",
            metavar="LIST", analysis="source_roots"),
    _plugin("sync-client-types", "names", (),
            "Types of sync clients whose every method blocks (ASR100 in coroutines): "
            "comma-separated qualified class names, each with an optional `->hint`; "
            "what calling the class makes is typed as it.",
            metavar="LIST", analysis="sync_client_types", affects=("ASR100", "ASR111")),
    _plugin("blocking-patterns", "patterns", (),
            "ast-grep patterns (Python) reported as ASR100 where they match in a "
            "coroutine: one `PATTERN -> message -> hint` per line (message and hint "
            "optional), or a JSON list of {\"pattern\", \"message\", \"hint\"} objects.",
            field="blocking_patterns", metavar="PATTERNS", analysis="blocking_patterns",
            affects=("ASR100", "ASR111")),
    _plugin("check-tests", "bool", False,
            "Also report in test-support modules (tests/, testing, test_*.py, "
            "*_test.py, conftest.py, pytest_plugin.py), skipped by default.",
            analysis="check_tests"),
    Option("format", "choice", "text", "the report's format", flag="--format"),
    Option("output", "str", None, "write the report here instead of stdout", flag="--output",
           short="-o", metavar="FILE", in_pyproject=False),
    Option("jobs", "int", 0, "processes (default: one per core)", flag="--jobs",
           metavar="N"),
    _plugin("no-cache", "bool", False,
            "Analyse every file, without reading or writing the cache.",
            field="no_cache", flag="--no-cache"),
    _plugin("cache-dir", "str", ".asr-cache",
            "Where findings are cached between runs, keyed by the content of each file and "
            "of the project modules it imports (default: .asr-cache).",
            field="cache_dir", flag="--cache-dir", metavar="DIR"),
    Option("exit_zero", "bool", False, "exit 0 even with findings", flag="--exit-zero"),
    Option("baseline", "str", None, "report only findings not in this baseline",
           flag="--baseline", metavar="FILE"),
    Option("write_baseline", "str", None, "write the current findings as a baseline",
           flag="--write-baseline", metavar="FILE", in_pyproject=False),
    Option("quiet", "bool", False, "no progress, no summary line", flag="--quiet",
           short="-q"),
    Option("show_source", "bool", False,
           "show each finding's source line with a caret under its column",
           flag="--show-source", flake8="show-source"),
    Option("fix_timeout", "timeout", None,
           "offer ASR301 fixes that add `timeout=SECONDS` (unsafe)", flag="--fix-timeout",
           metavar="SECONDS", affects=("ASR301",)),
    Option("fix", "bool", False, "apply the fixes, then report what remains", flag="--fix",
           in_pyproject=False, commands=("check",)),
    Option("diff", "bool", False,
           "print the fixes as a unified diff instead of writing them", flag="--diff",
           in_pyproject=False, commands=("check", "fix")),
    Option("unsafe_fixes", "bool", False, "also apply the fixes that may change behaviour",
           flag="--unsafe-fixes", commands=("check", "fix")),
)
BY_FIELD = {option.field: option for option in OPTIONS}
PLUGIN_OPTIONS = tuple(option for option in OPTIONS if option.plugin)
ANALYSIS_OPTIONS = tuple(option for option in OPTIONS if option.analysis)
# [flake8] option → Settings field: what the command line reads from that section.
FLAKE8_KEYS = {option.flake8: option.field for option in OPTIONS if option.flake8}


def default(option: Option):
    """A fresh copy of the option's default (lists are lists, so settings may extend them)."""
    value = option.default
    return list(value) if isinstance(value, tuple) else copy.copy(value)


def analysis_config(values: Mapping[str, object]) -> Config:
    """The analysis configuration from option values by Settings field, as read (the
    plugin's strings) or already checked (the command line's lists and patterns)."""
    arguments = {}
    for option in ANALYSIS_OPTIONS:
        value = values.get(option.field, option.default)
        if option.kind == "patterns":
            value = _patterns(value)
        elif option.kind in LIST_KINDS:
            value = split_list(value)
        arguments[option.analysis] = value
    return Config(**arguments)


def _patterns(value) -> tuple:
    if not value:
        return ()
    from . import patterns  # with ast-grep's checks: loaded only when some are configured

    if isinstance(value, (list, tuple)) and \
            all(isinstance(entry, patterns.BlockingPattern) for entry in value):
        return tuple(value)  # checked once already, where it was read
    return patterns.parse(value)
