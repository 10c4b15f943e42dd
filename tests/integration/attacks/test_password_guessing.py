"""Guessing from many emails on one IP, or at one account from many IPs, hits a ceiling;
forwarded headers count only from trusted proxies."""

import httpx
from fastapi import FastAPI

from drivers import PASSWORD, Rest, signed_up
from harness import AppFactory, Clock

WRONG = "WrongPassword1"


def client_from(app: FastAPI, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 50000)), base_url="http://testserver"
    )


async def test_one_ip_spraying_many_emails_is_capped(make_app: AppFactory) -> None:
    app = make_app(login_max_failures_per_ip=5)
    async with (
        client_from(app, "203.0.113.9") as sprayer,
        client_from(app, "203.0.113.10") as other,
    ):
        user = await signed_up(other)
        for i in range(5):
            assert (await Rest(sprayer).login(f"victim{i}@example.com", WRONG)).status_code == 401

        assert (await Rest(sprayer).login(user["email"], PASSWORD)).status_code == 429
        assert (await Rest(other).login(user["email"], PASSWORD)).status_code == 200


async def test_one_account_guessed_from_many_ips_is_capped(
    make_app: AppFactory, clock: Clock
) -> None:
    app = make_app(login_max_failures_per_account=6, login_account_window_seconds=3600)
    async with client_from(app, "198.51.100.1") as owner:
        user = await signed_up(owner)
        for i in range(6):
            async with client_from(app, f"203.0.113.{i + 1}") as guesser:
                assert (await Rest(guesser).login(user["email"], WRONG)).status_code == 401

        locked = await Rest(owner).login(user["email"], PASSWORD)
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) == 3600

        clock.advance(seconds=3600)
        assert (await Rest(owner).login(user["email"], PASSWORD)).status_code == 200


async def test_forwarded_for_counts_only_from_a_trusted_proxy(make_app: AppFactory) -> None:
    app = make_app(trusted_proxies="10.0.0.0/8", login_max_failures=2)
    async with client_from(app, "10.1.2.3") as proxy, client_from(app, "192.0.2.50") as direct:
        user = await signed_up(proxy)
        for client_ip in ("198.51.100.7", "198.51.100.7"):
            response = await proxy.post(
                "/auth/login",
                json={"email": user["email"], "password": WRONG},
                headers={"X-Forwarded-For": f"{client_ip}, 10.9.9.9"},
            )
            assert response.status_code == 401

        behind_proxy_same_client = await proxy.post(
            "/auth/login",
            json={"email": user["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        behind_proxy_other_client = await proxy.post(
            "/auth/login",
            json={"email": user["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.8"},
        )
        spoofed_from_outside = await direct.post(
            "/auth/login",
            json={"email": user["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )

    assert behind_proxy_same_client.status_code == 429
    assert behind_proxy_other_client.status_code == 200
    assert spoofed_from_outside.status_code == 200


async def test_garbage_in_forwarded_for_from_a_trusted_proxy_is_not_believed(
    make_app: AppFactory,
) -> None:
    app = make_app(trusted_proxies="10.0.0.0/8")
    async with client_from(app, "10.1.2.3") as proxy:
        user = await signed_up(proxy)
        for garbage in ("x" * 300, "not-an-ip, 198.51.100.7", "", "::ffff:zz"):
            response = await proxy.post(
                "/auth/login",
                json={"email": user["email"], "password": PASSWORD},
                headers={"X-Forwarded-For": garbage},
            )
            assert response.status_code == 200
