"""The analysts' console: a Starlette app over the same stage and store functions as the CLI."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Config
from core.store import open_db
from core.users import attempt_succeeded, check_password, claim_attempt, end_sessions
from ipwatch.web import context
from ipwatch.web.context import CSRF_REFUSED, beijing, csrf_ok, csrf_token, recipients, refuse
from ipwatch.web.labels import detail_lines, zh
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
    env.filters["zh"] = zh
    env.filters["detail_lines"] = detail_lines
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
        if not csrf_ok(request, str(data.get("csrf", ""))):
            return refuse(env, request, 403, CSRF_REFUSED)
        name, password = str(data.get("name", "")).strip(), str(data.get("password", ""))
        address = request.client.host if request.client else ""

        def attempt() -> tuple[str, int]:
            db = context.connect(cfg)
            try:
                window = cfg.web.login_window_minutes
                # Counted before the password is checked, so parallel guesses cannot slip past.
                claimed = claim_attempt(db, name, address, cfg.web.login_attempts, window)
                if claimed is None:
                    return f"登录失败次数过多，请 {window} 分钟后再试。", 0
                user = check_password(db, name, password)
                if user is None:
                    return "用户名或密码错误。", 0
                attempt_succeeded(db, claimed)
                return "", user.epoch
            finally:
                db.close()

        error, epoch = await run_in_threadpool(attempt)
        if not error:
            request.session.clear()
            request.session["user"] = name
            request.session["epoch"] = epoch
            request.session["csrf"] = secrets.token_urlsafe(32)
            return RedirectResponse("/", status_code=303)
    html = env.get_template("login.html").render(csrf=csrf_token(request), error=error)
    return HTMLResponse(html, status_code=429 if "过多" in error else 200)


@context.page()
def logout(ctx: context.Ctx) -> Response:
    """End the session, and every other session of the same account."""
    end_sessions(ctx.db, ctx.user.name)
    ctx.request.session.clear()
    return ctx.redirect("/login")


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown page, wrong method …) as a Chinese page."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = {404: "没有这个页面，请检查地址。", 405: "此页面不接受这种请求方式。"}.get(
        status, "请求未能处理，请返回重试。"
    )
    response = refuse(request.app.state.env, request, status, message)
    if isinstance(exc, HTTPException) and exc.headers:
        response.headers.update(exc.headers)  # e.g. Allow on a 405
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected fault: a Chinese page without the traceback (that goes to the log)."""
    message = "服务器处理请求时出错，已记入日志。请稍后重试，或告知管理员发生时间和页面地址。"
    response = refuse(request.app.state.env, request, 500, message)
    response.headers.update(dict((k.decode(), v.decode()) for k, v in SECURITY_HEADERS))
    return response


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
    handlers = {HTTPException: http_error, Exception: server_error}
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.state.cfg = cfg
    app.state.env = make_env()
    return app
