"""What the quiz views share: the page context, a refusal, and showing a graded attempt.

A refusal renders the problem with a 4xx (422 for htmx: ``core.refusals``) and saves nothing; a graded attempt is swapped in
place for htmx and otherwise reached by a redirect to its own page.
"""

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import push_url

from core.refusals import refusal_status
from lessons.selectors import course_progress

from .attempts import attempts_left, minutes_until, retry_available_at, wait_message
from .grading import Grade
from .models import Attempt, Quiz
from .reviews import build_reviews, certainty
from .selectors import attempt_reviews, best_percent, history
from .standing import pass_progress

ATTEMPT_ID = re.compile(r"[0-9]{1,18}")
BAD_ATTEMPT = "The form did not say which attempt it belongs to."
FOREIGN_ATTEMPT = "That attempt is not one of yours at this quiz."


def partial(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx else template


def quiz_context(quiz: Quiz, attempts, **extra) -> dict:
    context = {
        "quiz": quiz,
        "history": history(attempts),
        "best": best_percent(attempts),
        "attempts_left": attempts_left(quiz, attempts),
        **extra,
    }
    if "reviews" in context:
        context["certainty"] = certainty(context["reviews"])
    return context


def result_progress(request, quiz: Quiz, attempt, attempts) -> dict:
    """Where the learner stands in the quiz's course and what is next, for the success panel
    of a passed attempt (``lessons.next_step``). Read for every graded attempt, passed or not,
    so a result costs the same queries either way: with the quiz when the view fetched it
    with ``standing.with_course_standing`` (no query), else two (``course_progress``)."""
    if not getattr(attempt, "pk", None):  # a staff preview's grade: nothing to acknowledge
        return {}
    passed = any(a.passed for a in (attempt, *attempts) if a.submitted_at)
    progress = pass_progress(quiz, passed=passed)
    if progress is None:
        progress = course_progress(
            user=request.user, course=quiz.course, after_lesson_id=quiz.lesson_id
        )
    return {"progress": progress}


def graded_reviews(questions, grade: Grade):
    """Reviews built from a grade just worked out: nothing is graded or read back again."""
    chosen = {item.question_id: item.chosen for item in grade.questions}
    correct = {item.question_id: item.is_correct for item in grade.questions}
    confidences = {item.question_id: item.confidence for item in grade.questions}
    return build_reviews(questions, chosen, correct, confidences)


def problem(request, quiz: Quiz, message: str, *, status: int = 400, retry_after: int = 0):
    """Refuse a submission with a message; the learner's saved work is untouched."""
    response = render(
        request,
        partial(request, "quizzes/problem.html", "quiz"),
        {"quiz": quiz, "message": message},
        status=refusal_status(request, status),
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def show_result(
    request, quiz: Quiz, attempt: Attempt, attempts, questions, *, notice="", submission=None
):
    """The graded attempt: in place for htmx, otherwise a redirect to its own page.

    ``submission`` is the one just graded: the review is built from its grade, not read back.
    """
    if not request.htmx:
        if notice:
            messages.info(request, notice)
        return redirect(attempt.get_absolute_url())
    if submission is not None:
        reviews = graded_reviews(questions, submission.grade)
    else:
        reviews = attempt_reviews(attempt=attempt, questions=questions)
    context = quiz_context(quiz, attempts, attempt=attempt, reviews=reviews, notice=notice)
    context.update(result_progress(request, quiz, attempt, attempts))
    # Answering just moved the due reviews; the next full page's header shows them again.
    context["reviews_in_steps"] = False
    response = render(request, "quizzes/attempt.html#result", context)
    return push_url(response, attempt.get_absolute_url())


def posted_attempt(request, quiz: Quiz, attempts):
    """The learner's attempt the POST names, or a refusal: the wait's (429) if a new attempt
    cannot be issued yet, else a 400 naming what is wrong with the attempt id."""
    raw_id = request.POST.get("attempt", "")
    # str.isdigit() also accepts "²" and other Unicode digits, which int() refuses.
    found = None
    if ATTEMPT_ID.fullmatch(raw_id):
        found = next((a for a in attempts if a.pk == int(raw_id)), None)
    if found is not None:
        return found, None
    now = timezone.now()
    available = retry_available_at(quiz, attempts, now=now)
    if available is not None:
        wait = minutes_until(available, now=now)
        message = wait_message(available, now=now)
        return None, problem(request, quiz, message, status=429, retry_after=wait * 60)
    well_formed = ATTEMPT_ID.fullmatch(raw_id) is not None
    return None, problem(request, quiz, FOREIGN_ATTEMPT if well_formed else BAD_ATTEMPT)
