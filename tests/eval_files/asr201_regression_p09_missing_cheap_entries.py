# Regression from a real-app review (fixed): ASR201 x3: pure stdlib / FastAPI calls missing from catalog.CHEAP
# (mimetypes.guess_type, posixpath.normpath, NewType aliases, fastapi.security.utils.*).
import mimetypes
import posixpath
from typing import NewType, Optional

from fastapi import Depends, FastAPI, Request
from fastapi.security.utils import get_authorization_scheme_param

app = FastAPI()
SafePath = NewType("SafePath", str)


@app.get("/mime/{p:path}")
async def mime(p: str):
    return {"type": mimetypes.guess_type(p)[0]}


async def bearer(request: Request) -> Optional[str]:
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    return token if scheme.lower() == "bearer" else None


@app.get("/me/{p:path}")
async def me(p: str, token: Optional[str] = Depends(bearer)):
    return {"p": SafePath(p), "auth": token is not None}


@app.get("/norm/{p:path}")
async def norm(p: str):
    return {"p": posixpath.normpath(p)}
