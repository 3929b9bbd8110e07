"""ASR109: sync SQLAlchemy / SQLModel sessions, connections and engines in coroutines."""
import asyncio
from contextlib import asynccontextmanager
from typing import Annotated, Optional

import sqlmodel
from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Request, WebSocket
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, create_engine, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.orm import Session as OrmSession

from .models import Item, User

engine = create_engine("postgresql://app@db/app", pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, autoflush=False)
ScopedSession = scoped_session(SessionLocal)
async_engine = create_async_engine("postgresql+asyncpg://app@db/app")
AsyncSessionLocal = sessionmaker(async_engine, class_=AsyncSession, expire_on_commit=False)
async_factory = async_sessionmaker(async_engine)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


async def get_async_db():
    async with AsyncSessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
AsyncSessionDep = Annotated[AsyncSession, Depends(get_async_db)]


@asynccontextmanager
async def lifespan(app: FastAPI):
    with engine.begin() as conn:  # error: ASR111:10 "engine.begin()"
        conn.execute(text("SELECT 1"))  # folded: same handle
    yield
    engine.dispose()  # folded: same handle


app = FastAPI(lifespan=lifespan)
router = APIRouter(prefix="/users")


@router.get("/{user_id}")
async def read_user(user_id: int, request: Request, db: Session = Depends(get_db)):
    await request.body()
    user = db.get(User, user_id)  # error: ASR109:12 "db.get()"
    items = db.query(Item).filter(Item.owner_id == user_id).order_by(Item.id).all()  # folded: same handle
    total = db.scalar(select(func.count()).select_from(Item))  # folded: same handle
    return {"user": user, "items": items, "total": total}


@router.get("/")
async def list_users(db: SessionDep, request: Request, skip: int = 0):
    await request.body()
    stmt = select(User).where(User.active.is_(True)).offset(skip).limit(50)
    users = db.scalars(stmt).all()  # error: ASR109:13 "db.scalars()" -- module alias of Annotated[Session, ...]
    query = db.query(User)
    first = query.first()  # folded: same handle
    return {"users": users, "first": first}


@router.get("/grouped")
async def grouped(db: Annotated[Session, Depends(get_db)], request: Request):
    await request.body()
    rows = db.query(User.team, func.count()).group_by(User.team).all()  # error: ASR109:12 "db.query(User.team, func.count()).group_"
    return dict(rows)


@router.post("/")
async def create_user(request: Request, db: "Session" = Depends(get_db)):
    user = User(**(await request.json()))
    db.add(user)
    db.commit()  # error: ASR109:5 "db.commit()"
    db.refresh(user)  # folded: same handle
    return user


@router.post("/sync")
def create_user_sync(payload: dict, db: Session = Depends(get_db)):
    user = User(**payload)
    db.add(user)
    db.commit()
    return db.query(User).filter(User.id == user.id).one()


def count_users(session: Session) -> int:
    return session.query(User).count()  # sync function, run by AsyncSession.run_sync


@router.get("/async/{user_id}")
async def read_user_async(user_id: int, db: AsyncSessionDep):
    result = await db.execute(select(User).where(User.id == user_id))
    user = result.scalars().first()
    rows = (await db.execute(select(Item))).scalars().all()
    db.add(Item(owner_id=user_id))
    await db.commit()
    async with async_factory() as other:
        other.add(User(name="x"))
        await other.commit()
    return {"user": user, "items": rows, "count": await db.run_sync(count_users)}


@router.get("/offloaded/{user_id}")
async def read_user_offloaded(user_id: int, db: Session = Depends(get_db)):  # error: ASR202:1 "GET /users/offloaded/{user_id}"
    user = await run_in_threadpool(db.get, User, user_id)
    items = await asyncio.to_thread(lambda: db.query(Item).all())
    count = await asyncio.get_running_loop().run_in_executor(None, db.query(Item).count)
    return {"user": user, "items": items, "count": count}


async def record_visit(user_id: int) -> None:
    """Background task coroutine."""
    with Session(engine) as session:
        session.add(User(id=user_id))
        session.commit()  # error: ASR109:9 "session.commit()"
    db = SessionLocal()
    db.execute(text("UPDATE users SET visits = visits + 1"))  # error: ASR109:5 "db.execute()"
    with SessionLocal.begin() as tx:
        tx.merge(User(id=user_id))  # error: ASR109:9 "tx.merge()"
    ScopedSession.query(User).delete()  # error: ASR109:5 "ScopedSession.query(User).delete()" -- scoped_session proxies the session
    await asyncio.sleep(0)


@router.post("/{user_id}/visit")
async def visit(user_id: int, tasks: BackgroundTasks):
    tasks.add_task(record_visit, user_id)
    return {"ok": True}


async def hero_names(session: sqlmodel.Session, owner: Optional[OrmSession] = None) -> list:
    names = session.exec(sqlmodel.select(User).where(User.active)).all()  # error: ASR109:13 "session.exec()"
    if owner is not None:
        owner.flush()  # error: ASR109:9 "owner.flush()"
    return names


async def raw_count(conn: Connection) -> int:
    return conn.execute(text("SELECT count(*) FROM users")).scalar_one()  # error: ASR109:12 "conn.execute()"


async def get_current_user(request: Request, db: Session = Depends(get_db)) -> User:
    """Async dependency."""
    await request.body()
    token = request.headers.get("authorization", "")
    return db.query(User).filter_by(token=token).first()  # error: ASR109:12 "db.query(User).filter_by(token=token).fi"


@app.get("/me")
async def me(user: User = Depends(get_current_user)):
    return user


class UserRepository:
    def __init__(self, db: Session = Depends(get_db)):
        self.db = db

    async def by_email(self, email: str) -> Optional[User]:
        return self.db.execute(select(User).filter_by(email=email)).scalar_one_or_none()  # error: ASR109:16 "self.db.execute()"


@app.websocket("/ws/users")
async def user_feed(websocket: WebSocket):
    await websocket.accept()
    with engine.connect() as conn:  # error: ASR109:10 "engine.connect()"
        rows = conn.execute(text("SELECT name FROM users")).all()  # folded: same handle
    await websocket.send_json([r.name for r in rows])


@app.middleware("http")
async def db_session_middleware(request: Request, call_next):
    request.state.db = SessionLocal()
    try:
        return await call_next(request)
    finally:
        request.state.db.close()


class Repo:  # local class whose methods share names with Session's
    def query(self, *args):
        return list(args)


async def local_repo() -> list:
    repo = Repo()
    return repo.query(User)


app.include_router(router)


# ----- iterating a lazy query runs it -----------------------------------------------------------
@app.get("/items/active")
async def active_items(db: Session = Depends(get_db)):
    await asyncio.sleep(0)
    active = db.query(Item).filter(Item.active)  # building the query sends nothing
    names = [item.name for item in active]  # error: ASR109:36 "for … in active" -- the comprehension runs it
    return {"names": names}


@app.get("/items/active/async")
async def active_items_async(db: AsyncSession = Depends(get_async_db)):
    rows = await db.execute(select(Item).where(Item.active))
    return {"names": [item.name for item in rows.scalars()]}
