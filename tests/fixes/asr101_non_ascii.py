import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/grüße")
async def greet(name: str = "Zoë"):
    message = f"héllo {name} 😀"; time.sleep(0.1); tag = "日本語"; time.sleep(0.2)
    print("ça va? ✓", time.sleep(0))
    return {"message": message, "tag": tag}
