"""Small pure helpers. Some share names with blocking APIs but do no I/O."""


def sleep(seconds: float) -> float:
    """The back-off the client should wait before retrying: computed, never slept."""
    return min(seconds * 2, 30.0)


def open(name: str, mode: str = "r") -> dict:  # noqa: A001 -- a "channel open" event
    return {"event": "open", "channel": name, "mode": mode}


def normalize_tags(tags: list) -> list:
    """Mutually recursive with canonical_tag; neither blocks."""
    return [canonical_tag(tag) for tag in tags]


def canonical_tag(tag: str) -> str:
    if "," in tag:
        return ",".join(normalize_tags(tag.split(",")))
    return tag.strip().lower()


def flatten(tree: list) -> list:
    """Plain recursion, no I/O."""
    out = []
    for node in tree:
        if isinstance(node, list):
            out.extend(flatten(node))
        else:
            out.append(node)
    return out


def render_markdown(text: str) -> str:
    """Cheap; the files router nevertheless hands it to a thread."""
    return text.replace("**", "").strip()
