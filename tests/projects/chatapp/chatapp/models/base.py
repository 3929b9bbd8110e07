"""Shared table helpers."""
from chatapp.db import get_db


class BaseTable:
    model = None

    def _fetch(self, row_id: str):
        with get_db() as db:
            return db.get(self.model, row_id)

    def _count(self) -> int:
        with get_db() as db:
            return db.query(self.model).count()
