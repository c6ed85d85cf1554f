"""What makes a question's set of choices well formed, for the admin and the content loader.

A ``single`` question has exactly one right choice; a ``true_false`` question has exactly two
choices, one of them right; a ``multiple`` question has at least two choices and at least one
right. Every question has at most ``Question.MAX_CHOICES`` choices. A published quiz has
between one and ``Quiz.MAX_QUESTIONS`` questions, all well formed. A quiz that draws questions
from a pool draws between one and all of its questions.
"""

from collections.abc import Iterable, Sequence

from .models import Question, Quiz


def choice_problems(kind: str, correct_flags: Iterable[bool]) -> list[str]:
    """The reasons a question of ``kind`` with these choices (right or not) is malformed."""
    flags = list(correct_flags)
    count, right = len(flags), sum(1 for flag in flags if flag)
    problems = []
    if count > Question.MAX_CHOICES:
        problems.append(
            f"A question can have at most {Question.MAX_CHOICES} choices; it has {count}."
        )
    if kind == Question.Kind.TRUE_FALSE:
        if count != 2:
            problems.append(f"A true-or-false question needs exactly two choices; it has {count}.")
        if right != 1:
            problems.append(
                f"A true-or-false question needs exactly one right choice; it has {right}."
            )
    elif kind == Question.Kind.SINGLE:
        if count < 2:
            problems.append(f"A one-answer question needs at least two choices; it has {count}.")
        if right != 1:
            problems.append(
                f"A one-answer question needs exactly one right choice; it has {right}."
            )
    elif kind == Question.Kind.MULTIPLE:
        if count < 2:
            problems.append(
                f"A several-answers question needs at least two choices; it has {count}."
            )
        if right < 1:
            problems.append(
                "A several-answers question needs at least one right choice; it has none."
            )
    else:
        problems.append(f"Unknown kind of question: {kind!r}.")
    return problems


def publish_problems(questions: Sequence[tuple[str, Sequence[bool]]]) -> list[str]:
    """Why a quiz with these questions, each (kind, right-or-not of its choices), cannot be published."""
    if not questions:
        return ["A quiz cannot be published with no questions."]
    if len(questions) > Quiz.MAX_QUESTIONS:
        return [f"A quiz can have at most {Quiz.MAX_QUESTIONS} questions; it has {len(questions)}."]
    return [
        f"Question {number}: {problem}"
        for number, (kind, flags) in enumerate(questions, start=1)
        for problem in choice_problems(kind, flags)
    ]


def draw_problems(draw_count: int | None, question_count: int) -> list[str]:
    """Why drawing ``draw_count`` of ``question_count`` questions per attempt cannot work."""
    if draw_count is None:
        return []
    if draw_count < 1 or draw_count > max(question_count, 1):
        return [
            f"The number of questions to draw must be between 1 and the number of questions "
            f"({question_count}); it is {draw_count}."
        ]
    return []
