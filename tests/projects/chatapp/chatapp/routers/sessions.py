"""Raw sessions in coroutines: factories and a dependency defined in chatapp.db."""
from fastapi import APIRouter, Depends, Request
from sqlalchemy import text

from chatapp.db import ScopedSession, SessionLocal, generate_session, get_db
from chatapp.models.chats import Chat
from chatapp.models.folders import child_ids
from chatapp.models.users import User

router = APIRouter(prefix="/admin")


def user_emails() -> list:
    with get_db() as db:
        return [u.email for u in db.query(User).all()]


def emails_report() -> str:
    return "\n".join(user_emails())


@router.get("/chats")
async def all_chats(request: Request):
    await request.body()
    db = SessionLocal()
    try:
        return db.query(Chat).all()  # error: ASR109:16 "db.query(Chat).all()" -- SessionLocal imported from chatapp.db
    finally:
        db.close()


@router.get("/ping")
async def ping(request: Request):
    await request.body()
    with SessionLocal() as db:
        db.execute(text("SELECT 1"))  # error: ASR109:9 "db.execute()"
    return {"ok": True}


@router.get("/scoped")
async def scoped_count(request: Request):
    await request.body()
    return {"chats": ScopedSession.query(Chat).count()}  # error: ASR109:22 "ScopedSession.query(Chat).count()" -- scoped_session object


@router.get("/session")
async def session_count(request: Request, session=Depends(generate_session)):
    await request.body()
    return {"users": session.query(User).count()}  # error: ASR109:22 "session.query(User).count()" -- typed by what the dependency yields


@router.get("/context")
async def context_count(request: Request):
    await request.body()
    with get_db() as db:
        return {"users": db.query(User).count()}  # error: ASR109:26 "db.query(User).count()" -- @contextmanager yields a Session


@router.get("/emails")
async def emails(request: Request):
    await request.body()
    return {"emails": user_emails()}  # error: ASR110:23 "user_emails()" -- `with get_db() as db` in the helper


@router.get("/emails/report")
async def report(request: Request):
    await request.body()
    return {"report": emails_report()}  # error: ASR110:23 "emails_report()" -- two hops


@router.get("/folders/{folder_id}/children")
async def folder_children(folder_id: str, request: Request):
    await request.body()
    return {"children": child_ids(folder_id)}  # error: ASR110:25 "child_ids()" -- export_folder() → write_manifest()


@router.get("/emails/sync")
def emails_sync(session=Depends(generate_session)):
    return {"emails": user_emails(), "users": session.query(User).count()}
