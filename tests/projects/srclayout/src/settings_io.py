"""A plain module at the top of src/ (no package): found because src/ is app's root."""
import json


def load_settings(path: str = "settings.json") -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
