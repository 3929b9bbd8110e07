"""Upload storage on the local disk: the blocking write sits three calls below the route."""
import os
import shutil
from pathlib import Path

from chatapp.config import UPLOAD_DIR


class Storage:
    @staticmethod
    def upload_file(data: bytes, filename: str) -> str:
        path = Storage._target(filename)
        Storage._write(path, data)
        return str(path)

    @staticmethod
    def _target(filename: str) -> Path:
        return Path(UPLOAD_DIR) / os.path.basename(filename)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        write_bytes(str(path), data)

    @classmethod
    def delete_all(cls) -> None:
        shutil.rmtree(UPLOAD_DIR, ignore_errors=True)


def write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def iter_chunks(path: str, size: int = 64 * 1024):
    """A generator: calling it opens nothing; Starlette iterates it in a thread."""
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def generate_thumbnail(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()[:1024]
