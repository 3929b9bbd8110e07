"""The plugin cache's lists of the files an entry depends on, shared between entries.

A file whose analysis searched the project (for the calls of a helper) depends on every
module of it, and so does every file importing it: hundreds of entries of one project
depend on nearly the same thousands of files. Each entry held its list (hundreds of
kilobytes each, 89 MB of cache for three applications); now it names one, and the
lists are files of their own, `<name>.deps`, JSON `{"base": name, "paths": [...]}`: the
paths of the base list (none for "") and these. A run's lists grow as it meets more of
the project, so each is written as the paths it adds to the largest of the last lists
stored that it contains, and its paths are in that order: its base's, then its own.

A list's name is the sha256 of its file, so a damaged file, or a list whose base is
missing or damaged, is read as None: a miss for the entries naming it, never a wrong
answer. Reading or storing a list marks it as used (its modification time); one unused
for 30 days is removed, by the first run that stores an entry after that (entries still
naming it miss once and store it again).
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Iterable, Optional

from .atomic import write_atomically

SUFFIX = ".deps"
KEPT_SECONDS = 30 * 24 * 3600
_BASES = 8  # the lists stored last, tried as the base of the next one


class DependencyLists:
    def __init__(self, directory: Path):
        self.directory = directory
        self._read: dict[str, Optional[tuple[str, ...]]] = {}  # name → paths; None: unusable
        self._names: dict[tuple[str, ...], str] = {}  # paths → name, of the lists stored
        self._bases: list[tuple[str, frozenset[str]]] = []

    # ----- reading -----------------------------------------------------------------------

    def paths(self, name: str) -> Optional[tuple[str, ...]]:
        """The paths of the list (its base's, then its own), None when it or one of its
        bases is missing or damaged."""
        chain = []  # (name, paths it adds), from `name` down to a list already read
        below = name
        while below and below not in self._read:
            link = self._link(below)
            if link is None:
                self._read[below] = None
                break
            chain.append((below, link[1]))
            below = link[0]
        paths = self._read.get(below, ()) if below else ()
        for link_name, added in reversed(chain):
            paths = None if paths is None else paths + tuple(added)
            self._read[link_name] = paths
        return self._read[name] if name else ()

    def _link(self, name: str) -> Optional[tuple[str, list[str]]]:
        """(base, paths added) from the list's file, marked as used; None when it does not
        match its name."""
        target = self.directory / (name + SUFFIX)
        try:
            data = target.read_bytes()
            link = json.loads(data)
            base, added = link["base"], link["paths"]
        except (OSError, ValueError, TypeError, KeyError):
            return None
        if _name(data) != name or not isinstance(base, str) or not isinstance(added, list) \
                or not all(isinstance(path, str) for path in added):
            return None
        try:
            os.utime(target)
        except OSError:  # a cache that can be read, not written: it only misses its removal
            pass
        return base, added

    # ----- writing -----------------------------------------------------------------------

    def name_for(self, paths: list[str], own: str) -> str:
        """The name of a list of the `paths` of the files an entry depends on, with
        or without the entry's `own` file, whichever shares more with a list stored
        before: files importing the same modules share the list without their own,
        files whose analysis searched the project (which holds them) the one with.
        Written unless it is on disk already; raises OSError when it cannot be written."""
        without = tuple(paths) if own not in paths else tuple(p for p in paths if p != own)
        with_own = list(without)
        bisect.insort(with_own, own)
        with_own = tuple(with_own)
        for listed in (without, with_own):
            if listed in self._names:
                return self._names[listed]
        base, below, listed = self._largest_base(without, with_own, own)
        members = frozenset(listed)
        added = sorted(members - below)
        data = json.dumps({"base": base, "paths": added}, separators=(",", ":")).encode()
        name = _name(data)
        # Its base is one this process stored: read or written, and marked as used.
        if self._link(name) is None:
            write_atomically(self.directory / (name + SUFFIX), data)
        self._names[listed] = name
        self._read[name] = self._read[base] + tuple(added) if base else tuple(added)
        # It holds its base: a better base for the lists after it (one growing list
        # would soon be pushed out by the small ones stored between its versions).
        kept = [other for other in self._bases if other[0] != base]
        self._bases = [*kept[1 - _BASES:], (name, members)]
        return name

    def _largest_base(self, without: tuple[str, ...], with_own: tuple[str, ...], own: str):
        """(name, paths, list) of the largest recent list within one of the two lists (the
        earlier stored of two as large), with the list it is within; ("", {}, without)
        when there is none."""
        found = ("", frozenset(), without)
        members = frozenset(without)
        members_with_own = None
        for name, paths in self._bases:
            if len(paths) <= len(found[1]):
                continue
            if own not in paths:
                if paths <= members:
                    found = (name, paths, without)
                continue
            # A list holding `own` can only be within the one with it.
            members_with_own = members_with_own or members | {own}
            if paths <= members_with_own:
                found = (name, paths, with_own)
        return found

    def forget_unused(self, listing: Iterable[str]) -> None:
        """Remove the lists of the directory's listing unused for KEPT_SECONDS."""
        oldest = time.time() - KEPT_SECONDS
        for other in listing:
            if other.endswith(SUFFIX):
                try:
                    if os.stat(self.directory / other).st_mtime < oldest:
                        os.unlink(self.directory / other)
                except OSError:
                    pass


def _name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
