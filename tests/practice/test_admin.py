"""practice/admin.py: authoring blocks with their choices, checked on save; lessons refuse
unknown blocks; the lesson preview labels each block."""

import pytest
from django.urls import reverse

from practice.models import Block
from tests.factories import make_lesson

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:practice_block_add")
LESSON_ADD = reverse("admin:lessons_lesson_add")
PREVIEW = reverse("admin:lessons_lesson_preview")


def block_data(course, *, kind="check", answer_kind="single", explanation="Why.", choices=()):
    data = {
        "course": course.pk, "slug": "new-block", "kind": kind, "answer_kind": answer_kind,
        "title": "A new block", "scenario": "", "prompt": "Which?\r\n\r\nPick.",
        "explanation": explanation, "_save": "Save",
        "choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0, "choices-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for n, (text, right, feedback) in enumerate(choices):
        data |= {
            f"choices-{n}-order": n,
            f"choices-{n}-text": text,
            f"choices-{n}-feedback": feedback,
        }
        if right:
            data[f"choices-{n}-is_correct"] = "on"
    return data


@pytest.fixture
def author(client, instructor):
    client.force_login(instructor)
    return client


def test_an_instructor_adds_a_check_with_its_choices(author, course):
    data = block_data(course, choices=[("Yes", True, "Right."), ("No", False, "Not so.")])
    response = author.post(ADD_URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    block = Block.objects.get(slug="new-block")
    assert block.prompt == "Which?\n\nPick." and block.prompt_html.startswith("<p>Which?</p>")
    assert [c.text for c in block.choices.order_by("order")] == ["Yes", "No"]
    assert block.history.count() == 1


@pytest.mark.parametrize(
    "choices, message",
    [
        ([("Yes", True, "f"), ("No", True, "f")], "Mark exactly one choice as right"),
        ([("Yes", True, "f"), ("No", False, "")], "needs feedback"),
        ([("Yes", False, "f"), ("No", False, "f")], "Mark exactly one choice as right"),
    ],
)
def test_a_check_with_bad_choices_is_refused(author, course, choices, message):
    response = author.post(ADD_URL, block_data(course, choices=choices))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Block.objects.exists()


def test_a_predict_block_needs_an_outcome(author, course):
    response = author.post(
        ADD_URL, block_data(course, kind="predict", answer_kind="text", explanation="")
    )
    assert response.status_code == 200 and "needs its outcome" in response.content.decode()
    assert not Block.objects.exists()


def test_a_lesson_naming_an_unknown_block_is_refused(author, course, check):
    data = {
        "course": course.pk, "title": "T", "slug": "t", "order": 1, "status": "draft",
        "estimated_minutes": 5, "sources": "", "reviewed_on": "", "owner": "", "_save": "Save",
        "body": "[[check:pick-one]]\r\n\r\n[[predict:nowhere]]\r\n\r\n[[predict:pick-one]]",
    }  # fmt: skip
    body = author.post(LESSON_ADD, data).content.decode()
    assert "no published predict has the slug &#x27;nowhere&#x27;" in body
    assert (
        "no published predict has the slug &#x27;pick-one&#x27;" in body
    )  # a check, not a predict
    assert "[[check:pick-one]]: no" not in body


def test_the_preview_says_which_check_or_prediction_each_box_is(author, check, predict):
    body = author.post(
        PREVIEW, {"body": "[[check:pick-one]]\n\n[[predict:guess-it]]\n\n[[check:gone]]"}
    )
    text = body.content.decode()
    assert "Inline check “Block pick-one”: <code>pick-one</code>" in text
    assert "Predict, then reveal “Block guess-it”: <code>guess-it</code>" in text
    assert "Inline check (no such block yet): <code>gone</code>" in text


def test_answers_are_read_only_in_the_admin(author, learner, lesson, check):
    from practice.models import BlockAnswer

    answer = BlockAnswer.objects.create(user=learner, block=check, is_first=True, token="0" * 32)
    assert author.get(reverse("admin:practice_blockanswer_changelist")).status_code == 200
    assert author.get(reverse("admin:practice_blockanswer_add")).status_code == 403
    page = author.get(reverse("admin:practice_blockanswer_change", args=[answer.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_the_lesson_with_blocks_still_saves_and_places_them(author, course, check):
    lesson = make_lesson(course=course, body="[[check:pick-one]]")
    assert lesson.practice_placements.get().block == check
