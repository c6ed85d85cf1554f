"""Regression (issue 8, found by tests/security/test_fuzz.py): an invite link with a NUL byte.

PostgreSQL refuses such a string with an error, so the join view used to answer 500 there;
it now treats the link as unknown without asking the database, on every backend.
"""

import pytest
from django.db import connection

from tests.factories import make_team

pytestmark = pytest.mark.django_db
NUL_CODE = "/teams/join/abc%00def/"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_invite_code_with_a_nul_byte_is_refused_without_a_query(
    client, django_assert_num_queries, method
):
    make_team()
    with django_assert_num_queries(0):
        response = getattr(client, method)(NUL_CODE)
    # Refused before any view by config.security.refuse_nul_bytes, as every NUL in a URL is.
    assert response.status_code == 400


@pytest.mark.postgres
def test_an_invite_code_with_a_nul_byte_is_a_400_on_postgresql(learner_client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    assert learner_client.post(NUL_CODE).status_code == 400
