"""The signed-in lesson page with what every learner shares kept per content version
(core/shared.py): each learner still sees only their own answers, predictions and done
marks, an edit shows on the next request, a learner's own change shows at once, and drafts
that staff preview never reach a learner's page."""

import re
import uuid

import pytest
from django.middleware.csrf import _does_token_match
from django.test import Client
from django.urls import reverse

from lessons.models import Lesson, LessonCompletion
from matrix.models import MatrixCell
from practice.models import Block
from tests.factories import (
    answer_block,
    make_block,
    make_course,
    make_lesson,
    make_matrix,
    submit_predictions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user):
    course = make_course(slug="shared-track", title="Shared track")
    block = make_block(course=course, slug="shared-check")
    cells = make_matrix(slug="base-strength")
    first = make_lesson(course=course, slug="first", order=1, title="First lesson")
    body = "Intro.\n\n[[check:shared-check]]\n\n[[matrix:base-strength]]\n\nEnd."
    lesson = make_lesson(course=course, slug="second", order=2, title="Second lesson", body=body)
    draft = make_lesson(course=course, slug="draft", order=3, title="DRAFT-SIBLING", status="draft")
    ann, bob = make_user("ann"), make_user("bob")
    staff = make_user("staff", is_staff=True, is_superuser=True)
    return {"course": course, "block": block, "cells": cells, "first": first, "lesson": lesson,
            "draft": draft, "ann": ann, "bob": bob, "staff": staff}  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, lesson) -> str:
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def outline_done(html: str) -> set[str]:
    """The lessons the outline marks done (it is on the page twice: narrow and wide)."""
    return set(re.findall(r'outline-item outline-lesson is-done[^"]*">\s*<a href="([^"]+)"', html))


def test_two_learners_never_see_each_others_answers_or_done_marks(world):
    ann, bob = client_for(world["ann"]), client_for(world["bob"])
    page(bob, world["lesson"])  # bob's view fills the shared cache first
    answer_block(user=world["ann"], block=world["block"], right=True)
    LessonCompletion.objects.create(user=world["ann"], lesson=world["first"])
    submit_predictions(user=world["ann"], matrix=world["cells"][0].column.matrix)
    mine, theirs = page(ann, world["lesson"]), page(bob, world["lesson"])
    assert "FEEDBACK" in mine and "is-answered" in mine
    assert "FEEDBACK" not in theirs and "is-answered" not in theirs
    assert outline_done(mine) == {world["first"].get_absolute_url()}
    assert outline_done(theirs) == set()
    assert "1 of 2 lessons done" in mine and "0 of 2 lessons done" in theirs
    # The matrix region (explore, shared) shows no one's predictions.
    assert "You predicted" not in mine and "You predicted" not in theirs


def test_each_learners_page_carries_their_own_csrf_token(world):
    clients = [client_for(world["ann"]), client_for(world["bob"])]
    for client in clients:
        html = page(client, world["lesson"])
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        tokens |= set(re.findall(r'"X-CSRFToken": *"([^"]+)"', html))
        secret = client.cookies["csrftoken"].value
        assert tokens and all(_does_token_match(token, secret) for token in tokens)


def test_a_learners_own_answer_and_completion_show_at_once(world):
    ann = client_for(world["ann"])
    assert "is-answered" not in page(ann, world["lesson"])
    answer_block(user=world["ann"], block=world["block"], right=False)
    assert "is-answered" in page(ann, world["lesson"])
    ann.post(reverse("lessons:complete", kwargs={"course": "shared-track", "lesson": "second"}))
    html = page(ann, world["lesson"])
    assert "Lesson complete" in html
    assert outline_done(html) == {world["lesson"].get_absolute_url()}


def test_content_edits_show_on_the_next_request(world):
    ann = client_for(world["ann"])
    page(ann, world["lesson"])
    lesson = Lesson.objects.get(pk=world["lesson"].pk)
    lesson.title = "Renamed lesson"
    lesson.body = lesson.body.replace("Intro.", "NEW-INTRO.")
    lesson.save()
    first = Lesson.objects.get(pk=world["first"].pk)
    first.title = "Renamed sibling"
    first.save()
    html = page(ann, world["lesson"])
    assert "Renamed lesson" in html and "NEW-INTRO." in html and "Renamed sibling" in html
    block = Block.objects.get(pk=world["block"].pk)
    block.prompt = "EDITED-PROMPT: which?"
    block.save()
    assert "EDITED-PROMPT" in page(ann, world["lesson"])
    cell = MatrixCell.objects.get(pk=world["cells"][0].pk)
    cell.verdict = "EDITED-VERDICT"
    cell.save()
    assert "EDITED-VERDICT" in page(ann, world["lesson"])


def test_drafts_that_staff_preview_stay_out_of_learners_pages(world):
    staff, ann = client_for(world["staff"]), client_for(world["ann"])
    staff_page = page(staff, world["lesson"])
    assert "DRAFT-SIBLING" in staff_page
    assert staff.get(world["draft"].get_absolute_url()).status_code == 200
    assert "DRAFT-SIBLING" not in page(ann, world["lesson"])
    assert ann.get(world["draft"].get_absolute_url()).status_code == 404
    assert "Lesson 2 of 2" in page(ann, world["lesson"])


def test_an_unanswered_blocks_form_gets_a_new_submission_token_every_time(world):
    ann, bob = client_for(world["ann"]), client_for(world["bob"])
    pages = [page(ann, world["lesson"]), page(ann, world["lesson"]), page(bob, world["lesson"])]
    tokens = [re.findall(r'name="token" value="([^"]+)"', html) for html in pages]
    assert all(len(found) == 1 for found in tokens)
    flat = [uuid.UUID(found[0]) for found in tokens]
    assert len(set(flat)) == 3
    # And the kept form still answers: the learner's answer shows on the next view.
    response = ann.post(
        reverse("practice:answer", kwargs={"slug": "shared-check"}),
        {"token": str(flat[1]), "choice": [str(world["block"].choices.first().pk)]},
    )
    assert response.status_code in (200, 303)
    assert "is-answered" in page(ann, world["lesson"])
    assert "is-answered" not in page(bob, world["lesson"])
