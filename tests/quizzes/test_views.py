"""quizzes/views.py from the outside: taking a quiz, the result, bad input and permissions."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from lessons.models import Lesson
from quizzes.models import Attempt, Question, Response
from tests.factories import post_data
from tests.html import elements

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def take_url(quiz):
    return reverse("quizzes:take", kwargs={"quiz": quiz.slug})


def open_quiz(client, quiz):
    """GET the quiz page; return the response and the attempt it issued."""
    response = client.get(take_url(quiz))
    assert response.status_code == 200
    return response, Attempt.objects.filter(quiz=quiz, submitted_at__isnull=True).latest("pk")


def prompts_in_page(html):
    return [int(n) for n in re.findall(r"<strong>Prompt (\d+)</strong>", html)]


# Who may see the quiz ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, quiz):
    response = client.get(take_url(quiz))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={take_url(quiz)}"
    assert not Attempt.objects.exists()


def test_anonymous_posts_are_sent_to_log_in_and_nothing_is_saved(client, quiz):
    response = client.post(take_url(quiz), post_data(quiz=quiz))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("where", ["quiz", "course"])
def test_unpublished_quizzes_are_not_found_for_learners(learner_client, quiz, where):
    target = quiz if where == "quiz" else quiz.course
    target.is_published = False
    target.save()
    assert learner_client.get(take_url(quiz)).status_code == 404
    assert learner_client.get(reverse("quizzes:preview", args=[quiz.slug])).status_code == 404
    assert not Attempt.objects.exists()


def test_unknown_quiz_is_not_found(learner_client):
    assert learner_client.get("/quizzes/no-such-quiz/").status_code == 404


@pytest.fixture
def instructor(make_user):
    user = make_user("ines", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_quiz"))
    return user


def test_staff_opening_an_unpublished_quiz_get_the_preview_with_a_banner(client, instructor, quiz):
    quiz.is_published = False
    quiz.save()
    client.force_login(instructor)
    response = client.get(take_url(quiz))
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:preview", args=[quiz.slug])
    page = client.get(response["Location"]).content.decode()
    assert "Preview as learner" in page
    assert "not published" in page
    assert page.count('<fieldset class="question"') == 3
    assert 'name="attempt"' not in page
    assert not Attempt.objects.exists()


def test_a_submitted_preview_is_graded_but_not_saved(client, instructor, quiz):
    client.force_login(instructor)
    response = client.post(reverse("quizzes:preview", args=[quiz.slug]), post_data(quiz=quiz))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview result (not saved)" in page and "3 of 3" in page
    assert "EXPLANATION-1" in page
    assert not Attempt.objects.exists() and not Response.objects.exists()


def test_staff_without_quiz_permission_cannot_preview(client, make_user, quiz):
    client.force_login(make_user("sam", is_staff=True))
    assert client.get(reverse("quizzes:preview", args=[quiz.slug])).status_code == 404


def test_views_declare_their_methods(learner_client, quiz, learner):
    assert learner_client.put(take_url(quiz)).status_code == 405
    attempt = Attempt.objects.create(user=learner, quiz=quiz)
    assert learner_client.post(attempt.get_absolute_url()).status_code == 405


# The quiz page -----------------------------------------------------------------------------


def test_the_page_is_a_plain_form_with_radios_checkboxes_fieldsets_and_labels(learner_client, quiz):
    response, attempt = open_quiz(learner_client, quiz)
    page = response.content.decode()
    assert f'action="{take_url(quiz)}"' in page and 'method="post"' in page
    assert f'hx-post="{take_url(quiz)}"' in page
    assert f'name="attempt" value="{attempt.pk}"' in page
    assert page.count('<fieldset class="question"') == 3
    # Each question also asks how sure the learner is, in its own fieldset with a legend.
    assert page.count('<fieldset class="confidence"') == 3 and page.count("<legend") == 6
    single, multiple, true_false = quiz.questions.order_by("order")
    assert len(re.findall(rf'type="radio" name="q{single.pk}"', page)) == 3
    assert len(re.findall(rf'type="checkbox" name="q{multiple.pk}"', page)) == 4
    assert len(re.findall(rf'type="radio" name="q{true_false.pk}"', page)) == 2
    # Every input has a label pointing at it.
    ids = re.findall(r'<input type="(?:radio|checkbox)"[^>]* id="([^"]+)"', page)
    assert len(ids) == 9 + 3 * 3
    for input_id in ids:
        assert f'<label for="{input_id}">' in page
    # Prompts are the stored, rendered Markdown.
    assert "<strong>Prompt 1</strong>" in page
    assert "style=" not in page and "<script>" not in page


def test_the_attempt_is_issued_once_and_reused_on_reload(learner_client, quiz, learner):
    _, first = open_quiz(learner_client, quiz)
    _, again = open_quiz(learner_client, quiz)
    assert first.pk == again.pk
    assert Attempt.objects.filter(user=learner).count() == 1
    assert first.question_order == list(
        quiz.questions.order_by("order").values_list("pk", flat=True)
    )


def test_a_shuffled_quiz_keeps_its_order_for_the_attempt(learner_client, make_quiz):
    quiz = make_quiz(kinds=["single"] * 12 + ["multiple"] * 8, shuffle=True)
    response, attempt = open_quiz(learner_client, quiz)
    numbers = {q.pk: q.order for q in quiz.questions.all()}
    expected = [numbers[pk] for pk in attempt.question_order]
    assert sorted(expected) == list(range(1, 21))
    assert expected != sorted(expected), "20 questions left in order: shuffling did nothing"
    assert prompts_in_page(response.content.decode()) == expected
    assert set(attempt.choice_order) == {str(pk) for pk in numbers}

    reloaded = learner_client.get(take_url(quiz)).content.decode()
    assert prompts_in_page(reloaded) == expected
    for question_id, choice_ids in attempt.choice_order.items():
        positions = [reloaded.index(f'name="q{question_id}" value="{pk}"') for pk in choice_ids]
        assert positions == sorted(positions)


def test_nothing_in_the_page_reveals_the_right_answers(learner_client, quiz):
    """The leak test: right and wrong choices have the same markup, and no feedback shows."""
    html = open_quiz(learner_client, quiz)[0].content.decode()
    for choice in [c for q in quiz.questions.all() for c in q.choices.all()]:
        assert choice.feedback[:12] not in html
    for question in quiz.questions.all():
        assert question.explanation[:14] not in html
    assert "correct" not in html.lower()
    assert "<!--" not in html
    assert "data-" not in html.replace("data-quiz-focus", "")

    def shape(choice):
        match = re.search(
            rf'<div class="choice"><input (?P<input>[^>]*value="{choice.pk}"[^>]*)>'
            rf"<label (?P<label>[^>]*)>(?P<text>[^<]*)</label></div>",
            html,
        )
        assert match, f"no markup found for {choice.text}"
        neutral = (
            match["input"]
            .replace(f'value="{choice.pk}"', "")
            .replace(f"q{choice.question_id}", "Q")
        )
        neutral = re.sub(r'id="[^"]+"', "", neutral)
        return neutral, re.sub(r'for="[^"]+"', "", match["label"])

    for question in quiz.questions.prefetch_related("choices"):
        shapes = {shape(choice) for choice in question.choices.all()}
        assert len(shapes) == 1, f"right and wrong choices differ in markup: {shapes}"


# Submitting --------------------------------------------------------------------------------


def test_submitting_without_javascript_redirects_to_the_graded_attempt(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    response = learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt))
    assert response.status_code == 302
    assert response["Location"] == f"/quizzes/{quiz.slug}/attempts/{attempt.pk}/"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.percent, attempt.passed) == (3, 3, 100, True)
    assert Response.objects.filter(attempt=attempt).count() == 3


def test_submitting_with_htmx_swaps_in_the_result_and_pushes_its_url(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    response = learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt), headers=HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="result"')
    assert "3 of 3" in page and "Passed" in page
    assert response["HX-Push-Url"] == attempt.get_absolute_url()


def test_the_result_shows_answers_right_answers_feedback_and_explanations(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    data = post_data(quiz=quiz, attempt=attempt)
    multiple = quiz.questions.get(kind=Question.Kind.MULTIPLE)
    picked = multiple.choices.get(order=1)
    data[f"q{multiple.pk}"] = [str(picked.pk)]  # half of the right set
    learner_client.post(take_url(quiz), data)
    page = learner_client.get(attempt.get_absolute_url()).content.decode()

    assert "2 of 3" in page and "(66%)" in page and "Not passed" in page
    assert "The pass mark is 70%" in page
    review = page[page.index('id="review-2"') : page.index('id="review-3"')]
    assert "Wrong" in review
    assert picked.text in review and picked.feedback in review
    for right in multiple.choices.filter(is_correct=True):
        assert review.count(right.text) == (2 if right == picked else 1), "said once as the key"
    not_picked = multiple.choices.get(order=3)
    assert not_picked.feedback not in page, "only the feedback of picked choices is shown"
    assert "EXPLANATION-2" in review
    for number in (1, 2, 3):
        assert f"EXPLANATION-{number}" in page


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_unanswered_questions_bring_the_form_back_with_answers_kept(learner_client, quiz, headers):
    _, attempt = open_quiz(learner_client, quiz)
    data = post_data(quiz=quiz, attempt=attempt)
    single, multiple, true_false = quiz.questions.order_by("order")
    del data[f"q{multiple.pk}"], data[f"q{true_false.pk}"]
    response = learner_client.post(take_url(quiz), data, headers=headers)

    # Bad input is a 400; htmx gets 422, which it swaps in place of the form (core.refusals).
    assert response.status_code == (422 if headers else 400)
    page = response.content.decode()
    assert ("<html" in page) is not bool(headers)
    assert "Answer every question before submitting" in page
    assert page.count('class="errorlist question-error"') == 2
    assert 'id="question-2-error"' in page and 'id="question-3-error"' in page
    assert 'id="question-1-error"' not in page
    kept = single.choices.get(is_correct=True).pk
    assert re.search(rf'name="q{single.pk}" value="{kept}"[^>]*checked', page)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Response.objects.exists()


def _forged(quiz, attempt, how):
    data = post_data(quiz=quiz, attempt=attempt)
    single, _multiple, true_false = quiz.questions.order_by("order")
    if how == "choice-of-another-question":
        data[f"q{single.pk}"] = [str(true_false.choices.first().pk)]
    elif how == "not-a-number":
        data[f"q{single.pk}"] = ["abc"]
    elif how == "no-attempt":
        del data["attempt"]
    elif how == "attempt-not-a-number":
        data["attempt"] = "12x"
    elif how == "unknown-attempt":
        data["attempt"] = str(attempt.pk + 1000)
    return data


@pytest.mark.parametrize(
    "how",
    ["choice-of-another-question", "not-a-number", "no-attempt", "attempt-not-a-number",
     "unknown-attempt"],
)  # fmt: skip
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_forged_submissions_get_a_400_with_a_message_and_save_nothing(
    learner_client, quiz, how, headers
):
    _, attempt = open_quiz(learner_client, quiz)
    response = learner_client.post(take_url(quiz), _forged(quiz, attempt, how), headers=headers)
    assert response.status_code == (422 if headers else 400)
    page = response.content.decode()
    assert "We could not accept those answers" in page
    assert "Nothing was saved" in page
    assert ("<html" in page) is not bool(headers)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Response.objects.exists()


def test_someone_elses_attempt_id_is_refused_and_theirs_is_untouched(client, quiz, make_user):
    other = make_user("omar")
    client.force_login(other)
    _, theirs = open_quiz(client, quiz)
    me = make_user("mina")
    client.force_login(me)
    open_quiz(client, quiz)
    response = client.post(take_url(quiz), post_data(quiz=quiz, attempt=theirs))
    assert response.status_code == 400
    assert "not one of yours" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.submitted_at is None and not Response.objects.exists()


def test_an_attempt_at_another_quiz_is_refused(learner_client, quiz, make_quiz):
    other = make_quiz(slug="other-quiz")
    _, elsewhere = open_quiz(learner_client, other)
    response = learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=elsewhere))
    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.submitted_at is None


def test_posting_the_same_attempt_twice_grades_it_once(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    first = learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt))
    second = learner_client.post(take_url(quiz), post_data(quiz=quiz, right=False, attempt=attempt))
    assert first["Location"] == second["Location"] == attempt.get_absolute_url()
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert Response.objects.filter(attempt=attempt).count() == 3
    page = learner_client.get(second["Location"]).content.decode()
    assert "already submitted, so it was graded only once" in page

    again = learner_client.post(
        take_url(quiz), post_data(quiz=quiz, right=False, attempt=attempt), headers=HTMX
    )
    assert again.status_code == 200
    assert "graded only once" in again.content.decode() and "3 of 3" in again.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).score == 3


# The result page ---------------------------------------------------------------------------


def test_someone_elses_attempt_page_is_not_found(client, quiz, make_user):
    client.force_login(make_user("omar"))
    _, theirs = open_quiz(client, quiz)
    client.post(take_url(quiz), post_data(quiz=quiz, attempt=theirs))
    client.force_login(make_user("mina"))
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(f"/quizzes/other-slug/attempts/{theirs.pk}/").status_code == 404


def test_an_open_attempt_page_leads_back_to_the_quiz(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    response = learner_client.get(attempt.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == take_url(quiz)


def test_the_result_page_full_and_as_a_partial(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt))
    full = learner_client.get(attempt.get_absolute_url()).content.decode()
    partial = learner_client.get(attempt.get_absolute_url(), headers=HTMX).content.decode()
    assert "<html" in full and "<html" not in partial
    assert "Your result" in full and "Your result" in partial


def test_history_best_score_and_try_again(learner_client, quiz):
    _, first = open_quiz(learner_client, quiz)
    learner_client.post(take_url(quiz), post_data(quiz=quiz, right=False, attempt=first))
    _, second = open_quiz(learner_client, quiz)
    assert second.pk != first.pk
    learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=second))
    page = learner_client.get(first.get_absolute_url()).content.decode()
    assert "Your attempts" in page
    assert "Attempt 1" in page and "Attempt 2" in page
    assert "0 of 3 (0%)" in page and "3 of 3 (100%)" in page
    assert "your best score: 100%" in page
    assert ">Try again</a>" in page


def test_max_attempts_are_enforced_with_a_clear_message(learner_client, make_quiz, learner):
    quiz = make_quiz(max_attempts=2)
    for _ in range(2):
        _, attempt = open_quiz(learner_client, quiz)
        learner_client.post(take_url(quiz), post_data(quiz=quiz, right=False, attempt=attempt))
    result = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert "Try again" not in result
    assert "You have used all 2 attempts at this quiz" in result

    page = learner_client.get(take_url(quiz))
    assert page.status_code == 200
    html = page.content.decode()
    assert "You have used all 2 attempts this quiz allows" in html
    forms = elements(html, "form", method="post")
    assert not [form for form in forms if form.attrs.get("action", "").startswith("/quizzes/")]
    assert Attempt.objects.filter(user=learner).count() == 2


def test_the_attempts_left_are_shown_while_some_remain(learner_client, make_quiz):
    quiz = make_quiz(max_attempts=3)
    _, attempt = open_quiz(learner_client, quiz)
    learner_client.post(take_url(quiz), post_data(quiz=quiz, right=False, attempt=attempt))
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert ">Try again</a>" in page and "2 attempts left" in page


def test_a_quiz_with_no_questions_says_so_and_issues_nothing(learner_client, make_quiz):
    quiz = make_quiz(kinds=())
    page = learner_client.get(take_url(quiz)).content.decode()
    assert "This quiz has no questions yet" in page
    assert not Attempt.objects.exists()


# Speed -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 40])
def test_the_quiz_page_costs_the_same_few_queries_for_5_or_40_questions(
    learner_client, make_quiz, count, django_assert_num_queries, settings
):
    settings.PERSONAL_PAGE_SECONDS = 0  # the view's own queries
    quiz = make_quiz(kinds=(["single", "multiple", "true_false"] * 14)[:count], shuffle=True)
    # First visit: session, user, quiz, attempts, questions, choices, then issuing the attempt
    # (insert, read back), and the header's review summary (then cached); a reload reuses both.
    with django_assert_num_queries(9):
        learner_client.get(take_url(quiz))
    with django_assert_num_queries(6):
        response = learner_client.get(take_url(quiz))
    assert response.content.decode().count('<fieldset class="question"') == count


@pytest.mark.parametrize("count", [5, 40])
def test_the_result_page_costs_the_same_few_queries_for_5_or_40_questions(
    learner_client, make_quiz, count, django_assert_num_queries
):
    quiz = make_quiz(kinds=(["single", "multiple", "true_false"] * 14)[:count])
    _, attempt = open_quiz(learner_client, quiz)
    learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt))
    url = attempt.get_absolute_url()
    # Session, user, the learner's attempts with the quiz, questions, choices, responses and
    # their chosen choices.
    with django_assert_num_queries(7 + 2):  # a pass: the next step (lessons.next_step)
        response = learner_client.get(url)
    assert response.content.decode().count('class="review review-right"') == count
    assert f"{count} of {count}" in response.content.decode()


def test_a_quiz_that_follows_a_lesson_links_back_to_it(learner_client, make_quiz, course):
    lesson = Lesson.objects.create(
        course=course, slug="formats", title="Formats matter", body="x", status="published"
    )
    quiz = make_quiz(lesson=lesson)
    lesson_url = reverse("lessons:detail", args=[course.slug, lesson.slug])
    response, attempt = open_quiz(learner_client, quiz)
    assert f'the lesson <a href="{lesson_url}">Formats matter</a>' in response.content.decode()
    learner_client.post(take_url(quiz), post_data(quiz=quiz, right=False, attempt=attempt))
    result = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert f'href="{lesson_url}">Review the lesson</a>' in result

    lesson.status = "draft"
    lesson.save()
    assert lesson_url not in learner_client.get(attempt.get_absolute_url()).content.decode()


# The review's words, exactly ----------------------------------------------------------------


def review_texts(html):
    return {item.attrs["id"]: item.text for item in elements(html, "li", class_="review")}


def test_the_review_reads_naturally_for_one_and_several_answer_questions(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    single, multiple, true_false = quiz.questions.order_by("order")
    data = post_data(quiz=quiz, attempt=attempt)
    data[f"q{single.pk}"] = str(single.choices.get(order=1).pk)  # wrong
    data[f"q{multiple.pk}"] = [str(multiple.choices.get(order=1).pk)]  # half the right set
    data[f"c{multiple.pk}"] = "think_so"
    learner_client.post(take_url(quiz), data)
    texts = review_texts(learner_client.get(attempt.get_absolute_url()).content.decode())
    assert texts["review-1"] == (
        "Question 1 Wrong Prompt 1: which holds for single? "
        "Your answer ✗ “Fine-tune a small model (1.1)”: not right. FEEDBACK-1.1: why not "
        "The right answer is “Use the frontier generalist (1.2)”. "
        "Why EXPLANATION-1: the reason behind question 1."
    )
    assert texts["review-2"] == (
        "Question 2 Wrong Prompt 2: which holds for multiple? You said: think so. "
        "Your answer ✓ “Format compliance (2.1)”: right. FEEDBACK-2.1: why this is right "
        "The right answers are “Format compliance (2.1)” and “Regulatory traceability (2.3)”. "
        "Why EXPLANATION-2: the reason behind question 2."
    )
    assert texts["review-3"] == (
        "Question 3 Right Prompt 3: which holds for true_false? "
        "Your answer ✓ “True (3.1)”: right. FEEDBACK-3.1: why this is right "
        "Why EXPLANATION-3: the reason behind question 3."
    )
    assert ".." not in " ".join(texts.values()) and "You did not pick" not in str(texts)


# Confidence and the certainty-based score ---------------------------------------------------


def test_confidence_is_stored_and_the_result_shows_the_certainty_score(learner_client, quiz):
    _, attempt = open_quiz(learner_client, quiz)
    single, multiple, true_false = quiz.questions.order_by("order")
    data = post_data(quiz=quiz, attempt=attempt)
    data[f"q{multiple.pk}"] = [str(multiple.choices.get(order=2).pk)]  # wrong
    data[f"c{single.pk}"], data[f"c{multiple.pk}"] = "sure", "sure"
    response = learner_client.post(take_url(quiz), data, headers=HTMX)
    stored = dict(Response.objects.filter(attempt=attempt).values_list("question_id", "confidence"))
    assert stored == {single.pk: "sure", multiple.pk: "sure", true_false.pk: ""}
    for page in (response.content.decode(), learner_client.get(attempt.get_absolute_url()).content.decode()):
        assert "2 of 3" in page
        # sure and right 3, sure and wrong -6, no confidence and right 1: -2 of 9, so 0.
        (line,) = elements(page, "p", class_="result-certainty")
        assert line.text == "Certainty-based score: 0% · 1 sure but wrong"
        assert "weighs how sure you said you were" in page
        review = review_texts(page)["review-2"]
        assert "You were sure, and this was wrong." in review
        assert "You were sure" not in review_texts(page)["review-1"]


@pytest.mark.parametrize("value", ["certain", "SURE ", "1", "<b>"])
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_an_invalid_confidence_is_a_400_with_a_clear_message_and_nothing_saved(
    learner_client, quiz, value, headers
):
    _, attempt = open_quiz(learner_client, quiz)
    data = post_data(quiz=quiz, attempt=attempt)
    data[f"c{quiz.questions.first().pk}"] = value
    response = learner_client.post(take_url(quiz), data, headers=headers)
    assert response.status_code == (422 if headers else 400)
    assert "How sure you are must be one of “Sure”, “Think so” or “Guessing”" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Response.objects.exists()


# The wait between attempts ------------------------------------------------------------------


def submitted_minutes_ago(quiz, learner, minutes):
    from datetime import timedelta

    from django.utils import timezone

    return Attempt.objects.create(
        user=learner, quiz=quiz, submitted_at=timezone.now() - timedelta(minutes=minutes),
        score=0, total=3,
    )  # fmt: skip


def test_during_the_wait_the_quiz_page_says_when_instead_of_a_form(learner_client, make_quiz, learner):
    quiz = make_quiz(retry_wait_minutes=15)
    submitted_minutes_ago(quiz, learner, 3)
    response = learner_client.get(take_url(quiz))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"You can try again at \d\d:\d\d, in 12 minutes\.", html)
    assert not elements(html, "form", action=take_url(quiz))
    assert not Attempt.objects.filter(submitted_at__isnull=True).exists()


@pytest.mark.parametrize("attempt_id", ["", "99999"])
@pytest.mark.parametrize("url", ["quizzes:take", "quizzes:answer"])
def test_a_forged_post_during_the_wait_is_a_429_with_the_message(
    learner_client, make_quiz, learner, attempt_id, url
):
    quiz = make_quiz(retry_wait_minutes=15)
    submitted_minutes_ago(quiz, learner, 3)
    data = {**post_data(quiz=quiz), "attempt": attempt_id}
    response = learner_client.post(reverse(url, args=[quiz.slug]), data)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 12 * 60
    assert "in 12 minutes" in response.content.decode()
    assert Attempt.objects.count() == 1 and not Response.objects.exists()


def test_after_the_wait_a_new_attempt_is_issued(learner_client, make_quiz, learner):
    quiz = make_quiz(retry_wait_minutes=15)
    submitted_minutes_ago(quiz, learner, 16)
    open_quiz(learner_client, quiz)
    assert Attempt.objects.filter(submitted_at__isnull=True).count() == 1


# Question pools -----------------------------------------------------------------------------


def test_a_pool_grades_reviews_and_counts_only_the_drawn_questions(learner_client, make_quiz):
    quiz = make_quiz(kinds=["single"] * 5, draw_count=2)
    response, attempt = open_quiz(learner_client, quiz)
    assert response.content.decode().count('<fieldset class="question"') == 2
    drawn = set(attempt.question_order)
    data = {k: v for k, v in post_data(quiz=quiz, attempt=attempt).items()
            if k == "attempt" or int(k[1:]) in drawn}  # fmt: skip
    response = learner_client.post(take_url(quiz), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total, attempt.percent) == (2, 2, 100)
    assert set(Response.objects.values_list("question_id", flat=True)) == drawn
    page = learner_client.get(attempt.get_absolute_url()).content.decode()
    assert len(review_texts(page)) == 2 and "2 of 2" in page


def test_answers_to_questions_not_drawn_are_ignored_not_saved(learner_client, make_quiz):
    quiz = make_quiz(kinds=["single"] * 5, draw_count=2)
    _, attempt = open_quiz(learner_client, quiz)
    response = learner_client.post(take_url(quiz), post_data(quiz=quiz, attempt=attempt))
    assert response.status_code == 302
    assert set(Response.objects.values_list("question_id", flat=True)) == set(
        attempt.question_order
    )
