from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest


@pytest.fixture
def write_module(tmp_path: Path) -> Callable[..., Path]:
    """Write dedented source to a file in tmp_path and return its path."""

    def write(source: str, name: str = "app.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write
