"""What a transport hands the core for one call."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from userql.persistence.database import Database
from userql.resolvers.passwords import PasswordHasher
from userql.resolvers.sessions import ActiveSession, find_active_session
from userql.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Services:
    """Built once per process by `create_app`; shared by every call."""

    settings: Settings
    database: Database
    passwords: PasswordHasher
    clock: Callable[[], datetime] = utc_now


@dataclass(slots=True)
class Call:
    services: Services
    token: str | None
    """The raw `sid` the client sent, if any. Never logged, never stored."""
    client_ip: str
    user_agent: str | None = None
    request_id: str | None = None
    _session: ActiveSession | None = field(default=None, init=False, repr=False)
    _session_known: bool = field(default=False, init=False, repr=False)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def database(self) -> Database:
        return self.services.database

    @property
    def passwords(self) -> PasswordHasher:
        return self.services.passwords

    def now(self) -> datetime:
        return self.services.clock()

    def known_user_id(self) -> int | None:
        """The caller's user id if the session was already looked up; never a query."""
        return self._session.user_id if self._session is not None else None

    async def session(self) -> ActiveSession | None:
        """The caller's valid session, looked up once per call."""
        if not self._session_known:
            self._session = await find_active_session(
                self.database, self.settings, self.token, self.now()
            )
            self._session_known = True
        return self._session
