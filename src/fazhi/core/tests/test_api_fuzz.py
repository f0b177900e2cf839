"""Property-based fuzzing of the REST API with schemathesis: no endpoint answers 5xx.

Every operation of the OpenAPI schema is called with generated data (valid and invalid) through
the WSGI app, signed in as `fzb` (法制办, sees every unit) with `Authorization: Token <key>`.
Two checks, each its own test: no server error (5xx); the response matches the schema
documented for its status code.

The schema is the one /api/v1/openapi.json serves; it is built with drf-spectacular's generator
(exactly what `SpectacularAPIView` does), and `test_openapi_endpoint_serves_the_schema` checks
that the endpoint really serves it, so the fuzzing does not depend on the endpoint being up.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client, RequestFactory
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from fazhi.org import demo
from fazhi.org.models import User

SCHEMA_URL = "/api/v1/openapi.json"

pytestmark = [pytest.mark.slow]


def _generated_schema() -> dict:
    """The schema as `SpectacularAPIView` builds it (public, for an anonymous request)."""
    request = Request(RequestFactory().get(SCHEMA_URL))  # anonymous: no authenticators
    return SchemaGenerator().get_schema(request=request, public=True)


@pytest.fixture
def fzb_token(db) -> str:
    demo.load()
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="fzb"))
    return token.key


# Built at import (collection) time: schemathesis' lazy `from_fixture` loader does not work with
# pytest 9 (it sets `Function._nodeid`), and building the schema needs no database.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(_generated_schema())))
schema.app = get_wsgi_application()


FUZZ = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_api_never_answers_a_server_error(case, fzb_token):
    case.call_and_validate(headers={"Authorization": f"Token {fzb_token}"}, checks=[not_a_server_error])


@schema.parametrize()
@FUZZ
def test_api_responses_match_the_schema(case, fzb_token):
    """Kept apart from the server-error test so that a schema mismatch and a crash are told apart."""
    case.call_and_validate(headers={"Authorization": f"Token {fzb_token}"},
                           checks=[response_schema_conformance])


def test_openapi_endpoint_serves_the_schema(db):
    """/api/v1/openapi.json answers 200 with the schema the fuzzing above uses."""
    response = Client(raise_request_exception=False).get(SCHEMA_URL)
    assert response.status_code == 200, f"{SCHEMA_URL} answered {response.status_code}"
    assert json.loads(response.content) == json.loads(json.dumps(_generated_schema()))
