"""Shared library code, outside every checked file's own root."""
import bcrypt


def hash_pw(password: str) -> bytes:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12))


def is_strong(password: str) -> bool:
    return len(password) >= 12
