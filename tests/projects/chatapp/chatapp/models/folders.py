"""Folders nest: exporting a folder exports the subfolders marked for export."""
import json

from chatapp.config import UPLOAD_DIR

FOLDERS: dict = {}


def export_folder(folder_id: str) -> str:
    children = child_ids(folder_id)
    path = f"{UPLOAD_DIR}/{folder_id}.json"
    write_manifest(path, children)
    return path


def child_ids(folder_id: str) -> list:
    ids = []
    for child in FOLDERS.get(folder_id, []):
        if child.get("export"):
            export_folder(child["id"])
        ids.append(child["id"])
    return ids


def write_manifest(path: str, children: list) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(children, fh)
