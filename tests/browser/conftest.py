"""Every browser test fails when a server it used printed a Python warning: Gradio warns
about mis-wired events (an answer's update with one value too many printed the whole
conversation), and a warning is a bug here, not noise."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.servers import SERVER_LOGS

#: A Python warning as ``warnings`` prints it: ``file.py:12: UserWarning ...``.
WARNING = re.compile(r"^\S.*:\d+: [A-Z]\w*Warning\b")


def new_warnings() -> list[str]:
    """The warning lines the servers printed since the last check (every check moves on)."""
    found = []
    for path, checked in list(SERVER_LOGS.items()):
        data = path.read_bytes() if path.exists() else b""
        SERVER_LOGS[path] = len(data)
        text = data[checked:].decode("utf-8", errors="replace")
        found += [f"{path.name}: {line}" for line in text.splitlines() if WARNING.match(line)]
    return found


@pytest.fixture(autouse=True)
def no_server_warnings() -> Iterator[None]:
    yield
    warned = new_warnings()
    if warned:
        pytest.fail("the server printed warnings:\n" + "\n".join(warned[:20]), pytrace=False)
