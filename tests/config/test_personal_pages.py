"""The per-learner page cache (config/personal_pages.py): a learner's page is kept until
anything it shows changes, whoever changed it; it is never served to anyone else, never
shares a token or nonce between responses, and never keeps a state that has passed."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Assignment, Membership, Profile
from accounts.services import set_due_dates
from certificates.models import Certificate
from certificates.services import revoke
from config.personal_pages import personal_state
from lessons.services import complete_lesson, record_visit
from quizzes.models import Attempt, Response
from review.models import Card
from review.services import set_reviews_on, snooze
from tests.config.test_page_cache import NONCE, html
from tests.factories import (
    answer_block,
    make_block,
    make_card,
    make_course,
    make_lesson,
    make_matrix,
    make_person,
    make_quiz,
    make_team,
    predict,
    submit_attempt,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_pages(settings):
    settings.PERSONAL_PAGE_SECONDS = 60


@pytest.fixture
def world():
    course = make_course(slug="notes", title="Clinical notes")
    lessons = [
        make_lesson(course=course, slug=f"lesson-{n}", title=f"Lesson {n}", order=n,
                    status="published")
        for n in (1, 2)
    ]  # fmt: skip
    quiz = make_quiz(course=course, slug="notes-check", questions=2)
    block = make_block(course=course)
    cells = make_matrix()
    ann, bob = make_person(username="ann"), make_person(username="bob")
    team = make_team(slug="ward", courses=[course], members=[ann, bob])
    return {"course": course, "lessons": lessons, "quiz": quiz, "block": block, "team": team,
            "cells": cells, "ann": ann, "bob": bob}  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lesson_url(lesson) -> str:
    return reverse("lessons:detail", kwargs={"course": lesson.course.slug, "lesson": lesson.slug})


# Every kind of row a learner's pages show, changed for ``ann`` by someone or something.
def _complete(w):
    complete_lesson(user=w["ann"], lesson=w["lessons"][0])


def _visit_another_lesson(w):
    record_visit(user=w["ann"], course_slug="notes", lesson_slug="lesson-2")


def _answer_block(w):
    answer_block(user=w["ann"], block=w["block"], right=True)


def _submit_quiz(w):
    submit_attempt(user=w["ann"], quiz=w["quiz"], picks=["right", "right"])


def _answer_practice_question(w):
    attempt = Attempt.objects.create(user=w["ann"], quiz=w["quiz"], mode="practice")
    Response.objects.create(attempt=attempt, question=w["quiz"].questions.first())


def _predict(w):
    predict(user=w["ann"], cell=w["cells"][0], right=True)


def _review_card_due_later(w):
    Card.objects.filter(user=w["ann"]).update(due=timezone.now() + datetime.timedelta(days=3))


def _snooze(w):
    snooze(user=w["ann"], now=timezone.now())


def _reviews_off(w):
    set_reviews_on(user=w["ann"], on=False)


def _rename(w):
    Profile.objects.update_or_create(user=w["ann"], defaults={"display_name": "Ann Smith"})


def _certificate(w, **fields):
    return Certificate.objects.create(
        user=w["ann"], course=w["course"], status_index=7, course_title="Notes",
        course_slug="notes", completed_at=timezone.now(), **fields,
    )  # fmt: skip


def _issue_certificate(w):
    _certificate(w)


def _revoke_certificate(w):
    certificate = Certificate.objects.filter(user=w["ann"]).first() or _certificate(w)
    before = personal_state(w["ann"].pk)
    revoke(certificate=certificate, by=w["bob"], reason="Test.")
    assert personal_state(w["ann"].pk) != before


def _promote(w):
    Membership.objects.filter(user=w["ann"]).update(role="manager")


def _leave(w):
    Membership.objects.filter(user=w["ann"]).delete()


def _due_date(w):
    set_due_dates(team=w["team"], due_dates={w["course"].pk: timezone.localdate()})


def _unassign(w):
    Assignment.objects.filter(team=w["team"]).delete()


def _group(w):
    w["ann"].groups.add(Group.objects.create(name="Peer reviewers"))


def _permission(w):
    w["ann"].user_permissions.add(Permission.objects.first())


def _staff(w):
    type(w["ann"]).objects.filter(pk=w["ann"].pk).update(is_staff=True)


CHANGES = [
    _complete, _visit_another_lesson, _answer_block, _submit_quiz, _answer_practice_question,
    _predict, _review_card_due_later, _snooze, _reviews_off, _rename, _issue_certificate,
    _revoke_certificate, _promote, _leave,
    _due_date, _unassign, _group, _permission, _staff,
]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_the_learners_state_moves_with_every_kind_of_row_their_pages_show(world, change):
    make_card(user=world["ann"], item=world["block"], due=timezone.now() - datetime.timedelta(hours=1))
    record_visit(user=world["ann"], course_slug="notes", lesson_slug="lesson-1")
    before, theirs = personal_state(world["ann"].pk), personal_state(world["bob"].pk)
    change(world)
    assert personal_state(world["ann"].pk) != before
    if change not in (_due_date, _unassign):  # the team's assignments are bob's too
        assert personal_state(world["bob"].pk) == theirs


def test_the_state_is_one_query_and_none_for_no_such_user(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert personal_state(world["ann"].pk) is not None
    assert personal_state(0) is None


def test_a_content_edit_moves_every_learners_state(world):
    before = personal_state(world["ann"].pk)
    world["lessons"][0].save()
    assert personal_state(world["ann"].pk) != before


def test_a_kept_page_is_served_again_until_the_learner_changes_something(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    ann = client_for(world["ann"])
    url = lesson_url(world["lessons"][0])
    with django_capture_on_commit_callbacks(execute=True):  # the visit is remembered
        first = ann.get(url)
    assert first.status_code == 200 and "Mark complete" in html(first)
    with django_assert_num_queries(3):  # the session, the user, the state; the visit recorded
        kept = ann.get(url)
    assert _without_token_and_nonce(kept) == _without_token_and_nonce(first)
    ann.post(reverse("lessons:complete", kwargs={"course": "notes", "lesson": "lesson-1"}))
    done = html(ann.get(url))
    assert "Mark complete" not in done


def test_two_learners_never_see_each_others_page(world):
    Profile.objects.create(user=world["ann"], display_name="Ann Smith")
    complete_lesson(user=world["ann"], lesson=world["lessons"][0])
    url = lesson_url(world["lessons"][0])
    ann_page = html(client_for(world["ann"]).get(url))
    bob_page = html(client_for(world["bob"]).get(url))
    bob_again = html(client_for(world["bob"]).get(url))
    assert "Ann Smith" in ann_page and "Mark complete" not in ann_page
    for page in (bob_page, bob_again):
        assert "Ann Smith" not in page and "Mark complete" in page


def test_each_response_gets_its_own_csrf_token_that_works(world):
    ann = client_for(world["ann"])
    ann.handler.enforce_csrf_checks = True
    url = lesson_url(world["lessons"][0])
    first, kept = ann.get(url), ann.get(url)
    assert _token(first) != _token(kept)
    complete = reverse("lessons:complete", kwargs={"course": "notes", "lesson": "lesson-1"})
    assert ann.post(complete, {"csrfmiddlewaretoken": _token(kept)}).status_code == 302


def test_a_quiz_page_keeps_the_attempt_it_shows_and_moves_on_after_a_submission(world):
    ann = client_for(world["ann"])
    url = reverse("quizzes:take", kwargs={"quiz": "notes-check"})
    first = html(ann.get(url))  # issues the attempt: a state that has passed, not kept
    again, kept = html(ann.get(url)), html(ann.get(url))
    assert Attempt.objects.filter(user=world["ann"]).count() == 1
    attempt = Attempt.objects.get(user=world["ann"])
    for page in (first, again, kept):
        assert f'value="{attempt.pk}"' in page
    submit_attempt(user=world["ann"], quiz=world["quiz"], picks=["right", "right"], days_ago=None)
    html(ann.get(url))
    assert Attempt.objects.filter(user=world["ann"]).count() == 2  # a new one, not the page kept


def test_a_page_rendered_while_its_view_wrote_is_not_kept(world):
    ann = client_for(world["ann"])
    url = reverse("quizzes:take", kwargs={"quiz": "notes-check"})
    ann.get(url)
    assert not _kept_pages()
    ann.get(url)
    assert _kept_pages()


def test_review_feedback_parameter_is_canonical_and_junk_is_ignored(world):
    make_card(user=world["ann"], item=world["block"], due=timezone.now() - datetime.timedelta(hours=1))
    ann = client_for(world["ann"])
    plain = ann.get(reverse("review:queue"))
    assert plain.status_code == 200
    count = len(_kept_pages())
    ann.get(reverse("review:queue") + "?utm=1")
    ann.get(reverse("review:queue") + "?reviewed=x")
    assert len(_kept_pages()) == count


def test_nothing_is_kept_with_the_setting_at_zero_or_for_visitors(world, settings):
    settings.PERSONAL_PAGE_SECONDS = 0
    client_for(world["ann"]).get(lesson_url(world["lessons"][0]))
    settings.PERSONAL_PAGE_SECONDS = 60
    Client().get(lesson_url(world["lessons"][0]))
    assert not _kept_pages()


def _kept_pages() -> list[str]:
    store = caches["personal"]
    return [key for key in store._cache if ":variants:" not in key]


def _without_token_and_nonce(response) -> str:
    text = html(response)
    return NONCE.sub("", text.replace(_token(response), ""))


def _token(response) -> str:
    from tests.config.test_page_cache import CSRF_FIELD, TOKEN

    text = response.content.decode()
    return (TOKEN.findall(text) + CSRF_FIELD.findall(text))[0]


def test_a_learners_predictions_figures_and_cards_never_reach_another_learner(world):
    lesson = make_lesson(course=world["course"], slug="matrix", title="The matrix", order=3,
                         status="published", body="Try it.\n\n[[matrix:base-strength]]\n")  # fmt: skip
    Profile.objects.create(user=world["ann"], display_name="Ann Quigley")
    for cell in world["cells"]:
        predict(user=world["ann"], cell=cell, right=False)
    complete_lesson(user=world["ann"], lesson=world["lessons"][0])
    make_card(user=world["ann"], item=world["block"], due=timezone.now() - datetime.timedelta(hours=1))
    ann, bob = client_for(world["ann"]), client_for(world["bob"])
    urls = {"lesson": lesson_url(lesson), "progress": reverse("progress:mine"),
            "review": reverse("review:queue")}  # fmt: skip
    theirs = {name: html(ann.get(url)) for name, url in urls.items()}
    assert "1 due" in theirs["review"] and "1 of 3 lessons completed" in theirs["progress"]
    for _ in range(2):  # rendered, then kept
        mine = {name: html(bob.get(url)) for name, url in urls.items()}
        for name, page in mine.items():
            assert "Quigley" not in page, name
        assert "Nothing due." in mine["review"] and "1 due" not in mine["review"]
        assert "0 of 3 lessons completed" in mine["progress"]
        assert "1 of 3" not in mine["progress"]


def test_a_learner_signed_in_twice_sees_the_name_they_just_gave_in_that_session(
    world, django_capture_on_commit_callbacks
):
    here, there = client_for(world["ann"]), client_for(world["ann"])
    url = lesson_url(world["lessons"][0])
    here.post(reverse("accounts:account"), {"display_name": "Ann Quigley",
                                            "email": world["ann"].email or "ann@example.org"})  # fmt: skip
    here.get(reverse("accounts:account"))  # "Saved your name." shown: no message waits
    with django_capture_on_commit_callbacks(execute=True):  # the visit is remembered
        there.get(url)  # the other session renders the page with the name it holds
    assert "Signed in as <strong>Ann Quigley</strong>" in html(here.get(url))


def test_a_lesson_page_rendered_for_keeping_costs_no_query_more_than_its_view(
    world, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The state's query holds the content version, which the page's parts then need not read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ann = client_for(world["ann"])
    url = lesson_url(world["lessons"][0])
    with django_capture_on_commit_callbacks(execute=True):
        ann.get(url)  # the visit recorded and remembered; the app's caches warm
    counts = {}
    for seconds in (0, 60):
        settings.PERSONAL_PAGE_SECONDS = seconds
        caches["personal"].clear()
        with CaptureQueriesContext(connection) as queries:
            assert ann.get(url).status_code == 200
        counts[seconds] = len(queries)
    assert counts[60] == counts[0]
