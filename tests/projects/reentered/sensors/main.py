"""In a project that uses nest_asyncio (see __init__.py), a loop runner in sync code may
re-enter the server's running loop, so the coroutine it runs is still reported; a runner
in a command-line entry point still makes its coroutine offline."""
import asyncio
import time

from fastapi import FastAPI

app = FastAPI()


def read_sensor() -> float:
    time.sleep(0.5)
    return 1.0


async def refresh() -> float:
    return read_sensor()  # error: ASR110:12 "read_sensor()" -- runs on the server's loop


def refresh_now() -> float:
    return asyncio.run(refresh())


@app.get("/sensor")
async def sensor():  # error: ASR201:1 "refresh_now()"
    return {"value": refresh_now()}  # error: ASR110:22 "refresh_now()"


async def calibrate() -> None:
    time.sleep(1)


if __name__ == "__main__":
    asyncio.run(calibrate())
