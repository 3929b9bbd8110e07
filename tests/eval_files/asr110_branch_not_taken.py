"""ASR110: a helper's blocking call on a branch that the call's constant argument rules
out (litserve's `setup(zmq.SUB)`, whose `time.sleep` is only on the `zmq.PUB` branch) is
not reported; the branch the argument takes, or one it cannot rule out, still is."""
import time

import zmq
from fastapi import FastAPI

app = FastAPI()
PUBLISH = zmq.PUB


class Transport:
    def __init__(self):
        self.mode = None

    def setup(self, operation, consumer_id=None):
        if operation == zmq.PUB:
            time.sleep(0.1)  # give subscribers time to connect
            self.mode = "pub"
        elif operation == zmq.SUB:
            self.mode = f"sub-{consumer_id}"
        else:
            raise ValueError(operation)

    def connect(self, kind: str):
        if kind != "read":
            time.sleep(1)
        return kind

    def reconfigure(self, operation):
        operation = zmq.PUB
        if operation == zmq.PUB:
            time.sleep(0.1)

    async def areceive(self, consumer_id: int):
        self.setup(zmq.SUB, consumer_id)
        self.setup(operation=zmq.SUB)
        self.connect("read")
        self.setup(zmq.PUB)  # error: ASR110:9 "(and 3 more sleep calls: lines 41, 42, 43)" -- the PUB branch sleeps
        self.setup(PUBLISH)  # folded into line 40 (one chain); a name: not known to differ
        self.connect("write")  # folded into line 40: self.connect()
        self.reconfigure(zmq.SUB)  # folded into line 40: self.reconfigure() -- the parameter is reassigned
        return self.mode


@app.get("/receive")
async def receive(consumer_id: int):
    transport = Transport()
    return {"mode": await transport.areceive(consumer_id)}


class Dispatcher:
    def __init__(self):
        self.workers = ["a", "b"]

    def pick(self) -> str:
        if True:  # Directly return the first worker
            return self.workers[0]
        while True:  # the status check the early return leaves out
            time.sleep(1)

    def pick_checked(self, check: bool) -> str:
        if check:
            time.sleep(1)
        return self.workers[0]


dispatcher = Dispatcher()


@app.get("/worker")
async def worker(check: bool):
    await transport_ready()
    first = dispatcher.pick()  # `if True: return` leaves the rest dead
    return first, dispatcher.pick_checked(check)  # error: ASR110:19 "dispatcher.pick_checked()"


async def transport_ready() -> None:
    return None
