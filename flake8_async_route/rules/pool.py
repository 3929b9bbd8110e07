"""ASR3xx: thread-pool starvation in sync handlers, reported at the call."""
from __future__ import annotations

import ast
from typing import Iterator

from .. import catalog
from ..analysis import Analysis, Violation, source_text
from .base import Rule


def _sets_timeout(call: ast.Call, timeout_position) -> bool:
    if any(k.arg == "timeout" or k.arg is None for k in call.keywords):
        return True  # given, or maybe given through **kwargs
    if any(isinstance(a, ast.Starred) for a in call.args):
        return True
    return timeout_position is not None and len(call.args) > timeout_position


class HttpCallWithoutTimeout(Rule):
    """## What it does
    Reports a `def` route or dependency making a network call that can hang forever:
    `requests` functions and `Session` methods, and `urllib.request.urlopen`, called
    without a timeout.

    ## Why is this bad?
    FastAPI runs `def` handlers in a thread pool of about 40 threads. `requests` has no
    default timeout, so a remote server that never answers holds a worker forever; forty
    such calls and the application stops serving requests.

    ## Example
    ```python
    import requests
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/rates")
    def rates():
        return requests.get("https://api.example.com/rates").json()
    ```

    ## Use instead
    ```python
    import requests
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/rates")
    def rates():
        return requests.get("https://api.example.com/rates", timeout=10).json()
    ```

    ## Known limits
    A call that passes `**kwargs` is assumed to carry a timeout. `httpx` is not reported:
    it has a default timeout. Helpers called from the handler are not followed by this
    rule.
    """

    code = "ASR301"
    slug = "http-call-without-timeout-in-sync-route"
    message = ("{call} without a timeout in {where} can hold a thread-pool worker forever; "
               "pass `timeout=`")
    fix_title = "Pass `timeout=`"

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        model = analysis.model
        for function in analysis.sync_handlers():
            for site in function.scope.calls:
                name = model.call_name(site.node, site.scope)
                if name not in catalog.NEEDS_TIMEOUT:
                    continue
                if not _sets_timeout(site.node, catalog.NEEDS_TIMEOUT[name]):
                    yield self.violation(site.node, call=f"`{source_text(site.node.func)}()`",
                                         where=function.where())
