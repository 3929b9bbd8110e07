"""A module's text in the engine's coordinates, and the edits of a fix.

Edits are in 1-based lines and 0-based columns in UTF-8 bytes (the columns `ast` and
flake8 use); `Source` turns them into character offsets of the text and back.
"""
from __future__ import annotations

import ast
import re
from typing import Iterable

from ..columns import byte_column, char_column
from ..results import Edit

_NEWLINE = re.compile(r"\r\n|\r|\n")


class CannotFix(Exception):
    """The code is outside what a fix handles safely: no fix is offered."""


class Source:
    """A module's text with its line starts; lines end at `\\r\\n`, `\\r` or `\\n`, as for
    `ast`. Converts the engine's (line, byte column) to character offsets and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line(self, number: int) -> str:
        """The text of a 1-based line without its line break ("" past the end)."""
        if number > len(self.starts):
            return ""
        start = self.starts[number - 1]
        end = self.starts[number] if number < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, col: int) -> int:
        """The character offset of (1-based line, UTF-8 byte column); the line after the
        last one is the end of the text."""
        if line > len(self.starts):
            if col:
                raise ValueError(f"line {line} is past the end")
            return len(self.text)
        return self.starts[line - 1] + char_column(self.line(line), col)

    def position(self, offset: int) -> tuple:
        """(1-based line, UTF-8 byte column) of a character offset."""
        index = max(i for i, start in enumerate(self.starts) if start <= offset)
        line_text = self.line(index + 1)
        return index + 1, byte_column(line_text, offset - self.starts[index])

    def segment(self, line: int, col: int, end_line: int, end_col: int) -> str:
        return self.text[self.offset(line, col):self.offset(end_line, end_col)]

    def of(self, node: ast.AST) -> str:
        return self.segment(*range_of(node))

    def has_own_lines(self, statement: ast.stmt) -> bool:
        """Nothing but indentation before the statement, nothing but a comment after it."""
        line = self.line(statement.lineno).encode("utf-8")
        end_line = self.line(statement.end_lineno).encode("utf-8")
        tail = end_line[statement.end_col_offset:].strip()
        return not line[:statement.col_offset].strip() and (not tail or tail.startswith(b"#"))


def range_of(node: ast.AST) -> tuple:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)


def start_of(node: ast.AST) -> tuple:
    return (node.lineno, node.col_offset)


def end_of(node: ast.AST) -> tuple:
    return (node.end_lineno, node.end_col_offset)


def edit(start: tuple, end: tuple, text: str) -> Edit:
    return Edit(start[0], start[1], end[0], end[1], text)


def merge_edits(edits: Iterable[Edit]) -> tuple:
    """Sorted, duplicates dropped, touching edits joined into one; overlap is a bug."""
    result: list[Edit] = []
    for new in sorted(set(edits), key=Edit.sort_key):
        if result:
            last = result[-1]
            if (new.line, new.col) < (last.end_line, last.end_col):
                raise CannotFix("edits of one fix overlap")
            if (new.line, new.col) == (last.end_line, last.end_col):
                result[-1] = Edit(last.line, last.col, new.end_line, new.end_col,
                                  last.text + new.text)
                continue
        result.append(new)
    return tuple(result)


def bare_code(text: str) -> str:
    """The text without whitespace, comments and line continuations."""
    return re.sub(r"#[^\r\n]*|\\\r?\n|\s+", "", text)


def comma_offset(gap: str) -> int:
    """The offset of the comma in the text between two arguments (comments skipped)."""
    index = 0
    while index < len(gap):
        if gap[index] == "#":
            while index < len(gap) and gap[index] not in "\r\n":
                index += 1
            continue
        if gap[index] == ",":
            return index
        index += 1
    raise CannotFix("no comma")
