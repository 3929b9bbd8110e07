"""Which files a run checks: directories recursed with excludes and `.gitignore` files
applied, explicit files always checked; paths that cannot be walked are reported, not fatal.

`.gitignore` files are read the way git reads them: each one's patterns are relative to its
own directory, a deeper file overrides a shallower one, the last matching pattern of a file
wins (`!pattern` re-includes), `dir/` matches directories only, and nothing below an ignored
directory is checked. The ones above a named directory count too, up to the root of the git
repository it is in (outside a repository only those inside the named directory count),
unless they ignore the named directory itself: a directory named explicitly is checked, as
ruff and ripgrep do, with only the `.gitignore` files inside it.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Callable, NamedTuple, Optional

import pathspec

from ..project import known_resolved_name
from ..results import UNREADABLE, Finding
from .settings import Settings


def _problem(path: Path, message: str) -> Finding:
    return Finding(path.as_posix(), 1, 0, UNREADABLE, message)


def discover(arguments: list[str], settings: Settings) -> tuple[list[Path], list[Finding]]:
    files: list[Path] = []
    problems: list[Finding] = []
    excluded = settings.excluder()
    for argument in arguments:
        path = Path(argument)
        if path.is_file():
            files.append(path)  # named explicitly: always checked
        elif path.is_dir():
            ancestors = _ancestor_ignores(path)
            if ancestors and _ignored(ancestors, os.path.abspath(path), True):
                ancestors = ()  # named explicitly, though ignored from above
            try:
                real = os.path.realpath(path)
            except (OSError, RuntimeError):
                problems.append(_problem(path, "cannot resolve directory (symbolic link loop?)"))
                continue
            _walk(str(path), real, _Walk(excluded, files, problems), frozenset(), ancestors)
        elif path.is_symlink() and not path.exists():
            problems.append(_problem(path, _broken_link(path)))
        elif path.exists():  # a FIFO, socket or device: reading it could block forever
            problems.append(_problem(path, "not a regular file or directory"))
        else:
            problems.append(_problem(path, "no such file or directory"))
    unique = sorted(dict.fromkeys(files), key=lambda p: p.as_posix())
    return unique, problems


class _Walk(NamedTuple):
    excluded: Callable[[str, str], bool]  # Settings.excluder
    files: list
    problems: list


def _walk(directory: str, real: str, walk: _Walk, seen: frozenset, ignores: tuple) -> None:
    """Strings, not a `Path` per entry (most of a warm run's discovery). `real` is the
    directory's resolved path: a child's is found from it unless the child is a link, and
    handed to `resolved_name`, which a warm run asks of every file."""
    if real in seen:
        walk.problems.append(_problem(Path(directory), "symbolic link loop, skipped"))
        return
    seen = seen | {real}
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        walk.problems.append(_problem(Path(directory),
                                      f"cannot list directory: {error.strerror}"))
        return
    absolute = os.path.abspath(directory)
    own = _read_gitignore(absolute)
    if own is not None:
        ignores = (*ignores, own)
    for entry in entries:
        entry_absolute = os.path.join(absolute, entry.name)
        if walk.excluded(entry.name, entry_absolute):
            continue
        is_link = entry.is_symlink()  # not followed, so a link loop does not raise here
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if ignores and (is_dir or is_file) and _ignored(ignores, entry_absolute, is_dir):
            continue
        if is_dir:
            try:
                entry_real = os.path.realpath(entry.path) if is_link else \
                    os.path.join(real, entry.name)
            except (OSError, RuntimeError):
                walk.problems.append(_problem(
                    Path(entry.path), "cannot resolve directory (symbolic link loop?)"))
                continue
            _walk(entry.path, entry_real, walk, seen, ignores)
        elif is_file and entry.name.endswith(".py"):
            path = Path(entry.path)
            walk.files.append(path)
            if not is_link:
                known_resolved_name(path, os.path.join(real, entry.name))
        elif is_link and not os.path.exists(entry.path):
            link = Path(entry.path)
            walk.problems.append(_problem(link, _broken_link(link)))


def _broken_link(path: Path) -> str:
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


# ----- .gitignore ---------------------------------------------------------------------------


class _Ignore(NamedTuple):
    base: str  # the absolute directory of the .gitignore file
    patterns: tuple  # pathspec patterns, in file order; no-op lines left out


def _ignored(ignores: tuple, path: str, is_dir: bool) -> bool:
    """Whether the deepest `.gitignore` with a pattern matching `path` ignores it."""
    for ignore in reversed(ignores):
        # `path` is absolute and below `ignore.base`, as `os.path.relpath` would check
        relative = path[len(os.path.join(ignore.base, "")):].replace(os.sep, "/")
        if is_dir:
            relative += "/"  # so that `name/` patterns match directories only
        verdict = None
        for pattern in ignore.patterns:
            if pattern.regex.match(relative):
                verdict = pattern.include  # False for a `!pattern`
        if verdict is not None:
            return verdict
    return False


def _ancestor_ignores(directory: Path) -> tuple:
    """The `.gitignore` files above a named directory that apply inside it: from the root
    of its git repository down to its parent; none outside a repository."""
    absolute = Path(os.path.abspath(directory))
    if (absolute / ".git").exists():
        return ()  # the root of a repository: its own .gitignore is read on the way down
    chain = []
    for ancestor in absolute.parents:
        chain.append(ancestor)
        if (ancestor / ".git").exists():
            break
    else:
        return ()
    found = (_read_gitignore(str(d)) for d in reversed(chain))
    return tuple(ignore for ignore in found if ignore is not None)


def _read_gitignore(directory: str) -> Optional[_Ignore]:
    try:
        with open(os.path.join(directory, ".gitignore"), encoding="utf-8",
                  errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:  # none, or unreadable: nothing is ignored because of it
        return None
    patterns = tuple(p for p in _patterns(lines) if p.include is not None)
    return _Ignore(directory, patterns) if patterns else None


def _patterns(lines: list[str]) -> list:
    spec_class = getattr(pathspec, "GitIgnoreSpec", None)  # pathspec >= 0.10

    def parse(chunk: list[str]) -> list:
        if spec_class is not None:
            return list(spec_class.from_lines(chunk).patterns)
        return list(pathspec.PathSpec.from_lines("gitwildmatch", chunk).patterns)

    try:
        return parse(lines)
    except ValueError:  # a malformed pattern: git skips it, so keep the others
        patterns = []
        for line in lines:
            try:
                patterns += parse([line])
            except ValueError:
                continue
        return patterns
