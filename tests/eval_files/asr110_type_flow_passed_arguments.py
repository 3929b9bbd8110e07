"""Unannotated parameters of project helpers are typed by what every call of them passes,
`**kwargs` lookups (`kwargs.get("session")`) by what the calls pass under that keyword, and
a method that only declares its result (`raise NotImplementedError`) by what its
implementations return: a Depends() object whose helpers query a sync session is found."""
import sqlite3

from fastapi import Depends, FastAPI
from sqlalchemy.orm import scoped_session, sessionmaker

app = FastAPI()
make_session = scoped_session(sessionmaker())


class Item:
    @classmethod
    def find(cls, item_id, **kwargs):
        session = kwargs.get("session")
        if not session:
            return None
        return session.query(Item).filter_by(id=item_id).first()


class Factory:
    def get_session(self):
        raise NotImplementedError

    def find_item(self, item_id):
        return Item.find(item_id, session=self.get_session())


class Store(Factory):
    def get_session(self):
        return make_session()


def get_factory():
    return Store()


@app.get("/items/{item_id}")
async def read_item(item_id: int, factory=Depends(get_factory)):  # error: ASR201:1 "GET /items/{item_id}"
    return factory.find_item(item_id)  # error: ASR110:12 "factory.find_item()"


def count_rows(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()


def describe(row, conn):
    return {"row": row, "count": count_rows(conn, "rows")}


@app.get("/rows")
async def rows():  # error: ASR201:1 "GET /rows"
    conn = sqlite3.connect("app.db")  # error: ASR103:12 "sqlite3.connect()"
    row = conn.execute("SELECT * FROM rows").fetchone()
    # good: handed the same connection, the helper's query folds into the connect above
    return describe(row, conn)


def first_item(session):
    return session.query(Item).first()


def get_session():
    with make_session() as session:
        yield session


@app.get("/first")
async def first(session=Depends(get_session)):  # error: ASR201:1 "GET /first"
    return first_item(session)  # error: ASR110:12 "first_item()"


def summarise(value):
    return value.strip()


@app.get("/summary")
async def summary(text: str):
    # good: one call passes text, another an unknown value: `value` is not typed
    return {"a": summarise(text), "b": summarise(make_value())}


def make_value():
    return load_value()


def lookup(key, **kwargs):
    source = kwargs.get("source")
    return source.get(key) if source else None


@app.get("/lookup/{key}")
async def read_lookup(key: str):
    # good: `source=` is a plain dict, so `source.get` does nothing costly
    return lookup(key, source={"a": 1})
