"""The shipped relevance weights: where they are, and whether they can be used here.

``weights/`` holds ``relevance.safetensors`` (the trained layers and head, fp16) and
``manifest.json`` (its sha256, the e5-small file it was trained on, the calibration and
threshold, the data recipe, seed and dev figures). Anything wrong (no torch, a missing or
corrupted file, another base model) gives a :class:`Status` whose one-line message names the
file, the expected hash and ``make train-relevance``; the caller then keeps to the rules and
shows the message as a notice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
MANIFEST = "manifest.json"
WEIGHTS = "relevance.safetensors"
REBUILD = "run `make train-relevance`; falling back to the rules"
#: What the model needs at run time beyond the core install.
REQUIRES = ("torch", "transformers", "safetensors")


@dataclass(frozen=True)
class Status:
    """Whether the relevance model can be used; ``message`` is one line for notices."""

    ok: bool
    message: str


def sha256(path: Path) -> str:
    from assistant.providers.embeddings.e5_convert import sha256_file

    return sha256_file(path)


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a weights folder (raises OSError/ValueError when unreadable)."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("sha256"), str):
        raise ValueError("no sha256 in the manifest")
    return manifest


def check(folder: Path = WEIGHTS_DIR) -> tuple[dict[str, Any] | None, Status]:
    """The manifest and the verdict, without loading torch: packages, manifest, file, hash."""
    absent = [m for m in REQUIRES if find_spec(m) is None]
    if absent:
        return None, Status(
            False,
            f"the relevance model needs {', '.join(absent)} (pip install 'jeugdakkoord[st]'); "
            "falling back to the rules",
        )
    try:
        manifest = read_manifest(folder)
    except (OSError, ValueError) as exc:
        reason = "is missing" if isinstance(exc, FileNotFoundError) else f"is unreadable ({exc})"
        return None, Status(
            False, f"relevance model manifest {folder / MANIFEST} {reason}; {REBUILD}"
        )
    expected = manifest["sha256"]
    weights = folder / manifest.get("file", WEIGHTS)
    if not weights.is_file():
        return manifest, Status(
            False,
            f"relevance model file {weights} is missing (expected sha256 {expected}); {REBUILD}",
        )
    actual = sha256(weights)
    if actual != expected:
        return manifest, Status(
            False,
            f"relevance model file {weights} is corrupted (sha256 {actual[:12]}…, expected "
            f"{expected}); {REBUILD}",
        )
    figures = manifest.get("figures", {})
    auc = f", dev AUC {figures['dev_auc']:.3f}" if "dev_auc" in figures else ""
    return manifest, Status(
        True, f"relevance model {weights.name}: {manifest.get('layers', '?')} layers{auc}"
    )
