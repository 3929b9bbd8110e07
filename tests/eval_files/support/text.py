"""Project helpers the eval files import from another module (read from disk, never run)."""
import markdown


def money(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}"


def render(source: str) -> str:
    return markdown.markdown(source)


def read_blob(name: str) -> bytes:
    with open(f"blobs/{name}", "rb") as fh:
        return fh.read()
