"""User configuration shared by the flake8 plugin and the command line."""
from __future__ import annotations

from typing import Iterable, Optional

from .catalog import Blocking
from .model import lookup_table

CONFIGURED_BLOCKING_CODE = "ASR100"
DEFAULT_CONFIGURED_HINT = "run it in a thread (`await asyncio.to_thread(...)`) or use an async API"


class ConfigError(ValueError):
    """A configuration value that cannot be used."""


def _clean(names: Iterable[str]) -> list[str]:
    return [name.strip() for name in names if name and name.strip()]


def _check_name(name: str, option: str) -> str:
    parts = name.split(".")
    valid = all(part.isidentifier() or (part == "*" and i == len(parts) - 1)
                for i, part in enumerate(parts))
    if not valid:
        raise ConfigError(f"{option}: {name!r} is not a dotted name (`pkg.func` or `pkg.*`)")
    return name


class Config:
    def __init__(self, blocking_calls: Iterable[str] = (), cheap_calls: Iterable[str] = ()):
        self.blocking: dict[str, Blocking] = {}
        for entry in _clean(blocking_calls):
            name, _, hint = entry.partition("->")
            name = _check_name(name.strip(), "async-route-blocking-calls")
            self.blocking[name] = Blocking(CONFIGURED_BLOCKING_CODE,
                                           hint.strip() or DEFAULT_CONFIGURED_HINT)
        self.cheap = frozenset(_check_name(n, "async-route-cheap-calls")
                               for n in _clean(cheap_calls))

    def blocking_entry(self, name: str) -> Optional[Blocking]:
        return lookup_table(self.blocking, name) if self.blocking else None

    def is_cheap(self, name: str) -> bool:
        return bool(self.cheap) and lookup_table(self.cheap, name) is not None
