"""The flake8 adapter: the only module that knows about flake8."""
from __future__ import annotations

import ast
import sys
from typing import Iterator, Optional, Sequence

from . import __version__
from .cache import ResultCache
from .config import Config, ConfigError
from .engine import check, guarded, too_deep_message
from .options import PLUGIN_OPTIONS, analysis_config
from .results import INTERNAL_ERROR
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
        for option in PLUGIN_OPTIONS:
            if option.kind == "bool":
                option_manager.add_option(f"--{option.flake8}", action="store_true",
                                          default=False, parse_from_config=True,
                                          help=option.help)
            else:
                option_manager.add_option(f"--{option.flake8}", default=option.default or "",
                                          parse_from_config=True, help=option.help)

    @classmethod
    def parse_options(cls, options) -> None:
        values = {option.field: getattr(options, option.flake8.replace("-", "_"))
                  for option in PLUGIN_OPTIONS}
        try:
            cls.config = analysis_config(values)
        except ConfigError as error:
            sys.exit(f"flake8-async-route: {error}")
        chosen = [*(options.select or ()), *(options.extend_select or ())]
        cls.left_off = frozenset(code for code in opt_in_codes()
                                 if not opt_in_chosen(code, chosen))
        # Opened here, in flake8's main process, so a directory that cannot be used is
        # reported once, not by every worker.
        cls.cache = None if values["no_cache"] else \
            ResultCache.open(values["cache_dir"], cls.config, "flake8")

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        result, failure = guarded(lambda: check(self.tree, self.config, self.filename,
                                                self.source, self.cache))
        if failure is not None:
            if failure.code == INTERNAL_ERROR:
                yield 1, 0, f"{failure.code} {failure.message}", type(self)
            else:  # flake8 has no code for a file it cannot analyse: say it on stderr
                print(f"flake8-async-route: {self.filename}: {failure.message}", file=sys.stderr)
            return
        for function in result.too_deep:
            print(f"flake8-async-route: {self.filename}:{function.node.lineno}: "
                  f"{too_deep_message(function)}", file=sys.stderr)
        for violation in result.violations:
            if violation.code in self.left_off:
                continue
            yield violation.line, violation.col, f"{violation.code} {violation.message}", type(self)
