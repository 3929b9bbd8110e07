"""The project-wide search's view of a project's files: their contents, read once, and
which files hold each word searched for.

Each file's identifiers are indexed once, so a search looks at the files holding the
rarest identifier of the word instead of scanning every file's text for each word (five
hundred words over open-webui's 5 MB was a second of a run). An identifier of the word
must be a whole one in the file: a search for `get(` does not find `target(`, which is
no call of `get` either.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Optional

_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


class ProjectTexts:
    def __init__(self, read: Callable[[], dict[Path, bytes]]):
        self._read = read  # the project's files and their contents, in path order
        self._contents: Optional[dict[Path, bytes]] = None
        self._paths: list[Path] = []
        # identifier → the indexes in `_paths` of the files holding it
        self._holding: dict[bytes, list[int]] = {}
        self._mentioning: dict[str, tuple[Path, ...]] = {}

    def contents(self) -> dict[Path, bytes]:
        if self._contents is None:
            self._contents = self._read()
            self._paths = list(self._contents)
            self._holding = {}
            for index, content in enumerate(self._contents.values()):
                for identifier in set(_IDENTIFIER.findall(content)):
                    self._holding.setdefault(identifier, []).append(index)
        return self._contents

    def forget(self) -> None:
        """Drop the contents (the words found stay): read again if a new word comes."""
        self._contents = None
        self._paths = []
        self._holding = {}

    def mentioning(self, word: str) -> tuple[Path, ...]:
        """The files whose text holds `word` (its identifiers whole), in path order."""
        if word not in self._mentioning:
            needle = word.encode("utf-8")
            contents = self.contents()
            identifiers = _IDENTIFIER.findall(needle)
            if identifiers:
                holding = min((self._holding.get(i, ()) for i in identifiers), key=len)
                candidates = [self._paths[index] for index in holding]
            else:
                candidates = self._paths
            self._mentioning[word] = tuple(path for path in candidates
                                           if needle in contents[path])
        return self._mentioning[word]
