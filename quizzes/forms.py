"""The quiz as a learner fills it in: one field per question, named ``q<question id>``."""

from django import forms

from .models import Question

KIND_HINTS = {
    Question.Kind.SINGLE: "choose one answer",
    Question.Kind.MULTIPLE: "choose every answer that applies",
    Question.Kind.TRUE_FALSE: "true or false",
}


class QuizForm(forms.Form):
    """Radio buttons for one-answer and true-or-false questions, checkboxes for the others.

    Built from arranged questions (see ``quizzes.attempts.arrange``), so the fields follow
    the attempt's order. The browser's own ``required`` check is off: every unanswered
    question gets the same server-side message, radio buttons and checkboxes alike.
    """

    use_required_attribute = False

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            options = [(str(choice.pk), choice.text) for choice in question.shown_choices]
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"required": "Choose at least one answer to this question."},
                )
            else:
                field = forms.ChoiceField(
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose an answer to this question."},
                )
            field.label = f"Question {number}"
            self.fields[self.field_name(question)] = field

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def questions_with_fields(self):
        """(number, question, bound field, hint) for each question, in order."""
        return [
            (number, question, self[self.field_name(question)], KIND_HINTS[question.kind])
            for number, question in enumerate(self.questions, start=1)
        ]

    def is_forged(self) -> bool:
        """Whether an error is one a real form cannot cause (a choice not on offer)."""
        return any(
            error.code != "required"
            for errors in self.errors.as_data().values()
            for error in errors
        )

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
