"""Which blocking calls a `# noqa` comment accepts, as flake8 reads it. The analysis does
not filter findings by it (flake8 and the CLI do); it only keeps an accepted call from
speaking for others: it shows nothing costly (ASR201) and other work does not fold into it."""
from __future__ import annotations

import ast
from typing import Optional

from .. import noqa
from ..model import ModuleModel


class Suppressions:
    def __init__(self, model: ModuleModel):
        self.model = model
        self._statement_text: Optional[dict[int, str]] = None

    def covers(self, code: str, node: ast.AST) -> bool:
        """Whether a `# noqa` comment on the statement at `node` covers `code`."""
        if self._statement_text is None:
            source = self.model.source
            if isinstance(source, bytes):
                source = source.decode("utf-8", "replace")
            self._statement_text = noqa.logical_line_text(
                source.splitlines(keepends=True)) if source else {}
        return noqa.is_suppressed(code, self._statement_text.get(node.lineno))
