"""A learner with some progress opens "My progress" in a real browser: the activity chart is
drawn, the numbers are there as a table, and Continue leads to the next unfinished lesson."""

import re

from playwright.sync_api import expect

from tests.factories import (
    complete_lessons,
    make_course,
    make_matrix,
    make_quiz,
    predict,
    published_lessons,
    submit_attempt,
)


def test_a_learner_reads_their_progress_and_continues(page, live_server, login, check_a11y, snap, make_user):
    learner = make_user("amira")
    docs = make_course(slug="clinical-documentation-ai", title="Clinical documentation AI", lessons=4, order=1)
    dx = make_course(slug="ai-diagnostics", title="AI diagnostics", order=2, lessons=2)
    quiz = make_quiz(course=docs, slug="documentation-check", questions=3)
    lessons = published_lessons(course=docs)
    for lesson, days in zip(lessons[:2], (9, 2), strict=True):
        complete_lessons(user=learner, lessons=[lesson], days_ago=days)
    for lesson in published_lessons(course=dx):
        complete_lessons(user=learner, lessons=[lesson], days_ago=1)
    submit_attempt(user=learner, quiz=quiz, picks=["right", "wrong A", "right"], days_ago=1)
    cells = make_matrix()
    predict(user=learner, cell=cells[1], right=True)
    predict(user=learner, cell=cells[3], right=False)

    login(page, learner)
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    expect(page.get_by_text("2 of 4 lessons completed (50%)")).to_be_visible()
    expect(page.get_by_text("2 of 2 lessons completed (100%)")).to_be_visible()
    expect(page.get_by_text("best 66%")).to_be_visible()
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    expect(page.locator("#activity-chart svg.main-svg").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"Fine-tune or generalist|Matrix base-strength"))).to_contain_text("50%")
    check_a11y(page)
    snap(page, "my-progress")

    page.get_by_role("link", name="Continue Clinical documentation AI").click()
    expect(page).to_have_url(re.compile(r"/courses/clinical-documentation-ai/lesson-3/$"))
