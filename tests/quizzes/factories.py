"""Building quizzes for tests: every kind of question, with recognisable feedback and explanations."""

from quizzes.models import Choice, Question

# For each kind: (choice text, right or not) in authored order.
CHOICES = {
    "single": [("Fine-tune a small model", False), ("Use the frontier generalist", True),
               ("Train from scratch", False)],
    "multiple": [("Format compliance", True), ("Broad reasoning", False),
                 ("Regulatory traceability", True), ("Bigger context windows", False)],
    "true_false": [("True", True), ("False", False)],
}  # fmt: skip


def add_question(quiz, kind, number):
    question = Question.objects.create(
        quiz=quiz,
        order=number,
        kind=kind,
        prompt=f"**Prompt {number}**: which holds for {kind}?",
        explanation=f"EXPLANATION-{number}: the reason behind question {number}.",
    )
    for index, (text, right) in enumerate(CHOICES[kind], start=1):
        Choice.objects.create(
            question=question,
            order=index,
            text=f"{text} ({number}.{index})",
            is_correct=right,
            feedback=f"FEEDBACK-{number}.{index}: {'why this is right' if right else 'why not'}",
        )
    return question


def answer_ids(quiz, *, right=True):
    """Question id to chosen choice ids: all right, or the first wrong choice of each question."""
    answers = {}
    for question in quiz.questions.prefetch_related("choices"):
        choices = list(question.choices.all())
        if right:
            answers[question.pk] = {c.pk for c in choices if c.is_correct}
        else:
            answers[question.pk] = {next(c.pk for c in choices if not c.is_correct)}
    return answers


def post_data(quiz, *, right=True, attempt=None):
    """The form data a browser sends for ``answer_ids``, with the attempt id if given."""
    data = {
        f"q{pk}": [str(c) for c in sorted(ids)] for pk, ids in answer_ids(quiz, right=right).items()
    }
    if attempt is not None:
        data["attempt"] = str(attempt.pk)
    return data
