"""What an author must get right before a block is saved: pure rules on plain values.

The admin (the block form and its choices inline) and the content loader ask the same two
functions, so a block that one of them accepts the other accepts too.
"""

from collections.abc import Sequence

CHOICE_KINDS = ("single", "multiple", "true_false")


def block_problems(*, kind: str, answer_kind: str, explanation: str) -> list[str]:
    """Problems of a block on its own: its kinds go together, a predict block has an outcome."""
    problems = []
    if kind == "check" and answer_kind == "text":
        problems.append(
            "An inline check is answered by choosing: make it one choice, several choices, or "
            "true or false. Only predict blocks take an answer in the learner's own words."
        )
    if kind == "predict" and not (explanation or "").strip():
        problems.append(
            "A predict block needs its outcome in the explanation: it is what learners see "
            "once they have predicted."
        )
    return problems


def choice_problems(
    *, kind: str, answer_kind: str, choices: Sequence[tuple[bool, str]], max_choices: int = 8
) -> list[str]:
    """Problems of a block's choices, given as (is_correct, feedback) pairs in order."""
    if answer_kind == "text":
        if choices:
            return ["An answer in the learner's own words has no choices: remove them."]
        return []
    problems = []
    right = sum(1 for is_correct, _feedback in choices if is_correct)
    if answer_kind in ("single", "true_false") and len(choices) < 2:
        problems.append("Give at least two choices.")
    if answer_kind == "multiple" and len(choices) < 2:
        problems.append("Give at least two choices.")
    if len(choices) > max_choices:
        problems.append(f"Give at most {max_choices} choices.")
    if answer_kind == "true_false" and len(choices) != 2:
        problems.append("A true-or-false question has exactly two choices, True and False.")
    if answer_kind in ("single", "true_false") and right != 1:
        problems.append(f"Mark exactly one choice as right (now {right}).")
    if answer_kind == "multiple" and right < 1:
        problems.append("Mark at least one choice as right.")
    if kind == "check":
        missing = [str(n) for n, (_c, feedback) in enumerate(choices, 1) if not feedback.strip()]
        if missing:
            problems.append(
                "Every choice of an inline check needs feedback; missing for choice "
                + ", ".join(missing)
                + "."
            )
    return problems
