"""ASR3xx: thread-pool starvation in sync handlers, reported at the call."""
from __future__ import annotations

import ast
from typing import Iterator, Optional

from .. import catalog
from ..analysis import Analysis, Violation, source_text
from .base import Rule


def timeout_argument(call: ast.Call, timeout_position) -> Optional[ast.expr]:
    """The expression passed as the call's timeout, None when none is written."""
    for keyword in call.keywords:
        if keyword.arg == "timeout":
            return keyword.value
    if timeout_position is not None and len(call.args) > timeout_position and \
            not any(isinstance(a, ast.Starred) for a in call.args[:timeout_position + 1]):
        return call.args[timeout_position]
    return None


def _unbounded(call: ast.Call, timeout_position) -> Optional[str]:
    """How the call waits forever (`without a timeout`, `with timeout=None`), or None
    when it sets a timeout or may set one (through `**kwargs` or `*args`)."""
    given = timeout_argument(call, timeout_position)
    if given is not None:
        none = isinstance(given, ast.Constant) and given.value is None
        return "with `timeout=None`" if none else None
    if any(k.arg is None for k in call.keywords) or \
            any(isinstance(a, ast.Starred) for a in call.args):
        return None
    return "without a timeout"


class HttpCallWithoutTimeout(Rule):
    """## What it does
    Reports a `def` route or dependency making a network call that can hang forever:
    `requests` functions and `Session` methods, and `urllib.request.urlopen`, called
    without a timeout or with `timeout=None` (the same: no limit). A `def` function that
    another module of the project uses as a dependency (`Depends(get_rates)`) is checked
    like one used in its own module.

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
    A call that passes `**kwargs` is assumed to carry a timeout, and so is a timeout given
    by a name or an expression (only a literal `None` is known to be unbounded); a tuple
    such as `timeout=(5, None)` bounds the connection and is not reported. `httpx` is not reported:
    it has a default timeout. Helpers called from the handler are not followed by this
    rule.
    """

    code = "ASR301"
    slug = "http-call-without-timeout-in-sync-route"
    message = ("{call} {how} in {where} can hold a thread-pool worker forever; "
               "pass a finite `timeout=`")
    fix_title = "Pass `timeout=`"
    fix = "timeout"

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        model = analysis.model

        def unbounded_calls(function) -> Iterator[tuple[ast.Call, str]]:
            for site in function.scope.calls:
                name = model.call_name(site.node, site.scope)
                if name in catalog.NEEDS_TIMEOUT:
                    how = _unbounded(site.node, catalog.NEEDS_TIMEOUT[name])
                    if how is not None:
                        yield site.node, how

        def worth_asking(function) -> bool:
            return next(unbounded_calls(function), None) is not None

        for function in analysis.sync_handlers(worth_asking):
            for call, how in unbounded_calls(function):
                yield self.violation(call, call=f"`{source_text(call.func)}()`", how=how,
                                     where=function.where())
