"""`# noqa` exactly as flake8 applies it, for the command line (the plugin leaves it to
flake8): a comment anywhere on a multi-line statement covers all of its lines."""
from __future__ import annotations

import re
import tokenize
from functools import lru_cache
from io import StringIO
from typing import Optional

# flake8's own patterns (flake8/defaults.py).
NOQA_INLINE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
                         re.IGNORECASE)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)


def file_is_skipped(lines: list[str]) -> bool:
    """`# flake8: noqa` on a line of its own skips the whole file."""
    return any(NOQA_FILE.match(line) for line in lines)


def logical_line_text(lines: list[str]) -> dict[int, str]:
    """Each line number mapped to the text of the whole statement it belongs to; empty
    when no line has a noqa comment (tokenizing is the costly part of an audit)."""
    mapping: dict[int, str] = {}
    if not any("noqa" in line.lower() for line in lines):
        return mapping
    first, last = len(lines) + 2, -1
    try:
        for token in tokenize.generate_tokens(StringIO("".join(lines)).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.DEDENT):
                continue
            first, last = min(first, token.start[0]), max(last, token.end[0])
            if token.type in (tokenize.NL, tokenize.NEWLINE):
                joined = "".join(lines[first - 1:last])
                mapping.update(dict.fromkeys(range(first, last + 1), joined))
                first, last = len(lines) + 2, -1
    except (tokenize.TokenError, SyntaxError):
        return {}
    return mapping


@lru_cache(maxsize=512)
def _codes(text: str) -> Optional[tuple]:
    """None without a noqa comment, () for a bare `# noqa`, else the codes listed."""
    match = NOQA_INLINE.search(text)
    if match is None:
        return None
    codes = match.group("codes")
    return tuple(c for c in re.split(r"[,\s]", codes) if c) if codes else ()


def is_suppressed(code: str, line_text: Optional[str]) -> bool:
    codes = _codes(line_text) if line_text else None
    if codes is None:
        return False
    return not codes or code.startswith(codes)
