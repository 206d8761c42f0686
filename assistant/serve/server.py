"""Starting the chat UI safely: loopback by default, a password before anything else.

Kept apart from ``app.py`` so the host check runs (and refuses) before Gradio is imported.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any

from assistant.core.settings import Settings
from assistant.serve.redact import redact_output

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


def mount_options(settings: Settings, host: str) -> dict[str, Any]:
    """Keyword arguments for ``gr.mount_gradio_app``; refuses a network address without a
    password.

    No API page, monitoring endpoint, MCP server or run history in the browser (negotiators'
    questions are confidential), no public share link, uploads capped in size.
    """
    auth = parse_auth(settings.auth)
    if not is_loopback(host) and auth is None:
        raise UnsafeLaunch(
            f"refusing to listen on {host}: the chat UI would be reachable from the network "
            "without a password. Set JEUGDAKKOORD_AUTH=user:password, or use "
            "--host 127.0.0.1 (the default)."
        )
    return {
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
    }


def build_server(settings: Settings, host: str, assistant: Any = None, slots: Any = None) -> Any:
    """One ASGI app: the JSON API under ``/api`` and the chat page at ``/``, sharing one
    Assistant (one model and index handle in memory) and one set of answer slots."""
    options = mount_options(settings, host)
    from assistant.answering.answer import Assistant

    if assistant is None:
        assistant = Assistant(settings)
        # The models load while Gradio and the page are built: the first answer is sooner.
        assistant.retriever.load_models_in_background()
    import gradio as gr
    from fastapi import FastAPI
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from assistant.answering.slots import AnswerSlots
    from assistant.core.audit import AuditLog
    from assistant.serve.api import create_api
    from assistant.serve.audit import AuditMiddleware
    from assistant.serve.guard import HttpGuard, UploadGuard, allowed_hosts
    from assistant.serve.logins import FailedLogins, LoginLimit
    from assistant.ui.app import build_app, css

    slots = slots or AnswerSlots(settings.workers)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    logins = FailedLogins()  # the login form and HTTP Basic share one count per client
    app.mount("/api", create_api(assistant, slots, options["auth"], logins))
    audit = AuditLog.from_settings(settings)  # the page's answers and every request
    demo = build_app(settings, assistant, slots, audit)
    server = gr.mount_gradio_app(app, demo, path="/", css=css(), **options)
    # Gradio checks that received files lie in its upload folder only once ``launch()`` has
    # run, which a mounted app never calls: switch its own check on, and check before Gradio
    # reads a request (UploadGuard), which also refuses URLs Gradio would download.
    demo.has_launched = True
    server.add_middleware(UploadGuard)
    server.add_middleware(LoginLimit, logins=logins)
    server.add_middleware(HttpGuard, allowed=allowed_hosts(host, settings.allowed_hosts))
    server.add_middleware(AuditMiddleware, log=audit)  # refused requests get their line too
    # Outermost: the client address every limit counts by is the one a listed proxy names
    # (uvicorn's own proxy handling is off, see ``serve``), else the connection's.
    server.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    return server


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a taken port is a clear error, not a log line."""
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bare, port))
    except OSError:
        sock.close()
        raise
    return sock


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> int:
    """Run the chat UI and API until interrupted; exit code 2 when it may not or cannot start."""
    host, port = host or settings.host, port or settings.port
    where = f"{host}:{port}"
    try:
        mount_options(settings, host)  # refuse before loading anything
        sock = _bind(host, port)
    except UnsafeLaunch as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # the port is taken, or the address is not ours
        print(f"error: cannot start the chat UI on {where}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    redact_output(settings.log_content)
    import uvicorn

    app = build_server(settings, host)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level="warning",
            timeout_graceful_shutdown=5,
            access_log=False,
            proxy_headers=False,  # it trusts 127.0.0.1 by default; build_server decides
        )
    )
    print(
        f"jeugdakkoord chat: http://{where}/ (API: http://{where}/api/; port: --port or "
        "JEUGDAKKOORD_PORT; Ctrl+C stops it)"
    )
    sys.stdout.flush()
    server.run(sockets=[sock])
    return 0
