from .chats import Chats, ChatModel, ChatsTable
from .users import UserModel, Users

__all__ = ["ChatModel", "Chats", "ChatsTable", "UserModel", "Users"]
