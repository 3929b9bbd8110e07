# Regression from a real-app review (fixed): ASR201: constructing a project class whose __init__ calls super().__init__()
# (pydantic base with custom init, custom exceptions) is "not proven cheap".
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()


class ApiModel(BaseModel):
    def __init__(self, **data):
        super().__init__(**data)


class Item(ApiModel):
    name: str


@app.get("/items")
async def items():
    return [Item(name=n) for n in ("a", "b")]
