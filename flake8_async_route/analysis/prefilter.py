"""A screen on a module's text: most modules of an app cannot hold a finding, and are
not worth a model."""
from __future__ import annotations

import re

from .. import catalog


def _last_names(qualnames) -> list[str]:
    return [name.rpartition(".")[2] for name in qualnames]


# Words without which a module has no coroutine and no function `_assign_roles` could make
# a route or a dependency: the `def` handlers ASR301 looks at (the names it resolves end in
# one of them, however they are imported).
_HANDLER_WORDS = ("async", *catalog.ROUTE_REGISTRARS, *_last_names(catalog.ROUTE_CLASSES),
                  *_last_names(catalog.DEPENDS), *_last_names(catalog.HTTP_ENDPOINT_BASES))
# A `def` function that another module uses as a dependency can hold an ASR301 finding:
# the module then names the library the call is resolved to (`requests`, `urllib`).
_TIMEOUT_WORDS = tuple(sorted({name.partition(".")[0] for name in catalog.NEEDS_TIMEOUT}))
_DECORATOR_LINE = re.compile(r"^[ \t]*@(.*)$", re.MULTILINE)
_ROUTE_DECORATOR = re.compile(r"\b(?:%s)\b" % "|".join(catalog.ROUTE_DECORATORS))


def findings_possible(text: str) -> bool:
    """False when no rule can report anything in this source, whatever the rest of the
    project holds: every finding is in a coroutine (ASR1xx, ASR2xx) or in a `def` route or
    dependency (ASR301), roles come from this module alone, except that another module may
    use a `def` function as a dependency, and its ASR301 calls name their library here (a
    client object imported from another module is not followed into such a function).
    Conservative, on the text: a word in a comment or a string counts, and so does a
    decorator that goes on past its line."""
    if any(word in text for word in _HANDLER_WORDS) or \
            any(word in text for word in _TIMEOUT_WORDS):
        return True
    for match in _DECORATOR_LINE.finditer(text):
        line = match[1]
        opened = line.count("(") + line.count("[") + line.count("{")
        closed = line.count(")") + line.count("]") + line.count("}")
        if _ROUTE_DECORATOR.search(line) or opened > closed or line.rstrip().endswith("\\"):
            return True
    return False
