"""The analysts' console: a Starlette app over the same stage and store functions as the CLI."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Config
from core.store import open_db
from core.users import check_password, recent_failures, record_attempt
from ipwatch.web import context
from ipwatch.web.context import beijing, csrf_token, recipients, refuse
from ipwatch.web.views import cases, dashboard, notices, ops, registry, review, settings

STATIC = Path(__file__).parent / "static"
SESSION_HOURS = 10
# Pages are the bureau's own: scripts only from /static, nothing may frame them.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; "
     b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; "
     b"form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]  # fmt: skip


class SecurityHeaders:
    """Add the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def make_env() -> Environment:
    """The console's Jinja2 environment: autoescaped HTML, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("ipwatch.web"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["bj"] = beijing
    env.filters["rcpt"] = recipients
    return env


def session_secret(cfg: Config) -> str:
    """The cookie-signing secret: from the configured env var, else a private key file."""
    value = os.environ.get(cfg.web.session_secret_env, "")
    if value:
        return value
    key = cfg.path(cfg.database).parent / "console-session.key"
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return key.read_text().strip()


async def login(request: Request) -> Response:
    """GET: the login form; POST: check name and password (throttled), start a session."""
    env, cfg = request.app.state.env, request.app.state.cfg
    error = ""
    if request.method == "POST":
        data = await request.form()
        sent = str(data.get("csrf", ""))
        if not sent or not secrets.compare_digest(sent, csrf_token(request)):
            return refuse(
                env, request, 403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。"
            )
        name, password = str(data.get("name", "")).strip(), str(data.get("password", ""))
        address = request.client.host if request.client else ""

        def attempt() -> str:
            db = context.connect(cfg)
            try:
                window = cfg.web.login_window_minutes
                if recent_failures(db, name, address, window) >= cfg.web.login_attempts:
                    return f"登录失败次数过多，请 {window} 分钟后再试。"
                user = check_password(db, name, password)
                record_attempt(db, name, address, user is not None)
                return "" if user else "用户名或密码错误。"
            finally:
                db.close()

        error = await run_in_threadpool(attempt)
        if not error:
            request.session.clear()
            request.session["user"] = name
            request.session["csrf"] = secrets.token_urlsafe(32)
            return RedirectResponse("/", status_code=303)
    html = env.get_template("login.html").render(csrf=csrf_token(request), error=error)
    return HTMLResponse(html, status_code=429 if "过多" in error else 200)


@context.page()
def logout(ctx: context.Ctx) -> Response:
    """End the session."""
    ctx.request.session.clear()
    return ctx.redirect("/login")


def create_app(cfg: Config) -> Starlette:
    """Build the console for one configuration (the database is migrated once here)."""
    open_db(cfg.path(cfg.database)).close()
    routes = [
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        *dashboard.ROUTES,
        *review.ROUTES,
        *cases.ROUTES,
        *notices.ROUTES,
        *registry.ROUTES,
        *settings.ROUTES,
        *ops.ROUTES,
    ]
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(
            SessionMiddleware,
            secret_key=session_secret(cfg),
            session_cookie="ipwatch_session",
            max_age=SESSION_HOURS * 3600,
            same_site="strict",
            https_only=cfg.web.secure_cookies,
        ),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.cfg = cfg
    app.state.env = make_env()
    return app
