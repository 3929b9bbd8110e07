"""Users: classmethods and staticmethods over the users table."""
from pathlib import Path
from typing import Optional

from pydantic import BaseModel
from sqlalchemy import Column, String

from chatapp.config import UPLOAD_DIR
from chatapp.db import Base, get_db


class User(Base):
    __tablename__ = "user"

    id = Column(String, primary_key=True)
    email = Column(String, unique=True)
    name = Column(String)
    password = Column(String)


class UserModel(BaseModel):
    id: str
    email: str
    name: str


class Users:
    @classmethod
    def get_user_by_email(cls, email: str) -> Optional[UserModel]:
        with get_db() as db:
            user = db.query(User).filter_by(email=email).first()
            return UserModel.model_validate(user) if user else None

    @classmethod
    def insert_new_user(cls, email: str, password: str, name: str) -> UserModel:
        user = UserModel(id=email, email=email, name=name)
        cls._save(user, password)
        return user

    @classmethod
    def _save(cls, user: UserModel, password: str) -> None:
        with get_db() as db:
            db.add(User(password=password, **user.model_dump()))
            db.commit()

    @staticmethod
    def display_name(user: UserModel) -> str:
        return user.name.title()

    @staticmethod
    def read_avatar(user_id: str) -> bytes:
        return (Path(UPLOAD_DIR) / "avatars" / f"{user_id}.png").read_bytes()
