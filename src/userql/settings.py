"""Settings: the only reader of the environment (`USERQL_*`)."""

import os
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="USERQL_", extra="ignore", frozen=True)

    database_url: str = "sqlite+aiosqlite:///userql.db"
    database_pool_size: int = Field(default=10, ge=1)
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)

    cookie_secure: bool = True

    session_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=1)
    session_idle_seconds: int = Field(default=24 * 3600, ge=1)
    session_touch_seconds: int = Field(default=60, ge=0)

    login_max_failures: int = Field(default=10, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    login_max_failures_per_ip: int = Field(default=100, ge=1)
    login_max_failures_per_account: int = Field(default=100, ge=1)
    login_account_window_seconds: int = Field(default=3600, ge=1)

    argon2_memory_kib: int = Field(default=19456, ge=8)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)
    hash_concurrency: int = Field(default_factory=_available_cpus, ge=1)
    hash_queue: int = Field(default=64, ge=0)

    graphiql: bool = True
    graphql_introspection: bool = True
    graphql_max_depth: int = Field(default=12, ge=1)
    graphql_max_aliases: int = Field(default=30, ge=1)
    graphql_max_tokens: int = Field(default=2000, ge=1)

    max_body_bytes: int = Field(default=65536, ge=1)
    public_origin: str | None = None
    allowed_origins: CommaList = Field(default_factory=list)
    trusted_proxies: CommaList = Field(default_factory=list)

    log_level: str = "INFO"

    @field_validator("allowed_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        if self.argon2_memory_kib < 8 * self.argon2_parallelism:
            raise ValueError("USERQL_ARGON2_MEMORY_KIB must be at least 8 x parallelism")
        return self

    @property
    def session_touch_interval_seconds(self) -> int:
        """Activity is written at most this often, and never less often than idle/10 allows."""
        return min(self.session_touch_seconds, self.session_idle_seconds // 10)
