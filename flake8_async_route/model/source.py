"""A module's text and path: the lines that mark the functions worth walking, and the path
as findings show it."""
from __future__ import annotations

import bisect
import importlib.util
import os
from typing import Optional, Union

# Lines that can hold a coroutine, a framework registration or a thread offload. Only the
# functions around such lines are walked up front; the rest wait until a call needs them.
# (`sync_to_async` and `asyncify` are offloads too: "async" finds them.)
EAGER_MARKERS = (
    "async", "await", "Depends", "Security", "add_api_route", "add_route", "websocket",
    "Route(", "add_task", "BackgroundTask", "add_exception_handler", "add_event_handler",
    "FastAPI", "APIRouter", "Starlette", "lifespan", "on_startup", "on_shutdown",
    "exception_handlers", "to_thread", "threadpool", "run_in_executor", "run_sync",
)


def marked_lines(markers: tuple, source: Union[str, bytes, None]) -> Optional[list[int]]:
    """The lines of the source holding any of the markers; None when the source is
    unknown."""
    if isinstance(source, bytes):
        source = importlib.util.decode_source(source)
    return None if source is None else _matching_lines(markers, source)


def _matching_lines(markers: tuple, text: str) -> list[int]:
    """The numbers of the lines holding any of the markers, as `ast` numbers lines. A
    `str.find` per marker: several times faster than one regular expression of them all."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    positions = []
    for marker in markers:
        position = text.find(marker)
        while position != -1:
            positions.append(position)
            position = text.find(marker, position + 1)
    positions.sort()
    found: list[int] = []
    line, previous = 1, 0
    for position in positions:
        line += text.count("\n", previous, position)
        previous = position
        if not found or found[-1] != line:
            found.append(line)
    return found


def has_line_between(lines: list[int], first: int, last: int) -> bool:
    index = bisect.bisect_left(lines, first)
    return index < len(lines) and lines[index] <= last


def relative_to_cwd(path: str) -> str:
    """Relative to the working directory when below it, else as given: `../../x.py` says
    less than the absolute path."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if relative.startswith("..") else relative
