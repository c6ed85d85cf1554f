"""Taking a quiz, its graded result, and the staff preview.

``take`` serves the form and issues the learner's attempt (GET), or grades it (POST): with
htmx the result replaces the form in place, without JavaScript the POST redirects to the
attempt's page. Refused submissions get a message and a 4xx, and nothing is saved.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import push_url

from accounts.roles import can_preview_drafts
from config.security import is_subresource

from .attempts import arrange, attempts_left
from .forms import QuizForm
from .grading import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    Grade,
    InvalidAnswers,
    UnansweredQuestions,
    grade_answers,
)
from .models import Attempt, Quiz
from .selectors import (
    attempt_reviews,
    best_percent,
    build_reviews,
    history,
    learner_attempts,
    questions_with_choices,
    visible_quizzes,
)
from .services import issue_attempt, submit_attempt

ATTEMPT_ID = re.compile(r"[0-9]{1,18}")
FORGED_CHOICE = "One of the answers names a choice that is not part of its question."
BAD_ATTEMPT = "The form did not say which attempt it belongs to."
FOREIGN_ATTEMPT = "That attempt is not one of yours at this quiz."


def _partial(request, template: str, name: str) -> str:
    return f"{template}#{name}" if request.htmx else template


def _quiz_context(quiz: Quiz, attempts, **extra) -> dict:
    return {
        "quiz": quiz,
        "history": history(attempts),
        "best": best_percent(attempts),
        "attempts_left": attempts_left(quiz, attempts),
        **extra,
    }


def _graded_reviews(questions, grade: Grade):
    """Reviews built from a grade just worked out: nothing is graded or read back again."""
    chosen = {item.question_id: item.chosen for item in grade.questions}
    correct = {item.question_id: item.is_correct for item in grade.questions}
    return build_reviews(questions, chosen, correct)


def _problem(request, quiz: Quiz, message: str, *, status: int = 400):
    """Refuse a submission with a message; the learner's saved work is untouched."""
    return render(
        request,
        _partial(request, "quizzes/problem.html", "quiz"),
        {"quiz": quiz, "message": message},
        status=status,
    )


def _show_result(
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
        reviews = _graded_reviews(questions, submission.grade)
    else:
        reviews = attempt_reviews(attempt=attempt, questions=questions)
    context = _quiz_context(quiz, attempts, attempt=attempt, reviews=reviews, notice=notice)
    response = render(request, "quizzes/attempt.html#result", context)
    return push_url(response, attempt.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def take(request, quiz):
    slug = quiz
    quiz = visible_quizzes().filter(slug=slug).first()
    if quiz is None:
        if can_preview_drafts(request.user, Quiz) and Quiz.objects.filter(slug=slug).exists():
            return redirect("quizzes:preview", quiz=slug)
        raise Http404("No such quiz is published.")
    attempts = learner_attempts(user=request.user, quiz=quiz)
    questions = questions_with_choices(quiz)
    form_action = reverse("quizzes:take", kwargs={"quiz": quiz.slug})
    if request.method == "POST":
        return _submit(request, quiz, attempts, questions, form_action)

    if not questions:
        return render(request, "quizzes/take.html", _quiz_context(quiz, attempts, form=None))
    if is_subresource(request):
        # Another page loading this URL as an image or script must not start an attempt.
        return HttpResponseBadRequest("A quiz opens as a page.", content_type="text/plain")
    try:
        attempt = issue_attempt(
            user=request.user, quiz=quiz, questions=questions, attempts=attempts
        )
    except AttemptLimitReached as refusal:
        context = _quiz_context(quiz, attempts, form=None, limit_message=str(refusal))
        return render(request, "quizzes/take.html", context)
    form = QuizForm(questions=arrange(questions, attempt))
    context = _quiz_context(quiz, attempts, attempt=attempt, form=form, form_action=form_action)
    return render(request, "quizzes/take.html", context)


def _submit(request, quiz, attempts, questions, form_action):
    raw_id = request.POST.get("attempt", "")
    # str.isdigit() also accepts "²" and other Unicode digits, which int() refuses.
    if not ATTEMPT_ID.fullmatch(raw_id):
        return _problem(request, quiz, BAD_ATTEMPT)
    attempt = next((a for a in attempts if a.pk == int(raw_id)), None)
    if attempt is None:
        return _problem(request, quiz, FOREIGN_ATTEMPT)
    arranged = arrange(questions, attempt)
    if attempt.is_submitted:
        return _show_result(
            request, quiz, attempt, attempts, arranged, notice=str(AttemptAlreadySubmitted())
        )
    form = QuizForm(request.POST, questions=arranged)
    if form.is_valid():
        answers = form.answers()
        try:
            submission = submit_attempt(attempt=attempt, answers=answers, questions=arranged)
        except AttemptAlreadySubmitted as refusal:
            attempt.refresh_from_db()
            return _show_result(request, quiz, attempt, attempts, arranged, notice=str(refusal))
        except InvalidAnswers as refusal:
            return _problem(request, quiz, str(refusal))
        except AttemptLimitReached as refusal:
            return _problem(request, quiz, str(refusal), status=403)
        except UnansweredQuestions as refusal:
            form.add_unanswered(refusal.question_ids)
        else:
            return _show_result(
                request, quiz, attempt, attempts, arranged, submission=submission
            )
    elif form.is_forged():
        return _problem(request, quiz, FORGED_CHOICE)
    context = _quiz_context(quiz, attempts, attempt=attempt, form=form, form_action=form_action)
    return render(request, _partial(request, "quizzes/take.html", "quiz"), context)


@login_required
@require_GET
def attempt(request, quiz, attempt):
    attempts = list(
        Attempt.objects.filter(user=request.user, quiz__slug=quiz)
        .select_related("quiz__course", "quiz__lesson")
        .order_by("-started_at", "-pk")
    )
    current = next((a for a in attempts if a.pk == attempt), None)
    if current is None:
        raise Http404("No such attempt of yours.")
    quiz = current.quiz
    published = quiz.is_published and quiz.course.is_published
    if not published and not can_preview_drafts(request.user, Quiz):
        raise Http404("No such quiz is published.")
    if not current.is_submitted:
        return redirect("quizzes:take", quiz=quiz.slug)
    questions = arrange(questions_with_choices(quiz), current)
    context = _quiz_context(
        quiz,
        attempts,
        attempt=current,
        reviews=attempt_reviews(attempt=current, questions=questions),
    )
    return render(request, _partial(request, "quizzes/attempt.html", "result"), context)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, quiz):
    """The quiz exactly as a learner sees it, for staff; a submitted preview is not saved."""
    if not can_preview_drafts(request.user, Quiz):
        raise Http404("No such quiz is published.")
    quiz = get_object_or_404(Quiz.objects.select_related("course", "lesson"), slug=quiz)
    questions = arrange(questions_with_choices(quiz), None)
    form_action = reverse("quizzes:preview", kwargs={"quiz": quiz.slug})
    form = QuizForm(request.POST or None, questions=questions) if questions else None
    base = {"quiz": quiz, "preview": True, "form_action": form_action, "history": []}
    if request.method == "POST" and form is not None:
        if form.is_valid():
            answers = form.answers()
            grade = grade_answers(
                questions=questions, answers=answers, pass_percent=quiz.pass_percent
            )
            context = {**base, "attempt": grade, "reviews": _graded_reviews(questions, grade)}
            return render(request, _partial(request, "quizzes/attempt.html", "result"), context)
        if form.is_forged():
            return _problem(request, quiz, FORGED_CHOICE)
        return render(
            request, _partial(request, "quizzes/take.html", "quiz"), {**base, "form": form}
        )
    return render(request, "quizzes/take.html", {**base, "form": form})
