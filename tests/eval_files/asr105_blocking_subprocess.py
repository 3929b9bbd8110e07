"""ASR105: starting and waiting for processes on the event loop."""
import asyncio
import functools
import os
import shlex
import shutil
import subprocess
import subprocess as sp
from contextlib import asynccontextmanager
from subprocess import Popen as Spawn
from subprocess import check_call, run

import anyio
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from starlette.routing import Route

shell = subprocess.getoutput


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.git_sha = subprocess.check_output(["git", "rev-parse", "HEAD"])  # error: ASR111:25 "subprocess.check_output()"
    yield


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/media")


class Runner:
    def run(self, cmd: str) -> str:
        return cmd


# --- bad: each import style --------------------------------------------------------------------

@router.post("/convert")
async def convert(name: str):
    subprocess.run(["convert", f"{name}.png", f"{name}.jpg"], check=True)  # error: ASR105:5 "subprocess.run()"
    sp.check_output(["identify", f"{name}.jpg"])  # error: ASR105:5 "sp.check_output()"
    run(["optipng", f"{name}.png"])  # error: ASR105:5 "run()"
    check_call(["sync"])  # error: ASR105:5 "check_call()"
    version = shell("convert --version")  # error: ASR105:15 "shell()" -- `shell = subprocess.getoutput`
    await asyncio.sleep(0)
    return {"version": version}


@app.post("/maintenance")
async def maintenance():  # error: ASR201:1 "POST /maintenance" -- never awaits, and blocks
    os.system("vacuumdb --all")  # error: ASR105:5 "os.system()"
    listing = os.popen("ls /srv").read()  # error: ASR105:15 "os.popen()" -- one finding per chain
    pid = os.spawnlp(os.P_NOWAIT, "backup", "backup")  # error: ASR105:11 "os.spawnlp()"
    os.waitpid(pid, 0)  # error: ASR105:5 "os.waitpid()"
    return {"listing": listing}


# --- bad: Popen objects and each kind of coroutine ---------------------------------------------

async def render(source: str) -> bytes:
    proc = subprocess.Popen(["pandoc", source], stdout=subprocess.PIPE)  # error: ASR105:12 "subprocess.Popen()"
    out, _ = proc.communicate(timeout=30)  # folded: same handle
    proc.poll()  # does not wait
    child = Spawn(["sleep", "1"])  # error: ASR105:13 "Spawn()"
    child.wait()  # folded: same handle
    with subprocess.Popen(["true"]) as quick:  # error: ASR105:10 "subprocess.Popen()"
        quick.wait()  # folded: same handle
    return out


async def require_ffmpeg() -> None:
    sp.run(["ffmpeg", "-version"], check=True)  # error: ASR105:5 "sp.run()" -- async dependency
    await asyncio.sleep(0)


@router.get("/probe", dependencies=[Depends(require_ffmpeg)])
async def probe():
    return {"ffmpeg": True}


async def legacy_thumbnail():
    subprocess.call(["thumbnail", "all"])  # error: ASR105:5 "subprocess.call()"
    await asyncio.sleep(0)


app.add_api_route("/thumbnails", legacy_thumbnail, methods=["POST"])


async def disk_usage(request):
    await request.body()
    return shell("df -h")  # error: ASR105:12 "shell()"


starlette_routes = [Route("/disk", disk_usage)]


class Transcoder:
    async def transcode(self, path: str) -> None:
        subprocess.check_call(["ffmpeg", "-i", path, path + ".mp4"])  # error: ASR105:9 "subprocess.check_call()"


def make_hook(command: str):
    async def hook() -> None:
        os.system(command)  # error: ASR105:9 "os.system()" -- nested coroutine
    return hook


@app.middleware("http")
async def audit(request: Request, call_next):
    run(["logger", request.url.path])  # error: ASR105:5 "run()"
    return await call_next(request)


async def notify_ops(message: str) -> None:
    subprocess.run(["notify-send", message])  # error: ASR105:5 "subprocess.run()" -- background task


@app.post("/alert")
def alert(message: str, background_tasks: BackgroundTasks):
    background_tasks.add_task(notify_ops, message)
    subprocess.run(["logger", message])  # a `def` route runs in the thread pool
    return {"queued": True}


@app.websocket("/top")
async def top(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text(subprocess.getoutput("top -bn1"))  # error: ASR105:31 "subprocess.getoutput()"


# --- good ------------------------------------------------------------------------------------

def run_backup() -> int:
    return subprocess.run(["backup"], check=False).returncode


@router.post("/async-convert")
async def async_convert(name: str):
    proc = await asyncio.create_subprocess_exec(
        "convert", f"{name}.png", f"{name}.jpg", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    await proc.wait()
    shell_proc = await asyncio.create_subprocess_shell("sync")
    shell_proc.kill()
    result = await anyio.run_process(["identify", f"{name}.jpg"])
    return {"out": out, "code": result.returncode, "tool": shutil.which("convert")}


async def offloaded() -> list:
    first = await asyncio.to_thread(subprocess.run, ["backup"], check=True)
    second = await run_in_threadpool(run_backup)
    loop = asyncio.get_running_loop()
    third = await loop.run_in_executor(None, lambda: os.system("sync"))
    fourth = await anyio.to_thread.run_sync(functools.partial(subprocess.run, ["true"]))
    return [first, second, third, fourth]


async def look_alikes(runner: Runner, run, cmd: str) -> str:
    run(cmd)  # a parameter named `run`
    runner.run(cmd)  # a local class's `.run`
    try:
        parts = shlex.split(cmd)
    except subprocess.CalledProcessError:
        parts = []
    return " ".join(parts) + str(subprocess.PIPE)
