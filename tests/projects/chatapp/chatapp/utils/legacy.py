"""Half-migrated module: does not parse (kept on purpose)."""
import time


def migrate_chat(chat_id: str) -> None
    time.sleep(5)
    return chat_id
