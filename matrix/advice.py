"""The scenario advisor's rule: should this team fine-tune, prompt a general model, or build a
perception model?

The rule follows the source's reasoning in one pure function, ``advise``. Fine-tuning earns its
cost in four situations (a constrained output format; a deployment that needs a smaller or
auditable model; latency that rules out frontier APIs; a target distribution absent from the
base model's training). On a weak base, added domain signal matters a great deal, so
fine-tuning wins. On a strong base with none of the four situations, domain training adds
little and risks forgetting and brittleness, so prompting a general model is the better start.
Reading images is a perception problem with its own logic, which the matrix does not decide.

``advise`` returns the recommendation and the learner's answers that drove it; views and
templates only present it.
"""

from dataclasses import dataclass
from enum import StrEnum

WEAK = "weak"
STRONG = "strong"

# The base strengths the advisor asks about, in the order the form shows them.
STRENGTHS = {
    WEAK: "Weak: a small or undertrained base model",
    STRONG: "Strong: a frontier general-purpose model",
}

# The source's four situations in which fine-tuning earns its cost, in the form's order.
# The keys are the ones content/matrices/*.toml presets use.
REASONS = {
    "constrained_format": "Outputs must follow a constrained format (structured notes, codes, templates)",
    "smaller_or_auditable": "The deployment needs a smaller or auditable model",
    "latency": "Latency requirements rule out frontier-model APIs",
    "distribution_absent": "The target data is absent from the base model's training",
}

PERCEPTION_LABEL = "The problem is perception: reading images, not reasoning in language"


class Recommendation(StrEnum):
    FINE_TUNE = "fine_tune"
    PROMPT_GENERALIST = "prompt_generalist"
    PERCEPTION_MODEL = "perception_model"

    @property
    def label(self) -> str:
        return {
            Recommendation.FINE_TUNE: "Fine-tune",
            Recommendation.PROMPT_GENERALIST: "Prompt a strong general model",
            Recommendation.PERCEPTION_MODEL: "Use a specialised perception model",
        }[self]

    @property
    def explanation(self) -> str:
        return {
            Recommendation.FINE_TUNE: (
                "Fine-tuning is likely to earn its cost here: the answers below name a need "
                "that prompting a general model does not meet."
            ),
            Recommendation.PROMPT_GENERALIST: (
                "Start by prompting a strong general model. Domain training would add little "
                "to what it already knows, and narrow training risks catastrophic forgetting "
                "and brittleness under distribution shift."
            ),
            Recommendation.PERCEPTION_MODEL: (
                "Reading images is a perception problem. Vision models learn it from labelled "
                "images and follow different logic, so the generalist-versus-specialist "
                "matrix does not decide this case."
            ),
        }[self]


@dataclass(frozen=True)
class Driver:
    """One of the learner's answers that drove the recommendation, said back to them."""

    key: str
    text: str


@dataclass(frozen=True)
class Advice:
    recommendation: Recommendation
    drivers: tuple[Driver, ...]
    caveat: str = ""


DRIVER_TEXT = {
    "perception": "You said the problem is perception (reading images).",
    "base:weak": "You said the base model is weak, so added domain signal matters a great deal.",
    "base:strong": (
        "You said the base model is strong, so domain training adds only a marginal gain."
    ),
    "no_reasons": "You ticked none of the four situations in which fine-tuning earns its cost.",
    "constrained_format": "You said outputs must follow a constrained format.",
    "smaller_or_auditable": "You said the deployment needs a smaller or auditable model.",
    "latency": "You said latency rules out frontier-model APIs.",
    "distribution_absent": "You said the target data is absent from the base model's training.",
}


def _driver(key: str) -> Driver:
    return Driver(key=key, text=DRIVER_TEXT[key])


def advise(*, base: str, reasons: frozenset[str] | set[str], perception: bool) -> Advice:
    """Recommend an approach for one scenario.

    ``base`` is ``"weak"`` or ``"strong"``; ``reasons`` is a subset of ``REASONS``' keys;
    ``perception`` says whether the problem is reading images. Raises ``ValueError`` for
    anything else. The drivers come back in the form's order.
    """
    if base not in STRENGTHS:
        raise ValueError(f"unknown base strength {base!r}")
    unknown = set(reasons) - set(REASONS)
    if unknown:
        raise ValueError(f"unknown reasons {sorted(unknown)!r}")
    chosen = [key for key in REASONS if key in reasons]

    if perception:
        caveat = ""
        if chosen:
            caveat = (
                "Your other answers still shape how the model is deployed (its size, audit "
                "trail or speed), but they do not change what kind of model this is."
            )
        return Advice(Recommendation.PERCEPTION_MODEL, (_driver("perception"),), caveat)

    if base == WEAK:
        caveat = ""
        if not chosen:
            caveat = (
                "If a stronger base model is open to you, try it first: on a strong base the "
                "gain from domain training shrinks and the answer may change."
            )
        drivers = (_driver("base:weak"), *(_driver(key) for key in chosen))
        return Advice(Recommendation.FINE_TUNE, drivers, caveat)

    if chosen:
        caveat = ""
        if chosen == ["constrained_format"]:
            caveat = (
                "A strong base often holds a format with careful prompting and a validator "
                "(the matrix's \u201cPrompting works\u201d). Measure how many outputs fail "
                "validation first; fine-tune when the format must hold every time."
            )
        return Advice(Recommendation.FINE_TUNE, tuple(_driver(key) for key in chosen), caveat)

    return Advice(Recommendation.PROMPT_GENERALIST, (_driver("base:strong"), _driver("no_reasons")))
