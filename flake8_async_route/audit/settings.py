"""Command-line settings: defaults, then `[tool.flake8-async-route]` in pyproject.toml,
then flags. Names are the flags' names (and the flake8 options' for the shared ones)."""
from __future__ import annotations

import fnmatch
import functools
import os
import re
import sys
from pathlib import Path
from typing import Callable, Optional

from ..config import Config, ConfigError, split_list
from ..options import BY_FIELD, FORMATS, LIST_KINDS, OPTIONS, analysis_config, default
from ..patterns import checked as checked_patterns
from ..rules.base import TOOL_PREFIX, opt_in_chosen, opt_in_codes
from .flake8_config import parse_per_file_ignores

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10
    import tomli as tomllib

TOOL_SECTION = "flake8-async-route"
CODE_PREFIX = re.compile(r"^[A-Z]{1,3}[0-9]{0,3}$")


class Settings:
    """One run's settings: every option's value, by field (see options.OPTIONS)."""

    def __init__(self, **values):
        for option in OPTIONS:
            setattr(self, option.field, default(option))
        for key, value in values.items():
            if key not in BY_FIELD:
                raise TypeError(f"Settings: no option {key!r}")
            setattr(self, key, value)
        self._config: Optional[Config] = None

    def config(self) -> Config:
        """The analysis configuration, read once (`build` reads it to check it)."""
        if self._config is None:
            self._config = analysis_config(vars(self))
        return self._config

    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)

    # ----- selection, as flake8 decides it -----------------------------------------------

    def selects(self, code: str, path: str) -> bool:
        if self._ignored_for_file(code, path):
            return False
        if code in opt_in_codes():
            # As flake8 decides with the plugin: chosen more narrowly than `ASR`
            # (rules.base.opt_in_chosen), and not extend-ignored, since flake8 keeps the
            # code in its default ignore list, which extend-ignore adds to and ties go to.
            if not opt_in_chosen(code, [*self.select, *self.extend_select]) or \
                    _longest_prefix(code, self.extend_ignore):
                return False
        selected = _longest_prefix(code, [*self.select, *self.extend_select])
        ignored = _longest_prefix(code, [*self.ignore, *self.extend_ignore])
        return selected > ignored

    def _ignored_for_file(self, code: str, path: str) -> bool:
        for patterns, codes in _per_file_mapping(tuple(self.per_file_ignores)):
            if code.startswith(codes) and matches_filename(path, patterns):
                return True
        return False

    def excluder(self) -> Callable[[str, str], bool]:
        """Whether to skip a file or directory, from its base name and absolute path."""
        return _filename_matcher(tuple([*self.exclude, *self.extend_exclude]))


def _longest_prefix(code: str, prefixes: list) -> int:
    """Length of the longest listed prefix of `code`, 0 when none matches."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=0)


def matches_filename(path: str, patterns: list) -> bool:
    """flake8's rule: a pattern with a `/` is anchored at the working directory and
    matched against the absolute path; any other pattern against the base name too."""
    return _filename_matcher(tuple(patterns))(os.path.basename(path), os.path.abspath(path))


def _filename_matcher(patterns: tuple) -> Callable[[str, str], bool]:
    for_basename, for_absolute = _compiled(patterns, os.getcwd())

    def matches(basename: str, absolute: str) -> bool:
        basename = os.path.normcase(basename)
        if for_basename is not None and basename not in (".", "..") and \
                for_basename.match(basename):
            return True
        return for_absolute is not None and bool(for_absolute.match(os.path.normcase(absolute)))
    return matches


@functools.lru_cache(maxsize=64)
def _compiled(patterns: tuple, cwd: str) -> tuple:
    """One regular expression for the base-name patterns, one for all of them against the
    absolute path (a discovery matches every file and directory against the same list)."""
    def union(items: list) -> Optional[re.Pattern]:
        translated = [fnmatch.translate(os.path.normcase(item)) for item in items]
        return re.compile("|".join(translated)) if translated else None

    # `cwd` is in the key only: abspath anchors at the working directory.
    anchored = [os.path.abspath(p.rstrip("/")) if "/" in p else p for p in patterns]
    return union([p for p in patterns if "/" not in p]), union(anchored)


@functools.lru_cache(maxsize=16)
def _per_file_mapping(entries: tuple) -> list[tuple[list, tuple]]:
    return [(files, tuple(codes))
            for files, codes in parse_per_file_ignores(list(entries), "per-file-ignores")]


# ----- reading and checking ---------------------------------------------------------------

def find_pyproject(start: Path) -> Optional[Path]:
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject(path: Optional[Path]) -> dict:
    """The tool's table, keys normalised to the Settings field names."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    table = data.get("tool", {}).get(TOOL_SECTION, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{TOOL_SECTION}] must be a table")
    return {key.replace("-", "_"): value for key, value in table.items()}


def build(config_values: dict, flag_values: dict, source: str = "pyproject.toml",
          flake8_values: Optional[dict] = None, flake8_source: str = "[flake8]") -> Settings:
    """Settings from the `[flake8]` section's values, then the pyproject table's, then the
    flags given: each later source wins for the keys it sets."""
    settings = Settings()
    for key, value in (flake8_values or {}).items():
        setattr(settings, key, _checked(key, _this_tools_codes(key, value), flake8_source))
    for key, value in config_values.items():
        if key not in BY_FIELD or not BY_FIELD[key].in_pyproject:
            raise ConfigError(f"{source}: unknown key {key.replace('_', '-')!r} in "
                              f"[tool.{TOOL_SECTION}]")
        setattr(settings, key, _checked(key, value, source))
    for key, value in flag_values.items():
        if value is not None:
            setattr(settings, key, _checked(key, value, "command line"))
    settings.config()  # raises ConfigError for bad names
    return settings


@functools.lru_cache(maxsize=1)
def known_codes() -> tuple:
    """Every code this tool reports: the rules' and the run's own (ASR000, ASR001)."""
    from ..docs import DIAGNOSTICS
    from ..rules import Rule

    return tuple(sorted({*Rule.registry, *DIAGNOSTICS}))


def _names_a_code(prefix: str) -> bool:
    return any(code.startswith(prefix) for code in known_codes())


def _this_tools_codes(key: str, value):
    """A `[flake8]` code list names every plugin's codes: keep the prefixes that can name
    one of ours (and every ASR one, so a typo there is still an error)."""
    def ours(code: str) -> bool:
        return code.startswith(TOOL_PREFIX) or _names_a_code(code)

    if BY_FIELD[key].kind == "codes":
        return [code for code in value if ours(code)]
    if BY_FIELD[key].kind == "per-file":
        entries = []
        for entry in value:
            files, _, codes = entry.rpartition(":")
            kept = [code for code in codes.split(",") if ours(code)]
            if kept:
                entries.append(f"{files}:{','.join(kept)}")
        return entries
    return value


def _check_known(codes: list, option: str, source: str) -> None:
    unknown = [code for code in codes if not _names_a_code(code)]
    if unknown:
        raise ConfigError(f"{source}: {option}: unknown code {', '.join(unknown)}: no "
                          "flake8-async-route code starts with it (`flake8-async-route rules` "
                          "lists them)")


def _checked(key: str, value, source: str):
    option = BY_FIELD[key]
    name, kind = option.key, option.kind
    if kind == "patterns":  # tables (or the flake8 option's text), checked here
        return checked_patterns(value, source)
    if kind == "timeout":
        return _checked_timeout(value, source)
    if kind in LIST_KINDS:
        if isinstance(value, str):
            value = split_list(value)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{source}: {name} must be a list of strings")
        if kind == "codes":
            bad = [v for v in value if not CODE_PREFIX.match(v)]
            if bad:
                raise ConfigError(f"{source}: {name}: {', '.join(bad)} is not an error code "
                                  "prefix such as ASR or ASR101")
            _check_known(value, name, source)
        if kind == "per-file":
            for _, codes in parse_per_file_ignores(value, source):
                _check_known(codes, name, source)
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{source}: {name} must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{source}: jobs must be a whole number, 0 for one per core")
        return value
    if kind == "choice" and value not in FORMATS:
        raise ConfigError(f"{source}: format must be one of {', '.join(FORMATS)}")
    if not isinstance(value, str):
        raise ConfigError(f"{source}: {name} must be a string")
    return value


def _checked_timeout(value, source: str) -> str:
    """`fix-timeout`: a positive number of seconds, kept as the Python literal to insert."""
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            try:
                value = float(value.strip())
            except ValueError:
                value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not 0 < value < float("inf"):
        raise ConfigError(f"{source}: fix-timeout must be a positive number of seconds")
    return repr(value)
