# fix-args: --unsafe-fixes

from fastapi import FastAPI

from .search import index_document, search

app = FastAPI()


@app.get("/search")
def find(q: str, limit: int = 10):
    return search(q, limit, fuzzy=False)


@app.post("/index")
def index(doc: str):
    index_document(doc)
    return {"ok": True}


@app.get("/search/strict")
def find_strict(q: str):
    hits = search(q, fuzzy=False)
    return {"hits": hits}


@app.get("/search/lazy")
def find_lazy(q: str):
    return search(q) or []
