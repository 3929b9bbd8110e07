"""A synthetic FastAPI application of a given size, for scaling curves.

The same size and seed always give the same files. Each package has a session factory,
model classes with sync queries, helpers (some blocking, some cheap) and routers whose
routes call them across modules, so the plugin's cross-module analysis has real work:
imports to resolve, helpers to follow, sessions to type.

    python bench/synthetic.py LINES DIRECTORY
"""
import random
import sys
import textwrap
from pathlib import Path

# Lines per generated module, roughly: the generator counts what it writes.
MODULES_PER_PACKAGE = 40

DB_MODULE = textwrap.dedent("""\
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    engine = create_engine("sqlite:///app.db")
    SessionLocal = sessionmaker(bind=engine)


    def get_db():
        db = SessionLocal()
        try:
            yield db
        finally:
            db.close()
    """)

MODEL_CLASS = textwrap.dedent("""\


    class Table{n}:
        def __init__(self, name):
            self.name = name
            self.rows = []

        @classmethod
        def by_id(cls, item_id):
            with SessionLocal() as db:
                return db.query(cls).filter_by(id=item_id).first()

        def label(self):
            return self.name.upper()

        def add(self, row):
            self.rows.append(row)
            return len(self.rows)


    tables{n} = Table{n}("t{n}")
    """)

HELPERS = [
    textwrap.dedent("""\


        def fetch_remote_{n}(url):
            return requests.get(url, timeout=5).json()
        """),
    textwrap.dedent("""\


        def read_settings_{n}(path):
            with open(path) as handle:
                return handle.read()
        """),
    textwrap.dedent("""\


        def slugify_{n}(text):
            return "-".join(part.lower() for part in text.split())
        """),
    textwrap.dedent("""\


        def pause_{n}(seconds):
            time.sleep(seconds)
            return seconds
        """),
    textwrap.dedent("""\


        def total_{n}(values):
            return sum(values) / max(len(values), 1)
        """),
]

ROUTES = [
    textwrap.dedent("""\


        @router.get("/items{n}/{{item_id}}")
        async def get_item_{n}(item_id: int):
            item = models.Table0.by_id(item_id)
            return {{"item": item, "slug": helpers.slugify_2(str(item_id))}}
        """),
    textwrap.dedent("""\


        @router.post("/sync{n}")
        def create_item_{n}(payload: dict, db: Session = Depends(get_db)):
            db.add(payload)
            db.commit()
            return {{"ok": True}}
        """),
    textwrap.dedent("""\


        @router.get("/remote{n}")
        async def remote_{n}(url: str):
            data = await asyncio.to_thread(helpers.fetch_remote_0, url)
            return data
        """),
    textwrap.dedent("""\


        @router.get("/stats{n}")
        async def stats_{n}():
            values = [1, 2, 3]
            return {{"mean": helpers.total_4(values)}}
        """),
    textwrap.dedent("""\


        @router.get("/slow{n}")
        async def slow_{n}():
            return helpers.pause_3(1)
        """),
    textwrap.dedent("""\


        @router.get("/async{n}")
        async def fine_{n}(client=Depends(get_client)):
            response = await client.get("https://example.com/{n}")
            return response.json()
        """),
]


ROUTER_HEADER = textwrap.dedent("""\
    import asyncio

    from fastapi import APIRouter, Depends
    from sqlalchemy.orm import Session

    from {name}.db import get_db
    from {name}.models import m{model} as models
    from {name}.utils import u{helper} as helpers

    router = APIRouter(prefix="/r{index}")


    async def get_client():
        import httpx
        async with httpx.AsyncClient() as client:
            yield client
    """)


def _module(header: str, block, target_lines: int) -> tuple:
    """`block(0)`, `block(1)`, ... after the header until about `target_lines` lines."""
    parts, lines, n = [header], header.count("\n"), 0
    while lines < target_lines:
        parts.append(block(n))
        lines += parts[-1].count("\n")
        n += 1
    return "".join(parts), lines


def generate(total_lines: int, root: Path, seed: int = 0) -> int:
    """Write about `total_lines` lines of application code below root; return the count."""
    rng = random.Random(seed)
    written, package_index = 0, 0
    per_kind = MODULES_PER_PACKAGE // 4
    while written < total_lines:
        name = f"app{package_index}"
        package = root / name
        for sub in ("models", "utils", "routers"):
            (package / sub).mkdir(parents=True, exist_ok=True)
            (package / sub / "__init__.py").write_text("")
        (package / "__init__.py").write_text("")
        (package / "db.py").write_text(DB_MODULE)
        written += DB_MODULE.count("\n")
        for index in range(per_kind):
            text, lines = _module(f"from {name}.db import SessionLocal\n",
                                  lambda n: MODEL_CLASS.format(n=n), 120)
            (package / "models" / f"m{index}.py").write_text(text)
            written += lines
            # Helper n is of kind n % 5: the routes call the first one of each kind.
            text, lines = _module("import time\n\nimport requests\n",
                                  lambda n: HELPERS[n % len(HELPERS)].format(n=n), 120)
            (package / "utils" / f"u{index}.py").write_text(text)
            written += lines
        for index in range(MODULES_PER_PACKAGE - 2 * per_kind):
            header = ROUTER_HEADER.format(name=name, index=index,
                                          model=rng.randrange(per_kind),
                                          helper=rng.randrange(per_kind))
            text, lines = _module(header, lambda n: rng.choice(ROUTES).format(n=n), 200)
            (package / "routers" / f"r{index}.py").write_text(text)
            written += lines
            if written >= total_lines:
                break
        package_index += 1
    return written


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))


if __name__ == "__main__":
    main()
