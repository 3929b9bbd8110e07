# Regression from a real-app review (fixed): ASR201: a helper declared with @typing.overload stubs is not resolved at all
# (call_name is None), so its trivially cheap body is never inspected.
import os
from typing import Optional, overload

from fastapi import FastAPI

app = FastAPI()


@overload
def env(key: str) -> Optional[str]: ...
@overload
def env(key: str, default: str) -> str: ...
def env(key: str, default: Optional[str] = None) -> Optional[str]:
    value = os.environ.get(key, default)
    return value.strip() if value else value


@app.get("/region")
async def region():
    return {"region": env("REGION", "eu")}
