"""What ``make bench`` and ``make bench-scale`` share: sizes, the configuration a report
records, and the table-and-JSON report itself."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any


def dir_size(path: Path) -> int:
    """Bytes under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def configuration(settings: Any) -> dict[str, str]:
    """What the latencies depend on beyond the index: recorded so a report says what it timed."""
    return {"ensemble": settings.ensemble, "reranker": settings.reranker}


def report(
    result: dict[str, Any], targets: dict[str, float], out: Path, skip: Collection[str] = ()
) -> None:
    """Print the table (each metric against its target, if it has one) and write the JSON."""
    width = max(len(key) for key in result) + 2
    print(f"{'metric':<{width}} {'value':>12} {'target':>10}")
    for key, value in result.items():
        if key in skip:
            continue
        target = targets.get(key)
        flag = "" if target is None else ("ok" if float(value) <= target else "MISSED")
        print(f"{key:<{width}} {value!s:>12} {'' if target is None else target:>10} {flag}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written to {out}")
