from .auth import get_password_hash, verify_password

__all__ = ["get_password_hash", "verify_password"]
