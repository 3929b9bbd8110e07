"""The project around a checked file: its files (layout), its modules modelled on demand
(index), and the per-process session that holds them."""
from .index import Project
from .layout import (ABSENT, PROJECT_FILES, application_files_digest, file_digest,
                     known_resolved_name, long_lived_objects, read_bytes, resolved_name,
                     resolved_path)
from .session import SESSION, Session

__all__ = ["ABSENT", "PROJECT_FILES", "Project", "SESSION", "Session",
           "application_files_digest", "file_digest", "known_resolved_name",
           "long_lived_objects", "read_bytes", "resolved_name", "resolved_path"]
