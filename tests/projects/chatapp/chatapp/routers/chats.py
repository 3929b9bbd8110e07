"""Chats: a module-level singleton table, imported three ways."""
import chatapp.models.chats
from fastapi import APIRouter, Depends, Request

from chatapp.models import Chats
from chatapp.models import chats as chats_module
from chatapp.models.chats import ChatModel, ChatsTable
from chatapp.models.folders import child_ids, export_folder
from chatapp.utils.auth import decode_token
from chatapp.utils.notify import post_webhook

router = APIRouter(prefix="/chats")


class ChatService:
    """Used as a class dependency: `service: ChatService = Depends()`."""

    def __init__(self):
        self.table = ChatsTable()

    def summarize(self, chat_id: str) -> str:
        chat = self._load(chat_id)
        return chat.title if chat else ""

    def _load(self, chat_id: str):
        return self.table.get_chat_by_id(chat_id)


def current_user_id(request: Request) -> str:
    return decode_token(request.headers.get("authorization", ""))["sub"]


@router.post("/new")
async def create_new_chat(request: Request, user_id: str = Depends(current_user_id)):
    payload = await request.json()
    chat = Chats.insert_new_chat(user_id, payload.get("title", ""))  # error: ASR110:12 "Chats.insert_new_chat()"
    return chat


@router.get("/")
async def get_user_chats(user_id: str = Depends(current_user_id)):  # error: ASR201:1 "GET /chats/" -- never awaits
    return Chats.get_chats_by_user_id(user_id)  # error: ASR110:12 "Chats.get_chats_by_user_id()" -- self._rows_for, two hops


@router.get("/count")
async def count_chats():
    total = chats_module.Chats.count_chats()  # error: ASR110:13 "chats_module.Chats.count_chats()" -- singleton through a module alias
    await post_webhook("count", {"total": total})
    return {"total": total}


@router.get("/count/full")
async def count_chats_full_name():
    total = chatapp.models.chats.Chats.count_chats()  # error: ASR110:13 "chatapp.models.chats.Chats.count_chats()" -- singleton by dotted name
    await post_webhook("count", {"total": total})
    return {"total": total}


@router.get("/{chat_id}")
async def get_chat(chat_id: str, request: Request) -> ChatModel:
    await request.body()
    return Chats.get_chat_by_id(chat_id)  # error: ASR110:12 "Chats.get_chat_by_id()" -- self._fetch in a base class of another module


@router.get("/{chat_id}/summary")
async def chat_summary(chat_id: str, service: ChatService = Depends()):
    summary = service.summarize(chat_id)  # error: ASR110:15 "service.summarize()" -- three hops through self
    await post_webhook("summary", {"chat": chat_id})
    return {"summary": summary}


@router.get("/{chat_id}/title")
async def chat_title(chat_id: str, request: Request):
    await request.body()
    chat = ChatModel(id=chat_id, user_id="", title=" x ", created_at=0)
    return {"title": Chats.chat_title(chat)}


@router.get("/{chat_id}/sync")
def get_chat_sync(chat_id: str):
    return Chats.get_chat_by_id(chat_id)


@router.post("/folders/{folder_id}/export")
async def export(folder_id: str):
    path = export_folder(folder_id)  # error: ASR110:12 "export_folder()"
    await post_webhook("export", {"folder": folder_id})
    return {"path": path}


@router.get("/folders/{folder_id}")
async def folder(folder_id: str, request: Request):
    await request.body()
    return {"children": child_ids(folder_id)}  # error: ASR110:25 "child_ids()" -- child_ids → export_folder → write_manifest
