"""ASR100: what the user's configuration names as blocking (calls, sync client types and
ast-grep patterns), on the event loop."""
from __future__ import annotations

from typing import Iterator

from ..analysis import Analysis, Violation
from .base import Rule
from .blocking import BlockingCallRule


class ConfiguredBlockingCall(BlockingCallRule):
    """## What it does
    Reports calls to the names listed in the `async-route-blocking-calls` option (for
    example an in-house SDK), method calls on instances of the sync client types listed in
    `async-route-sync-client-types` (what calling the class makes, wherever it flows), and
    code matching the ast-grep patterns of the `blocking-patterns` option, when they run on
    the event loop inside a coroutine.

    A pattern is Python code with metavariables (`legacy_sdk.$M($$$ARGS)`); it is reported
    with its own message and hint, in which `$M` and `$$$ARGS` stand for what they matched.

    ## Why is this bad?
    Your team knows which internal libraries block. Once listed, they are treated like
    the built-in catalog: a call on the event loop freezes every request in flight.

    ## Example
    ```python
    # flake8-args: '--async-route-blocking-calls=legacy_sdk.fetch->use legacy_sdk.aio.fetch'
    import legacy_sdk
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/report")
    async def report():
        return legacy_sdk.fetch("report")
    ```

    ## Use instead
    ```python
    # flake8-args: '--async-route-blocking-calls=legacy_sdk.fetch->use legacy_sdk.aio.fetch'
    import legacy_sdk
    from fastapi import FastAPI

    app = FastAPI()


    @app.get("/report")
    def report():
        return legacy_sdk.fetch("report")
    ```

    ## Known limits
    Names are matched after import resolution (`from legacy_sdk import fetch as f` still
    matches `legacy_sdk.fetch`); `pkg.*` matches everything below `pkg`. Methods match as
    `Type.method` only for types the catalog can track. When a name is also in the
    built-in catalog, the catalog's more specific code wins.

    Patterns match syntax, not resolved names: `legacy_sdk.$M($$$)` does not match a call
    through `from legacy_sdk import fetch`, and an alias needs a pattern of its own. A match
    is reported where it starts, only in a coroutine's own code (not in nested functions,
    class bodies or lambdas, except lambdas handed to `sorted`, `map` and the like), and not
    where an `ASR1xx` finding already starts: the catalog's or configured name's finding is
    kept, and of two patterns matching at one place the first listed. Like the catalog's
    calls, a match in startup work is reported as ASR111, and none in coroutines that
    never run on a server's loop (see ASR111).
    """

    code = "ASR100"
    slug = "configured-blocking-call-in-coroutine"
    fix_title = "Use the configured async alternative"

    def check(self, analysis: Analysis) -> Iterator[Violation]:
        yield from super().check(analysis)
        config = analysis.config
        if not config.patterns:
            return
        from .. import patterns  # with ast-grep: loaded only when patterns are configured

        # Every ASR1xx finding is a folded blocking call, reported at its first call (see
        # BlockingCallRule.check): a pattern matching there gives way to it.
        taken = {(folded.first.node.lineno, folded.first.node.col_offset)
                 for folded in analysis.folded_blocking_calls()
                 if folded.first.code in Rule.registry}
        model = analysis.model
        yield from patterns.violations(model, model.source, config.patterns, taken,
                                       analysis.offline_coroutines(),
                                       analysis.startup_coroutines())
