"""The scenario advisor beside the matrix: its answers read from the URL, and its context.

The advisor's state is its own parameter group (``ADVISOR_PARAMS``): a ``preset`` fills it
with one track's typical situation; otherwise ``strength``, ``reason`` (repeated) and
``perception`` are the visitor's answers. Nothing here depends on who asks, so the advisor's
region is the same for everyone (``advice.advise`` gives the recommendation).
"""

from dataclasses import dataclass, field

from . import advice
from .placement import ADVISOR_PARAMS, Placement, hx_link, hx_url, which_matrix
from .selectors import MatrixGrid, advisor_presets

DEFAULT_STRENGTH = advice.STRONG


@dataclass
class Answers:
    """The advisor's answers as the URL gives them, with a notice for each one ignored."""

    preset: object = None
    strength: str = DEFAULT_STRENGTH
    reasons: set[str] = field(default_factory=set)
    perception: bool = False
    notices: list[str] = field(default_factory=list)


def read_answers(placement: Placement, presets) -> Answers:
    """The advisor's answers: a known preset's, else the visitor's own, unknown ones noted."""
    answers = Answers()
    preset_key = placement.get("preset")
    if preset_key:
        answers.preset = next((item for item in presets if item.key == preset_key), None)
        if answers.preset is None:
            answers.notices.append(
                f"There is no preset \u201c{preset_key}\u201d; showing your answers."
            )
    if answers.preset is not None:
        answers.strength = answers.preset.base
        answers.reasons = set(answers.preset.reasons)
        answers.perception = answers.preset.perception
        return answers

    strength = placement.get("strength") or DEFAULT_STRENGTH
    if strength not in advice.STRENGTHS:
        answers.notices.append(
            f"\u201c{strength}\u201d is not a base strength; the advisor assumes a strong base."
        )
        strength = DEFAULT_STRENGTH
    answers.strength = strength
    asked = placement.getlist("reason")
    unknown = [value for value in asked if value and value not in advice.REASONS]
    if unknown:
        answers.notices.append("Ignored an unknown reason: " + ", ".join(unknown) + ".")
    answers.reasons = {value for value in asked if value in advice.REASONS}
    answers.perception = placement.get("perception") == "yes"
    return answers


def _choices(answers: Answers, presets, prefix: str) -> dict:
    """The form's presets, strengths, reasons and perception box, each marked as chosen."""
    return {
        "presets": [
            {
                "key": item.key,
                "label": item.label,
                "active": item == answers.preset,
                "id": f"{prefix}-preset-{item.key}",
            }
            for item in presets
        ],
        "strengths": [
            {
                "value": value,
                "label": label,
                "checked": value == answers.strength,
                "id": f"{prefix}-strength-{value}",
            }
            for value, label in advice.STRENGTHS.items()
        ],
        "reasons": [
            {
                "value": value,
                "label": label,
                "checked": value in answers.reasons,
                "id": f"{prefix}-reason-{value}",
            }
            for value, label in advice.REASONS.items()
        ],
        "perception": {
            "checked": answers.perception,
            "label": advice.PERCEPTION_LABEL,
            "id": f"{prefix}-perception",
        },
    }


def advisor_context(
    *, grid: MatrixGrid, placement: Placement, embedded: bool = False, presets=None
) -> dict:
    """Everything the ``advisor`` partial shows: the answers, the advice and its drivers."""
    if presets is None:
        presets = advisor_presets(matrix=grid.matrix)
    answers = read_answers(placement, presets)
    result = advice.advise(
        base=answers.strength, reasons=answers.reasons, perception=answers.perception
    )
    preset = answers.preset
    return {
        "id": f"{placement.id}-advisor",
        "which": which_matrix(placement),
        "h": 3 if embedded else 2,
        "page_path": placement.page_path,
        "hx_url": hx_url(grid, placement, "matrix:advisor"),
        "names": placement.names(ADVISOR_PARAMS),
        "keep": placement.keep(ADVISOR_PARAMS),
        "notices": answers.notices,
        **_choices(answers, presets, prefix=f"{placement.id}-adv"),
        "preset": preset,
        "preset_course": (
            preset.course if preset and preset.course and preset.course.is_published else None
        ),
        "advice": result,
        "recommendation": result.recommendation.value,
        "reset_url": placement.url(ADVISOR_PARAMS),
        "reset_hx": hx_link(grid, placement, ADVISOR_PARAMS),
        "status": f"Advice: {result.recommendation.label}.",
    }
