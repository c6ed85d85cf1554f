"""``core.refusals``: a refused form keeps its 4xx without htmx and is a 422 for htmx."""

from types import SimpleNamespace

import pytest

from core.refusals import HTMX_REFUSAL, refusal_status


@pytest.mark.parametrize("status", [400, 403, 409, 429])
def test_a_plain_request_keeps_its_4xx(status):
    assert refusal_status(SimpleNamespace(htmx=False), status) == status


@pytest.mark.parametrize("status", [400, 403, 409, 429])
def test_an_htmx_request_is_refused_with_422(status):
    assert refusal_status(SimpleNamespace(htmx=True), status) == HTMX_REFUSAL == 422


def test_a_request_without_the_htmx_middleware_counts_as_plain():
    assert refusal_status(SimpleNamespace(), 400) == 400


@pytest.mark.parametrize("status", [200, 303, 500])
def test_only_a_4xx_is_a_refusal(status):
    with pytest.raises(ValueError):
        refusal_status(SimpleNamespace(htmx=True), status)
