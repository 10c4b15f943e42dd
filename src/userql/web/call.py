"""The FastAPI dependency that turns a request into the core's Call (both transports)."""

from starlette.requests import Request

from userql.resolvers.context import Call, Services
from userql.web.client import client_ip
from userql.web.cookies import SESSION_COOKIE


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def call_for(request: Request) -> Call:
    services = services_of(request)
    peer = request.client.host if request.client else None
    return Call(
        services=services,
        token=request.cookies.get(SESSION_COOKIE),
        client_ip=client_ip(peer, request.headers, services.settings.trusted_proxies),
        user_agent=request.headers.get("user-agent"),
        request_id=getattr(request.state, "request_id", None),
    )
