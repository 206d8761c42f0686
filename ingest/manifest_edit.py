"""Edit one file's entry in a corpus manifest (title, publisher, place, date, type, aliases).

The manifest is the corpus's record of provenance, often annotated by hand: an edit keeps the
other entries, their order and the comments (tomlkit), and replaces the file atomically (a
temporary file beside it, then ``os.replace``), so a crash leaves the old or the new manifest,
never half of one. A manifest that cannot be parsed is never overwritten: the error names the
file and line to fix.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from ingest.manifest import MANIFEST, ManifestError, toml_problem
from ingest.metadata import parse_date

#: The fields an edit may set, in the order they are written.
EDITABLE = ("title", "publisher", "place", "date", "type", "aliases")
#: Document types the interface names (``assistant.core.i18n.DOC_TYPES``).
DOC_TYPES = ("agreement", "letter", "report", "law", "other", "document")
_HEADER = (
    "# Provenance of the documents in this folder. One [[document]] per file.\n"
    "# Written by `jeugdakkoord docs set` and the Documents tab; edit by hand as you like.\n"
)
_MAX_CHARS = 300

Value = str | list[str] | None


def check_changes(changes: dict[str, Value]) -> dict[str, Value]:
    """The changes with dates in ISO form; :class:`ManifestError` says what is wrong.

    An empty value (``""``, ``[]``) removes the field, so the inferred value applies again.
    """
    out: dict[str, Value] = {}
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ManifestError(f"{name}: not a field that can be set ({', '.join(EDITABLE)})")
        if value is None:
            continue
        if isinstance(value, list):
            items = [" ".join(v.split()) for v in value if v.strip()]
            if any(len(v) > _MAX_CHARS for v in items):
                raise ManifestError(f"{name}: an alias is longer than {_MAX_CHARS} characters")
            out[name] = items
            continue
        text = " ".join(value.split())
        if len(text) > _MAX_CHARS:
            raise ManifestError(f"{name}: longer than {_MAX_CHARS} characters")
        if text and name == "date":
            iso = text if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text) else parse_date(text)
            if not iso:
                raise ManifestError(
                    f"date: '{text}' is not a date (write 2026-03-12, 2026-03 or 12 maart 2026)"
                )
            text = iso
        if text and name == "type" and text not in DOC_TYPES:
            raise ManifestError(f"type: '{text}' is not one of {', '.join(DOC_TYPES)}")
        out[name] = text
    return out


def manifest_for(path: Path, folder: Path) -> tuple[Path, str]:
    """The manifest an edit of ``path`` goes to, and the file's name in it: the nearest
    manifest from the file's folder up to the corpus ``folder``, else the corpus folder's."""
    for d in (path.parent, *path.parent.parents):
        if not d.is_relative_to(folder):
            break
        if (d / MANIFEST).is_file():
            return d / MANIFEST, path.relative_to(d).as_posix()
    return folder / MANIFEST, path.relative_to(folder).as_posix()


def _parse(manifest: Path) -> Any:
    if not manifest.exists():
        return tomlkit.parse(_HEADER)
    try:
        text = manifest.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{manifest}: not UTF-8 text (byte {exc.start}); not changed") from exc
    try:
        tomllib.loads(text)  # its errors name the line
        return tomlkit.parse(text)
    except (tomllib.TOMLDecodeError, TOMLKitError) as exc:
        raise ManifestError(f"{toml_problem(manifest, exc)}; not changed") from exc


def _entry(document: Any, name: str, path: Path) -> Any:
    """The [[document]] table of ``name`` (or of the bare file name), appended when absent."""
    tables = document.get("document")
    if tables is None:
        tables = tomlkit.aot()
        document.append("document", tables)
    elif not isinstance(tables, tomlkit.items.AoT):
        raise ManifestError(f"{MANIFEST}: 'document' must be [[document]] tables; not changed")
    for wanted in (name, path.name):  # as ``manifest.discover`` matches them
        for table in tables:
            if str(table.get("file", "")).strip() == wanted:
                return table
    table = tomlkit.table()
    table["file"] = name
    tables.append(table)
    return tables[-1]


def set_metadata(path: Path, folder: Path, changes: dict[str, Value]) -> Path:
    """Write ``changes`` to the manifest entry of ``path`` (a file in corpus ``folder``);
    returns the manifest written. Other entries and comments are kept."""
    checked = check_changes(changes)
    manifest, name = manifest_for(path, folder)
    document = _parse(manifest)
    table = _entry(document, name, path)
    for field in EDITABLE:
        if field not in checked:
            continue
        value = checked[field]
        if not value:
            if field in table:
                del table[field]
        else:
            table[field] = value
    write_atomically(manifest, tomlkit.dumps(document))
    return manifest


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` in one step (a hidden temporary file, fsync, rename)."""
    tomllib.loads(text)  # never write a manifest the ingest could not read
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
