"""The learner dashboard, the team dashboard and the CSV, through the test client."""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from progress.exports import COLUMNS
from tests.factories import (
    complete_lessons,
    enrol,
    make_course,
    make_matrix,
    make_person,
    make_quiz,
    make_team,
    predict,
    published_lessons,
    submit_attempt,
)
from tests.html import elements

pytestmark = pytest.mark.django_db
PLOTLY = "/static/vendor/plotly.min.js"


def json_scripts(body):
    return {
        match.group(1): json.loads(match.group(2))
        for match in re.finditer(r'<script id="([^"]+)" type="application/json">(.*?)</script>', body, re.S)
    }


@pytest.fixture
def world():
    """Two courses, a quiz in each, a matrix, a team of three members and a manager."""
    docs = make_course(slug="documentation", title="Clinical documentation AI", lessons=3, drafts=1, order=1)
    dx = make_course(slug="diagnostics", title="AI diagnostics", order=2, lessons=2)
    doc_quiz = make_quiz(course=docs, slug="docs-check", questions=2, pass_percent=50)
    dx_quiz = make_quiz(course=dx, slug="dx-check", questions=2)
    cells = make_matrix()
    manager = make_person(username="manager")
    ann = make_person(username="ann", first_name="Ann", last_name="Okafor")
    bob, cai = make_person(username="bob"), make_person(username="cai")
    team = make_team(slug="ward-7", name="Ward 7", courses=[docs, dx], managers=[manager], members=[ann, bob, cai])
    team.memberships.update(joined_at=timezone.now() - datetime.timedelta(days=60))
    lessons = published_lessons(course=docs)
    enrol(user=ann, course=docs, days_ago=10)
    for lesson in lessons:
        complete_lessons(user=ann, lessons=[lesson], days_ago=2)
    submit_attempt(user=ann, quiz=doc_quiz, picks=["right", "wrong A"], days_ago=1)  # 50%: passed
    complete_lessons(user=bob, lessons=[lessons[0]], days_ago=30)  # stuck
    submit_attempt(user=bob, quiz=doc_quiz, picks=["wrong A", "wrong B"], days_ago=29)
    for lesson in published_lessons(course=dx):
        complete_lessons(user=cai, lessons=[lesson], days_ago=1)
    submit_attempt(user=cai, quiz=dx_quiz, picks=["right", "right"], days_ago=1)
    # cells: (domain, weak), (domain, strong), (format, weak), (format, strong); weak is the
    # default column, shown revealed, so only the strong column is predicted.
    predict(user=ann, cell=cells[1], right=True)
    predict(user=bob, cell=cells[1], right=False)
    predict(user=cai, cell=cells[3], right=True)
    return {"team": team, "manager": manager, "ann": ann, "bob": bob, "cai": cai,
            "docs": docs, "dx": dx, "doc_quiz": doc_quiz, "dx_quiz": dx_quiz}


def dashboard(client, world, query=""):
    client.force_login(world["manager"])
    return client.get(reverse("progress:team", kwargs={"team": "ward-7"}) + query)


def export(client, world, query=""):
    client.force_login(world["manager"])
    response = client.get(reverse("progress:export", kwargs={"team": "ward-7"}) + query)
    return response, list(csv.reader(io.StringIO(response.content.decode())))


# --- the learner dashboard ------------------------------------------------------------------


def test_my_progress_needs_an_account(client):
    response = client.get(reverse("progress:mine"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_my_progress_for_a_newcomer_says_what_to_do(client):
    client.force_login(make_person(username="new"))
    body = client.get(reverse("progress:mine")).content.decode()
    assert "You have not started a course yet" in body
    assert reverse("courses:catalog") in body
    assert "activity-data" not in body


def test_my_progress_shows_percent_continue_quizzes_matrix_and_activity(client, world):
    bob = world["bob"]
    client.force_login(bob)
    response = client.get(reverse("progress:mine"))
    body = response.content.decode()
    assert "1 of 3 lessons completed (33%)" in body
    assert 'value="33"' in body
    continue_url = reverse("lessons:detail", kwargs={"course": "documentation", "lesson": "lesson-2"})
    assert f'href="{continue_url}"' in body
    assert "best 0%" in body and "Not passed yet" in body
    assert "Not taken yet" not in body  # bob has not started diagnostics: it is listed as assigned
    assert "Assigned by your team, not started yet" in body and "AI diagnostics" in body
    assert re.search(r"<td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0%</td>", body)
    assert "Ward 7" in body and "its managers see your progress" in body


def test_my_progress_for_a_finished_course_offers_review_and_shows_passed(client, world):
    client.force_login(world["ann"])
    body = client.get(reverse("progress:mine")).content.decode()
    assert "Course complete" in body and "Review the course" in body
    assert "best 50%" in body and "Passed" in body


def test_my_progress_activity_bars_are_a_table_of_the_figures(client, world):
    client.force_login(world["ann"])
    response = client.get(reverse("progress:mine"))
    body = response.content.decode()
    weeks = response.context["dashboard"].weeks
    assert sum(count for _, count in weeks) == 3
    figure = elements(body, "figure", class_="bar-chart")[0]
    assert figure.text.startswith("Lessons completed per week, last 12 weeks")
    rows = elements(body, "td", class_="bar-cell")
    assert [int(cell.text) for cell in rows] == [count for _, count in weeks]
    for week, _ in weeks:
        assert f'<time datetime="{week:%Y-%m-%d}">{week:%-d %b %Y}</time>' in body
    # One bar per week with lessons, as long as its share of the busiest week; the bars are
    # decoration beside the figures, hidden from screen readers.
    fills = elements(body, "rect", class_="bar-fill")
    assert [fill.attrs["width"] for fill in fills] == ["100.0%"]
    assert len(elements(body, "svg", aria_hidden="true", focusable="false")) == len(weeks)
    assert "3 lessons completed in the last 12 weeks" in body
    assert elements(body, "table", aria_labelledby="activity-caption")


def test_my_progress_loads_no_plotly_and_no_chart_script(client, world):
    client.force_login(world["ann"])
    body = client.get(reverse("progress:mine")).content.decode()
    assert PLOTLY not in body and "charts.js" not in body and "plotly.js-style" not in body
    assert "style=" not in body
    assert elements(body, "link", href="/static/css/bar-chart.css")


def test_a_manager_sees_links_to_their_team_on_my_progress(client, world):
    client.force_login(world["manager"])
    body = client.get(reverse("progress:mine")).content.decode()
    assert reverse("progress:team", kwargs={"team": "ward-7"}) in body
    assert reverse("teams:members", kwargs={"team": "ward-7"}) in body


# --- plotly is loaded only on managers' dashboards, under the CSP ---------------------


def test_plotly_and_its_nonce_style_are_on_the_team_dashboard(client, world):
    client.force_login(world["manager"])
    response = client.get(reverse("progress:team", kwargs={"team": "ward-7"}))
    body = response.content.decode()
    assert elements(body, "script", src=PLOTLY, defer=True)
    assert elements(body, "script", src="/static/js/charts.js", defer=True)
    nonce = re.search(r'<style id="plotly.js-style-global" nonce="([^"]+)"></style>', body).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert "style=" not in body
    # No inline code: every script is a file or JSON data.
    for tag in re.findall(r"<script[^>]*>", body):
        assert 'src="' in tag or 'type="application/json"' in tag, tag


def test_plotly_is_not_loaded_elsewhere(client, world):
    client.force_login(world["manager"])
    for url in ("/", reverse("progress:mine"), reverse("teams:members", kwargs={"team": "ward-7"}),
                reverse("teams:join", kwargs={"invite_code": world["team"].invite_code})):
        assert PLOTLY not in client.get(url).content.decode()


def test_the_plotly_file_is_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/plotly.min.js")


# --- the team dashboard ---------------------------------------------------------------------


def test_team_dashboard_summary(client, world):
    response = dashboard(client, world)
    body = response.content.decode()
    # ann 100 + 0, bob 33 + 0, cai 0 + 100 -> 233 / 6 = 39
    assert '<span class="stat-value">39%</span><span class="stat-label">average completion' in body
    assert '<span class="stat-value">3</span><span class="stat-label">members' in body
    shares = {s.quiz.slug: (s.passed, s.members) for s in response.context["dashboard"].quiz_shares}
    assert shares == {"docs-check": (1, 3), "dx-check": (1, 3)}
    assert "1 of 3</td><td class=\"num\">33%" in body


def test_team_dashboard_heatmap_in_course_order_with_its_table(client, world):
    response = dashboard(client, world)
    body = response.content.decode()
    figure = json_scripts(body)["heatmap-data"]
    heatmap = figure["data"][0]
    assert heatmap["type"] == "heatmap"
    assert heatmap["y"] == ["ann", "bob", "cai"]
    assert heatmap["z"] == [[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [0, 0, 0, 1, 1]]
    assert [x.split()[0] for x in heatmap["x"]] == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    assert figure["layout"]["template"] != {} and len(json.dumps(figure["layout"]["template"])) < 200
    table = body.split('id="heatmap-data"')[1]
    assert len(elements(table, "td", class_="cell-done")) == 3 + 1 + 2
    assert "bob" in [th.text for th in elements(table, "th", scope="row")]


def test_team_dashboard_funnels_count_members_per_lesson(client, world):
    response = dashboard(client, world)
    charts = response.context["charts"]
    funnels = {f["course"].slug: [s.completed for s in f["steps"]] for f in charts["funnels"]}
    assert funnels == {"documentation": [2, 1, 1], "diagnostics": [1, 1]}
    figures = json_scripts(response.content.decode())
    assert figures["funnel-1-data"]["data"][0]["x"] == [2, 1, 1]
    assert figures["funnel-1-data"]["data"][0]["type"] == "funnel"


def test_team_dashboard_lists_who_needs_attention_in_words(client, world):
    """bob did nothing for 29 days and failed his quiz; ann and cai are on track."""
    body = dashboard(client, world).content.decode()
    section = body.split('id="attention-heading"')[1].split("</section>")[0]
    assert [p.text for p in elements(section, "p", class_="attention-name")] == ["bob"]
    reasons = [li.text for li in elements(section, "li", class_="reason")]
    assert reasons == [
        "Failing Quiz docs-check: best 0%, pass mark 50%",
        "Inactive for 29 days (Clinical documentation AI unfinished)",
    ]


def test_team_dashboard_item_analysis(client, world):
    response = dashboard(client, world)
    docs = next(a for a in response.context["dashboard"].quizzes if a.quiz.slug == "docs-check")
    assert docs.takers == 2
    assert [(i.answered, i.right) for i in docs.items] == [(2, 1), (2, 0)]
    assert docs.items[1].wrong_choice.text.startswith("wrong A")
    body = response.content.decode()
    assert "Question 2 of docs-check?" in body
    # The confidently-wrong rate, in plain words with the statistic's name in its title.
    headers = elements(body, "abbr", title="Confidently-wrong rate: the share who answered wrong while sure")
    assert headers and {header.text for header in headers} == {"Sure but wrong"}
    assert elements(body, "abbr", title="Facility: the share who answered right")[0].text == "Got it right"
    assert [i.confidently_wrong_percent for i in docs.items] == [0, 0]


def test_team_dashboard_misconception_map_with_table(client, world):
    response = dashboard(client, world)
    (matrix,) = response.context["charts"]["matrices"]
    figure = json_scripts(response.content.decode())[matrix["data_id"]]
    assert figure["data"][0]["type"] == "heatmap"
    assert figure["data"][0]["x"] == ["Strong base"]
    assert figure["data"][0]["y"] == ["Domain coverage", "Output format"]
    assert figure["data"][0]["z"] == [[0.5], [1.0]]
    assert figure["data"][0]["text"] == [["50%"], ["100%"]]
    body = response.content.decode()
    assert "50% <span class=\"muted\">(1/2)</span>" in body
    assert "100% <span class=\"muted\">(1/1)</span>" in body


def test_course_filter_narrows_the_dashboard(client, world):
    response = dashboard(client, world, "?course=diagnostics")
    assert [c.slug for c in response.context["dashboard"].data.courses] == ["diagnostics"]
    figure = json_scripts(response.content.decode())["heatmap-data"]
    assert figure["data"][0]["z"] == [[0, 0], [0, 0], [1, 1]]
    assert elements(response.content, "option", value="diagnostics", selected=True)


def test_an_unknown_course_filter_is_a_404(client, world):
    assert dashboard(client, world, "?course=nope").status_code == 404
    assert export(client, world, "?course=nope")[0].status_code == 404


def test_empty_team_says_to_share_the_invite_link(client):
    manager = make_person(username="manager")
    make_team(slug="ward-7", courses=[make_course(slug="clinical-documentation-ai", order=1, lessons=3)], managers=[manager])
    client.force_login(manager)
    body = client.get(reverse("progress:team", kwargs={"team": "ward-7"})).content.decode()
    assert "No one has joined this team yet" in body and "invite link" in body
    assert "heatmap-data" not in body


def test_team_without_courses_says_how_to_assign_them(client):
    manager = make_person(username="manager")
    make_team(slug="ward-7", managers=[manager], members=[make_person(username="ann")])
    client.force_login(manager)
    body = client.get(reverse("progress:team", kwargs={"team": "ward-7"})).content.decode()
    assert "No courses are assigned to this team yet" in body


def test_team_with_no_activity_says_so(client):
    manager = make_person(username="manager")
    make_team(slug="ward-7", courses=[make_course(slug="clinical-documentation-ai", order=1, lessons=3)], managers=[manager], members=[make_person(username="ann")])
    client.force_login(manager)
    body = client.get(reverse("progress:team", kwargs={"team": "ward-7"})).content.decode()
    assert "No progress yet" in body and "None of the 1 member has started" in body


# --- the CSV --------------------------------------------------------------------------------


def test_csv_has_the_columns_and_one_row_per_member_and_course(client, world):
    response, rows = export(client, world)
    assert response["Content-Disposition"].startswith('attachment; filename="ward-7-progress-')
    assert rows[0] == COLUMNS == [
        "username", "display_name", "full_name", "course", "lessons_completed", "lessons_total",
        "percent_complete", "quiz_best_percent", "quizzes_passed", "course_complete", "last_activity",
        "certificate_code",
    ]
    assert [(r[0], r[3]) for r in rows[1:]] == [
        ("ann", "documentation"), ("ann", "diagnostics"), ("bob", "documentation"),
        ("bob", "diagnostics"), ("cai", "documentation"), ("cai", "diagnostics"),
    ]
    ann_docs = rows[1]
    assert ann_docs[:10] == ["ann", "ann", "Ann Okafor", "documentation", "3", "3", "100", "50", "1", "true"]
    assert datetime.datetime.fromisoformat(ann_docs[10]).tzinfo is not None
    assert rows[2][4:] == ["0", "2", "0", "", "0", "false", "", ""]  # ann has not started diagnostics


def test_csv_numbers_are_numbers_and_times_are_iso_8601(client, world):
    _, rows = export(client, world)
    for row in rows[1:]:
        for value in row[4:7] + [row[8]]:
            assert value.isdigit()
        assert row[7] == "" or row[7].isdigit()
        assert row[9] in ("true", "false")
        assert row[10] == "" or datetime.datetime.fromisoformat(row[10]).utcoffset() == datetime.timedelta(0)


def test_csv_text_that_looks_like_a_formula_is_neutralised(client, world):
    ann = world["ann"]
    ann.first_name, ann.last_name = "=HYPERLINK(\"http://evil\")", ""
    ann.save()
    _, rows = export(client, world)
    assert rows[1][2].startswith("'=")


def test_csv_and_dashboard_show_the_same_figures(client, world):
    """Every figure the dashboard shows about a member and course matches the CSV row."""
    _, rows = export(client, world)
    csv_rows = {(r[0], r[3]): r for r in rows[1:]}
    response = dashboard(client, world)
    data = response.context["dashboard"].data
    assert len(csv_rows) == len(data.members) * len(data.courses)
    for membership, course, progress in data.rows():
        row = csv_rows[(membership.user.username, course.slug)]
        assert int(row[4]) == progress.lessons_completed
        assert int(row[5]) == progress.lessons_total
        assert int(row[6]) == progress.percent
        assert row[7] == ("" if progress.quiz_best_percent is None else str(progress.quiz_best_percent))
        assert int(row[8]) == progress.quizzes_passed
        assert row[9] == ("true" if progress.complete else "false")
    # The drawn figures agree too: the heatmap's done cells per member, the summary's average.
    figure = json_scripts(response.content.decode())["heatmap-data"]["data"][0]
    for username, cells in zip(figure["y"], figure["z"], strict=True):
        assert sum(cells) == sum(int(r[4]) for (u, _), r in csv_rows.items() if u == username)
    average = round(sum(int(r[6]) for r in csv_rows.values()) / len(csv_rows))
    assert f'<span class="stat-value">{average}%</span>' in response.content.decode()
    # And a learner's own dashboard shows the same percent as the team's CSV.
    client.force_login(world["bob"])
    mine = client.get(reverse("progress:mine")).context["dashboard"]
    (card,) = mine.cards
    assert card.progress.percent == int(csv_rows[("bob", "documentation")][6])


def test_managers_are_not_rows_in_the_csv(client, world):
    Membership.objects.filter(user=world["ann"]).update(role=Membership.Role.MANAGER)
    _, rows = export(client, world)
    assert {r[0] for r in rows[1:]} == {"bob", "cai"}


def test_csv_refuses_post(client, world):
    client.force_login(world["manager"])
    assert client.post(reverse("progress:export", kwargs={"team": "ward-7"})).status_code == 405


def test_the_misconception_map_table_counts_members_sure_but_wrong(client, world):
    from matrix.models import MatrixPrediction

    MatrixPrediction.objects.filter(user=world["bob"]).update(confidence="sure")
    body = dashboard(client, world).content.decode()
    assert "50% <span class=\"muted\">(1/2)</span><br><span class=\"matrix-sure-wrong-count\">1 sure but wrong</span>" in body
    assert body.count("sure but wrong</span>") == 1


def test_my_progress_shows_accuracy_per_condition_across_tries(client, world):
    from matrix.models import MatrixCell

    ann = world["ann"]
    client.force_login(ann)
    # Ann's first prediction of the strong domain-coverage cell was right; two retries were not.
    cell = MatrixCell.objects.get(row__label="Domain coverage", column__is_default=False)
    predict(user=ann, cell=cell, right=False, first=False)
    predict(user=ann, cell=cell, right=False, first=False)
    body = client.get(reverse("progress:mine")).content.decode()
    assert "by condition, across all your tries</h3>" in body
    table = re.search(r'<table class="compact matrix-conditions".*?</table>', body, re.S).group(0)
    assert re.findall(r'<th scope="row">(.*?)</th><td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)%</td>', table) == [
        ("Domain coverage", "1", "3", "33"),
    ]
