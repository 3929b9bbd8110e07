# fix-args: --unsafe-fixes
import asyncio

from fastapi import FastAPI

from .work import render

app = FastAPI()
taken: set = set()


@app.get("/offload-only")
def offload_only():
    return render()


@app.get("/loop-for-more")
async def loop_for_more():
    loop = asyncio.get_running_loop()
    print("offloading on", loop)
    return await asyncio.to_thread(render)


@app.post("/reserve/{seat}")
async def reserve(seat: str):
    if seat in taken:
        return {"ok": False}
    taken.add(seat)
    return {"ok": True, "ticket": await asyncio.to_thread(render)}
