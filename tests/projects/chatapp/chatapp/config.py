"""Settings read once at import time."""
import os

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./chat.db")
UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "./uploads")
JWT_SECRET = os.environ.get("JWT_SECRET", "change-me")
PASSWORD_SALT = b"chatapp-static-salt"
