"""User configuration shared by the flake8 plugin and the command line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional, Union

from .catalog import Blocking, lookup_table

CONFIGURED_BLOCKING_CODE = "ASR100"
DEFAULT_CONFIGURED_HINT = "run it in a thread (`await asyncio.to_thread(...)`) or use an async API"
DEFAULT_CLIENT_HINT = "use the library's async client, or run the call with `asyncio.to_thread`"

ListValue = Union[str, Iterable[str]]


class ConfigError(ValueError):
    """A configuration value that cannot be used."""


def split_list(value: ListValue) -> list[str]:
    """Entries separated by commas or new lines; spaces inside an entry are kept, since a
    `->hint` is prose."""
    items = re.split(r"[,\n]", value) if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def _check_name(name: str, option: str) -> str:
    parts = name.split(".")
    valid = all(part.isidentifier() or (part == "*" and i == len(parts) - 1)
                for i, part in enumerate(parts))
    if not valid:
        raise ConfigError(f"{option}: {name!r} is not a dotted name (`pkg.func` or `pkg.*`)")
    return name


class Config:
    def __init__(self, blocking_calls: ListValue = (), cheap_calls: ListValue = (),
                 source_roots: ListValue = (), blocking_patterns=(),
                 sync_client_types: ListValue = (), check_tests: bool = False):
        self.blocking: dict[str, Blocking] = {}
        for entry in split_list(blocking_calls):
            name, _, hint = entry.partition("->")
            name = _check_name(name.strip(), "async-route-blocking-calls")
            self.blocking[name] = Blocking(CONFIGURED_BLOCKING_CODE,
                                           hint.strip() or DEFAULT_CONFIGURED_HINT)
        # `legacy_sdk.Client->use legacy_sdk.AsyncClient`: what `Client(...)` makes is an
        # instance of that type (so values are typed), and every method of it blocks.
        client_types = set()
        for entry in split_list(sync_client_types):
            name, _, hint = entry.partition("->")
            name = _check_name(name.strip(), "async-route-sync-client-types")
            if name.endswith(".*"):
                raise ConfigError(f"async-route-sync-client-types: {name!r} names a type, "
                                  "not a wildcard")
            client_types.add(name)
            self.blocking.setdefault(f"{name}.*", Blocking(
                CONFIGURED_BLOCKING_CODE, hint.strip() or DEFAULT_CLIENT_HINT))
        self.client_types = frozenset(client_types)
        self.cheap = frozenset(_check_name(n, "async-route-cheap-calls")
                               for n in split_list(cheap_calls))
        self.source_roots = tuple(split_list(source_roots))
        # Report in test-support modules too (see engine.is_test_support).
        self.check_tests = bool(check_tests)
        # ast-grep patterns, read and checked (`patterns.parse`): BlockingPattern tuples.
        self.patterns: tuple = tuple(blocking_patterns)
        # What the analysis reads, by parameter: the result cache's digest of it.
        self.inputs = {
            "blocking_calls": sorted((name, *entry) for name, entry in self.blocking.items()),
            "cheap_calls": sorted(self.cheap),
            "sync_client_types": sorted(self.client_types),
            "check_tests": self.check_tests,
            "blocking_patterns": [list(entry) for entry in self.patterns],  # the first wins
            "source_roots": [str(Path(root).resolve()) for root in self.source_roots],
        }

    def blocking_entry(self, name: str) -> Optional[Blocking]:
        return lookup_table(self.blocking, name) if self.blocking else None

    def is_cheap(self, name: str) -> bool:
        return bool(self.cheap) and lookup_table(self.cheap, name) is not None
