"""Taking a quiz, its graded result, and the staff preview.

``take`` serves the quiz and issues the learner's attempt (GET), or grades it (POST): with
htmx the result replaces the form in place, without JavaScript the POST redirects to the
attempt's page. A practice attempt is answered one question at a time
(``quizzes.practice_views``); its POST here grades the answers stored so far. Refused
submissions get a message and a 4xx, and nothing is saved.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import can_preview_drafts
from config.page_cache import keep_private
from config.personal_pages import personal_page
from config.security import is_subresource
from core.refusals import refusal_status

from . import practice_views
from .attempts import arrange
from .forms import FORGED_CHOICE, QuizForm
from .grading import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    InvalidAnswers,
    RetryTooSoon,
    UnansweredQuestions,
    grade_answers,
)
from .models import Attempt, Quiz
from .rendering import (
    graded_reviews,
    partial,
    posted_attempt,
    problem,
    quiz_context,
    result_progress,
    show_result,
)
from .selectors import attempt_reviews, learner_attempts, questions_with_choices, visible_quizzes
from .services import issue_attempt, submit_attempt
from .standing import with_course_standing

__all__ = ["FORGED_CHOICE", "attempt", "preview", "take"]


@login_required
@require_http_methods(["GET", "POST"])
# The page (GET) with the learner's open attempt, until something changes; it may issue it.
@personal_page(writes=True)
def take(request, quiz):
    slug = quiz
    quizzes = visible_quizzes()
    if request.method == "POST":
        # Only a graded result shows the course standing; compiling its subqueries was a
        # fifth of the page's CPU.
        quizzes = with_course_standing(quizzes, user=request.user)
    quiz = quizzes.filter(slug=slug).first()
    if quiz is None:
        if can_preview_drafts(request.user, Quiz) and Quiz.objects.filter(slug=slug).exists():
            return redirect("quizzes:preview", quiz=slug)
        raise Http404("No such quiz is published.")
    attempts = learner_attempts(user=request.user, quiz=quiz)
    questions = questions_with_choices(quiz)
    form_action = reverse("quizzes:take", kwargs={"quiz": quiz.slug})
    if request.method == "POST":
        return _submit(request, quiz, attempts, questions, form_action)

    template = partial(request, "quizzes/take.html", "quiz")
    if not questions:
        return render(request, template, quiz_context(quiz, attempts, form=None))
    if is_subresource(request):
        # Another page loading this URL as an image or script must not start an attempt.
        return HttpResponseBadRequest("A quiz opens as a page.", content_type="text/plain")
    try:
        attempt = issue_attempt(
            user=request.user, quiz=quiz, questions=questions, attempts=attempts
        )
    except (AttemptLimitReached, RetryTooSoon) as refusal:
        context = quiz_context(quiz, attempts, form=None, limit_message=str(refusal))
        if isinstance(refusal, RetryTooSoon):
            context = {**context, "limit_message": "", "wait_message": str(refusal)}
        # "Try again in 5 minutes" is changed by the clock alone: never kept.
        return keep_private(render(request, template, context))
    arranged = arrange(questions, attempt)
    if attempt.is_practice:
        return practice_views.practice_page(request, quiz, attempts, attempt, arranged)
    form = QuizForm(questions=arranged)
    context = quiz_context(quiz, attempts, attempt=attempt, form=form, form_action=form_action)
    return render(request, template, context)


def _submit(request, quiz, attempts, questions, form_action):
    attempt, refusal = posted_attempt(request, quiz, attempts)
    if refusal is not None:
        return refusal
    arranged = arrange(questions, attempt)
    if attempt.is_submitted:
        return show_result(
            request, quiz, attempt, attempts, arranged, notice=str(AttemptAlreadySubmitted())
        )
    if attempt.is_practice:
        return practice_views.finish(request, quiz, attempts, attempt, arranged)
    form = QuizForm(request.POST, questions=arranged)
    if form.is_valid():
        try:
            submission = submit_attempt(
                attempt=attempt,
                answers=form.answers(),
                questions=arranged,
                confidences=form.confidences(),
                earlier=attempts,
            )
        except AttemptAlreadySubmitted as refusal:
            attempt.refresh_from_db()
            return show_result(request, quiz, attempt, attempts, arranged, notice=str(refusal))
        except InvalidAnswers as refusal:
            return problem(request, quiz, str(refusal))
        except AttemptLimitReached as refusal:
            return problem(request, quiz, str(refusal), status=403)
        except UnansweredQuestions as refusal:
            form.add_unanswered(refusal.question_ids)
        else:
            return show_result(request, quiz, attempt, attempts, arranged, submission=submission)
    elif form.is_forged():
        return problem(request, quiz, form.forgery())
    # Unanswered questions: the form comes back with its errors, refused like any bad input.
    context = quiz_context(quiz, attempts, attempt=attempt, form=form, form_action=form_action)
    status = refusal_status(request, 400)
    return render(request, partial(request, "quizzes/take.html", "quiz"), context, status=status)


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
    context = quiz_context(
        quiz,
        attempts,
        attempt=current,
        reviews=attempt_reviews(attempt=current, questions=questions),
        **result_progress(request, quiz, current, attempts),
    )
    return render(request, partial(request, "quizzes/attempt.html", "result"), context)


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, quiz):
    """The quiz exactly as a learner sees it in exam mode, for staff; nothing is saved."""
    if not can_preview_drafts(request.user, Quiz):
        raise Http404("No such quiz is published.")
    quiz = get_object_or_404(Quiz.objects.select_related("course", "lesson"), slug=quiz)
    questions = arrange(questions_with_choices(quiz), None)
    form_action = reverse("quizzes:preview", kwargs={"quiz": quiz.slug})
    form = QuizForm(request.POST or None, questions=questions) if questions else None
    base = {"quiz": quiz, "preview": True, "form_action": form_action, "history": []}
    if request.method == "POST" and form is not None:
        if form.is_valid():
            grade = grade_answers(
                questions=questions,
                answers=form.answers(),
                pass_percent=quiz.pass_percent,
                confidences=form.confidences(),
            )
            reviews = graded_reviews(questions, grade)
            context = {**quiz_context(quiz, [], attempt=grade, reviews=reviews), **base}
            return render(request, partial(request, "quizzes/attempt.html", "result"), context)
        if form.is_forged():
            return problem(request, quiz, form.forgery())
        return render(
            request, partial(request, "quizzes/take.html", "quiz"), {**base, "form": form}
        )
    return render(request, "quizzes/take.html", {**base, "form": form})
