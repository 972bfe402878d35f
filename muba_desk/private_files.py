"""Files that hold secrets in the clear or nearly so (a laptop's provisioning file with its private
keys, `decrypt`'s plain copy of a registry): readable by their owner only from the moment they
exist.

The mode is given to `os.open` when the file is created, never set with chmod afterwards: in
between, another account on the computer could open the file and keep reading it. On Windows
`os.open` honours only the read-only bit of the mode; there the file gets the folder's access
list (a user's own folders are private to that user by default), which is left as it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

OWNER_ONLY = 0o600


def create_private(path: str | os.PathLike) -> BinaryIO:
    """A new, empty file at `path` (an old one there is removed first), open for writing in
    binary, readable and writable by its owner only."""
    path = Path(path)
    path.unlink(missing_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags, OWNER_ONLY), "wb")
