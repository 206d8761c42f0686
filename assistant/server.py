"""Starting the chat UI safely: loopback by default, a password before anything else.

Kept apart from ``app.py`` so the host check runs (and refuses) before Gradio is imported.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import sys
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from assistant.core.settings import Settings
from assistant.serve.redact import redact_output

EXIT_ERROR = 2
#: Room for the multipart framing around the files of an upload request.
MULTIPART_SLACK = 64 * 1024


class UnsafeLaunch(RuntimeError):
    """The UI would be reachable from the network without a password."""

    kind = "invalid"  # how the faces report it (core.errors.KINDS)
    code = "unsafe_launch"  # its message: ``assistant.core.errors.MESSAGES``


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def parse_auth(value: str) -> tuple[str, str] | None:
    """``user:password`` from ``JEUGDAKKOORD_AUTH`` (the password may contain ':'); the
    refusal says what is missing without repeating the value (it may be a password)."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep:
        missing = "has no ':' (a password alone)"
    elif not user.strip():
        missing = "has no user name before the ':'"
    elif not password:
        missing = "has no password after the ':'"
    else:
        return user.strip(), password
    raise UnsafeLaunch(
        f"JEUGDAKKOORD_AUTH {missing}: it must have the form user:password (for example "
        "onderhandelaar:<password>), because the login page and the API's HTTP Basic ask for "
        "a user name and a password; the password may contain ':'"
    )


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
    Assistant (one model and index handle in memory) and one set of answer slots.

    With a password, this server's own login (:mod:`assistant.serve.gate`) guards every
    route; Gradio checks the same session through its ``auth_dependency``."""
    options = mount_options(settings, host)
    credentials = options.pop("auth")
    options.pop("auth_message")
    from assistant.answering.answer import Assistant

    if assistant is None:
        assistant = Assistant(settings)
        # The models load while Gradio and the page are built: the first answer is sooner.
        assistant.retriever.load_models_in_background()
    import gradio as gr
    from fastapi import FastAPI
    from starlette.middleware.cors import CORSMiddleware
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from assistant.core.audit import AuditLog
    from assistant.serve.api import FEEDBACK_PER_MINUTE, create_api
    from assistant.serve.audit import AuditMiddleware
    from assistant.serve.gate import AuthGate, session_user
    from assistant.serve.guard import HttpGuard, UploadGuard, allowed_hosts
    from assistant.serve.limits import BodyLimit
    from assistant.serve.logins import FailedLogins, LoginThrottle
    from assistant.serve.origins import CrossSiteGuard, origins
    from assistant.serve.sessions import Sessions
    from assistant.serve.slots import AnswerSlots
    from assistant.serve.uploads import upload_folder
    from assistant.ui.app import build_app, css

    slots = slots or AnswerSlots(settings.workers)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    logins = LoginThrottle()  # the login form and HTTP Basic share the counts
    # One window of judgements per client for the page's buttons and the API together.
    flood = FailedLogins(limit=FEEDBACK_PER_MINUTE)
    app.mount("/api", create_api(assistant, slots, credentials, logins, flood))
    audit = AuditLog.from_settings(settings)  # the page's answers and every request
    demo = build_app(settings, assistant, slots, audit, flood)
    # Uploads left in Gradio's folder are swept out once they are upload_ttl_s old.
    demo.delete_cache = (max(1, min(600, settings.upload_ttl_s // 2)), settings.upload_ttl_s)
    sessions = Sessions(credentials) if credentials else None
    auth = {"auth_dependency": session_user(sessions)} if sessions else {}
    server = gr.mount_gradio_app(app, demo, path="/", css=css(), **options, **auth)
    # Gradio checks that received files lie in its upload folder only once ``launch()`` has
    # run, which a mounted app never calls: switch its own check on, and check before Gradio
    # reads a request (UploadGuard), which also refuses URLs Gradio would download.
    demo.has_launched = True
    _sweep_while_serving(server, upload_folder(), settings.upload_ttl_s)
    listed = origins(settings.origins)
    server.add_middleware(UploadGuard)
    if sessions is not None:
        server.add_middleware(AuthGate, sessions=sessions, throttle=logins)
    # A CORSMiddleware of the parent app also switches Gradio's own off (which answers any
    # localhost origin, on any port, with credentials): only listed origins get CORS.
    server.add_middleware(
        CORSMiddleware,
        allow_origins=sorted(listed),
        allow_credentials=bool(listed),
        allow_methods=["*"],
        allow_headers=["*"],
    )
    server.add_middleware(CrossSiteGuard, allowed=listed)
    server.add_middleware(
        BodyLimit,
        json_bytes=settings.max_json_kb * 1024,
        upload_bytes=settings.max_upload_mb * 1024 * 1024 + MULTIPART_SLACK,
    )
    server.add_middleware(HttpGuard, allowed=allowed_hosts(host, settings.allowed_hosts))
    server.add_middleware(AuditMiddleware, log=audit)  # refused requests get their line too
    # Outermost: the client address every limit counts by is the one a listed proxy names
    # (uvicorn's own proxy handling is off, see ``serve``), else the connection's.
    server.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    return server


def _sweep_while_serving(server: Any, folder: Path, ttl_s: int) -> None:
    """Run :func:`assistant.serve.sweep.keep_sweeping` on ``folder`` for the app's lifetime."""
    from assistant.serve.sweep import keep_sweeping

    serving = server.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        task = asyncio.create_task(keep_sweeping(folder, ttl_s))
        try:
            async with serving(app) as state:
                yield state
        finally:
            task.cancel()

    server.router.lifespan_context = lifespan


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


def _quiet_fastapi() -> None:
    """Ignore pydantic's ``UnsupportedFieldAttributeWarning`` for the whole process, before
    any thread starts.

    FastAPI silences it for its own parameter adapters inside ``warnings.catch_warnings()``,
    which is not thread-safe: while the models load in the background, another thread's
    ``catch_warnings`` can restore the filters in between, and the spurious warning reached
    the server's output (once in a fresh-clone test run). A filter set first is in every copy
    a thread saves and restores.
    """
    from pydantic.warnings import UnsupportedFieldAttributeWarning

    warnings.filterwarnings("ignore", category=UnsupportedFieldAttributeWarning)


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
    _quiet_fastapi()
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
