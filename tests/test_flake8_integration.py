"""End-to-end checks through the real flake8 command line on small temporary files."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT, flake8_crashed, parse_output, run_flake8

SLEEPY_ROUTE = """\
import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def h():
    time.sleep(1){comment}
"""
SLEEP_LINE = 9

MYLIB_ROUTE = """\
import mylib
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
async def h():
    {body}
"""
ROUTE_DEF_LINE = 8
ROUTE_BODY_LINE = 9

# flake8 reports an exception raised by a plugin as '"<package>[<code>]" failed during execution'.
PLUGIN_FAILURE_MARKER = '"flake8-async-route[ASR]" failed'


def rows_with(result: subprocess.CompletedProcess[str], code: str) -> list[int]:
    return [finding.row for finding in parse_output(result.stdout) if finding.code == code]


def texts_with(result: subprocess.CompletedProcess[str], code: str) -> list[str]:
    return [finding.text for finding in parse_output(result.stdout) if finding.code == code]


def assert_plugin_did_not_crash(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert PLUGIN_FAILURE_MARKER not in result.stdout + result.stderr


def test_plugin_is_registered() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--version"], capture_output=True, text=True
    )
    assert "flake8-async-route" in result.stdout


def test_blocking_sleep_in_async_route_is_reported(write_module) -> None:
    result = run_flake8(write_module(SLEEPY_ROUTE.format(comment="")))
    assert rows_with(result, "ASR101") == [SLEEP_LINE]


@pytest.mark.parametrize(
    "comment, reported_rows",
    [
        ("  # noqa: ASR101", []),
        ("  # noqa", []),
        ("  # noqa: E501", [SLEEP_LINE]),
    ],
)
def test_noqa_comments(write_module, comment: str, reported_rows: list[int]) -> None:
    result = run_flake8(write_module(SLEEPY_ROUTE.format(comment=comment)))
    assert rows_with(result, "ASR101") == reported_rows


def test_extend_ignore_suppresses_code(write_module) -> None:
    result = run_flake8(write_module(SLEEPY_ROUTE.format(comment="")), "--extend-ignore=ASR101")
    assert rows_with(result, "ASR101") == []


def test_custom_blocking_call_is_not_reported_without_option(write_module) -> None:
    result = run_flake8(write_module(MYLIB_ROUTE.format(body="mylib.slow()")))
    assert rows_with(result, "ASR100") == []


def test_custom_blocking_call_from_command_line(write_module) -> None:
    result = run_flake8(
        write_module(MYLIB_ROUTE.format(body="mylib.slow()")),
        "--async-route-blocking-calls=mylib.slow",
    )
    assert rows_with(result, "ASR100") == [ROUTE_BODY_LINE]


def test_custom_blocking_call_from_setup_cfg(write_module, tmp_path: Path) -> None:
    write_module("[flake8]\nasync-route-blocking-calls = mylib.slow\n", name="setup.cfg")
    write_module(MYLIB_ROUTE.format(body="mylib.slow()"))
    result = run_flake8("app.py", cwd=tmp_path, isolated=False)
    assert rows_with(result, "ASR100") == [ROUTE_BODY_LINE]


def test_custom_blocking_call_hint_is_in_message(write_module) -> None:
    result = run_flake8(
        write_module(MYLIB_ROUTE.format(body="mylib.slow()")),
        "--async-route-blocking-calls=mylib.slow->use mylib.fast",
    )
    messages = texts_with(result, "ASR100")
    assert len(messages) == 1
    assert "use mylib.fast" in messages[0]


@pytest.mark.parametrize("setup, call, hint", [
    ("import requests", "requests.get(url, timeout=5)", "httpx.AsyncClient"),
    ("import boto3\ns3 = boto3.client('s3')", "s3.get_object(Bucket='b', Key=url)", "aioboto3"),
    ("from google.oauth2 import id_token", "id_token.verify_oauth2_token(url, None)",
     "asyncio.to_thread"),
])
def test_asr102_hint_names_the_replacement_for_the_client(write_module, setup, call, hint):
    source = f"from fastapi import FastAPI\n{setup}\napp = FastAPI()\n\n\n" \
             f"@app.get('/')\nasync def route(url: str):\n    return {call}\n"
    messages = texts_with(run_flake8(write_module(source)), "ASR102")
    assert len(messages) == 1 and hint in messages[0], messages


@pytest.mark.parametrize("select, extra, reported", [
    (None, (), False),  # flake8's defaults: in its default ignore list
    ("ASR", (), False),  # the tool's prefix asks for its default findings only
    (None, ("--extend-select=ASR203",), True),
    ("ASR", ("--extend-select=ASR203",), True),
    ("ASR2", (), True),
    ("ASR", ("--extend-select=ASR203", "--extend-ignore=ASR203"), False),
    # flake8 keeps ASR203 in its default ignore list: any extend-ignore prefix of it ties
    # with the selection, and ties are ignored; --ignore replaces that list.
    ("ASR203", ("--extend-ignore=ASR2",), False),
    ("ASR203", ("--ignore=ASR2",), True),
])
def test_unknown_call_is_the_opt_in_asr203(write_module, select, extra, reported) -> None:
    result = run_flake8(write_module(MYLIB_ROUTE.format(body="return mylib.compute()")),
                        *extra, select=select)
    assert rows_with(result, "ASR201") == []
    assert rows_with(result, "ASR203") == ([ROUTE_DEF_LINE] if reported else [])


def test_cheap_call_option_silences_asr203(write_module) -> None:
    result = run_flake8(
        write_module(MYLIB_ROUTE.format(body="return mylib.compute()")),
        "--async-route-cheap-calls=mylib.compute", "--extend-select=ASR203",
    )
    assert rows_with(result, "ASR203") == []


def test_syntax_error_is_reported_by_flake8_not_a_crash(write_module) -> None:
    # --select=ASR alone would hide flake8's own E999.
    result = run_flake8(write_module("def broken(:\n    pass\n"), select="ASR,E999")
    assert rows_with(result, "E999") == [1]
    assert "Traceback" not in result.stderr


def test_empty_file_is_silent(write_module) -> None:
    result = run_flake8(write_module(""))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_deeply_nested_blocks_are_analysed(write_module) -> None:
    # CPython's tokenizer allows 100 indentation levels: the def body plus 98 nested ifs.
    depth = 98
    lines = ["import time", "from fastapi import FastAPI", "app = FastAPI()", "@app.get('/')"]
    lines.append("async def h():")
    lines += ["    " * (level + 1) + f"if time.time() > {level}:" for level in range(depth)]
    lines.append("    " * (depth + 1) + "time.sleep(1)")
    result = run_flake8(write_module("\n".join(lines) + "\n"))
    assert not flake8_crashed(result), result.stdout + result.stderr
    assert rows_with(result, "ASR101") == [len(lines)]


def test_very_long_expression_does_not_crash_plugin(write_module) -> None:
    expression = " + ".join(["1"] * 5000)
    source = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\nasync def h():\n"
    source += f"    x = {expression}\n    return x\n"
    try:
        ast.parse(source)
    except RecursionError:
        pytest.skip("this CPython's own ast.parse cannot build the tree, so flake8 fails first")
    # pyflakes itself hits RecursionError here and flake8 reports that as a plugin failure;
    # flake8 runs plugins sorted by package name, so ours has already run on the file by then.
    result = run_flake8(write_module(source))
    assert_plugin_did_not_crash(result)


def test_extend_select_in_project_config_enables_rules(write_module, tmp_path: Path) -> None:
    write_module("[flake8]\nextend-select = ASR\n", name="setup.cfg")
    write_module(SLEEPY_ROUTE.format(comment=""))
    result = run_flake8("app.py", cwd=tmp_path, isolated=False, select=None)
    assert rows_with(result, "ASR101") == [SLEEP_LINE]


def test_project_lints_itself_cleanly():
    """The repository's own setup.cfg selects ASR: the package passes its own checks."""
    result = run_flake8(REPO_ROOT, cwd=REPO_ROOT, isolated=False, select=None)
    assert result.returncode == 0, result.stdout + result.stderr
