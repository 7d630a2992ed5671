"""One request as the views see it: the user, a database connection, the form, rendering helpers.

Every page goes through `page(...)`: no session, or a session of an older generation (logout,
password reset, account disabled) → redirect to /login; wrong role → 403; a POST without the
session's CSRF token → 403. The view itself runs in a worker thread with its own
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
from ipwatch.web.labels import console_wording

ALL = ("analyst", "approver", "admin")
ANALYSTS = ("analyst", "admin")
APPROVERS = ("approver",)
ADMINS = ("admin",)
BEIJING = ZoneInfo("Asia/Shanghai")
MAX_PAGE = 1_000_000  # far past any list; keeps the offset a small SQLite integer
# Each status's title, Chinese first and the English beside (error.html).
STATUS_TITLES = {
    400: ("请求有误", "Bad Request"),
    403: ("无权访问", "Forbidden"),
    404: ("未找到", "Not Found"),
    405: ("不支持此操作方式", "Method Not Allowed"),
    413: ("提交内容过大", "Payload Too Large"),
    429: ("请求过于频繁", "Too Many Requests"),
    500: ("服务器内部错误", "Internal Server Error"),
}


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


def csrf_ok(request: Request, sent: str) -> bool:
    """Whether a submitted CSRF value is the session's token (any text, never an error)."""
    # compare_digest refuses non-ASCII str with TypeError; bytes compare whatever was sent.
    return bool(sent) and secrets.compare_digest(
        sent.encode("utf-8", "replace"), csrf_token(request).encode("utf-8")
    )


CSRF_REFUSED = "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。"


def clip(text: str, limit: int = 60) -> str:
    """User text as echoed in a message: one line, at most `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
        # The session is a signed cookie: a long message could push it past 4 KB and be lost.
        text = clip(console_wording(message), 200)
        self.request.session.setdefault("flash", []).append([kind, text])

    def page_number(self) -> int | None:
        """The `page` parameter (1 when absent), or None when it is not a page number."""
        raw = self.get("page", "1") or "1"
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            return None
        return int(raw)

    def bad_page(self) -> HTMLResponse:
        """The refusal of a `page` parameter that is not a page number."""
        message = f"页码“{clip(self.get('page'), 30)}”无效：须为 1 至 {MAX_PAGE} 的整数。"
        return refuse(self.env, self.request, 400, message)

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
    """A plain error page (any status) that needs no database."""
    title, title_en = STATUS_TITLES.get(status, ("出错了", "Error"))
    html = env.get_template("error.html").render(
        status=status, title=title, title_en=title_en, message=message
    )
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
                if not csrf_ok(request, form.get("csrf", [""])[0]):
                    return refuse(env, request, 403, CSRF_REFUSED)

            def run() -> Response:
                db = connect(cfg)
                try:
                    user = get_user(db, str(name))  # None when disabled
                    if user is None or request.session.get("epoch") != user.epoch:
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
