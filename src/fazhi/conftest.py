"""Shared test fixtures: the demo organisation and one user per role."""

import pytest
from django.test import Client

from fazhi.org import demo
from fazhi.org.models import Unit, User

from fazhi.core.testing.browser import browser, new_page  # noqa: F401  (shared browser fixtures)


@pytest.fixture
def world(db):
    """The bundled units, demo sections and demo users, plus a user holding no role."""
    demo.load()
    User.objects.create_user("nobody", password="fazhi-demo-2026")
    return World()


class World:
    def unit(self, code: str) -> Unit:
        return Unit.objects.get(code=code)

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def client(self, username: str | None = None) -> Client:
        client = Client()
        if username:
            client.force_login(self.user(username))
        return client
