"""The quiz as a learner fills it in: per question, its answer (``q<question id>``) and how
sure the learner is (``c<question id>``, optional).

The radio buttons and checkboxes are written by ``Option``, not by Django's widget templates:
one template render per input was half the CPU of rendering a quiz page (about 70 inputs).
The names, values, ids, ``checked`` and ``aria-invalid`` still come from the widgets
(``BoundField.subwidgets``); only the writing of the ``<input>`` tag is done here, and a test
compares it with the widget template's, input by input.
"""

from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.confidence import Confidence

from .models import Question

FORGED_CHOICE = "One of the answers names a choice that is not part of its question."
INVALID_CONFIDENCE = (
    "How sure you are must be one of “Sure”, “Think so” or “Guessing”, or left out."
)

KIND_HINTS = {
    Question.Kind.SINGLE: "choose one answer",
    Question.Kind.MULTIPLE: "choose every answer that applies",
    Question.Kind.TRUE_FALSE: "true or false",
}


@dataclass(frozen=True)
class Option:
    """One radio button or checkbox: what the template needs of a ``BoundWidget``."""

    tag: SafeString
    id_for_label: str
    choice_label: str

    @classmethod
    def of(cls, widget: BoundWidget) -> "Option":
        return cls(tag=_input_tag(widget.data), id_for_label=widget.id_for_label,
                   choice_label=widget.choice_label)  # fmt: skip


def _input_tag(data: dict) -> SafeString:
    """The ``<input>`` Django's ``input.html`` and ``attrs.html`` templates write for a
    widget option's ``data``, byte for byte: one ``format_html``, which escapes every name and
    value."""
    pattern, args = ['<input type="{}" name="{}"'], [data["type"], data["name"]]
    if data["value"] is not None:
        pattern.append(' value="{}"')
        args.append(str(data["value"]))
    for name, value in data["attrs"].items():
        if value is True:
            pattern.append(" {}")
            args.append(name)
        elif value is not False:
            pattern.append(' {}="{}"')
            args += [name, str(value)]
    return format_html("".join(pattern) + ">", *args)


@dataclass(frozen=True)
class QuestionFields:
    number: int
    question: Question
    field: forms.BoundField
    confidence: forms.BoundField
    hint: str

    @cached_property
    def choices(self) -> list[Option]:
        return [Option.of(widget) for widget in self.field]

    @cached_property
    def confidences(self) -> list[Option]:
        return [Option.of(widget) for widget in self.confidence]


class QuizForm(forms.Form):
    """Radio buttons for one-answer and true-or-false questions, checkboxes for the others.

    Built from arranged questions (see ``quizzes.attempts.arrange``), so the fields follow
    the attempt's order. The browser's own ``required`` check is off: every unanswered
    question gets the same server-side message, radio buttons and checkboxes alike.
    A practice step is this form with one question: ``first_number`` numbers it.
    """

    use_required_attribute = False

    def __init__(self, *args, questions, first_number: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.first_number = first_number
        for number, question in enumerate(self.questions, start=first_number):
            options = [(str(choice.pk), choice.text) for choice in question.shown_choices]
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={
                        "required": "Choose at least one answer to this question.",
                        "invalid_choice": FORGED_CHOICE,
                    },
                )
            else:
                field = forms.ChoiceField(
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": "Choose an answer to this question.",
                        "invalid_choice": FORGED_CHOICE,
                    },
                )
            field.label = f"Question {number}"
            self.fields[self.field_name(question)] = field
            self.fields[self.confidence_name(question)] = forms.ChoiceField(
                choices=Confidence.choices,
                widget=forms.RadioSelect,
                required=False,
                label=f"How sure are you? (question {number})",
                error_messages={"invalid_choice": INVALID_CONFIDENCE},
            )

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    @staticmethod
    def confidence_name(question: Question) -> str:
        return f"c{question.pk}"

    def questions_with_fields(self) -> list[QuestionFields]:
        """Each question with its number, answer field, confidence field and hint, in order."""
        return [
            QuestionFields(
                number=number,
                question=question,
                field=self[self.field_name(question)],
                confidence=self[self.confidence_name(question)],
                hint=KIND_HINTS[question.kind],
            )
            for number, question in enumerate(self.questions, start=self.first_number)
        ]

    def forgery(self) -> str:
        """The message of an error a real form cannot cause (a choice or a confidence not on
        offer), or '' when every error is a question left unanswered."""
        for errors in self.errors.as_data().values():
            for error in errors:
                if error.code != "required":
                    return error.messages[0]
        return ""

    def is_forged(self) -> bool:
        return bool(self.forgery())

    def confidences(self) -> dict[int, str]:
        """Question id to confidence ('' when not given), from a valid form."""
        return {
            question.pk: self.cleaned_data[self.confidence_name(question)]
            for question in self.questions
        }

    def answers(self) -> dict[int, set[int]]:
        """Question id to chosen choice ids, from a valid form."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data[self.field_name(question)]
            values = value if isinstance(value, list) else [value]
            answers[question.pk] = {int(choice_id) for choice_id in values}
        return answers

    def add_unanswered(self, question_ids) -> None:
        for question in self.questions:
            if question.pk in question_ids:
                self.add_error(
                    self.field_name(question),
                    forms.ValidationError("Choose an answer to this question.", code="required"),
                )
