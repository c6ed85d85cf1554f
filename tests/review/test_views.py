"""/review/: one due card at a time, feedback after answering, snooze, on/off, bad input refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from review.models import Card, ReviewLog, ReviewSettings
from tests.factories import make_card

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
QUEUE = "/review/"
HX = {"HX-Request": "true"}


def answer_url(card):
    return reverse("review:answer", kwargs={"card": card.pk})


def choice(item, text):
    return str(item.choices.get(text=text).pk)


@pytest.fixture
def due(learner, check):
    return make_card(user=learner, item=check, due=timezone.now() - DAY)


def test_the_queue_shows_one_due_card_as_a_form(learner_client, due, quiz, learner):
    make_card(user=learner, item=quiz.questions.first(), due=timezone.now() - 2 * DAY)
    html = learner_client.get(QUEUE).content.decode()
    assert html.count('class="review-card') == 1
    assert "Question 1 of q?" in html  # due longest ago comes first
    assert "<legend>How sure are you?" in html and "FEEDBACK" not in html
    assert 'href="/review/"' in html and "review-count" in html


def test_nothing_due_says_when_the_next_review_is(learner_client, learner, check):
    make_card(user=learner, item=check, due=timezone.now() + 3 * DAY)
    html = learner_client.get(QUEUE).content.decode()
    assert "Nothing due." in html and "Next review on" in html
    assert "review-count" not in html


def test_answering_without_javascript_redirects_to_the_feedback_and_next_card(learner_client, due, check):
    response = learner_client.post(answer_url(due), {"choice": choice(check, "wrong A"), "confidence": "sure"})
    assert response.status_code == 303
    log = ReviewLog.objects.get()
    assert response["Location"] == f"/review/?reviewed={log.pk}"
    html = learner_client.get(response["Location"]).content.decode()
    assert "Not quite" in html and "You were sure and wrong" in html
    for text in ("right", "wrong A", "wrong B"):
        assert f"FEEDBACK {text}" in html
    assert "OUTCOME-pick-one" in html


def test_answering_with_htmx_swaps_the_region_with_feedback(learner_client, due, check):
    response = learner_client.post(answer_url(due), {"choice": choice(check, "right")}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="review"' in html and "Right" in html and "FEEDBACK right" in html
    assert 'hx-swap-oob="true"' in html  # the header's count follows
    due.refresh_from_db()
    assert due.due > timezone.now()


def test_a_quiz_question_shows_its_feedback_and_right_answer(learner_client, learner, quiz):
    question = quiz.questions.first()
    card = make_card(user=learner, item=question, due=timezone.now() - DAY)
    response = learner_client.post(answer_url(card), {"choice": choice(question, "wrong A (1)")}, headers=HX)
    html = response.content.decode()
    assert "tag-right" in html and "Because." in html


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"choice": "999999"}, 400, "not one of this question"),
        ({"choice": "abc"}, 400, "not one of this question"),
        ({}, 400, "Choose an answer first"),
        ({"choice": "RIGHT", "confidence": "very"}, 400, "Choose how sure"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(learner_client, due, check, data, status, message):
    if data.get("choice") == "RIGHT":
        data = {**data, "choice": choice(check, "right")}
    before = Card.objects.get(pk=due.pk).due
    response = learner_client.post(answer_url(due), data)
    assert response.status_code == status and message in response.content.decode()
    assert Card.objects.get(pk=due.pk).due == before and not ReviewLog.objects.exists()


def test_a_choice_of_another_question_is_refused(learner_client, due, course):
    from tests.factories import make_block

    other = str(make_block(course=course, slug="another").choices.first().pk)
    response = learner_client.post(answer_url(due), {"choice": other})
    assert response.status_code == 400 and not ReviewLog.objects.exists()


def test_a_card_that_is_not_due_is_refused(learner_client, learner, check):
    card = make_card(user=learner, item=check, due=timezone.now() + DAY)
    response = learner_client.post(answer_url(card), {"choice": choice(check, "right")})
    assert response.status_code == 409 and "not due" in response.content.decode()
    assert not ReviewLog.objects.exists()


def test_someone_elses_card_or_a_made_up_one_is_not_found(learner_client, make_user, check):
    other = make_card(user=make_user("other"), item=check, due=timezone.now() - DAY)
    for url in (answer_url(other), "/review/cards/987654/answer/"):
        response = learner_client.post(url, {"choice": choice(check, "right")})
        assert response.status_code == 404 and "not in your reviews" in response.content.decode()
    assert learner_client.post("/review/cards/x1/answer/").status_code == 404
    assert not ReviewLog.objects.exists()


def test_snoozing_one_card_or_all(learner_client, due, learner, quiz):
    other = make_card(user=learner, item=quiz.questions.first(), due=timezone.now() - DAY)
    assert learner_client.post(reverse("review:snooze", kwargs={"card": due.pk})).status_code == 303
    due.refresh_from_db()
    assert due.due > timezone.now() + DAY - datetime.timedelta(minutes=1)
    response = learner_client.post(reverse("review:snooze_all"), headers=HX)
    assert response.status_code == 200 and "Nothing due." in response.content.decode()
    other.refresh_from_db()
    assert other.due > timezone.now()


def test_turning_reviews_off_hides_the_count_and_says_how_to_turn_them_on(learner_client, due, learner):
    assert learner_client.post(reverse("review:settings"), {"reviews": "off"}).status_code == 303
    html = learner_client.get(QUEUE).content.decode()
    assert "Your reviews are off" in html and "Turn reviews on" in html
    assert "review-count" not in html and 'class="review-card' not in html
    assert learner_client.post(answer_url(due), {"choice": "1"}).status_code == 409
    assert learner_client.post(reverse("review:settings"), {"reviews": "maybe"}).status_code == 400
    learner_client.post(reverse("review:settings"), {"reviews": "on"})
    assert ReviewSettings.objects.get(user=learner).reviews_on
    assert "review-count" in learner_client.get(QUEUE).content.decode()


def test_the_header_count_costs_no_query_once_cached(learner_client, due, django_assert_num_queries, settings):
    settings.PERSONAL_PAGE_SECONDS = 0  # the catalog's view runs each time
    learner_client.get("/")  # fills the cache
    with django_assert_num_queries(5):  # the catalog's own: session, user, courses and more
        html = learner_client.get("/").content.decode()
    assert "review-count" in html


def test_answering_a_check_refreshes_the_count(learner_client, learner, lesson, check, on_commit):
    from tests.practice.conftest import form

    assert "review-count" not in learner_client.get("/").content.decode()
    with on_commit():
        learner_client.post(reverse("practice:answer", kwargs={"slug": check.slug}),
                            form(check, picks=["wrong A"]))  # fmt: skip
    Card.objects.update(due=timezone.now() - DAY)  # due now, without waiting a minute
    from review.selectors import forget_summaries

    forget_summaries([learner.pk])
    assert "review-count" in learner_client.get("/").content.decode()


def test_the_queue_needs_a_login(client):
    assert client.get(QUEUE).status_code == 302


def test_the_queue_partial_for_htmx_is_the_region_only(learner_client, due):
    html = learner_client.get(QUEUE, headers=HX).content.decode()
    assert "<html" not in html and html.lstrip().startswith('<section id="review"')
