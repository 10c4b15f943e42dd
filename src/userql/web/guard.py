"""Cross-cutting HTTP checks as pure ASGI middleware (BaseHTTPMiddleware costs too much on
the hot path): foreign origins, the body size limit, request ids and security headers."""

import re
import uuid
from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from userql.web.client import peer_is_trusted
from userql.web.problems import problem_for_path

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)


class BodyTooLarge(Exception):
    """Raised from `receive` when a body passes the limit; rendered as 413."""


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_of(headers: Headers) -> str:
    """The caller's X-Request-ID when it is a sane token, else a new one."""
    offered = headers.get("x-request-id", "")
    return offered if _REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


class _SendWithHeaders:
    def __init__(self, send: Send, request_id: str) -> None:
        self._send = send
        self._headers = [*SECURITY_HEADERS, (b"x-request-id", request_id.encode())]
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            message["headers"] = [*message.get("headers", ()), *self._headers]
        await self._send(message)


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        public_origin: str | None,
        allowed_origins: Sequence[str],
        trusted_proxies: Sequence[str],
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.public_origin = public_origin.rstrip("/").lower() if public_origin else None
        self.allowed_origins = frozenset(origin.rstrip("/").lower() for origin in allowed_origins)
        self.trusted_proxies = tuple(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope["path"]
        request_id = request_id_of(headers)
        scope.setdefault("state", {})["request_id"] = request_id
        guarded_send = _SendWithHeaders(send, request_id)
        if scope["method"] in UNSAFE_METHODS and self._foreign(scope, headers):
            response = problem_for_path(path, 403, "Forbidden origin", "FORBIDDEN_ORIGIN")
            await response(scope, receive, guarded_send)
            return
        try:
            await self.app(scope, self._limited(headers, receive), guarded_send)
        except BodyTooLarge:
            if guarded_send.started:
                raise
            response = problem_for_path(path, 413, "Request body too large", "PAYLOAD_TOO_LARGE")
            await response(scope, receive, guarded_send)

    def _limited(self, headers: Headers, receive: Receive) -> Receive:
        """Counts body bytes as they stream in, chunked bodies included."""
        limit = self.max_body_bytes
        declared = headers.get("content-length", "")
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        return limited_receive

    def _own_origin(self, scope: Scope, headers: Headers) -> str:
        if self.public_origin:
            return self.public_origin
        scheme = scope.get("scheme", "http")
        peer = scope["client"][0] if scope.get("client") else None
        if peer_is_trusted(peer, self.trusted_proxies):
            scheme = headers.get("x-forwarded-proto", scheme).split(",")[0].strip() or scheme
        return f"{scheme}://{headers.get('host', '')}".lower()

    def _foreign(self, scope: Scope, headers: Headers) -> bool:
        origin = headers.get("origin")
        if origin is not None:
            origin = origin.rstrip("/").lower()
            return origin not in self.allowed_origins and origin != self._own_origin(scope, headers)
        return headers.get("sec-fetch-site", "").lower() == "cross-site"
