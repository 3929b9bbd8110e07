"""ASR110: what a method showed about `self.<attr>` (`if self.content:`) holds in the
method it calls on the same `self`, so a guard there on the same attribute rules out the
branch that blocks; a call or an assignment in between forgets it."""
import asyncio
import base64
import threading
import urllib.request
from typing import Optional

from fastapi import FastAPI

app = FastAPI()


class Audio:
    def __init__(self, content: Optional[bytes], filepath: Optional[str]):
        self.content = content
        self.filepath = filepath
        self.reference = None
        self.lock = threading.Lock()

    def get_content_bytes(self) -> Optional[bytes]:
        if self.content:
            return self.content
        elif self.filepath:
            with open(self.filepath, "rb") as fh:
                return fh.read()
        return self.download()  # after the branch that returns the content

    def download(self) -> bytes:
        with urllib.request.urlopen(f"https://media.example.com/{self.filepath}") as response:
            return response.read()

    def read_unless_empty(self) -> bytes:
        if not self.content:
            with open(self.filepath, "rb") as fh:
                return fh.read()
        return self.content

    def to_base64(self) -> Optional[str]:
        content_bytes = self.get_content_bytes()
        return base64.b64encode(content_bytes).decode() if content_bytes else None

    def to_dict(self) -> dict:
        result = {"filepath": self.filepath}
        if self.reference is not None:
            result["reference"] = self.reference
        elif self.content:
            result["content"] = self.to_base64()  # content is set: no file read
        return result

    def encoded_or_read(self) -> str:
        if not self.content:
            return ""
        return self.read_unless_empty()  # the early return showed content is set

    def always_encoded(self) -> Optional[str]:
        return self.to_base64()  # nothing known about content

    def encoded_after_reset(self) -> Optional[str]:
        if self.content:
            self.reset()  # may change content
            return self.to_base64()
        return None

    def encoded_after_assignment(self) -> Optional[str]:
        if self.content:
            self.content = None
            return self.to_base64()
        return None

    def encoded_after_emptying(self) -> Optional[str]:
        if self.content:
            self.content[:] = b""  # a bytearray emptied in place
            return self.to_base64()
        return None

    def encoded_in_with(self) -> Optional[str]:
        if self.content:
            with self.lock:  # entering runs the lock's code
                return self.to_base64()
        return None

    def reset(self) -> None:
        self.content = None


def encode(audio: Audio, other: Audio) -> Optional[str]:
    if audio.content:
        return other.to_base64()  # a fact about one object says nothing about another
    return None


@app.get("/audio")
async def audio_dict(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).to_dict()


@app.get("/audio/early")
async def audio_early(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).encoded_or_read()


@app.get("/audio/always")
async def audio_always(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).always_encoded()  # error: ASR110:12 "always_encoded()"


@app.get("/audio/reset")
async def audio_reset(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).encoded_after_reset()  # error: ASR110:12 "encoded_after_reset()"


@app.get("/audio/assigned")
async def audio_assigned(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).encoded_after_assignment()  # error: ASR110:12 "encoded_after_assignment()"


@app.get("/audio/other")
async def audio_other(audio_id: str):
    await asyncio.sleep(0)
    return encode(Audio(b"x", None), Audio(None, audio_id))  # error: ASR110:12 "encode()"


@app.get("/audio/emptied")
async def audio_emptied(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).encoded_after_emptying()  # error: ASR110:12 "encoded_after_emptying()"


@app.get("/audio/locked")
async def audio_locked(audio_id: str):
    await asyncio.sleep(0)
    return Audio(None, audio_id).encoded_in_with()  # error: ASR110:12 "encoded_in_with()"
