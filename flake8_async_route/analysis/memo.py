"""Per-function results, kept on the project for the life of the process.

Every call is judged in the model of the module it is written in, so a result about a
helper holds whichever file is being checked. Keys are (config or None, kind, function,
...): the project forgets results by the function they are about (`key[2]`), and a result
that names other modules' functions (`model.NamesFunctions`) with any of them."""
from __future__ import annotations


class Memo:
    def __init__(self, store: dict):
        self.store = store
        self._in_progress: set = set()
        self._cycle_seen = False

    def get(self, key: tuple, compute):
        """compute() the first time the key is asked for."""
        if key not in self.store:
            self.store[key] = compute()
        return self.store[key]

    def cycle_safe(self, key: tuple, compute, in_progress):
        """compute() the first time; a recursive question answers `in_progress`. A result
        that leaned on such an answer is kept only at the outermost question, whose search
        saw the whole cycle, so answers never depend on the order of questions."""
        if key in self.store:
            return self.store[key]
        if key in self._in_progress:
            self._cycle_seen = True
            return in_progress
        outer_cycle_seen, self._cycle_seen = self._cycle_seen, False
        self._in_progress.add(key)
        try:
            result = compute()
        finally:
            self._in_progress.discard(key)
        if not self._cycle_seen or not self._in_progress:
            self.store[key] = result
        self._cycle_seen = self._cycle_seen or outer_cycle_seen
        return result
