"""Chats table: a module-level singleton used by the routers."""
import time
import uuid
from typing import Optional

from pydantic import BaseModel
from sqlalchemy import BigInteger, Column, String, Text

from chatapp.db import Base, get_db
from chatapp.models.base import BaseTable


class Chat(Base):
    __tablename__ = "chat"

    id = Column(String, primary_key=True)
    user_id = Column(String)
    title = Column(Text)
    created_at = Column(BigInteger)


class ChatModel(BaseModel):
    id: str
    user_id: str
    title: str
    created_at: int


class ChatsTable(BaseTable):
    model = Chat

    def insert_new_chat(self, user_id: str, title: str) -> ChatModel:
        chat = ChatModel(id=str(uuid.uuid4()), user_id=user_id, title=title,
                         created_at=int(time.time()))
        with get_db() as db:
            db.add(Chat(**chat.model_dump()))
            db.commit()
        return chat

    def get_chat_by_id(self, chat_id: str) -> Optional[ChatModel]:
        row = self._fetch(chat_id)
        return ChatModel.model_validate(row) if row else None

    def get_chats_by_user_id(self, user_id: str) -> list:
        return [ChatModel.model_validate(row) for row in self._rows_for(user_id)]

    def _rows_for(self, user_id: str) -> list:
        with get_db() as db:
            return db.query(Chat).filter_by(user_id=user_id).order_by(Chat.created_at).all()

    def count_chats(self) -> int:
        return self._count()

    def chat_title(self, chat: ChatModel) -> str:
        return chat.title.strip() or "New chat"


Chats = ChatsTable()
