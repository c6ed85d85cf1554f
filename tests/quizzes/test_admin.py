"""quizzes/admin.py: authoring with questions and choices inline, and the rules it enforces."""

import pytest
from django.urls import reverse

from courses.models import Course
from lessons.models import Lesson
from quizzes.models import Attempt, Choice, Question, Quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("ada", is_staff=True, is_superuser=True))
    return client


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def question_post(quiz, kind, choices, question=None):
    """Question admin data: ``choices`` is a list of (text, right) tuples."""
    data = {
        "quiz": str(quiz.pk),
        "order": "1",
        "kind": kind,
        "prompt": "Which model fits?",
        "explanation": "Because of the base model's strength.",
        **management("choices", len(choices)),
    }
    for index, (text, right) in enumerate(choices):
        data[f"choices-{index}-order"] = str(index + 1)
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-feedback"] = f"Feedback on {text}"
        if right:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def quiz_post(course, *, published, questions=(), existing=(), **fields):
    """Quiz admin data; ``questions`` are (kind, prompt) of new inline questions."""
    data = {
        "course": str(course.pk),
        "lesson": "",
        "title": "Check your understanding",
        "slug": "check-your-understanding",
        "order": "1",
        "description": "",
        "pass_percent": "70",
        "max_attempts": "0",
        "mode": "exam",
        "retry_wait_minutes": "0",
        **fields,
        **management("questions", len(existing) + len(questions), initial=len(existing)),
    }
    if published:
        data["is_published"] = "on"
    rows = [(q.kind, q.prompt, q) for q in existing] + [(k, p, None) for k, p in questions]
    for index, (kind, prompt, question) in enumerate(rows):
        data[f"questions-{index}-order"] = str(index + 1)
        data[f"questions-{index}-kind"] = kind
        data[f"questions-{index}-prompt"] = prompt
        data[f"questions-{index}-explanation"] = "Why."
        if question is not None:
            data[f"questions-{index}-id"] = str(question.pk)
            data[f"questions-{index}-quiz"] = str(question.quiz_id)
    return data


def errors_of(response):
    """Every error message the admin page shows: form, field and inline formset errors."""
    context = response.context
    messages = list(context["adminform"].form.non_field_errors())
    for field_errors in context["adminform"].form.errors.values():
        messages.extend(field_errors)
    for inline in context["inline_admin_formsets"]:
        messages.extend(inline.formset.non_form_errors())
        for form_errors in inline.formset.errors:
            for field_errors in form_errors.values():
                messages.extend(field_errors)
    return " ".join(str(m) for m in messages)


# Choices on the question page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("single", [("A", True), ("B", True)], "exactly one right choice; it has 2"),
        ("single", [("A", False), ("B", False)], "exactly one right choice; it has 0"),
        ("true_false", [("True", True), ("False", False), ("Maybe", False)], "exactly two choices; it has 3"),
        ("true_false", [("True", True), ("False", True)], "exactly one right choice; it has 2"),
        ("multiple", [("A", True)], "at least two choices; it has 1"),
        ("multiple", [("A", False), ("B", False)], "at least one right choice"),
    ],
)  # fmt: skip
def test_choice_rules_are_explained_on_the_question_page(
    admin_client, quiz, kind, choices, message
):
    before = Question.objects.count()
    response = admin_client.post(
        reverse("admin:quizzes_question_add"), question_post(quiz, kind, choices)
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    assert Question.objects.count() == before


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        ("single", [("A", False), ("B", True), ("C", False)]),
        ("true_false", [("True", False), ("False", True)]),
        ("multiple", [("A", True), ("B", True), ("C", False)]),
    ],
)
def test_well_formed_questions_are_saved_with_their_choices(admin_client, quiz, kind, choices):
    response = admin_client.post(
        reverse("admin:quizzes_question_add"), question_post(quiz, kind, choices)
    )
    assert response.status_code == 302, errors_of(response)
    question = Question.objects.latest("pk")
    assert question.kind == kind
    assert [(c.text, c.is_correct) for c in question.choices.all()] == choices
    assert question.choices.first().feedback == f"Feedback on {choices[0][0]}"


def test_changing_the_kind_is_checked_against_the_existing_choices(admin_client, quiz):
    question = quiz.questions.get(kind="multiple")  # two right choices of four
    data = question_post(quiz, "single", [])
    data.update(management("choices", 4, initial=4))
    for index, choice in enumerate(question.choices.all()):
        data[f"choices-{index}-id"] = str(choice.pk)
        data[f"choices-{index}-question"] = str(question.pk)
        data[f"choices-{index}-order"] = str(choice.order)
        data[f"choices-{index}-text"] = choice.text
        if choice.is_correct:
            data[f"choices-{index}-is_correct"] = "on"
    response = admin_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "exactly one right choice; it has 2" in errors_of(response)
    question.refresh_from_db()
    assert question.kind == "multiple"


def test_deleting_choices_counts_against_the_rules(admin_client, quiz):
    question = quiz.questions.get(kind="true_false")
    data = question_post(quiz, "true_false", [])
    data.update(management("choices", 2, initial=2))
    for index, choice in enumerate(question.choices.all()):
        data[f"choices-{index}-id"] = str(choice.pk)
        data[f"choices-{index}-question"] = str(question.pk)
        data[f"choices-{index}-text"] = choice.text
        data[f"choices-{index}-order"] = str(choice.order)
        if choice.is_correct:
            data[f"choices-{index}-is_correct"] = "on"
    data["choices-1-DELETE"] = "on"
    response = admin_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert "exactly two choices; it has 1" in errors_of(response)
    assert question.choices.count() == 2


# Publishing on the quiz page ----------------------------------------------------------------


def test_a_quiz_cannot_be_published_with_no_questions(admin_client, course):
    response = admin_client.post(
        reverse("admin:quizzes_quiz_add"), quiz_post(course, published=True)
    )
    assert response.status_code == 200
    assert "cannot be published with no questions" in errors_of(response)
    assert not Quiz.objects.exists()


def test_a_draft_quiz_may_be_saved_with_no_questions(admin_client, course):
    response = admin_client.post(
        reverse("admin:quizzes_quiz_add"), quiz_post(course, published=False)
    )
    assert response.status_code == 302
    assert Quiz.objects.get().is_published is False


def test_a_quiz_whose_questions_have_no_choices_cannot_be_published(admin_client, course):
    data = quiz_post(course, published=True, questions=[("single", "New question")])
    response = admin_client.post(reverse("admin:quizzes_quiz_add"), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert "Question 1: A one-answer question needs at least two choices" in errors
    assert "save the quiz as a draft" in errors
    assert not Quiz.objects.exists()

    data["is_published"] = ""
    del data["is_published"]
    assert admin_client.post(reverse("admin:quizzes_quiz_add"), data).status_code == 302
    assert Quiz.objects.get().questions.count() == 1


def test_publishing_a_quiz_with_well_formed_questions_works(admin_client, make_quiz, course):
    quiz = make_quiz(is_published=False)
    data = quiz_post(
        course,
        published=True,
        existing=list(quiz.questions.all()),
        slug=quiz.slug,
        title=quiz.title,
    )
    response = admin_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 302, errors_of(response)
    quiz.refresh_from_db()
    assert quiz.is_published


def test_deleting_every_question_of_a_published_quiz_is_refused(admin_client, quiz, course):
    data = quiz_post(
        course,
        published=True,
        existing=list(quiz.questions.all()),
        slug=quiz.slug,
        title=quiz.title,
    )
    for index in range(3):
        data[f"questions-{index}-DELETE"] = "on"
    response = admin_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert "cannot be published with no questions" in errors_of(response)
    assert quiz.questions.count() == 3


def test_the_lesson_must_belong_to_the_quiz_course(admin_client, course):
    other = Course.objects.create(slug="other", title="Other", summary="x", is_published=True)
    lesson = Lesson.objects.create(course=other, slug="intro", title="Intro", body="Hello")
    data = quiz_post(course, published=False, lesson=str(lesson.pk))
    response = admin_client.post(reverse("admin:quizzes_quiz_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lesson"] == [
        "Choose a lesson of this quiz's course."
    ]


def test_the_pass_mark_is_at_most_100(admin_client, course):
    response = admin_client.post(
        reverse("admin:quizzes_quiz_add"), quiz_post(course, published=False, pass_percent="101")
    )
    assert "pass_percent" in response.context["adminform"].form.errors


# Preview, listing and actions ---------------------------------------------------------------


def test_view_on_site_opens_the_preview_as_a_learner(admin_client, quiz):
    preview = reverse("quizzes:preview", args=[quiz.slug])
    page = admin_client.get(reverse("admin:quizzes_quiz_change", args=[quiz.pk])).content.decode()
    assert f'<a href="{preview}" class="viewsitelink">View on site</a>' in page
    listing = admin_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    assert f'href="{preview}"' in listing and "Preview as learner" in listing
    question = quiz.questions.first()
    question_page = admin_client.get(reverse("admin:quizzes_question_change", args=[question.pk]))
    assert f'<a href="{preview}" class="viewsitelink">' in question_page.content.decode()
    assert admin_client.get(preview).status_code == 200


def test_the_publish_action_refuses_quizzes_that_break_the_rules(admin_client, make_quiz):
    good = make_quiz(slug="good", is_published=False)
    empty = make_quiz(slug="empty", kinds=(), is_published=False)
    response = admin_client.post(
        reverse("admin:quizzes_quiz_changelist"),
        {"action": "publish", "_selected_action": [good.pk, empty.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Published 1 quiz" in page
    assert "was not published: A quiz cannot be published with no questions." in page
    good.refresh_from_db(), empty.refresh_from_db()
    assert good.is_published and not empty.is_published


def test_attempts_are_read_only_in_the_admin(admin_client, quiz, learner):
    attempt = Attempt.objects.create(user=learner, quiz=quiz)
    assert admin_client.get(reverse("admin:quizzes_attempt_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:quizzes_attempt_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:quizzes_attempt_change", args=[attempt.pk]), {"score": "99"}
    )
    assert change.status_code == 403
    assert Choice.objects.filter(question__quiz=quiz).count() == 9


# Question pools, modes and the wait -----------------------------------------------------------


@pytest.mark.parametrize(("draw", "message"), [
    ("4", "must be between 1 and the number of questions (3); it is 4."),
    ("0", "Ensure this value is greater than or equal to 1."),
    ("two", "Enter a whole number."),
])  # fmt: skip
def test_drawing_more_questions_than_the_quiz_has_is_explained(admin_client, quiz, course, draw, message):
    data = quiz_post(course, published=True, existing=list(quiz.questions.all()),
                     slug=quiz.slug, title=quiz.title, draw_count=draw)  # fmt: skip
    response = admin_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 200
    assert message in errors_of(response)
    quiz.refresh_from_db()
    assert quiz.draw_count is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("mode", "quiz-show", "Select a valid choice."),
    ("retry_wait_minutes", "-1", "greater than or equal to 0"),
    ("retry_wait_minutes", "43201", "less than or equal to 43200"),
])  # fmt: skip
def test_bad_modes_and_waits_are_explained(admin_client, quiz, course, field, value, message):
    data = quiz_post(course, published=True, existing=list(quiz.questions.all()),
                     slug=quiz.slug, title=quiz.title, **{field: value})  # fmt: skip
    response = admin_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 200 and message in errors_of(response)


def test_a_practice_quiz_drawing_two_with_a_wait_is_saved(admin_client, quiz, course):
    data = quiz_post(course, published=True, existing=list(quiz.questions.all()), slug=quiz.slug,
                     title=quiz.title, draw_count="2", mode="practice", retry_wait_minutes="30")  # fmt: skip
    response = admin_client.post(reverse("admin:quizzes_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 302, errors_of(response)
    quiz.refresh_from_db()
    assert (quiz.draw_count, quiz.mode, quiz.retry_wait_minutes) == (2, "practice", 30)
