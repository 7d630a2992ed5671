"""One request as the views see it: the user, a database connection, the form, rendering helpers.

Every page goes through `page(...)`: no session → redirect to /login; wrong role → 403; a POST
without the session's CSRF token → 403. The view itself runs in a worker thread with its own
SQLite connection, so a slow page never blocks the event loop.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment
from sqlite_utils import Database
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from core.config import Config
from core.users import User, get_user

ALL = ("analyst", "approver", "admin")
ANALYSTS = ("analyst", "admin")
APPROVERS = ("approver",)
ADMINS = ("admin",)
BEIJING = ZoneInfo("Asia/Shanghai")


def connect(cfg: Config) -> Database:
    """A connection for one request (the schema was migrated when the app started)."""
    conn = sqlite3.connect(str(cfg.path(cfg.database)), timeout=30, check_same_thread=False)
    db = Database(conn)
    db.execute("PRAGMA busy_timeout = 30000")
    return db


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def beijing(value: str | None) -> str:
    """An ISO timestamp shown in Beijing time (YYYY-MM-DD HH:MM), or "—"."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def recipients(value: str | None) -> str:
    """Stored recipients JSON ({to, cc, bcc}) as one readable line (bcc left out)."""
    try:
        data = json.loads(value or "{}")
        return ", ".join([*data.get("to", []), *data.get("cc", [])])
    except (json.JSONDecodeError, AttributeError, TypeError):
        return value or ""


@dataclass
class Ctx:
    """What a view gets: config, user, database, the submitted form and the page renderer."""

    request: Request
    cfg: Config
    env: Environment
    db: Database
    user: User
    form: dict[str, list[str]] = field(default_factory=dict)
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field: (name, bytes)
    flashes: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        """A form value (POST) or query parameter (GET), stripped."""
        if name in self.form:
            return self.form[name][0].strip()
        return str(self.request.query_params.get(name, default)).strip()

    def raw(self, name: str) -> str:
        """A submitted form value exactly as sent (file contents, CSV text)."""
        return self.form[name][0] if name in self.form else ""

    def getlist(self, name: str) -> list[str]:
        """Every value of a repeated form field."""
        return [v for v in self.form.get(name, []) if v]

    def flash(self, kind: str, message: str) -> None:
        """A message shown on the next page (kind: ok | error)."""
        self.request.session.setdefault("flash", []).append([kind, message])

    def render(self, template: str, http_status: int = 200, **values: Any) -> HTMLResponse:
        """Render a page with the layout's values (user, CSRF token, messages)."""
        flashes = self.request.session.pop("flash", [])
        html = self.env.get_template(template).render(
            user=self.user,
            csrf=csrf_token(self.request),
            flashes=flashes,
            path=self.request.url.path,
            **values,
        )
        return HTMLResponse(html, status_code=http_status)

    def redirect(self, url: str) -> RedirectResponse:
        """See-other redirect after a POST."""
        return RedirectResponse(url, status_code=303)


View = Callable[[Ctx], Response]


def refuse(env: Environment, request: Request, status: int, message: str) -> HTMLResponse:
    """A plain error page (403, 404) that needs no database."""
    html = env.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(html, status_code=status)


def page(
    roles: tuple[str, ...] = ALL,
) -> Callable[[View], Callable[[Request], Awaitable[Response]]]:
    """Wrap a view: session required, role checked, CSRF checked on POST, run in a thread."""

    def wrap(view: View) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            cfg: Config = request.app.state.cfg
            env: Environment = request.app.state.env
            name = request.session.get("user")
            if not name:
                return RedirectResponse("/login", status_code=303)
            form: dict[str, list[str]] = {}
            uploads: dict[str, tuple[str, bytes]] = {}
            if request.method == "POST":
                data = await request.form()
                for key in data.keys():
                    for value in data.getlist(key):
                        if not isinstance(value, str):  # an uploaded file: kept as bytes
                            uploads[key] = (value.filename or "", await value.read())
                        else:
                            form.setdefault(key, []).append(value)
                sent = form.get("csrf", [""])[0]
                if not sent or not secrets.compare_digest(sent, csrf_token(request)):
                    return refuse(
                        env,
                        request,
                        403,
                        "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。",
                    )

            def run() -> Response:
                db = connect(cfg)
                try:
                    user = get_user(db, str(name))
                    if user is None:
                        request.session.clear()
                        return RedirectResponse("/login", status_code=303)
                    if user.role not in roles:
                        return refuse(
                            env, request, 403, f"您的角色（{user.role_zh}）无权进行此操作。"
                        )
                    return view(Ctx(request, cfg, env, db, user, form, uploads))
                finally:
                    db.close()

            return await run_in_threadpool(run)

        endpoint.__name__ = view.__name__
        endpoint.__doc__ = view.__doc__
        return endpoint

    return wrap
