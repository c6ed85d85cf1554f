"""The strict CSP in Chromium on the pages that take URL parameters, and after htmx swaps.

tests/browser/test_security.py visits every page without parameters; these two tests visit
the ones with parameters and state, the way people reach them: a lesson with the embedded
matrix (toggled, compared and predicted in place), a quiz submitted through htmx and its
result page, the matrix page with ``?base=strong``, ``?view=compare`` and an advisor preset,
the learner's dashboard with its chart, and a team dashboard with its charts and its course
filter. After every page and every swap, no console error and no ``securitypolicyviolation``
may have been seen (the browser conftest records both).

The data is tests/security/world.py's: the shipped course material, the seven roles, team A
following the clinical track with member A's progress, attempts and predictions.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.security.roles import LEARNER, MANAGER_A
from tests.security.world import build_world


@pytest.fixture
def world(transactional_db):
    return build_world()


def assert_clean(page, page_errors, where: str) -> None:
    """No console error or policy violation so far; the events are asynchronous, so wait."""
    page.wait_for_load_state("networkidle")
    errors = list(page_errors)
    page_errors.clear()  # reported here, with the page, rather than by the fixture
    assert errors == [], f"{where}: {errors}"


def widget(page):
    return page.locator("#matrix-0")


def test_a_learner_s_pages_with_parameters_obey_the_policy(page, live_server, world, login, page_errors):
    login(page, world.users[LEARNER])
    url = live_server.url

    # A lesson with the matrix embedded, reached with the widget's state in its address.
    lesson = url + world.lesson.get_absolute_url()
    page.goto(lesson + "?base=strong")
    expect(widget(page).get_by_role("table")).to_contain_text("Generalist wins")
    assert_clean(page, page_errors, "lesson ?base=strong")
    widget(page).get_by_text("Weak base", exact=True).click()  # htmx swaps the widget in place
    expect(page).to_have_url(re.compile(r"when-fine-tuning-pays/(\?base=weak)?$"))
    expect(widget(page).get_by_role("table")).to_contain_text("Fine-tune wins")
    assert_clean(page, page_errors, "lesson, toggled to weak")
    widget(page).get_by_role("link", name="Compare all").click()
    expect(page).to_have_url(re.compile(r"view=compare"))
    assert_clean(page, page_errors, "lesson, compare view")
    widget(page).get_by_role("link", name="Predict first").click()
    form = widget(page).locator("form.matrix-predict")
    rows = form.locator(".matrix-predict-list").get_by_role("group")
    expect(rows).to_have_count(4)
    for fieldset in rows.all():
        fieldset.get_by_text("Generalist wins", exact=True).click()
    form.get_by_role("button", name=re.compile("^Reveal")).click()
    expect(widget(page)).to_contain_text("You predicted")
    expect(page).to_have_url(re.compile(r"reveal="))
    assert_clean(page, page_errors, "lesson, predictions revealed")
    page.reload()
    expect(widget(page)).to_contain_text("You predicted")
    assert_clean(page, page_errors, "lesson ?view=predict&reveal=..., reloaded")

    # The matrix's own page, by its parameters, and the advisor beside it.
    matrix = url + world.matrix.get_absolute_url()
    for query in ("?base=strong", "?view=compare", "?base=strong&view=predict", "?base=nonsense"):
        page.goto(matrix + query)
        expect(widget(page)).to_be_visible()
        assert_clean(page, page_errors, f"matrix {query}")
    page.goto(matrix + f"?base=strong&preset={world.preset.key}")
    advisor = page.locator("#matrix-0-advisor")
    expect(advisor.locator(".matrix-advice-headline")).to_have_text("Fine-tune")
    assert_clean(page, page_errors, "matrix with an advisor preset")
    advisor.get_by_role("button", name="Medical imaging").click()  # htmx swaps the advisor
    expect(advisor.locator(".matrix-advice-headline")).to_have_text(
        "Use a specialised perception model"
    )
    expect(page).to_have_url(re.compile(r"base=strong.*preset=medical-imaging|preset=medical-imaging.*base=strong"))
    assert_clean(page, page_errors, "advisor after another preset")

    # A quiz submitted through htmx, then its result page on its own.
    page.goto(url + world.quiz.get_absolute_url())
    questions = page.locator("form fieldset.question")
    expect(questions).to_have_count(world.quiz.draw_count or world.quiz.questions.count())
    assert_clean(page, page_errors, "quiz")
    for index in range(questions.count()):
        questions.nth(index).locator("input").first.check()
    page.get_by_role("button", name="Submit answers").click()
    result = page.locator("#result")
    expect(result.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))
    assert_clean(page, page_errors, "quiz result, swapped in")
    page.reload()
    expect(page.locator("#result")).to_be_visible()
    assert_clean(page, page_errors, "attempt page")
    page.goto(url + world.own_attempt.get_absolute_url())
    expect(page.locator("#result")).to_be_visible()
    assert_clean(page, page_errors, "the learner's first attempt")

    # The learner's dashboard, with the activity bars the server drew.
    page.goto(url + "/progress/")
    expect(page.locator(".bar-chart .bar-fill").first).to_be_attached()
    assert_clean(page, page_errors, "my progress")


def test_a_team_dashboard_and_its_course_filter_obey_the_policy(
    page, live_server, world, login, page_errors
):
    login(page, world.users[MANAGER_A])
    team = live_server.url + world.team_a.get_absolute_url()
    for query in ("", f"?course={world.course.slug}"):
        page.goto(team + query)
        charts = page.locator(".chart")
        expect(charts.first).to_be_visible()
        # plotly has drawn every chart: each holds its SVG.
        for index in range(charts.count()):
            expect(charts.nth(index).locator(".main-svg").first).to_be_attached()
        assert_clean(page, page_errors, f"team dashboard {query or '(all courses)'}")
    members = live_server.url + f"/teams/{world.team_a.slug}/members/"
    page.goto(members)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_clean(page, page_errors, "members page")
    page.goto(members + f"{world.member_a_membership.pk}/remove/")
    expect(page.get_by_role("button", name=re.compile("Remove"))).to_be_visible()
    assert_clean(page, page_errors, "remove-member confirmation")
