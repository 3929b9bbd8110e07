from fastapi import FastAPI

from chatapp.routers import auths, chats, files, misc, sessions, users

app = FastAPI(title="chatapp")
for module in (auths, chats, files, misc, sessions, users):
    app.include_router(module.router)


@app.get("/health")
async def health():
    return {"status": "ok"}
