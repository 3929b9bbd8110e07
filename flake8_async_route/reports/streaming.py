"""JSON written a piece at a time: a report's long lists (findings, handlers, SARIF results)
are made one item at a time while they are written, so memory does not grow with them. The
text is the same as `json.dumps(document, indent=2, ensure_ascii=False)`."""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

INDENT = "  "
_END = object()


class Lazy:
    """A list of the document whose items are made when it is written."""

    def __init__(self, items: Iterable):
        self.items = items


def chunks(value: Any, level: int = 0) -> Iterator[str]:
    if isinstance(value, Lazy) or (isinstance(value, list) and any(map(_holds_lazy, value))):
        yield from _container("[", "]", ((None, item) for item in
                                         (value.items if isinstance(value, Lazy) else value)),
                              level)
    elif isinstance(value, dict) and any(map(_holds_lazy, value.values())):
        yield from _container("{", "}", value.items(), level)
    else:
        yield _indented(value, "\n" + INDENT * level)


# With an indent the library's encoder is its pure-Python one, most of a warm run's report:
# this one writes the same text, scalars by the library's C functions.
_STRING = json.encoder.encode_basestring  # ensure_ascii=False
_CONSTANTS = {None: "null", True: "true", False: "false"}


def _indented(value: Any, newline: str) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, each line after the first
    starting with `newline`."""
    if isinstance(value, str):
        return _STRING(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if type(value) is int:
        return int.__repr__(value)
    inner = newline + INDENT
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        return "{" + inner + ("," + inner).join(
            _STRING(key) + ": " + _indented(item, inner) for key, item in value.items()) + \
            newline + "}"
    if type(value) in (list, tuple):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(_indented(item, inner) for item in value) + \
            newline + "]"
    # Floats, keys that are not strings, subclasses: as rare as the library is right.
    return json.dumps(value, indent=len(INDENT), ensure_ascii=False).replace("\n", newline)


def _container(opening: str, closing: str, pairs: Iterator, level: int) -> Iterator[str]:
    inner = "\n" + INDENT * (level + 1)
    separator = opening + inner
    for key, item in pairs:
        yield separator if key is None else \
            f"{separator}{json.dumps(key, ensure_ascii=False)}: "
        yield from chunks(item, level + 1)
        separator = "," + inner
    yield opening + closing if separator.startswith(opening) else \
        "\n" + INDENT * level + closing


def _holds_lazy(value: Any) -> bool:
    if isinstance(value, Lazy):
        return True
    if isinstance(value, dict):
        return any(map(_holds_lazy, value.values()))
    return isinstance(value, list) and any(map(_holds_lazy, value))
