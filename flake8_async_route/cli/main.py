"""`flake8-async-route`: check, audit, rules and explain, on the same engine as the plugin."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional, Union

from .. import __version__, reports
from ..audit import baseline, flake8_config, runner
from ..audit.baseline import BaselineError
from ..audit.discovery import discover
from ..audit.settings import Settings, build, find_pyproject, load_pyproject
from ..config import ConfigError
from ..fixes import apply
from ..options import FORMATS, OPTIONS
from ..results import AuditResult
from ..rules import Rule

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _flags(command: str) -> argparse.ArgumentParser:
    """The command's flags: the options it takes (options.OPTIONS), and the two that pick
    the configuration files, which are not options themselves."""
    flags = argparse.ArgumentParser(add_help=False)
    add = flags.add_argument
    add("paths", nargs="*", default=["."], help="files and directories (default: .)")
    for option in OPTIONS:
        if option.flag is None or command not in option.commands:
            continue
        names = [option.short, option.flag] if option.short else [option.flag]
        # Unset flags stay None, so they do not override the configuration files.
        if option.kind == "bool":
            add(*names, dest=option.field, action="store_const", const=True, help=option.help)
        else:
            add(*names, dest=option.field, metavar=option.metavar, help=option.help,
                type=int if option.kind == "int" else None,
                choices=FORMATS if option.kind == "choice" else None)
    add("--config", metavar="FILE",
        help="the configuration to read: a pyproject.toml, or a setup.cfg / tox.ini / .flake8 "
             "for its [flake8] section (default: the nearest of each)")
    add("--isolated", action="store_true",
        help="read no configuration file, only the flags (as flake8 --isolated)")
    return flags


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="flake8-async-route",
        description="Find async/sync misuse in FastAPI and Starlette applications.")
    main_parser.add_argument("--version", action="version",
                             version=f"flake8-async-route {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", parents=[_flags("check")], help="lint output, like flake8")
    fixing = commands.add_parser("fix", parents=[_flags("fix")],
                                 help="apply the fixes, then report what remains")
    fixing.set_defaults(fix=True)
    commands.add_parser("audit", parents=[_flags("audit")], help="route inventory and report")
    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code", help="a rule code such as ASR101")
    return main_parser


def settings_from(args: argparse.Namespace) -> Settings:
    """Defaults, then the `[flake8]` section flake8 would read, then the pyproject table,
    then the flags: each later one wins for the keys it sets."""
    pyproject, flake8_file = _config_files(args)
    flags = {key: getattr(args, key) for key in vars(args)
             if key not in ("command", "paths", "config", "isolated")}
    values = load_pyproject(pyproject)
    flake8_values = flake8_config.load(flake8_file)
    settings = build(values, flags, str(pyproject or "pyproject.toml"), flake8_values,
                     f"{flake8_file}: [flake8]")
    # Paths written in a configuration file are relative to it, not to where the run starts.
    for key in ("baseline", "cache_dir"):
        value = getattr(settings, key)
        if flags.get(key) is not None or not value or Path(value).is_absolute():
            continue
        if key in values:
            setattr(settings, key, str(pyproject.parent / value))
        elif key in flake8_values:
            setattr(settings, key, str(flake8_file.parent / value))
    return settings


def _config_files(args: argparse.Namespace) -> tuple[Optional[Path], Optional[Path]]:
    """(the pyproject.toml, the flake8 configuration file) this run reads."""
    if args.isolated:
        return None, None
    if args.config:
        config = Path(args.config)
        if not config.is_file():
            raise ConfigError(f"{config}: no such configuration file")
        return (config, None) if config.suffix == ".toml" else (None, config)
    return find_pyproject(Path.cwd()), flake8_config.find(Path.cwd())


def run(args: argparse.Namespace, settings: Settings,
        listed: Optional[Counter] = None, progress: bool = True) -> tuple[AuditResult, int]:
    """The result of a run; `listed` are the fingerprints of a baseline, hidden from it."""
    files, problems, file_reports = _analyse(args, settings, progress)
    result = _result(file_reports, problems, settings, listed)
    return result, _status(result)


def _analyse(args: argparse.Namespace, settings: Settings, progress: bool = True) -> tuple:
    """(files, problems found walking the paths, the files' reports)."""
    files, problems = discover(args.paths, settings)
    problems = [p for p in problems if settings.selects(p.code, p.path)]
    bar = _progress_bar(len(files)) if progress and not settings.quiet else None
    return files, problems, runner.analyse_files(files, settings, bar)


def _result(file_reports: list, problems: list, settings: Settings,
            listed: Optional[Counter]) -> AuditResult:
    result = runner.compose(file_reports, settings)
    result.errors = sorted(result.errors + problems, key=lambda f: f.sort_key())
    if listed is not None:
        baseline.apply(result, listed)
    return result


def _status(result: AuditResult) -> int:
    return EXIT_FINDINGS if (result.findings or result.errors) else EXIT_CLEAN


def fix(args: argparse.Namespace, settings: Settings, listed: Optional[Counter]) -> int:
    """`fix` and `check --fix`/`--diff`: apply the fixes in memory until nothing changes,
    then write the files and report what remains, or print the diff. Exit status: 1 when
    findings remain (with `--diff`: also when there is a diff), else 0."""
    files, problems, file_reports = _analyse(args, settings)
    outcome = apply.fix_files(files, file_reports, settings,
                              lambda reports: _result(reports, problems, settings, listed))
    for finding in outcome.rejected:
        apply.print_stderr(apply.rejection(finding))
    if settings.diff:
        text = outcome.diff()
        if not _write(text, settings.output):
            return EXIT_USAGE
        result = outcome.result
        status = EXIT_FINDINGS if text else _status(result)
    else:
        for path, error in apply.write_all(outcome):
            apply.print_stderr(f"flake8-async-route: cannot write {path}: {error}")
        # Analysed again from disk: the findings of every file, others' fixes included.
        result, status = run(args, settings, listed, progress=False)
        if settings.write_baseline:
            return _write_baseline(settings, result)
        if not _write(_report(result, settings, False), settings.output):
            return EXIT_USAGE
    if not settings.quiet:
        apply.print_stderr(apply.summary(outcome, result, settings, settings.diff))
    return EXIT_CLEAN if settings.exit_zero else status


def _progress_bar(total: int):
    from .progress import ProgressBar  # only on a terminal: see ProgressBar.for_stderr

    return ProgressBar.for_stderr(total)


def _write_baseline(settings: Settings, result: AuditResult) -> int:
    try:
        baseline.write(settings.write_baseline, result.findings)
    except BaselineError as error:
        print(f"flake8-async-route: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not settings.quiet:
        count = len(result.findings)
        print(f"flake8-async-route: wrote {count} finding{'s' if count != 1 else ''} to "
              f"baseline {settings.write_baseline}", file=sys.stderr)
    return EXIT_CLEAN


def _write(text: Union[str, Iterable[str]], output: Optional[str]) -> bool:
    """Write the report, text or pieces of it; False (after saying why) when the output file
    cannot be written."""
    pieces = [text] if isinstance(text, str) else text
    if not output:
        for piece in pieces:
            sys.stdout.write(piece)
        return True
    try:
        with open(output, "w", encoding="utf-8") as stream:
            for piece in pieces:
                stream.write(piece)
    except OSError as error:
        print(f"flake8-async-route: cannot write {output}: {error.strerror or error}",
              file=sys.stderr)
        return False
    return True


def main(argv: Optional[list] = None) -> int:
    args = parser().parse_args(argv)
    if args.command in ("rules", "explain"):
        from .. import docs  # its own imports are a tenth of an audit's start-up
    if args.command == "rules":
        _write(docs.table() + "\n", None)
        return EXIT_CLEAN
    if args.command == "explain":
        code = args.code.upper()
        page = docs.page(Rule.registry[code]) if code in Rule.registry \
            else docs.DIAGNOSTICS.get(code)
        if page is None:
            print(f"flake8-async-route: unknown rule {args.code!r}", file=sys.stderr)
            return EXIT_USAGE
        _write(page, None)
        return EXIT_CLEAN
    try:
        settings = settings_from(args)
    except ConfigError as error:
        print(f"flake8-async-route: configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        # With --write-baseline every current finding is written, listed or not.
        listed = baseline.load(settings.baseline) \
            if settings.baseline and not settings.write_baseline else None
    except BaselineError as error:
        print(f"flake8-async-route: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "fix" or settings.fix or settings.diff:
        return fix(args, settings, listed)
    result, status = run(args, settings, listed)
    if settings.write_baseline:
        return _write_baseline(settings, result)
    if not _write(_report(result, settings, args.command == "audit"), settings.output):
        return EXIT_USAGE
    if not settings.quiet:
        print(found_summary(result), file=sys.stderr)
    return EXIT_CLEAN if settings.exit_zero else status


def _report(result: AuditResult, settings: Settings, audit: bool) -> Iterable[str]:
    # Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    color = settings.format == "text" and not settings.output and sys.stdout.isatty() \
        and not os.environ.get("NO_COLOR")
    return reports.render_pieces(result, settings.format, audit, color, settings.show_source)


def found_summary(result: AuditResult) -> str:
    """`Found 3 findings (2 fixable with --fix, 1 more with --unsafe-fixes).`, as ruff says it."""
    found = result.findings + result.errors
    if not found:
        return f"flake8-async-route: no findings in {_plural(len(result.files), 'file')}."
    safe = sum(1 for f in result.findings if f.fix is not None and f.fix.safe)
    unsafe = sum(1 for f in result.findings if f.fix is not None and not f.fix.safe)
    fixable = [f"{safe} fixable with --fix"] if safe else []
    if unsafe:
        fixable.append(f"{unsafe} {'more ' if safe else ''}with --unsafe-fixes")
    detail = f" ({', '.join(fixable)})" if fixable else ""
    return f"flake8-async-route: found {_plural(len(found), 'finding')}{detail}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
