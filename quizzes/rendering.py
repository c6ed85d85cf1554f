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


def pass_progress(user, quiz: Quiz, attempt) -> dict:
    """For a passed attempt, where the learner stands in the course and what comes next
    (``lessons.next_step``), shown as the success panel; nothing for any other result."""
    if not getattr(attempt, "passed", False) or not getattr(attempt, "pk", None):
        return {}
    return {
        "progress": course_progress(user=user, course=quiz.course, after_lesson_id=quiz.lesson_id)
    }


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
    context.update(pass_progress(request.user, quiz, attempt))
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
