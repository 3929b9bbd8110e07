"""One configuration for flake8 and the command line: the CLI reads the `[flake8]` section
flake8 reads (setup.cfg, tox.ini, .flake8), `[tool.flake8-async-route]` wins where both set
a key, flags win over both; bad values are errors that name them (exit 2). The oracle for
findings is real flake8 run in the same directory with the same files."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import parse_output, run_flake8
from test_cli import SHOP, findings_of, normalized, run_cli, write_tree

from flake8_async_route.config import Config
from flake8_async_route.options import ANALYSIS_OPTIONS, BY_FIELD, OPTIONS


def codes(result) -> set[str]:
    return {finding.code for finding in findings_of(result.stdout)}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "shop", SHOP)


def write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
def test_the_flake8_section_drives_the_cli_as_it_drives_flake8(shop: Path, config_file: str):
    write(shop, config_file, """\
        [flake8]
        select = E,W,F,C90,ASR
        extend-ignore = ASR201, E501
        per-file-ignores =
            main.py: ASR202,F401
        """)
    cli = run_cli("check", "--no-cache", cwd=shop)
    flake8 = run_flake8(".", cwd=shop, isolated=False, select=None)
    assert cli.returncode == 1, cli.stderr
    expected = sorted(normalized(f) for f in parse_output(flake8.stdout) if f.code[:3] == "ASR")
    assert sorted(findings_of(cli.stdout)) == expected
    assert codes(cli) == {"ASR101", "ASR110"}


def test_pyproject_wins_over_the_flake8_section_and_flags_win_over_both(shop: Path) -> None:
    write(shop, "setup.cfg", "[flake8]\nextend-ignore = ASR201\n")
    write(shop, "pyproject.toml", '[tool.flake8-async-route]\nextend-ignore = ["ASR101"]\n')
    assert codes(run_cli("check", "--no-cache", cwd=shop)) == {"ASR110", "ASR201", "ASR202"}
    flagged = run_cli("check", "--no-cache", "--extend-ignore", "ASR110", cwd=shop)
    assert codes(flagged) == {"ASR101", "ASR201", "ASR202"}


def test_isolated_and_config_choose_what_is_read(shop: Path) -> None:
    write(shop, "setup.cfg", "[flake8]\nextend-ignore = ASR201\n")
    write(shop, "other.ini", "[flake8]\nextend-ignore = ASR110\n")
    everything = {"ASR101", "ASR110", "ASR201", "ASR202"}
    assert codes(run_cli("check", "--no-cache", "--isolated", cwd=shop)) == everything
    assert "ASR110" not in codes(run_cli("check", "--no-cache", "--config", "other.ini",
                                         cwd=shop))
    assert codes(run_cli("check", "--no-cache", cwd=shop)) == everything - {"ASR201"}


def test_a_flake8_section_above_the_working_directory_is_found(shop: Path) -> None:
    write(shop, "tox.ini", "[tox]\nenvlist = py\n\n[flake8]\nextend-ignore = ASR1\n")
    result = run_cli("check", "--no-cache", ".", cwd=shop / "routers")
    assert codes(result) == {"ASR201"}


def test_show_source_from_the_flake8_section(shop: Path) -> None:
    write(shop, ".flake8", "[flake8]\nshow-source = true\nselect = ASR101\n")
    lines = run_cli("check", "--no-cache", cwd=shop).stdout.splitlines()
    assert lines == ["routers/items.py:12:5: ASR101 `time.sleep()` blocks the event loop in "
                     "async route `GET /items/{id}`; it never awaits, so declaring it `def` "
                     "fixes this (FastAPI then runs it in the thread pool); or use "
                     "`await asyncio.sleep(...)`",
                     "    time.sleep(0.1)",
                     "    ^"]


@pytest.mark.parametrize("where", ["flag", "pyproject", "flake8"])
@pytest.mark.parametrize("option, value, named", [
    ("select", "ASR999", "ASR999"),
    ("extend-ignore", "ASR20X", "ASR20X"),
    ("per-file-ignores", "tests/*", "tests/*"),
    ("per-file-ignores", "tests/*:ASR777", "ASR777"),
])
def test_bad_configuration_is_an_error_that_names_it(shop: Path, where: str, option: str,
                                                     value: str, named: str) -> None:
    args = ["check", "--no-cache"]
    if where == "flag":
        args += [f"--{option}", value]
    elif where == "pyproject":
        write(shop, "pyproject.toml", f'[tool.flake8-async-route]\n{option} = ["{value}"]\n')
    else:
        write(shop, "setup.cfg", f"[flake8]\n{option} = {value}\n")
    result = run_cli(*args, cwd=shop)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    assert "configuration error" in result.stderr and named in result.stderr
    assert option in result.stderr


def test_other_plugins_codes_in_the_flake8_section_are_theirs(shop: Path) -> None:
    write(shop, "setup.cfg", "[flake8]\nselect = E,W,F\nper-file-ignores = x.py:E501\n")
    result = run_cli("check", "--no-cache", cwd=shop)
    # As under flake8: a `select` without ASR selects none of this tool's codes.
    assert (result.returncode, result.stdout) == (0, ""), result.stderr


@pytest.mark.parametrize("value", ["legacy_sdk.*", "not a name"])
def test_a_bad_sync_client_type_is_an_error_that_names_it(shop: Path, value: str) -> None:
    result = run_cli("check", "--no-cache", f"--async-route-sync-client-types={value}",
                     cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert "async-route-sync-client-types" in result.stderr and value in result.stderr
    flake8 = run_flake8(".", f"--async-route-sync-client-types={value}", cwd=shop)
    assert flake8.returncode != 0 and value in flake8.stderr + flake8.stdout


# ----- one option table ---------------------------------------------------------------------

def test_every_option_of_the_table_reaches_each_front_end(tmp_path: Path) -> None:
    """flake8 lists the plugin's options, each command lists its flags, a pyproject key for
    each in-file option is accepted, and the analysis options are what Config digests."""
    flake8_help = run_flake8(["--help"], cwd=tmp_path).stdout
    helps = {command: run_cli(command, "--help", cwd=tmp_path).stdout
             for command in ("check", "fix", "audit")}
    for option in OPTIONS:
        if option.plugin:
            assert f"--{option.flake8}" in flake8_help, option.field
        for command in option.commands:
            if option.flag:
                assert option.flag in helps[command], (command, option.flag)
    assert set(Config().inputs) == {option.analysis for option in ANALYSIS_OPTIONS}
    keys = [option.key for option in OPTIONS if option.in_pyproject]
    (tmp_path / "pyproject.toml").write_text(
        "[tool.flake8-async-route]\n" + "".join(
            f"{key} = {_toml_default(BY_FIELD[key.replace('-', '_')])}\n" for key in keys))
    (tmp_path / "app.py").write_text("x = 1\n")
    result = run_cli("check", "app.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def _toml_default(option) -> str:
    value = {"timeout": 10, "str": "x"}.get(option.kind, option.default)
    if option.field == "baseline":
        return '""'
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{item}"' for item in value) + "]"
    return f'"{value}"' if isinstance(value, str) else str(value)
