"""Which files count as uploaded: only what Gradio's upload route stored.

An event of the chat page carries ``FileData`` objects whose ``path`` the client chooses, so
a path is trusted only when it resolves (symlinks followed) inside Gradio's upload folder.
:func:`uploaded_file` is the one check for every place that accepts uploaded files: the
server's guard (:mod:`assistant.serve.uploads`) and the Documents tab's upload handler.
"""

from __future__ import annotations

import os
from pathlib import Path


class NotUploaded(ValueError):
    """A path that Gradio's upload route did not store (or that is not a regular file)."""


def upload_folder() -> Path:
    """Gradio's upload folder (``GRADIO_TEMP_DIR``, else ``<tmp>/gradio``), symlinks resolved."""
    from gradio.utils import get_upload_folder

    return Path(os.path.realpath(get_upload_folder()))


def uploaded_file(path: str | os.PathLike[str]) -> Path:
    """The real path of an uploaded file; raises :class:`NotUploaded` unless ``path``, with
    every symlink followed, is a regular file inside Gradio's upload folder."""
    text = os.fspath(path)
    if not text or "\x00" in text or "://" in text:
        raise NotUploaded(f"not an uploaded file: {text[:200]!r}")
    real = Path(os.path.realpath(text))
    if not real.is_relative_to(upload_folder()) or not real.is_file():
        raise NotUploaded(f"not an uploaded file: {text[:200]!r}")
    return real
