"""Methods that only the worker's own loop reaches (through the base class in another
module) are not reported; one that a route also awaits is."""
from .loops import BaseLoop


class BatchingLoop(BaseLoop):
    async def schedule_task(self) -> None:
        await self.prefill()

    async def prefill(self) -> None:
        self.put_response("prefilled")

    async def report(self) -> None:
        self.put_response("report")  # error: ASR110:9 "self.put_response()" -- /report awaits it
