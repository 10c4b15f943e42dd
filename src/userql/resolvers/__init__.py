"""THE CORE: one async function per operation, each returning a typed result.

No FastAPI, no Strawberry: the core can be called from a plain script.
"""

from userql.resolvers.accounts import profile, register, update_username
from userql.resolvers.auth import change_password, login, logout, me
from userql.resolvers.context import Call, Services

__all__ = [
    "Call",
    "Services",
    "change_password",
    "login",
    "logout",
    "me",
    "profile",
    "register",
    "update_username",
]
