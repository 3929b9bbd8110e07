"""The flake8 adapter: the only module that knows about flake8."""
from __future__ import annotations

import ast
import sys
from typing import Iterator, Optional, Sequence

from . import __version__
from .cache import ResultCache
from .config import Config, ConfigError
from .engine import check_module_cached, internal_error_message, too_deep_message
from .project import long_lived_models
from .rules.base import opt_in_chosen, opt_in_codes


class Plugin:
    name = "flake8-async-route"
    version = __version__
    config = Config()
    cache: Optional[ResultCache] = None
    # Opt-in codes not chosen by name: never reported, whatever else is selected.
    left_off: frozenset = frozenset(opt_in_codes())

    def __init__(self, tree: ast.Module, filename: str = "-", lines: Sequence[str] = ()):
        self.tree = tree
        self.filename = filename
        self.source = "".join(lines) if lines else None

    @classmethod
    def add_options(cls, option_manager) -> None:
        # A plain `flake8` run leaves the opt-in codes off; `parse_options` keeps them off
        # under `--select=ASR` too (flake8 would turn them on).
        option_manager.extend_default_ignore(opt_in_codes())
        # Lists are split by config.split_list: flake8's own list parsing splits on spaces.
        option_manager.add_option(
            "--async-route-blocking-calls", default="", parse_from_config=True,
            help="Extra blocking calls reported as ASR100 in coroutines: comma-separated "
                 "qualified names or `pkg.*` wildcards, each with an optional `->hint`.",
        )
        option_manager.add_option(
            "--async-route-blocking-patterns", default="", parse_from_config=True,
            help="ast-grep patterns (Python) reported as ASR100 where they match in a "
                 "coroutine: one `PATTERN -> message -> hint` per line (message and hint "
                 "optional), or a JSON list of {\"pattern\", \"message\", \"hint\"} objects.",
        )
        option_manager.add_option(
            "--async-route-cheap-calls", default="", parse_from_config=True,
            help="Extra qualified names treated as proven cheap (`pkg.*` allowed): not "
                 "CPU-heavy for ASR201, and cheap for ASR203.",
        )
        option_manager.add_option(
            "--async-route-sync-client-types", default="", parse_from_config=True,
            help="Types of sync clients whose every method blocks (ASR100 in coroutines): "
                 "comma-separated qualified class names, each with an optional `->hint`; "
                 "what calling the class makes is typed as it.",
        )
        option_manager.add_option(
            "--async-route-source-roots", default="", parse_from_config=True,
            help="Directories that hold the project's top-level packages, for following "
                 "imports (default: the directory above each file's top package).",
        )
        option_manager.add_option(
            "--async-route-check-tests", action="store_true", default=False,
            parse_from_config=True,
            help="Also report in test-support modules (tests/, testing, test_*.py, "
                 "*_test.py, conftest.py, pytest_plugin.py), skipped by default.",
        )
        option_manager.add_option(
            "--async-route-cache-dir", default=".asr-cache", parse_from_config=True,
            help="Where findings are cached between runs, keyed by the content of each "
                 "file and of the project modules it imports (default: .asr-cache).",
        )
        option_manager.add_option(
            "--async-route-no-cache", action="store_true", default=False,
            parse_from_config=True, help="Analyse every file, without reading or writing "
                                         "the cache.",
        )

    @classmethod
    def parse_options(cls, options) -> None:
        try:
            cls.config = Config(options.async_route_blocking_calls,
                                options.async_route_cheap_calls,
                                options.async_route_source_roots,
                                options.async_route_blocking_patterns,
                                options.async_route_sync_client_types,
                                options.async_route_check_tests)
        except ConfigError as error:
            sys.exit(f"flake8-async-route: {error}")
        chosen = [*(options.select or ()), *(options.extend_select or ())]
        cls.left_off = frozenset(code for code in opt_in_codes()
                                 if not opt_in_chosen(code, chosen))
        # Opened here, in flake8's main process, so a directory that cannot be used is
        # reported once, not by every worker.
        cls.cache = None if options.async_route_no_cache else \
            ResultCache.open(options.async_route_cache_dir, cls.config, "flake8")

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        try:
            with long_lived_models():
                violations, too_deep = check_module_cached(self.cache, self.tree, self.config,
                                                           self.filename, self.source)
        except RecursionError:
            # Deep code the per-coroutine skip did not catch: skip the file, not the run.
            print(f"flake8-async-route: {self.filename}: too deeply nested to analyse, skipped",
                  file=sys.stderr)
            return
        except Exception as error:  # a bug on one file must not end the whole run
            yield 1, 0, internal_error_message(error), type(self)
            return
        for function in too_deep:
            print(f"flake8-async-route: {self.filename}:{function.node.lineno}: "
                  f"{too_deep_message(function)}", file=sys.stderr)
        for violation in violations:
            if violation.code in self.left_off:
                continue
            yield violation.line, violation.col, f"{violation.code} {violation.message}", type(self)
