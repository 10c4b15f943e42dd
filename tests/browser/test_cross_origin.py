"""A page of another origin, open in the same browser as a signed-in user, can neither
read the API's answers (CORS is off) nor change anything (foreign `Origin` is 403).

The foreign page comes from a second local HTTP server, reached two ways: as
127.0.0.1 on another port (same site, so the browser even sends the SameSite=Lax cookie
along) and as localhost (another site altogether).
"""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import BrowserContext, Page

from browser.conftest import Service
from browser.pages import MEMO_USER, Reply, fetch_json, sign_up_and_log_in
from servers import HOST, free_port

pytestmark = pytest.mark.e2e

FOREIGN_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Somebody else's page</title></head>
<body><h1>Somebody else's page</h1></body></html>"""

FORBIDDEN_ORIGIN = {"detail": "Forbidden origin", "code": "FORBIDDEN_ORIGIN"}


class _ForeignPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(FOREIGN_PAGE)))
        self.end_headers()
        self.wfile.write(FOREIGN_PAGE)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the browser, not this log."""


@pytest.fixture(
    scope="module",
    params=[HOST, "localhost"],
    ids=["same-site-other-port", "cross-site"],
)
def foreign_origin(request: pytest.FixtureRequest) -> Iterator[str]:
    """The origin of a small page that is not userql's."""
    port = free_port()
    server = ThreadingHTTPServer((HOST, port), _ForeignPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{request.param}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def victim(page: Page) -> int:
    """The memo's user, signed in on userql's own page (password `OldPlain`)."""
    page.goto("/")
    return sign_up_and_log_in(page, password="OldPlain")


@pytest.fixture
def foreign_page(context: BrowserContext, foreign_origin: str) -> Iterator[Page]:
    """Another tab of the test's browser (the victim's), on the foreign origin."""
    tab = context.new_page()
    tab.goto(f"{foreign_origin}/")
    yield tab
    tab.close()


@pytest.mark.usefixtures("victim")
def test_a_foreign_page_cannot_read_answers_even_with_credentials(
    foreign_page: Page, service: Service
) -> None:
    outcome = foreign_page.evaluate(
        """async (api) => {
          const attempts = {};
          for (const [name, url, init] of [
            ['me', api + '/me', { credentials: 'include' }],
            ['profile', api + '/me/profile', { credentials: 'include' }],
            ['graphql', api + '/graphql?query=' + encodeURIComponent('{ me { __typename } }'),
             { credentials: 'include' }],
          ]) {
            try {
              const response = await fetch(url, init);
              attempts[name] = 'read: ' + response.status + ' ' + await response.text();
            } catch (error) {
              attempts[name] = error.name;
            }
          }
          const opaque = await fetch(api + '/me/profile', {
            mode: 'no-cors', credentials: 'include',
          });
          attempts.noCors = [opaque.type, opaque.status, await opaque.text()];
          return attempts;
        }""",
        service.base_url,
    )

    assert outcome == {
        "me": "TypeError",
        "profile": "TypeError",
        "graphql": "TypeError",
        "noCors": ["opaque", 0, ""],
    }


def test_a_foreign_json_request_is_stopped_by_the_browser_and_changes_nothing(
    foreign_page: Page, page: Page, service: Service, victim: int
) -> None:
    outcome = foreign_page.evaluate(
        """async (api) => {
          try {
            await fetch(api + '/me/profile', {
              method: 'PATCH',
              headers: { 'Content-Type': 'application/json' },
              credentials: 'include',
              body: JSON.stringify({ username: 'Hijacked' }),
            });
            return 'sent';
          } catch (error) {
            return error.name;
          }
        }""",
        service.base_url,
    )

    assert outcome == "TypeError"  # the CORS preflight is refused; the PATCH is never sent
    assert fetch_json(page, "GET", "/me/profile") == Reply(200, {"id": victim, **MEMO_USER})


def test_a_foreign_form_post_is_refused_with_403_and_the_session_lives_on(
    foreign_page: Page, page: Page, service: Service, victim: int
) -> None:
    with foreign_page.expect_response(f"{service.base_url}/auth/logout") as answer:
        foreign_page.evaluate(
            """(api) => {
              const form = document.createElement('form');
              form.method = 'POST';
              form.action = api + '/auth/logout';
              document.body.append(form);
              form.submit();
            }""",
            service.base_url,
        )

    assert answer.value.status == 403
    assert answer.value.json() == FORBIDDEN_ORIGIN
    assert fetch_json(page, "GET", "/me") == Reply(200, {"user_id": str(victim)})


@pytest.mark.usefixtures("victim")
def test_a_foreign_json_looking_form_cannot_change_the_password(
    foreign_page: Page, page: Page, service: Service
) -> None:
    """The classic trick: a text/plain form whose body reads as JSON."""
    with foreign_page.expect_response(f"{service.base_url}/me/password") as answer:
        foreign_page.evaluate(
            """(api) => {
              const form = document.createElement('form');
              form.method = 'POST';
              form.enctype = 'text/plain';
              form.action = api + '/me/password';
              const field = document.createElement('input');
              field.name = '{"old_password":"OldPlain","new_password":"Hijacked-2024","x":"';
              field.value = '"}';
              form.append(field);
              document.body.append(form);
              form.submit();
            }""",
            service.base_url,
        )

    assert answer.value.status == 403
    assert answer.value.json() == FORBIDDEN_ORIGIN
    still_old = fetch_json(
        page, "POST", "/auth/login", {"email": MEMO_USER["email"], "password": "OldPlain"}
    )
    assert still_old.status == 200


def test_a_foreign_no_cors_post_reaches_the_api_and_is_refused(
    foreign_page: Page, page: Page, service: Service, victim: int
) -> None:
    """A "simple" request is sent without a preflight; userql itself must refuse it."""
    with foreign_page.expect_response(f"{service.base_url}/auth/logout") as answer:
        outcome = foreign_page.evaluate(
            """async (api) => {
              const response = await fetch(api + '/auth/logout', {
                method: 'POST', mode: 'no-cors', credentials: 'include',
              });
              return [response.type, response.status];
            }""",
            service.base_url,
        )

    assert outcome == ["opaque", 0]  # the page learns nothing
    assert answer.value.status == 403  # and userql did nothing
    assert fetch_json(page, "GET", "/me") == Reply(200, {"user_id": str(victim)})
