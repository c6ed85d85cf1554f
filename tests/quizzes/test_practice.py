"""quizzes/practice_views.py: practice mode, one question at a time with feedback after each,
with htmx and without, and the answers stored in the open attempt until it is graded."""

import pytest
from django.urls import reverse

from quizzes.models import Attempt, Response
from tests.html import elements

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def practice(make_quiz):
    return make_quiz(mode="practice")


def take_url(quiz):
    return reverse("quizzes:take", kwargs={"quiz": quiz.slug})


def answer_url(quiz):
    return reverse("quizzes:answer", kwargs={"quiz": quiz.slug})


def step(client, quiz):
    """GET the quiz page; return its html, the open attempt and the question it asks."""
    response = client.get(take_url(quiz))
    assert response.status_code == 200
    html = response.content.decode()
    attempt = Attempt.objects.get(quiz=quiz, submitted_at__isnull=True)
    (field,) = elements(html, "input", name="question")
    return html, attempt, quiz.questions.get(pk=int(field.attrs["value"]))


def answer_data(attempt, question, *, right=True, confidence=""):
    choices = list(question.choices.all())
    picked = [c for c in choices if c.is_correct] if right else [next(c for c in choices if not c.is_correct)]
    return {"attempt": attempt.pk, "question": question.pk,
            f"q{question.pk}": [str(c.pk) for c in picked], f"c{question.pk}": confidence}  # fmt: skip


def test_the_page_asks_one_question_with_its_confidence_and_no_feedback_yet(learner_client, practice):
    html, attempt, question = step(learner_client, practice)
    assert attempt.is_practice
    assert html.count('<fieldset class="question"') == 1 and html.count('<fieldset class="confidence"') == 1
    (form,) = elements(html, "form", class_="practice-form")
    assert form.attrs["action"] == form.attrs["hx-post"] == answer_url(practice)
    assert "Question 1 of 3" in html and "Answered 0 of 3." in html
    (live,) = elements(html, "section", id="practice-feedback")
    assert live.attrs["aria-live"] == "polite"
    assert "FEEDBACK" not in html and "EXPLANATION" not in html


def test_without_javascript_the_answer_is_stored_and_the_page_shows_its_feedback_and_the_next(
    learner_client, practice
):
    _, attempt, first = step(learner_client, practice)
    response = learner_client.post(answer_url(practice), answer_data(attempt, first, right=False, confidence="sure"))
    assert response.status_code == 302
    assert response["Location"] == take_url(practice) + "#practice-feedback"
    (stored,) = Response.objects.filter(attempt=attempt)
    assert (stored.question_id, stored.is_correct, stored.confidence) == (first.pk, False, "sure")
    html, same, second = step(learner_client, practice)
    assert same.pk == attempt.pk and second.pk != first.pk
    feedback = elements(html, "section", id="practice-feedback")[0].text
    assert "Question 1: Not right" in feedback and "You were sure, and this was wrong." in feedback
    # Feedback on every choice, picked or not, and the explanation.
    for choice in first.choices.all():
        assert choice.feedback in feedback
    assert f"EXPLANATION-{first.order}" in feedback
    assert "Answered 1 of 3." in html and "Question 2 of 3" in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_with_htmx_the_feedback_and_the_next_question_swap_in(learner_client, practice):
    _, attempt, first = step(learner_client, practice)
    response = learner_client.post(answer_url(practice), answer_data(attempt, first), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="quiz"')
    (live,) = elements(html, "section", id="practice-feedback")
    assert "data-quiz-focus" in live.attrs and "Question 1: Right" in live.text
    assert "Question 2 of 3" in html


def test_the_last_answer_offers_the_result_and_finishing_grades_the_stored_answers(learner_client, practice):
    for right in (True, False, True):
        _, attempt, question = step(learner_client, practice)
        learner_client.post(answer_url(practice), answer_data(attempt, question, right=right, confidence="think_so"))
    html = learner_client.get(take_url(practice)).content.decode()
    assert "You have answered all 3 questions." in html
    (finish,) = elements(html, "form", class_="practice-finish")
    assert finish.attrs["action"] == take_url(practice)
    response = learner_client.post(take_url(practice), {"attempt": attempt.pk})
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.percent, attempt.passed) == (2, 3, 66, False)
    assert Response.objects.filter(attempt=attempt).count() == 3
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    # Think so on each: 2 + 2 - 2 of the best 9.
    assert "2 of 3" in page
    assert elements(page, "p", class_="result-certainty")[0].text == "Certainty-based score: 22%"


def test_finishing_with_htmx_swaps_in_the_result(learner_client, practice):
    for _ in range(3):
        _, attempt, question = step(learner_client, practice)
        learner_client.post(answer_url(practice), answer_data(attempt, question))
    response = learner_client.post(take_url(practice), {"attempt": attempt.pk}, headers=HTMX)
    assert response.status_code == 200 and "3 of 3" in response.content.decode()
    assert response["HX-Push-Url"] == attempt.get_absolute_url()


def test_finishing_before_every_answer_is_a_400_and_grades_nothing(learner_client, practice):
    _, attempt, question = step(learner_client, practice)
    learner_client.post(answer_url(practice), answer_data(attempt, question))
    response = learner_client.post(take_url(practice), {"attempt": attempt.pk})
    assert response.status_code == 400
    assert "before finishing: 2 questions are unanswered" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_a_double_submit_saves_one_answer_and_the_first_stands(learner_client, practice, headers):
    _, attempt, question = step(learner_client, practice)
    learner_client.post(answer_url(practice), answer_data(attempt, question, right=True), headers=headers)
    again = learner_client.post(answer_url(practice), answer_data(attempt, question, right=False), headers=headers)
    assert again.status_code == 200
    assert "your first answer stands" in again.content.decode()
    (stored,) = Response.objects.filter(attempt=attempt)
    assert stored.is_correct and stored.chosen.count() == 1


@pytest.mark.parametrize(("headers", "status"), [({}, 400), (HTMX, 422)], ids=["full-page", "htmx"])
def test_an_empty_answer_asks_again_and_saves_nothing(learner_client, practice, headers, status):
    _, attempt, question = step(learner_client, practice)
    data = answer_data(attempt, question)
    del data[f"q{question.pk}"]
    response = learner_client.post(answer_url(practice), data, headers=headers)
    assert response.status_code == status  # 422 for htmx: swapped in place (core.refusals)
    assert "Choose an answer to this question." in response.content.decode()
    assert not Response.objects.exists()


def _forge(data, attempt, question, how, other):
    if how == "choice of another question":
        data[f"q{question.pk}"] = [str(other.choices.first().pk)]
    elif how == "bad confidence":
        data[f"c{question.pk}"] = "certain"
    elif how == "question not in the attempt":
        data["question"] = "999999"
    elif how == "question not a number":
        data["question"] = "1²"
    elif how == "no attempt":
        del data["attempt"]
    elif how == "someone else's attempt":
        data["attempt"] = str(attempt.pk + 1000)
    return data


@pytest.mark.parametrize("how", ["choice of another question", "bad confidence", "question not in the attempt",
                                 "question not a number", "no attempt", "someone else's attempt"])  # fmt: skip
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_forged_steps_are_a_400_with_a_message_and_save_nothing(learner_client, practice, how, headers):
    _, attempt, question = step(learner_client, practice)
    other = practice.questions.exclude(pk=question.pk).first()
    data = _forge(answer_data(attempt, question), attempt, question, how, other)
    response = learner_client.post(answer_url(practice), data, headers=headers)
    assert response.status_code == (422 if headers else 400)
    html = response.content.decode()
    assert "We could not accept those answers" in html and ("<html" in html) is not bool(headers)
    assert not Response.objects.exists()


def test_an_exam_attempt_cannot_be_answered_step_by_step(learner_client, make_quiz):
    quiz = make_quiz(mode="exam")
    learner_client.get(take_url(quiz))
    attempt = Attempt.objects.get()
    question = quiz.questions.first()
    response = learner_client.post(answer_url(quiz), answer_data(attempt, question))
    assert response.status_code == 400 and "takes every answer at once" in response.content.decode()
    assert not Response.objects.exists()


def test_a_step_of_a_submitted_attempt_leads_to_its_result(learner_client, practice):
    for _ in range(3):
        _, attempt, question = step(learner_client, practice)
        learner_client.post(answer_url(practice), answer_data(attempt, question))
    learner_client.post(take_url(practice), {"attempt": attempt.pk})
    response = learner_client.post(answer_url(practice), answer_data(attempt, question))
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert Response.objects.count() == 3


def test_the_answer_url_takes_posts_only(learner_client, practice):
    assert learner_client.get(answer_url(practice)).status_code == 405


def test_a_practice_pool_asks_only_the_drawn_questions(learner_client, make_quiz):
    quiz = make_quiz(kinds=["single"] * 5, mode="practice", draw_count=2)
    for _ in range(2):
        _, attempt, question = step(learner_client, quiz)
        assert question.pk in attempt.question_order
        learner_client.post(answer_url(quiz), answer_data(attempt, question))
    assert "You have answered all 2 questions." in learner_client.get(take_url(quiz)).content.decode()
    learner_client.post(take_url(quiz), {"attempt": attempt.pk})
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total) == (2, 2)


@pytest.mark.parametrize("finishing", [False, True])
def test_a_practice_step_costs_a_fixed_number_of_queries(
    learner_client, make_quiz, django_assert_num_queries, finishing
):
    quiz = make_quiz(kinds=["single", "multiple", "true_false"] * 4, mode="practice")
    _, attempt, question = step(learner_client, quiz)
    data = answer_data(attempt, question)
    # Session, user, quiz, attempts, questions, choices, stored answers, the response and
    # its chosen choices; plus the transaction's SAVEPOINT and RELEASE, which outside a test
    # are a BEGIN and COMMIT that Django does not log (benchmarks/budgets.py counts 9).
    with django_assert_num_queries(9 + 2):
        learner_client.post(answer_url(quiz), data, headers=HTMX)
    if finishing:
        for _ in range(11):
            _, attempt, question = step(learner_client, quiz)
            learner_client.post(answer_url(quiz), answer_data(attempt, question))
        # Session, user, quiz, attempts, questions, choices, stored answers, grading the
        # attempt; and the transaction's two statements.
        with django_assert_num_queries(8 + 2):
            learner_client.post(take_url(quiz), {"attempt": attempt.pk}, headers=HTMX)
