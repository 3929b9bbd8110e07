"""ASR105: `os.waitpid(pid, os.WNOHANG)` polls a child and returns at once (mlserver's
SIGCHLD handler); without WNOHANG it waits for the child to exit."""
import asyncio
import os
from os import WNOHANG, WUNTRACED

from fastapi import FastAPI

app = FastAPI()


# --- good: WNOHANG among the options -----------------------------------------------------

async def reap_finished_worker():
    pid, exit_code = os.waitpid(-1, os.WNOHANG)
    return pid, exit_code


@app.get("/children")
async def poll_children(pid: int):
    await asyncio.sleep(0)  # awaits: only the calls below can be reported
    os.waitpid(pid, WNOHANG | WUNTRACED)
    os.wait4(pid, options=os.WNOHANG)
    os.wait3(os.WUNTRACED | os.WNOHANG)
    return {"polled": pid}


# --- bad: options that wait ----------------------------------------------------------------

@app.get("/wait")
async def wait_for_child(pid: int, flags: int):
    await asyncio.sleep(0)  # awaits: only the calls below can be reported
    os.waitpid(pid, 0)  # error: ASR105:5 "os.waitpid()"
    os.waitpid(pid, flags)  # error: ASR105:5 "os.waitpid()" -- not known to hold WNOHANG
    os.waitpid(pid, os.WUNTRACED)  # error: ASR105:5 "os.waitpid()"
    os.wait3(os.WNOHANG & flags)  # error: ASR105:5 "os.wait3()" -- the mask may clear it
    return {"waited": pid}
