"""The `[flake8]` section of `setup.cfg`, `tox.ini` or `.flake8`, read for the command line
the way flake8 reads it, so one configuration drives both (flake8 is not imported here)."""
from __future__ import annotations

import configparser
import os
import re
from pathlib import Path
from typing import Optional

from ..config import ConfigError
from ..options import FLAKE8_KEYS, OPTIONS

FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")
SECTION = "flake8"
# flake8 splits its own lists on commas and white space; the plugin's keep spaces (hints).
_FLAKE8_LISTS = {option.flake8 for option in OPTIONS
                 if option.flake8 and not option.plugin and option.kind in ("codes", "list")}
_BOOLEANS = {option.flake8 for option in OPTIONS if option.flake8 and option.kind == "bool"}
_LIST_SEPARATOR = re.compile(r"[,\s]")


def find(start: Path) -> Optional[Path]:
    """The file flake8 would read run from `start`: the first of FLAKE8_FILES with a
    `[flake8]` section, from `start` up to (not including) the home directory."""
    home = Path.home()
    directory = start.resolve()
    while True:
        for name in FLAKE8_FILES:
            candidate = directory / name
            if candidate.is_file() and SECTION in _parsed(candidate, quiet=True):
                return candidate
        if directory.parent in (directory, home):
            return None
        directory = directory.parent


def load(path: Optional[Path]) -> dict:
    """The section's values this tool uses, keyed by Settings field. Lists of codes keep the
    prefixes that can name one of this tool's codes (the rest belong to other plugins);
    paths with a `/` are made absolute from the file's directory, as flake8 does."""
    if path is None:
        return {}
    section = _parsed(path)
    if SECTION not in section:
        return {}
    values = {}
    for option, raw in section[SECTION].items():
        option = option.replace("_", "-")
        if option not in FLAKE8_KEYS:
            continue
        if option in _BOOLEANS:
            try:
                values[FLAKE8_KEYS[option]] = section.getboolean(SECTION, option)
            except ValueError as error:
                raise ConfigError(f"{path}: [flake8] {option}: {error}") from error
        elif option in _FLAKE8_LISTS:
            items = [item for item in _LIST_SEPARATOR.split(raw) if item]
            if option.endswith("exclude"):
                items = [_anchored(item, path.parent) for item in items]
            values[FLAKE8_KEYS[option]] = items
        elif option == "per-file-ignores":
            values[FLAKE8_KEYS[option]] = [
                f"{','.join(_anchored(p, path.parent) for p in files)}:{','.join(codes)}"
                for files, codes in parse_per_file_ignores([raw], f"{path}: [flake8]")]
        else:
            values[FLAKE8_KEYS[option]] = raw
    return values


def _parsed(path: Path, quiet: bool = False) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        if quiet:  # flake8 passes over a file it cannot parse while looking for one
            return configparser.RawConfigParser()
        raise ConfigError(f"{path}: cannot read: {error}") from error
    return parser


def _anchored(pattern: str, directory: Path) -> str:
    return os.path.abspath(directory / pattern) if "/" in pattern else pattern


_PER_FILE_TOKENS = [
    (re.compile(r"[A-Z]+[0-9]*(?=$|\s|,)"), "code"),
    (re.compile(r"[^\s:,]+"), "file"),
    (re.compile(r"\s*:\s*"), "colon"),
    (re.compile(r"\s*,\s*"), "comma"),
    (re.compile(r"\s+"), "space"),
]


def parse_per_file_ignores(entries: list, source: str) -> list[tuple[list, list]]:
    """`routers/*:ASR110,ASR101 main.py: ASR202` → [(patterns, codes), ...], tokenised as
    flake8 reads its per-file-ignores option, but strict: file patterns without codes, or a
    code before any `:`, raise ConfigError naming the entry (flake8 drops the former)."""
    value = "\n".join(entries)
    mapping: list[tuple[list, list]] = []
    files: list = []
    codes: list = []
    after_colon = False

    def malformed(why: str) -> ConfigError:
        entry = " ".join(files) + (":" if after_colon else "") + ",".join(codes)
        return ConfigError(f"{source}: per-file-ignores: {why} in {entry.strip() or value!r} "
                           "(each entry is `PATTERN[,PATTERN...]:CODE[,CODE...]`)")

    for kind, text in [*_tokens(value), ("eof", "")]:
        if kind in ("comma", "space"):
            continue
        if not after_colon:
            if kind == "file":
                files.append(text)
            elif kind == "colon" and files:
                after_colon = True
            elif kind == "eof" and not files:
                break
            else:
                raise malformed({"code": f"code {text} before any `:`",
                                 "colon": "`:` with no file pattern before it",
                                 "eof": "file pattern(s) with no `:CODES`"}[kind])
        elif kind == "code":
            codes.append(text)
        elif kind in ("file", "eof") and codes:
            mapping.append((files, codes))
            files, codes, after_colon = ([text] if kind == "file" else []), [], False
        else:
            raise malformed("no codes after `:`" if kind != "colon" else "a second `:`")
    return mapping


def _tokens(value: str):
    position = 0
    while position < len(value):
        for pattern, kind in _PER_FILE_TOKENS:
            match = pattern.match(value, position)
            if match:
                yield kind, match.group().strip()
                position = match.end()
                break
