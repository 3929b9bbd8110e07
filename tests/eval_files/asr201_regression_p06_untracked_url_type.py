# Regression from a real-app review (fixed): ASR201: starlette/fastapi URL objects are not tracked, so URL.replace() /
# include_query_params() fall into the ambiguous-method bucket although
# `starlette.datastructures.*` is listed as cheap.
from fastapi import APIRouter, Request
from fastapi.datastructures import URL
from fastapi.responses import RedirectResponse

router = APIRouter()


@router.get("/svc/{name}")
async def redirect_to_root(request: Request, name: str):
    url = URL(str(request.url))
    return RedirectResponse(url.replace(path=url.path + "/"))


@router.get("/login")
async def login(request: Request):
    target = request.url_for("callback").include_query_params(next="/")
    return RedirectResponse(str(target))
