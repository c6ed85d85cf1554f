"""A widget's URL state (matrix/placement.py): one reading of repeated and blank parameters,
and one answer to whether a region is personal (finding F3)."""

import uuid

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from matrix.placement import Placement, WidgetState, canonical_query, current_url_query

SUBMISSION = uuid.UUID("6f1c1c55-52a4-4b8b-9b1e-1f0d2e0c9a11")


def state(query: str, index: int = 0) -> WidgetState:
    return WidgetState.read(Placement(index=index, page_path="/p/", query=QueryDict(query)))


@pytest.mark.parametrize(
    ("query", "view", "reveal"),
    [
        ("view=predict&view=", "predict", ""),
        ("view=&view=predict", "predict", ""),
        ("view=predict&view=%20", "predict", ""),
        ("view=%20predict%20", "predict", ""),
        ("view=compare&view=predict", "predict", ""),
        ("view=predict&view=compare", "compare", ""),
        (f"reveal={SUBMISSION}&reveal=", "", str(SUBMISSION)),
        (f"reveal=&reveal={SUBMISSION}", "", str(SUBMISSION)),
        ("reveal=1&reveal=", "", "1"),
        ("view=&reveal=", "", ""),
        ("", "", ""),
    ],
)
def test_a_parameter_counts_by_its_last_non_blank_value(query, view, reveal):
    read = state(query)
    assert (read.view, read.reveal) == (view, reveal)


class Visitor:
    is_authenticated = False


class Learner:
    is_authenticated = True


class Unread:
    """A user that must not be looked at: the state alone decides."""

    @property
    def is_authenticated(self):
        raise AssertionError("the user was read for a state that is the same for everyone")


@pytest.mark.parametrize(
    ("query", "for_visitor", "for_learner"),
    [
        ("view=predict", True, True),
        ("view=predict&view=", True, True),
        ("view=&view=predict", True, True),
        ("reveal=1&reveal=", True, True),
        (f"reveal={SUBMISSION}", True, True),
        ("reveal=not-a-submission", True, True),
        ("view=compare&reveal=1", True, True),
        # Compare withholds the columns a learner has not predicted: personal once signed in.
        ("view=predict&view=compare", False, True),
        ("view=compare", False, True),
        ("view=compare&view=%20", False, True),
        ("view=", False, False),
        ("view=%20", False, False),
        ("view=predicted", False, False),
        ("base=strong", False, False),
        ("m1-view=predict", False, False),
        ("m1-view=compare", False, False),
    ],
)
def test_predict_reveal_and_a_learners_compare_are_personal(query, for_visitor, for_learner):
    assert state(query).is_personal(Visitor()) is for_visitor
    assert state(query).is_personal(Learner()) is for_learner


@pytest.mark.parametrize("query", ["", "base=strong", "view=predicted", "view=predict", "reveal=1"])
def test_the_user_is_not_read_unless_the_answer_depends_on_it(query):
    state(query).is_personal(Unread())


def test_a_second_widget_reads_its_own_prefixed_parameters():
    assert state("view=predict&m1-view=compare", index=1).view == "compare"
    assert state("view=compare&m1-reveal=&m1-reveal=x", index=1).is_personal(Visitor())


def test_the_submission_is_none_unless_reveal_is_an_id():
    assert state(f"reveal={SUBMISSION}").submission == SUBMISSION
    assert state("reveal=1").submission is None
    assert state("").submission is None


@pytest.mark.parametrize("header", ["https://[x/", "http://[::1/p/?view=predict"])
def test_an_unparsable_current_url_is_treated_as_absent(header):
    """Finding F5: urlsplit raises ValueError on these; the header is the client's to forge."""
    headers = {"HX-Request": "true", "HX-Current-URL": header}
    request = RequestFactory().get("/matrix/m/", headers=headers)
    request.htmx = HtmxDetails(request)
    assert current_url_query(request, "/p/") == ""


def test_a_current_url_on_the_page_gives_its_query():
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/p/?base=strong"}
    request = RequestFactory().get("/matrix/m/", headers=headers)
    request.htmx = HtmxDetails(request)
    assert current_url_query(request, "/p/") == "base=strong"
    assert current_url_query(request, "/elsewhere/") == ""


# The canonical spelling the page cache keys on (finding F2) --------------------------------


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("utm=1&ref=x&widget=2&page=/p/", ""),
        ("base=strong&utm=1", "base=strong"),
        ("view=predict&view=&base=%20strong%20", "base=strong&view=predict"),
        ("reason=b&reason=a&reason=b&reason=", "reason=a&reason=b"),
        ("perception=yes", "perception=yes"),
        ("perception=no&perception=maybe", ""),
        ("m1-base=strong&m99-preset=x&m0-base=a&m01-base=b&m100-base=c&M1-base=d",
         "m1-base=strong&m99-preset=x"),
        ("m1-utm=1&base=", ""),
    ],
)
def test_the_canonical_query_keeps_widget_parameters_as_they_are_read(query, canonical):
    assert canonical_query(QueryDict(query)).urlencode(safe="/") == canonical


def test_two_spellings_the_widgets_read_alike_are_one_canonical_query():
    first = canonical_query(QueryDict("view=compare&base=strong&utm=1"))
    second = canonical_query(QueryDict("base=%20strong&view=&view=compare"))
    assert first.urlencode() == second.urlencode()
    assert state(first.urlencode()).base == state("base=%20strong&view=&view=compare").base


def test_an_htmx_placement_carries_the_widgets_state_and_nothing_else():
    current = "http://testserver/p/?utm=1&m1-base=weak&view=%20compare&preset=x"
    request = RequestFactory().get(
        "/matrix/m/", headers={"HX-Request": "true", "HX-Current-URL": current}
    )
    request.htmx = HtmxDetails(request)
    params = QueryDict("page=/p/&base=strong&utm=2")
    placement = Placement.for_htmx(
        request, group=("base", "view", "reveal"), params=params, fallback_path="/matrix/m/"
    )
    assert placement.href == "/p/?base=strong&m1-base=weak&preset=x"
