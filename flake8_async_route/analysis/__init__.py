"""Facts about calls, shared by the rules: which calls block the event loop (directly or
down a chain of project helpers), which are proven cheap, which are thread offloads.

Every call is judged in the model of the module it is written in, so helpers in other
project modules are judged the same way whichever file is being checked. Per-function
results are cached on the project for the life of the process (memo.py).

`Analysis` (module.py) is what the rules ask; behind it: search.py (what a call blocks on
or runs), blocking.py and folding.py (a module's findings), cheap.py and costly.py,
handlers.py (route shape); context.py, arguments.py, run_once.py and startup.py say what
a call's arguments and surroundings rule out; results.py holds what comes out.
"""
from .module import Analysis
from .prefilter import findings_possible
from .results import (STARTUP_CODE, BlockingCall, FoldedCall, Link, Violation, describe_chain,
                      shown_call, source_text)

__all__ = ["Analysis", "BlockingCall", "FoldedCall", "Link", "STARTUP_CODE", "Violation",
           "describe_chain", "findings_possible", "shown_call", "source_text"]
