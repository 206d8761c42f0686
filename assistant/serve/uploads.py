"""Files a browser uploaded: only what Gradio's upload route stored is accepted.

An event of the chat page carries ``FileData`` objects whose ``path`` the client chooses.
Gradio normally refuses paths outside its upload folder, but that check is skipped when the
app is mounted with ``gr.mount_gradio_app`` (as :mod:`assistant.server` does), and Gradio
then copies *any* server file it is pointed at into its cache before the handler runs.

:func:`uploaded_file` is the one check, used by every place that accepts uploaded files: the
server's :class:`~assistant.serve.guard.UploadGuard` applies it to every request to the
Gradio app before Gradio reads it, and the Documents tab's upload handler applies it again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from assistant.core.errors import CodedError


class NotUploaded(CodedError, ValueError):
    """A path that Gradio's upload route did not store (or that is not a regular file)."""

    kind = "forbidden"  # how the faces report it (core.errors.KINDS)
    code = "not_uploaded"


def upload_folder() -> Path:
    """Gradio's upload folder (``GRADIO_TEMP_DIR``, else ``<tmp>/gradio``), symlinks resolved."""
    from gradio.utils import get_upload_folder

    return Path(os.path.realpath(get_upload_folder()))


def uploaded_file(path: str | os.PathLike[str]) -> Path:
    """The real path of an uploaded file; raises :class:`NotUploaded` unless ``path``, with
    every symlink followed, is a regular file inside Gradio's upload folder."""
    text = os.fspath(path)
    if not text or "\x00" in text or "://" in text:
        raise NotUploaded(name=repr(text[:200]))
    real = Path(os.path.realpath(text))
    if not real.is_relative_to(upload_folder()) or not real.is_file():
        raise NotUploaded(name=repr(text[:200]))
    return real


def forged_paths(data: Any) -> list[str]:
    """The ``path`` of every file object in a request's JSON that is not an uploaded file."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            path = item.get("path")
            if isinstance(path, str):
                try:
                    uploaded_file(path)
                except NotUploaded:
                    found.append(path)
            stack.extend(item.values())
    return found
