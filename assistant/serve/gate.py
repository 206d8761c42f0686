"""The password in front of the whole chat server (``JEUGDAKKOORD_AUTH``).

Without a session, every route answers 401, except the login page (``GET /``) and its form
(``POST /login``); the API (``/api``) takes HTTP Basic, which it checks itself. The login page
is this server's own, not Gradio's: its form carries a signed token (CSRF) that only a page
served here can read, it shows why a login was refused, and it does not embed the app's API
description for anyone who asks. The session cookie is ``HttpOnly`` and ``SameSite=Lax``;
logging out takes a ``POST``.
"""

from __future__ import annotations

import html
import json
from urllib.parse import parse_qs

from assistant.core.errors import message as error_message
from assistant.serve.asgi import (
    ASGIApp,
    Receive,
    Scope,
    Send,
    client_of,
    header,
    read_body,
    reply,
)
from assistant.serve.logins import LoginThrottle
from assistant.serve.sessions import DEVICE_TTL_S, SESSION_TTL_S, Sessions

#: The largest login form read (a user name and password, not a document).
MAX_FORM_BYTES = 16 * 1024

TEXTS = {
    "nl": {
        "title": "Jeugdakkoord — inloggen",
        "user": "Gebruikersnaam",
        "password": "Wachtwoord",
        "login": "Inloggen",
        "wrong": "Onjuiste gebruikersnaam of wachtwoord.",
        "stale": "Deze inlogpagina is verlopen of komt niet van deze server; laad de pagina "
        "opnieuw.",
        "form": "Stuur username, password en csrf_token als formulier "
        "(application/x-www-form-urlencoded).",
        "too_many": "Te veel mislukte inlogpogingen; probeer het over {s} s opnieuw.",
        "login_first": "Log eerst in: open de chatpagina.",
        "post_only": "Alleen met POST.",
    },
    "en": {
        "title": "Jeugdakkoord — log in",
        "user": "User name",
        "password": "Password",
        "login": "Log in",
        "wrong": "Wrong user name or password.",
        "stale": "This login page has expired or did not come from this server; reload the page.",
        "form": "Send username, password and csrf_token as a form "
        "(application/x-www-form-urlencoded).",
        "too_many": "too many failed logins; try again in {s} s",
        "login_first": "log in first: open the chat page",
        "post_only": "POST only.",
    },
}

LOGIN_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f6f7f9; margin: 0; }}
form {{ max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem;
  border-radius: 8px; box-shadow: 0 1px 4px #0002; display: grid; gap: .75rem; }}
input, button {{ font: inherit; padding: .5rem; }}
button {{ background: #e8590c; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }}
#ja-login-error {{ color: #b42318; min-height: 1.2em; margin: 0; }}
</style></head>
<body><form id="ja-login" method="post" action="login">
<h1>Jeugdakkoord</h1>
<label>{user} <input name="username" autocomplete="username" required></label>
<label>{password} <input name="password" type="password" autocomplete="current-password"
 required></label>
<input type="hidden" name="csrf_token" value="{token}">
<button type="submit">{login}</button>
<p id="ja-login-error" role="alert"></p>
</form>
<script>
document.getElementById("ja-login").addEventListener("submit", async (event) => {{
  event.preventDefault();
  const error = document.getElementById("ja-login-error");
  const response = await fetch("login", {{
    method: "POST", body: new URLSearchParams(new FormData(event.target)),
  }});
  if (response.ok) {{ location.reload(); return; }}
  let text = "";
  try {{ text = (await response.json()).error; }} catch (e) {{}}
  error.textContent = text || ("HTTP " + response.status);
}});
</script></body></html>
"""


def language(scope: Scope) -> str:
    """English when the browser prefers it, else Dutch (the product's default)."""
    accepted = header(scope, b"accept-language").strip().lower()
    return "en" if accepted.startswith("en") else "nl"


def cookies(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in header(scope, b"cookie").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name not in found:
            found[name] = value.strip().strip('"')
    return found


def set_cookie(scope: Scope, name: str, value: str, max_age: int, same_site: str = "Lax") -> str:
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    return f"{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"


async def respond(
    send: Send, status: int, body: bytes, content_type: str, headers: list[tuple[str, str]]
) -> None:
    raw = [(b"content-type", content_type.encode()), (b"content-length", b"%d" % len(body))]
    raw += [(b"cache-control", b"no-store")]
    raw += [(k.encode(), v.encode()) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class AuthGate:
    """ASGI middleware: the login page, the login and logout forms, and 401 for everything
    else without a session (the API: without HTTP Basic credentials)."""

    def __init__(self, app: ASGIApp, sessions: Sessions, throttle: LoginThrottle) -> None:
        self.app = app
        self.sessions = sessions
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", "")).rstrip("/") or "/"
        method = scope.get("method", "GET")
        lang = language(scope)
        if path in ("/login", "/logout") and scope["type"] == "http":
            if method != "POST":
                await reply(send, 405, TEXTS[lang]["post_only"], {"Allow": "POST"})
            elif path == "/login":
                await self.login(scope, receive, send, lang)
            else:
                await self.logout(scope, send)
            return
        if path == "/api" or path.startswith("/api/"):
            if header(scope, b"authorization"):
                await self.app(scope, receive, send)  # the API checks them (and counts)
                return
            basic = {"WWW-Authenticate": 'Basic realm="jeugdakkoord"'}
            await reply(send, 401, error_message("auth_required"), basic)  # as the API says
            return
        if self.sessions.user(cookies(scope).get(self.sessions.session_cookie)):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        elif path == "/" and method in ("GET", "HEAD"):
            await self.login_page(send, lang)
        else:
            await reply(send, 401, TEXTS[lang]["login_first"])

    async def login_page(self, send: Send, lang: str) -> None:
        words = {k: html.escape(v) for k, v in TEXTS[lang].items()}
        page = LOGIN_PAGE.format(lang=lang, token=self.sessions.csrf_token(), **words)
        await respond(send, 200, page.encode(), "text/html; charset=utf-8", [])

    async def login(self, scope: Scope, receive: Receive, send: Send, lang: str) -> None:
        texts = TEXTS[lang]
        body = await read_body(receive, MAX_FORM_BYTES)
        form_type = header(scope, b"content-type").split(";")[0].strip().lower()
        if body is None or form_type != "application/x-www-form-urlencoded":
            await reply(send, 400, texts["form"])
            return
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if not self.sessions.csrf_ok(form.get("csrf_token", "")):
            await reply(send, 403, texts["stale"])  # not counted: no page of ours sent it
            return
        user, password = form.get("username", "").strip(), form.get("password", "")
        client = client_of(scope)
        device = self.sessions.device(cookies(scope).get(self.sessions.device_cookie), user)
        if wait := self.throttle.retry_after(client, user, device):
            message = texts["too_many"].format(s=wait)
            await reply(send, 429, message, {"Retry-After": str(wait)})
            return
        if not self.sessions.password_ok(user, password):
            self.throttle.failed(client, user, device)
            await reply(send, 400, texts["wrong"])
            return
        self.throttle.succeeded(client, user, device)
        token = self.sessions.open(user)
        headers = [
            ("set-cookie", set_cookie(scope, self.sessions.session_cookie, token, SESSION_TTL_S)),
            (
                "set-cookie",
                set_cookie(
                    scope,
                    self.sessions.device_cookie,
                    self.sessions.device_token(user),
                    DEVICE_TTL_S,
                    "Strict",
                ),
            ),
        ]
        body = json.dumps({"success": True}).encode()
        await respond(send, 200, body, "application/json", headers)

    async def logout(self, scope: Scope, send: Send) -> None:
        self.sessions.close(cookies(scope).get(self.sessions.session_cookie))
        gone = set_cookie(scope, self.sessions.session_cookie, "", 0)
        await respond(send, 303, b"", "text/plain", [("location", "./"), ("set-cookie", gone)])


def session_user(sessions: Sessions) -> object:
    """Gradio's ``auth_dependency``: the user of the request's session (its own routes check
    it too, behind :class:`AuthGate`)."""

    def user(request: object) -> str | None:
        found = getattr(request, "cookies", {}).get(sessions.session_cookie)
        return sessions.user(found)

    return user
