"""Work left until the response has gone (core/after_response.py): it runs once, after the
view's response is closed, in order; a failure is logged and the rest still runs."""

import logging

from django.http import HttpResponse

from core.after_response import after_response, run_pending


def test_work_runs_once_when_the_response_is_closed_and_not_before(db):
    done = []
    after_response(done.append, "first")
    after_response(done.append, "second")
    response = HttpResponse("ok")
    assert done == []
    response.close()  # what the WSGI server does once the body is sent
    assert done == ["first", "second"]
    HttpResponse("next").close()
    assert done == ["first", "second"]


def test_a_failure_is_logged_and_the_rest_still_runs(caplog):
    done = []

    def broken():
        raise RuntimeError("cache unreachable")

    after_response(broken)
    after_response(done.append, "after")
    with caplog.at_level(logging.ERROR, logger="core.after_response"):
        run_pending()
    assert done == ["after"]
    assert "Work after the response failed" in caplog.text and "cache unreachable" in caplog.text


def test_the_test_client_closes_responses_too(client, db):
    done = []
    after_response(done.append, "ran")
    client.get("/healthz")
    assert done == ["ran"]
