"""ASR110: iterating an instance of a project class that a helper has just built runs its
sync `__iter__`; its blocking work is reported at the iterated expression. The caches it
fills on `self` are empty on a new instance. A long-lived instance, or an `__iter__` that
does no blocking work, stays silent."""
from typing import Generic, TypeVar

import sqlalchemy
from fastapi import FastAPI
from sqlalchemy.orm import Session

app = FastAPI()
engine = sqlalchemy.create_engine("sqlite:///app.db")
T = TypeVar("T")


class QueryCollection(Generic[T]):
    def __init__(self, session, **kwargs):
        self.session = session
        self.query = kwargs.get("query")
        self._cache = None

    def _load(self):
        if self._cache is None:
            self._cache = self.query.all()

    def __iter__(self):
        self._load()
        return iter(self._cache)


class Experiment:
    pass


ExperimentCollection = QueryCollection[Experiment]


class MemoryCollection:
    def __init__(self, items):
        self.items = list(items)

    def __iter__(self):
        return iter(self.items)


def all_experiments(**kwargs):
    session = kwargs.get("session")
    if not session:
        return []
    return ExperimentCollection(session, query=session.query(Experiment))


def list_experiments():
    return all_experiments(session=Session(engine))


def in_memory():
    return MemoryCollection([1, 2, 3])


SHARED = MemoryCollection([4, 5])


@app.get("/experiments")
async def experiments():  # error: ASR201:1 "self.query.all()"
    return [exp for exp in list_experiments()]  # error: ASR110:28 "QueryCollection.__iter__"


@app.get("/loop")
async def loop():  # error: ASR201:1 "for … in found"
    names = []
    found = list_experiments()
    for exp in found:  # error: ASR110:16 "self.query.all()"
        names.append(exp)
    return names


@app.get("/memory")
async def memory():
    return [item for item in in_memory()]


@app.get("/shared")
async def shared():
    return [item for item in SHARED]
