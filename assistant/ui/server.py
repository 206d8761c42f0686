"""Starting the chat UI safely: loopback by default, a password before anything else.

Kept apart from ``app.py`` so the host check runs (and refuses) before Gradio is imported.
"""

from __future__ import annotations

import ipaddress
import sys
from typing import Any

from assistant.settings import Settings

EXIT_ERROR = 2


class UnsafeLaunch(RuntimeError):
    """The UI would be reachable from the network without a password."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str) -> tuple[str, str] | None:
    """``user:password`` from ``JEUGDAKKOORD_AUTH`` (the password may contain ':')."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise UnsafeLaunch("JEUGDAKKOORD_AUTH must have the form user:password")
    return user.strip(), password


def launch_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch``; refuses a network address without a password.

    Never a public share link; no API page, monitoring endpoint, MCP server or run history
    in the browser (negotiators' questions are confidential); uploads capped in size.
    """
    auth = parse_auth(settings.auth)
    if not is_loopback(host) and auth is None:
        raise UnsafeLaunch(
            f"refusing to listen on {host}: the chat UI would be reachable from the network "
            "without a password. Set JEUGDAKKOORD_AUTH=user:password, or use "
            "--host 127.0.0.1 (the default)."
        )
    return {
        "server_name": host,
        "server_port": port,
        "share": False,
        "auth": auth,
        "auth_message": "Jeugdakkoord" if auth else None,
        "max_file_size": f"{settings.max_upload_mb}mb",
        "footer_links": [],
        "mcp_server": False,
        "enable_monitoring": False,
        "run_history": False,
        "ssr_mode": False,
        "pwa": False,
        "show_error": False,
        "inbrowser": False,
        "quiet": True,  # Gradio's banner would suggest share=True
    }


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    """Run the chat UI until interrupted; exit code 2 when it may not or cannot start."""
    try:
        options = launch_options(settings, host or settings.host, port or settings.port)
    except UnsafeLaunch as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    from assistant.ui.app import build_app, css

    demo = build_app(settings)
    where = f"{options['server_name']}:{options['server_port']}"
    try:
        demo.launch(**options, css=css(), prevent_thread_lock=True)
    except OSError as exc:  # the port is taken, or the address is not ours
        print(f"error: cannot start the chat UI on {where}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    print(f"jeugdakkoord chat: http://{where}/ (Ctrl+C stops it)", flush=True)
    demo.block_thread()
    return 0
