"""An inference worker's loop: the base class runs the subclass's coroutines on a loop of
its own, in the worker process, never on the server's, and one at a time (a loop that
also ran tasks beside them would be stalled by their blocking calls)."""
import asyncio
from abc import ABC

from .transport import Transport


class BaseLoop(ABC):
    def __init__(self) -> None:
        self.transport = Transport()

    def put_response(self, item) -> None:
        self.transport.send(item)

    async def schedule_task(self) -> None:
        pass

    def __call__(self) -> None:
        event_loop = asyncio.new_event_loop()

        async def _wrapper():
            self.put_response("started")
            await self.schedule_task()

        event_loop.run_until_complete(_wrapper())
