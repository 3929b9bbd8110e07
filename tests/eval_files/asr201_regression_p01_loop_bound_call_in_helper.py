# Regression from a real-app review (fixed): ASR201 says "declare it def" - but schedule_rebuild() calls asyncio.create_task,
# which raises "no running event loop" in a worker thread.
import asyncio

from fastapi import FastAPI

app = FastAPI()
_tasks: set = set()


async def rebuild_index() -> None:
    await asyncio.sleep(1)


def schedule_rebuild() -> asyncio.Task:
    for existing in _tasks:
        if not existing.done():
            return existing
    task = asyncio.create_task(rebuild_index())
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


@app.post("/index/rebuild", status_code=202)
async def rebuild():
    schedule_rebuild()
    return {"status": "scheduled"}
