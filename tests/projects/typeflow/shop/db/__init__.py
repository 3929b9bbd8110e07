from .interface import DBInterface
from .sql import SQLDB

_db: DBInterface = None


def initialize_db():
    global _db
    _db = SQLDB()


def get_db() -> DBInterface:
    return _db
