import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/grüße")
async def greet(name: str = "Zoë"):
    message = f"héllo {name} 😀"; await asyncio.sleep(0.1); tag = "日本語"; await asyncio.sleep(0.2)
    print("ça va? ✓", await asyncio.sleep(0))
    return {"message": message, "tag": tag}
