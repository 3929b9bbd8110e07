"""Which files a run checks: directories recursed with excludes applied, explicit files
always checked; paths that cannot be walked are reported, not fatal."""
from __future__ import annotations

import os
from pathlib import Path

from .results import Finding
from .settings import Settings

UNREADABLE = "ASR001"


def _problem(path: Path, message: str) -> Finding:
    return Finding(path.as_posix(), 1, 0, UNREADABLE, message)


def discover(arguments: list[str], settings: Settings) -> tuple[list[Path], list[Finding]]:
    files: list[Path] = []
    problems: list[Finding] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_file():
            files.append(path)  # named explicitly: always checked
        elif path.is_dir():
            _walk(path, settings, files, problems, set())
        elif path.is_symlink():
            problems.append(_problem(path, "broken symbolic link"))
        else:
            problems.append(_problem(path, "no such file or directory"))
    unique = sorted(dict.fromkeys(files), key=lambda p: p.as_posix())
    return unique, problems


def _walk(directory: Path, settings: Settings, files: list, problems: list, seen: set) -> None:
    try:
        real = directory.resolve()
    except (OSError, RuntimeError):
        problems.append(_problem(directory, "cannot resolve directory (symbolic link loop?)"))
        return
    if real in seen:
        problems.append(_problem(directory, "symbolic link loop, skipped"))
        return
    seen = seen | {real}
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as error:
        problems.append(_problem(directory, f"cannot list directory: {error.strerror}"))
        return
    for entry in entries:
        path = Path(entry.path)
        if settings.excludes(path):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = entry.is_file()
        except OSError:
            is_dir = is_file = False
        if is_dir:
            _walk(path, settings, files, problems, seen)
        elif is_file and entry.name.endswith(".py"):
            files.append(path)
        elif entry.is_symlink() and not os.path.exists(entry.path):
            problems.append(_problem(path, "broken symbolic link"))
