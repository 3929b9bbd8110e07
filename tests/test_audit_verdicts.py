"""The audit's verdict on a handler through the real CLI: one that runs a blocking project
coroutine (awaited, gathered or scheduled as a background task, in its module or another)
blocks the loop, though its finding is made once, in that coroutine."""
from __future__ import annotations

import json
from pathlib import Path

from test_cli import run_cli, write_tree

NOTIFY = {
    "app/__init__.py": "",
    "app/services.py": """\
        import asyncio
        import time


        async def notify(user_id: int) -> None:
            time.sleep(1)


        async def audit_trail(user_id: int) -> None:
            await notify(user_id)


        async def quick(user_id: int) -> None:
            await asyncio.sleep(0)
        """,
    "app/main.py": """\
        import asyncio

        from fastapi import BackgroundTasks, FastAPI
        from starlette.background import BackgroundTask
        from starlette.responses import JSONResponse

        from app import services
        from app.services import audit_trail, quick

        app = FastAPI()


        async def local_blocker() -> None:
            open("/tmp/x").read()


        @app.post("/awaits")
        async def awaits(user_id: int):
            await services.notify(user_id)


        @app.post("/through")
        async def through(user_id: int):
            await audit_trail(user_id)


        @app.post("/gathers")
        async def gathers(user_id: int):
            await asyncio.gather(quick(user_id), local_blocker())


        @app.post("/later")
        async def later(user_id: int, tasks: BackgroundTasks):
            await asyncio.sleep(0)
            tasks.add_task(services.notify, user_id)


        @app.post("/response-task")
        async def response_task(user_id: int):
            await asyncio.sleep(0)
            return JSONResponse({}, background=BackgroundTask(audit_trail, user_id))


        @app.post("/clean")
        async def clean(user_id: int, tasks: BackgroundTasks):
            await quick(user_id)
            tasks.add_task(quick, user_id)
        """,
}


def test_handlers_running_blocking_coroutines_do_not_get_a_clean_verdict(tmp_path: Path):
    project = write_tree(tmp_path, NOTIFY)
    result = run_cli("audit", "--no-cache", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    verdicts = {h["name"]: (h["verdict"], h["blocks_through"]) for h in data["handlers"]
                if h["kind"] == "route"}
    assert verdicts == {
        "awaits": ("blocks the loop", "`notify` (app/services.py:6)"),
        "through": ("blocks the loop", "`notify` (app/services.py:6)"),
        "gathers": ("blocks the loop", "`local_blocker` (app/main.py:14)"),
        "later": ("blocks the loop", "`notify` (app/services.py:6)"),
        "response_task": ("blocks the loop", "`notify` (app/services.py:6)"),
        "clean": ("clean", ""),
    }
    # One bug, one finding: each blocking line is reported once, where it is.
    assert sorted((f["path"], f["line"], f["code"]) for f in data["findings"]) == [
        ("app/main.py", 14, "ASR104"), ("app/services.py", 6, "ASR101")]
