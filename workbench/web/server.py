"""Serving the workbench to browsers with textual-serve: each tab runs its own workbench
process; every request needs the access token (given once as ``?token=...``, then kept in
a cookie); the page loads nothing from the internet."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from hmac import compare_digest
from pathlib import Path

import textual_serve
from aiohttp import web
from textual_serve.server import Server

COOKIE = "workbench_token"
TEMPLATES = Path(__file__).parent / "templates"
STATICS = Path(textual_serve.__file__).parent / "static"

NEEDS_TOKEN = (
    "This workbench needs its access token: open the address it printed.\n"
    "此工作台需要访问令牌:请打开它启动时显示的地址。"
)
WRONG_TOKEN = "Wrong access token.\n访问令牌不正确。"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class GuardedServer(Server):
    """textual-serve's server behind an access token.

    A request carrying ``?token=`` is let through when the token is right (403 when it is
    wrong) and the token is kept in an HTTP-only, same-site cookie; any other request
    needs that cookie (401 without one, 403 with a wrong one). The page, its scripts, the
    websocket that drives the workbench and the report downloads are all behind it.
    """

    def __init__(
        self,
        command: str,
        token: str,
        host: str = "127.0.0.1",
        port: int = 8000,
        title: str = "Tiering Workbench",
        public_url: str | None = None,
        on_ready: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=public_url.rstrip("/") if public_url else None,
            statics_path=STATICS,
            templates_path=TEMPLATES,
        )
        self.token = token
        self.on_ready = on_ready

    @property
    def url(self) -> str:
        """The address to open, token included."""
        return f"{self.public_url}/?token={self.token}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.guard)
        return app

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        given = request.query.get("token")
        if given is None:
            kept = request.cookies.get(COOKIE)
            if kept is None:
                raise web.HTTPUnauthorized(
                    text="This workbench needs its access token: open the address it printed."
                )
            if not compare_digest(kept.encode(), self.token.encode()):
                raise web.HTTPForbidden(text=WRONG_TOKEN)
            return await handler(request)
        if not compare_digest(given.encode(), self.token.encode()):
            raise web.HTTPForbidden(text=WRONG_TOKEN)
        response = await handler(request)
        if not response.prepared:
            secure = self.public_url.startswith("https")
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict", secure=secure, path="/")
        return response

    async def on_startup(self, app: web.Application) -> None:
        if self.on_ready is not None:
            self.on_ready(self.url)

    def initialize_logging(self) -> None:
        """textual-serve's logging, which writes each request; the workbench says only
        where it is served (``on_ready``) and what goes wrong."""
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(message)s")
