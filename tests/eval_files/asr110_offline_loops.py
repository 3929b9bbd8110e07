"""ASR110 and ASR1xx: coroutines that a loop of their own runs never run on the server's loop.

A project decorator whose sync wrapper runs the coroutine with `asyncio.run` (a click
command's `click_async`), `loop.run_until_complete()` in sync code (a worker's own loop),
and the coroutines and methods that only those run are not reported. One that a route
also awaits, that a third-party base class may call, or that starts tasks on its loop
(they share the loop with it), is.
"""
import asyncio
import subprocess
import time
from functools import wraps

import click
from fastapi import FastAPI
from pluginlib import Plugin

app = FastAPI()


def click_async(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return asyncio.run(f(*args, **kwargs))

    return wrapper


def maybe_run(f):
    """Hands the coroutine back when a loop is running: the server may await it."""
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(f(*args, **kwargs))
        return f(*args, **kwargs)

    return wrapper


def build_image(folder: str) -> None:
    subprocess.run(["docker", "build", folder], check=True)


@click.group()
def root() -> None:
    pass


@root.command("build")
@click_async
async def build(folder: str) -> None:
    build_image(folder)
    time.sleep(1)


async def install(name: str) -> None:
    build_image(name)  # only the command line awaits it


async def register(name: str) -> None:
    build_image(name)  # error: ASR110:5 "build_image()" -- a route awaits it too
    time.sleep(1)  # error: ASR101:5 "time.sleep()"


@root.command("install")
@click_async
async def install_command(name: str) -> None:
    await install(name)
    await register(name)


@app.post("/images")
async def create_image(name: str):
    await register(name)


@maybe_run
async def sometimes_on_the_server(folder: str) -> None:
    build_image(folder)  # error: ASR110:5 "build_image()"


class Worker:
    def put_response(self) -> None:
        time.sleep(0.1)

    async def _process(self) -> None:
        self.put_response()

    async def _serve(self) -> None:
        self.put_response()  # error: ASR110:9 "self.put_response()" -- /serve awaits it too

    async def _handle(self) -> None:
        self.put_response()  # error: ASR110:9 "self.put_response()" -- a task beside others

    def run_forever(self) -> None:
        async def process_requests():
            self.put_response()
            await self._process()
            await self._serve()

        loop = asyncio.new_event_loop()
        loop.run_until_complete(process_requests())

    def run_concurrently(self) -> None:
        # The loop of its own also runs the tasks this coroutine starts: a blocking call
        # in either stalls the others (LitServe#489).
        async def process_requests():
            self.put_response()  # error: ASR110:13 "self.put_response()"
            asyncio.create_task(self._handle())

        asyncio.new_event_loop().run_until_complete(process_requests())


worker = Worker()


@app.get("/serve")
async def serve():
    await worker._serve()


class Job(Plugin):
    async def _run(self) -> None:
        time.sleep(1)  # error: ASR101:9 "time.sleep()" -- the plugin library may call it

    def start(self) -> None:
        asyncio.run(self._run())
