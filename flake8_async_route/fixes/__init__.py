"""Automatic fixes, built from the analysis of one module.

A fix is a set of edits in the engine's coordinates (1-based lines, 0-based columns in UTF-8
bytes, the columns `ast` and flake8 use), applied together or not at all (see apply.py).
Building them only reads the `ast` and the model. One module per fix:

- sleep.py, ASR101 (safe): `time.sleep(x)` in a coroutine → `await asyncio.sleep(x)`, also
  for a `time.sleep` reported as startup work (ASR111).
- offload.py, ASR202 (unsafe): an offload-only handler → `def`, each offload → a direct call.
- declare_def.py, ASR201 and ASR203 (unsafe): an await-less `async def` route or
  dependency → `def`.
- timeout.py, ASR301 (unsafe, only with `--fix-timeout`): `timeout=<seconds>` added.

build.py maps the codes to them and removes the imports a fix leaves unused (imports.py);
source.py holds the text and the edits. A fix that turns a function into `def` is not
built when the function carries a decorator that may need a coroutine function, and is
dropped when any checked file calls the function (callers.py).
"""
from .build import fixes_for
from .callers import EVERYTHING_CALLED, called_coroutines, finalize
from .declare_def import function_key
from .imports import (annotation_names, cleanup_edits, count_within, name_ranges,
                      names_used_in_strings, removal_edits, unused_imports)
from .source import CannotFix, Source, merge_edits
from .timeout import TIMEOUT_PLACEHOLDER

__all__ = ["EVERYTHING_CALLED", "TIMEOUT_PLACEHOLDER", "CannotFix", "Source", "annotation_names",
           "called_coroutines", "cleanup_edits", "count_within", "finalize", "fixes_for",
           "function_key", "merge_edits", "name_ranges", "names_used_in_strings",
           "removal_edits", "unused_imports"]
