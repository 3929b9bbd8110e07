"""Click commands under a decorator that runs them with `asyncio.run`, and the coroutines
only they await, are not reported: also when another module awaits another function of
the same name. One that a route of another module awaits is."""
import asyncio
from functools import wraps

import click

from .transport import Transport


def coro(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        return asyncio.run(f(*args, **kwargs))

    return wrapper


def notify(message: str) -> None:
    Transport().send(message)


@click.group()
def cli() -> None:
    pass


async def install_extension(name: str) -> None:
    notify(name)  # only the command line awaits it; api.py awaits services.install_extension


async def check_extension(name: str) -> None:
    notify(name)  # error: ASR110:5 "notify()" -- the /check route awaits it too


@cli.command("install")
@click.argument("name")
@coro
async def install(name: str) -> None:
    notify(name)
    await install_extension(name)
    await check_extension(name)
