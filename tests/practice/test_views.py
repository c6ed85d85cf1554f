"""practice/views.py and the embeds: answering in place, with and without htmx, signed in or not."""

import re
import uuid
from urllib.parse import unquote

import pytest
from django.urls import reverse

from lessons.models import LessonCompletion
from practice.models import BlockAnswer

from .conftest import form

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def answer_url(block):
    return reverse("practice:answer", kwargs={"slug": block.slug})


def test_lesson_shows_each_block_as_a_form_without_answers_or_outcome(
    client, lesson, check, predict
):
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert 'id="check-pick-one"' in page and 'id="predict-guess-it"' in page
    assert "PROMPT-pick-one" in page and "SCENARIO-guess-it" in page
    assert f'action="{answer_url(check)}"' in page and f'hx-post="{answer_url(check)}"' in page
    assert "<legend>" in page and 'aria-live="polite"' in page
    # Nothing that gives the answer away before the learner has answered.
    assert "OUTCOME-guess-it" not in page and "OUTCOME-pick-one" not in page
    assert "FEEDBACK" not in page and "is-right" not in page


def test_predict_outcome_is_not_in_the_page_for_a_learner_who_has_not_predicted(
    learner_client, lesson, predict
):
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "SCENARIO-guess-it" in page
    assert "OUTCOME-guess-it" not in page


def test_htmx_answer_swaps_in_feedback_on_every_choice_and_stores_it(
    learner_client, learner, lesson, check
):
    data = form(check, picks=["wrong A"], confidence="think_so", next_url=lesson.get_absolute_url())
    response = learner_client.post(answer_url(check), data, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="check-pick-one"' in body
    assert "Not quite" in body and "You said: think so." in body
    for text in ("right", "wrong A", "wrong B"):
        assert f"FEEDBACK {text}" in body
    assert "Try again" in body and 'hx-get="/practice/pick-one/?next=' in body
    answer = BlockAnswer.objects.get(user=learner, block=check)
    assert answer.is_first and answer.is_correct is False and answer.confidence == "think_so"
    assert [c.text for c in answer.choices.all()] == ["wrong A"]


def test_answer_without_javascript_redirects_to_the_block_where_the_stored_answer_shows(
    learner_client, lesson, check
):
    data = form(check, picks=["right"], next_url=lesson.get_absolute_url())
    response = learner_client.post(answer_url(check), data)
    assert response.status_code == 303
    assert response["Location"] == lesson.get_absolute_url() + "#check-pick-one"
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "badge-ok" in page and "FEEDBACK right" in page and "OUTCOME-pick-one" in page


def test_trying_again_keeps_every_try_and_only_the_first_is_first(
    learner_client, learner, lesson, check
):
    for pick in ("wrong A", "right", "wrong B"):
        learner_client.post(answer_url(check), form(check, picks=[pick]), headers=HX)
    answers = list(BlockAnswer.objects.filter(user=learner).order_by("id"))
    assert [a.is_first for a in answers] == [True, False, False]
    assert [a.is_correct for a in answers] == [False, True, False]
    # The lesson shows the latest try.
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "Not quite" in page


def test_try_again_gives_a_blank_form_as_a_region_or_a_page(learner_client, lesson, check):
    learner_client.post(answer_url(check), form(check, picks=["right"]))
    url = (
        reverse("practice:block", kwargs={"slug": check.slug})
        + "?next="
        + lesson.get_absolute_url()
    )
    region = learner_client.get(url, headers=HX).content.decode()
    assert "<html" not in region and 'name="choice"' in region and " checked" not in region
    assert "FEEDBACK" not in region
    page = learner_client.get(url).content.decode()
    assert "<html" in page and 'name="choice"' in page
    assert f'href="{lesson.get_absolute_url()}#check-pick-one"' in page


def test_prediction_in_words_reveals_the_outcome_beside_it(
    learner_client, learner, lesson, predict
):
    data = form(predict, text="The broad model wins.", confidence="sure")
    body = learner_client.post(answer_url(predict), data, headers=HX).content.decode()
    assert "What you predicted" in body and "The broad model wins." in body
    assert "OUTCOME-guess-it" in body
    answer = BlockAnswer.objects.get(user=learner, block=predict)
    assert answer.is_correct is None and answer.text == "The broad model wins."
    assert "sure and wrong" not in body  # words have no right or wrong


def test_sure_and_wrong_says_it_is_worth_a_second_look(learner_client, lesson, check):
    data = form(check, picks=["wrong A"], confidence="sure")
    body = learner_client.post(answer_url(check), data, headers=HX).content.decode()
    assert "You were sure and wrong: worth a second look" in body
    body = learner_client.post(
        answer_url(check), form(check, picks=["right"], confidence="sure"), headers=HX
    ).content.decode()
    assert "sure and wrong" not in body


def test_anonymous_reader_gets_feedback_and_nothing_is_stored(client, lesson, check):
    data = form(check, picks=["right"], next_url=lesson.get_absolute_url())
    region = client.post(answer_url(check), data, headers=HX).content.decode()
    assert "badge-ok" in region and "log in</a> to keep your answers" in region
    page = client.post(
        answer_url(check), form(check, picks=["wrong B"], next_url=lesson.get_absolute_url())
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert "<html" in body and "FEEDBACK wrong B" in body
    assert f'href="{lesson.get_absolute_url()}#check-pick-one"' in body
    assert BlockAnswer.objects.count() == 0


def test_a_double_submit_stores_one_answer_and_answers_the_same(learner_client, lesson, check):
    token = uuid.uuid4()
    data = form(check, picks=["right"], token=token, next_url=lesson.get_absolute_url())
    first = learner_client.post(answer_url(check), data)
    second = learner_client.post(answer_url(check), data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert BlockAnswer.objects.count() == 1


def test_a_used_token_with_another_answer_is_refused(learner_client, lesson, check):
    token = uuid.uuid4()
    learner_client.post(answer_url(check), form(check, picks=["right"], token=token))
    for headers, status in (({}, 409), (HX, 422)):  # htmx swaps a 422 in place (core.refusals)
        response = learner_client.post(
            answer_url(check), form(check, picks=["wrong A"], token=token), headers=headers
        )
        assert response.status_code == status
        assert "already sent with another answer" in response.content.decode()
    assert BlockAnswer.objects.count() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"choice": ["not-a-number"]}, "not one of this question"),
        ({"choice": []}, "Choose an answer first"),
        ({"confidence": "certain"}, "how sure you are"),
        ({"token": "not-a-uuid"}, "submission token"),
        ({"token": ""}, "submission token"),
        ({"text": "words for a choice question"}, "answered by choosing"),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message_and_stores_nothing(
    learner_client, lesson, check, change, message
):
    data = form(check, picks=["right"]) | change
    for headers, status in ((HX, 422), ({}, 400)):  # htmx swaps a 422 in place (core.refusals)
        response = learner_client.post(answer_url(check), data, headers=headers)
        assert response.status_code == status
        assert message in response.content.decode()
    assert BlockAnswer.objects.count() == 0


def test_a_choice_of_another_block_is_refused(learner_client, lesson, check, course):
    from tests.factories import make_block

    other = make_block(course=course, slug="other")
    data = form(check) | {"choice": [str(other.choices.first().pk)]}
    response = learner_client.post(answer_url(check), data)
    assert response.status_code == 400
    assert BlockAnswer.objects.count() == 0


def test_two_choices_for_a_one_answer_question_are_refused(learner_client, check):
    response = learner_client.post(answer_url(check), form(check, picks=["right", "wrong A"]))
    assert response.status_code == 400 and "Choose one answer" in response.content.decode()


def test_an_empty_prediction_is_refused(learner_client, predict):
    response = learner_client.post(answer_url(predict), form(predict, text="   "), headers=HX)
    assert response.status_code == 422 and "Write your prediction" in response.content.decode()
    assert BlockAnswer.objects.count() == 0


def test_no_confidence_is_fine_it_is_optional(learner_client, learner, check):
    learner_client.post(answer_url(check), form(check, picks=["right"]))
    assert BlockAnswer.objects.get(user=learner).confidence == ""


def test_an_unknown_slug_is_a_404(learner_client, client):
    for who in (learner_client, client):
        assert (
            who.post("/practice/no-such-block/answer/", {"token": str(uuid.uuid4())}).status_code
            == 404
        )
        assert who.get("/practice/no-such-block/").status_code == 404


def test_the_next_address_must_be_a_path_on_this_site(learner_client, check):
    data = form(check, picks=["right"], next_url="https://evil.example/")
    response = learner_client.post(answer_url(check), data)
    assert response["Location"] == "/#check-pick-one"


def test_methods_are_declared(client, check):
    assert client.get(answer_url(check)).status_code == 405
    assert client.post(reverse("practice:block", kwargs={"slug": check.slug})).status_code == 405


def test_a_draft_course_block_is_hidden_from_learners_and_previewed_unsaved_by_staff(
    learner_client, client, instructor, course, check
):
    course.is_published = False
    course.save()
    assert learner_client.post(answer_url(check), form(check, picks=["right"])).status_code == 404
    client.force_login(instructor)
    response = client.post(answer_url(check), form(check, picks=["right"]), headers=HX)
    assert response.status_code == 200 and "the answer was not saved" in response.content.decode()
    assert BlockAnswer.objects.count() == 0


def test_answering_every_block_of_a_lesson_completes_it(
    learner_client, learner, lesson, check, predict
):
    learner_client.post(answer_url(check), form(check, picks=["wrong A"]))
    assert not LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()
    body = learner_client.post(answer_url(predict), form(predict, text="A guess."), headers=HX)
    assert "it is marked complete" in body.content.decode()
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()


def test_a_block_in_two_lessons_counts_in_both(learner_client, learner, course, check):
    from tests.factories import make_lesson

    one = make_lesson(course=course, slug="one", body="[[check:pick-one]]")
    two = make_lesson(course=course, slug="two", body="Text.\n\n[[check:pick-one]]")
    learner_client.post(answer_url(check), form(check, picks=["right"]))
    done = set(LessonCompletion.objects.filter(user=learner).values_list("lesson__slug", flat=True))
    assert done == {one.slug, two.slug}


def test_the_lesson_says_how_many_checks_are_answered(learner_client, lesson, check):
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "0 of 2 checks answered" in page
    learner_client.post(answer_url(check), form(check, picks=["right"]))
    page = learner_client.get(lesson.get_absolute_url()).content.decode()
    assert "1 of 2 checks answered" in page
    learner_client.logout()
    assert "checks answered" not in learner_client.get(lesson.get_absolute_url()).content.decode()


def test_the_course_overview_lists_checks_answered_per_lesson(
    learner_client, lesson, check, course
):
    learner_client.post(answer_url(check), form(check, picks=["right"]))
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert "Checks answered: 1 of 2" in page and "Practice lesson" in page


def test_checks_do_not_change_course_completion(learner, lesson, course):
    from lessons import assessments

    tallies = assessments.tallies(user=learner, course_ids=[course.pk])
    assert tallies[course.pk] == assessments.Tally(0, 0)


def test_a_missing_block_shows_a_notice_not_an_error(client, course):
    from tests.factories import make_lesson

    lesson = make_lesson(course=course, body="[[check:gone]]")  # saved without the admin's check
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200 and "embed-missing" in response.content.decode()


def test_a_block_embedded_under_the_wrong_kind_shows_the_notice(client, course, check):
    from tests.factories import make_lesson

    lesson = make_lesson(course=course, body="[[predict:pick-one]]")
    assert "embed-missing" in client.get(lesson.get_absolute_url()).content.decode()


def test_an_htmx_answer_updates_the_lessons_tally_out_of_band(learner_client, lesson, check):
    data = form(check, picks=["right"], next_url=lesson.get_absolute_url())
    body = learner_client.post(answer_url(check), data, headers=HX).content.decode()
    assert 'id="practice-tally"' in body and 'hx-swap-oob="true"' in body
    assert "1 of 2 checks answered" in body
    elsewhere = learner_client.post(
        answer_url(check), form(check, picks=["right"], next_url="/"), headers=HX
    )
    assert "practice-tally" not in elsewhere.content.decode()


def test_the_log_in_link_on_a_visitors_answer_page_leads_back_to_the_lesson(client, lesson, check):
    right = check.choices.get(is_correct=True)
    response = client.post(
        reverse("practice:answer", args=[check.slug]),
        {"choice": right.pk, "next": lesson.get_absolute_url(), "token": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    links = re.findall(r'href="' + reverse("login") + r'\?next=([^"]*)"', response.content.decode())
    assert links and {unquote(link).split("#")[0] for link in links} == {lesson.get_absolute_url()}
