"""Replace a file so that readers see the old content or the new, never half of one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Optional, Union


def write_atomically(path: Path, data: Union[bytes, Callable[[BinaryIO], None]],
                     mode: Optional[int] = None) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`; `data`
    may be a function that writes to the (seekable) stream, so that large content need
    not be held whole in memory."""
    handle, temporary = tempfile.mkstemp(dir=str(path.parent), prefix=".asr-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
