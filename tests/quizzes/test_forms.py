"""The quiz form's inputs, written by ``quizzes.forms.Option`` instead of Django's widget
templates: the same HTML, input for input, blank, filled in, and sent back with errors."""

import pytest
from django.forms.renderers import get_default_renderer
from django.http import QueryDict
from django.template.loader import render_to_string

from quizzes.attempts import arrange
from quizzes.forms import Option, QuizForm, _input_tag
from quizzes.selectors import questions_with_choices


def widget_tags(form):
    """Every input of ``form`` as Django's widget templates write it, with its label's
    ``for`` and text."""
    return [
        (str(widget.tag()), widget.id_for_label, widget.choice_label)
        for item in form.questions_with_fields()
        for field in (item.field, item.confidence)
        for widget in field
    ]


def option_tags(form):
    return [
        (str(option.tag), option.id_for_label, option.choice_label)
        for item in form.questions_with_fields()
        for option in (*item.choices, *item.confidences)
    ]


@pytest.fixture
def questions(quiz):
    return arrange(questions_with_choices(quiz), None)


def answers(questions, *, leave_out=()):
    """A POST answering every question but ``leave_out`` (positions): the last choice of
    each, both choices of the multiple-answer one, and "sure" on the first."""
    data = {}
    for position, question in enumerate(questions):
        if position in leave_out:
            continue
        choices = [str(choice.pk) for choice in question.shown_choices]
        data[f"q{question.pk}"] = choices[-2:] if question.kind == "multiple" else choices[-1]
    data[f"c{questions[0].pk}"] = "sure"
    return data


def as_post(data):
    post = QueryDict(mutable=True)
    for name, value in data.items():
        post.setlist(name, value if isinstance(value, list) else [value])
    return post


def test_a_blank_form_has_the_inputs_of_the_widget_templates(questions):
    form = QuizForm(questions=questions)
    tags = option_tags(form)
    assert tags == widget_tags(form)
    assert len(tags) == sum(len(q.shown_choices) + 3 for q in questions)
    assert not any(" checked" in tag or "aria-invalid" in tag for tag, _, _ in tags)


def test_a_filled_in_form_checks_the_same_inputs(questions):
    form = QuizForm(as_post(answers(questions)), questions=questions)
    assert form.is_valid()
    tags = option_tags(form)
    assert tags == widget_tags(form)
    checked = [tag for tag, _, _ in tags if tag.endswith(" checked>")]
    # one per single answer, two for the multiple one, one confidence
    assert len(checked) == len(questions) + 1 + 1


def test_a_form_sent_back_with_errors_marks_the_same_inputs_invalid(questions):
    form = QuizForm(as_post(answers(questions, leave_out=(1,))), questions=questions)
    assert not form.is_valid()
    tags = option_tags(form)
    assert tags == widget_tags(form)
    invalid = [tag for tag, _, _ in tags if 'aria-invalid="true"' in tag]
    assert len(invalid) == len(questions[1].shown_choices)


def test_values_and_attributes_are_escaped_as_the_templates_do():
    data = {"type": "radio", "name": 'q"1', "value": "<b>&", "label": "x", "attrs": {
        "id": 'id_"q', "checked": True, "disabled": False, "data-x": "a'b"}}  # fmt: skip
    renderer = get_default_renderer()  # where Django's own widget templates are found
    for widget in (data, {**data, "value": None}):
        expected = renderer.render("django/forms/widgets/input.html", {"widget": widget})
        assert _input_tag(widget) == expected


def test_the_question_include_renders_the_options(questions):
    item = QuizForm(questions=questions).questions_with_fields()[0]
    html = render_to_string("quizzes/includes/question.html", {"item": item, "total": 3})
    first = item.choices[0]
    assert isinstance(first, Option)
    assert f'{first.tag}<label for="{first.id_for_label}">' in html
    assert html.count("<input ") == len(item.choices) + len(item.confidences)
    assert len(list(item.field)) == len(item.choices)
