"""Columns in UTF-8 bytes (`ast`'s col_offset, flake8's and the engine's columns) and in
characters (str indexes, tree-sitter's columns in ast-grep, SARIF regions)."""
from __future__ import annotations


def char_column(line_text: str, byte_col: int, *, strict: bool = True) -> int:
    """The character column of a 0-based UTF-8 byte column of a line. A byte column inside
    a character is a ValueError, or with `strict=False` the column of that character."""
    prefix = line_text.encode("utf-8")[:byte_col]
    try:
        return len(prefix.decode("utf-8"))
    except UnicodeDecodeError:
        if not strict:
            return len(prefix.decode("utf-8", errors="ignore"))
        raise ValueError(f"byte column {byte_col} is inside a character") from None


def byte_column(line_text: str, char_col: int) -> int:
    """The UTF-8 byte column of a character column: the inverse of `char_column`."""
    return len(line_text[:char_col].encode("utf-8"))
