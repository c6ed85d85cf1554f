"""Practice mode: one question at a time, with feedback on every choice after each answer.

The quiz page (``quizzes.views.take``) shows a practice attempt's next unanswered question,
below the feedback on the one answered last. ``answer`` saves one answer in the open attempt
(``quizzes.services.answer_question``): with htmx the feedback and the next question swap in,
without JavaScript the POST redirects back to the quiz page, which reads the same state from
the attempt's stored responses. Once every question is answered the page offers to finish:
that POST goes to the quiz page, which grades the stored answers (``finish``). Posting the
same step twice saves one answer: the first one stands.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.refusals import refusal_status

from .attempts import arrange
from .forms import QuizForm
from .grading import (
    AttemptAlreadySubmitted,
    AttemptLimitReached,
    InvalidAnswers,
    UnansweredQuestions,
)
from .models import Attempt, Quiz
from .rendering import partial, posted_attempt, problem, quiz_context, show_result
from .reviews import build_reviews
from .selectors import learner_attempts, questions_with_choices, stored_answers, visible_quizzes
from .services import QuestionAlreadyAnswered, answer_question, finish_practice
from .standing import with_course_standing

QUESTION_ID = re.compile(r"[0-9]{1,18}")
NOT_PRACTICE = "This quiz takes every answer at once: use its Submit answers button."
NOT_IN_ATTEMPT = "That question is not part of this attempt."
ANSWERED_BEFORE = "You had answered this question already; your first answer stands."


def _feedback(arranged, answered):
    """The review of the answer given last, numbered as in the attempt, or None."""
    if not answered:
        return None
    last = next(reversed(answered.values()))
    numbers = {question.pk: number for number, question in enumerate(arranged, start=1)}
    question = next(q for q in arranged if q.pk == last.question_id)
    review = build_reviews(
        [question],
        {question.pk: last.chosen},
        {question.pk: last.is_correct},
        {question.pk: last.confidence},
    )[0]
    return {"review": review, "number": numbers[question.pk]}


def practice_page(
    request, quiz: Quiz, attempts, attempt: Attempt, arranged, *,
    answered=None, form=None, notice="", status=200, focus=False,
):  # fmt: skip
    """The practice step: feedback on the last answer, then the next question or finishing."""
    if answered is None:
        answered = stored_answers(attempt=attempt, questions=arranged)
    remaining = [question for question in arranged if question.pk not in answered]
    if form is None and remaining:
        form = QuizForm(questions=remaining[:1], first_number=len(answered) + 1)
    context = quiz_context(
        quiz,
        attempts,
        attempt=attempt,
        practice=True,
        total=len(arranged),
        answered_count=len(answered),
        form=form if remaining else None,
        feedback=_feedback(arranged, answered),
        focus_feedback=focus,
        notice=notice,
        form_action=reverse("quizzes:answer", kwargs={"quiz": quiz.slug}),
        finish_action=reverse("quizzes:take", kwargs={"quiz": quiz.slug}),
    )
    return render(
        request, partial(request, "quizzes/practice.html", "quiz"), context, status=status
    )


@login_required
@require_POST
def answer(request, quiz):
    quiz = with_course_standing(visible_quizzes(), user=request.user).filter(slug=quiz).first()
    if quiz is None:
        raise Http404("No such quiz is published.")
    attempts = learner_attempts(user=request.user, quiz=quiz)
    attempt, refusal = posted_attempt(request, quiz, attempts)
    if refusal is not None:
        return refusal
    arranged = arrange(questions_with_choices(quiz), attempt)
    if attempt.is_submitted:
        notice = str(AttemptAlreadySubmitted())
        return show_result(request, quiz, attempt, attempts, arranged, notice=notice)
    if not attempt.is_practice:
        return problem(request, quiz, NOT_PRACTICE)
    raw_id = request.POST.get("question", "")
    number, question = next(
        (
            (number, q)
            for number, q in enumerate(arranged, start=1)
            if QUESTION_ID.fullmatch(raw_id) and q.pk == int(raw_id)
        ),
        (0, None),
    )
    if question is None:
        return problem(request, quiz, NOT_IN_ATTEMPT)
    answered = stored_answers(attempt=attempt, questions=arranged)
    if question.pk in answered:
        return practice_page(
            request, quiz, attempts, attempt, arranged, answered=answered, notice=ANSWERED_BEFORE
        )
    form = QuizForm(request.POST, questions=[question], first_number=len(answered) + 1)
    if not form.is_valid():
        if form.is_forged():
            return problem(request, quiz, form.forgery())
        status = refusal_status(request, 400)  # no answer chosen: the question comes back
        return practice_page(
            request, quiz, attempts, attempt, arranged, answered=answered, form=form, status=status
        )
    try:
        graded = answer_question(
            attempt=attempt,
            question=question,
            chosen=form.answers()[question.pk],
            confidence=form.confidences()[question.pk],
            earlier=attempts,
        )
    except InvalidAnswers as refusal:
        return problem(request, quiz, str(refusal))
    except QuestionAlreadyAnswered:
        return practice_page(request, quiz, attempts, attempt, arranged, notice=ANSWERED_BEFORE)
    if not request.htmx:
        return redirect(reverse("quizzes:take", kwargs={"quiz": quiz.slug}) + "#practice-feedback")
    answered[question.pk] = graded
    return practice_page(request, quiz, attempts, attempt, arranged, answered=answered, focus=True)


def finish(request, quiz: Quiz, attempts, attempt: Attempt, arranged):
    """Grade a practice attempt from its stored answers (the quiz page's POST)."""
    answered = stored_answers(attempt=attempt, questions=arranged)
    try:
        submission = finish_practice(attempt=attempt, questions=arranged, answered=answered)
    except AttemptAlreadySubmitted as refusal:
        attempt.refresh_from_db()
        return show_result(request, quiz, attempt, attempts, arranged, notice=str(refusal))
    except UnansweredQuestions as refusal:
        return problem(request, quiz, str(refusal).replace("before submitting", "before finishing"))
    except AttemptLimitReached as refusal:
        return problem(request, quiz, str(refusal), status=403)
    return show_result(request, quiz, attempt, attempts, arranged, submission=submission)
