"""Teams in a real browser: a newcomer joins by invite link after signing up; the manager opens
the dashboard (charts drawn), downloads the CSV, copies and renews the invite link, and
removes a member after confirming."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    complete_lessons,
    make_course,
    make_matrix,
    make_person,
    make_quiz,
    make_team,
    predict,
    published_lessons,
    submit_attempt,
)


@pytest.fixture
def team_world(make_user):
    """Two courses with quizzes, a matrix, and a team of five members with varied progress."""
    docs = make_course(slug="clinical-documentation-ai", title="Clinical documentation AI", lessons=4, order=1)
    dx = make_course(slug="ai-diagnostics", title="AI diagnostics", order=2, lessons=3)
    docs_quiz = make_quiz(course=docs, slug="documentation-check", questions=3)
    dx_quiz = make_quiz(course=dx, slug="diagnostics-check", questions=3)
    cells = make_matrix()
    manager = make_user("mona", first_name="Mona", last_name="Ghali")
    names = [("amira", "Amira", "Haddad"), ("ben", "Ben", "Okafor"), ("chen", "Chen", "Wei"),
             ("dana", "Dana", "Kowalski"), ("elif", "Elif", "Yilmaz")]
    members = [make_person(username=u, first_name=f, last_name=last) for u, f, last in names]
    team = make_team(slug="ward-7", name="Ward 7", courses=[docs, dx], managers=[manager], members=members)
    team.memberships.update(joined_at=timezone.now() - datetime.timedelta(days=45))
    # Lessons done in each course, first answers in each quiz, days since, cells right. In the
    # documentation quiz the top scorer misses question 3 and the bottom one gets it: a flag.
    plans = [
        (4, 3, ["right", "right", "wrong A"], ["right", "right", "wrong A"], 1, [True, True]),
        (4, 2, ["right", "wrong A", "right"], None, 2, [True, False]),
        (2, 0, ["wrong A", "wrong A", "right"], None, 20, [False, False]),
        (3, 1, ["right", "right", "wrong B"], None, 3, [False, True]),
        (0, 0, None, None, 0, []),
    ]
    for member, (docs_done, dx_done, docs_answers, dx_answers, days, rights) in zip(members, plans, strict=True):
        for lesson in published_lessons(course=docs)[:docs_done]:
            complete_lessons(user=member, lessons=[lesson], days_ago=days + 1)
        for lesson in published_lessons(course=dx)[:dx_done]:
            complete_lessons(user=member, lessons=[lesson], days_ago=days)
        if docs_answers:
            submit_attempt(user=member, quiz=docs_quiz, picks=docs_answers, days_ago=days)
        if dx_answers:
            submit_attempt(user=member, quiz=dx_quiz, picks=dx_answers, days_ago=days)
        for cell, right in zip([cells[1], cells[3]], rights, strict=False):
            predict(user=member, cell=cell, right=right)
    submit_attempt(user=members[0], quiz=docs_quiz, picks=["right", "right", "right"], days_ago=0)  # a better retry
    return {"team": team, "manager": manager, "docs": docs}


def test_a_newcomer_joins_by_invite_link_after_signing_up(page, live_server, check_a11y, snap, team_world):
    team = team_world["team"]
    page.goto(live_server.url + team.get_invite_path())
    expect(page.get_by_role("heading", name="Join Ward 7")).to_be_visible()
    check_a11y(page)
    snap(page, "invited")
    page.get_by_role("link", name="Sign up and join").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill("Broad-reasoning-wins-7")
    page.get_by_label("Password confirmation").fill("Broad-reasoning-wins-7")
    page.get_by_role("button", name="Sign up").click()

    # Back at the same confirmation, now signed in.
    expect(page).to_have_url(live_server.url + team.get_invite_path())
    expect(page.get_by_text("Signed in as")).to_contain_text("newcomer")
    check_a11y(page)
    snap(page, "confirm")
    page.get_by_role("button", name="Join Ward 7").click()

    expect(page).to_have_url(re.compile(r"/progress/$"))
    expect(page.get_by_role("status")).to_contain_text("You joined Ward 7")
    expect(page.get_by_role("heading", name="Assigned by your team")).to_be_visible()
    expect(page.get_by_role("link", name="Clinical documentation AI", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Start Clinical documentation AI")).to_have_attribute(
        "href", "/courses/clinical-documentation-ai/lesson-1/"
    )
    assert team.memberships.filter(user__username="newcomer", role="member").exists()
    snap(page, "joined")

    # The same link again says so instead of joining twice.
    page.goto(live_server.url + team.get_invite_path())
    expect(page.get_by_text("You are already in")).to_be_visible()


def test_the_manager_reads_the_dashboard_downloads_the_csv_and_renews_the_link(
    page, live_server, login, check_a11y, snap, team_world
):
    team = team_world["team"]
    login(page, team_world["manager"])
    page.get_by_role("link", name="My progress").click()
    page.get_by_role("link", name="Team dashboard for Ward 7").click()
    expect(page.get_by_role("heading", name="Ward 7: team dashboard")).to_be_visible()

    # The heatmap and the other charts are drawn as SVG.
    expect(page.locator("#heatmap-chart svg.main-svg").first).to_be_visible()
    expect(page.locator("#funnel-1 svg.main-svg").first).to_be_visible()
    expect(page.locator("#matrix-1 svg.main-svg").first).to_be_visible()
    expect(page.locator("#heatmap-chart .heatmaplayer")).to_have_count(1)
    # Who needs attention replaced the stuck list: four failing a quiz, chen inactive too.
    attention = page.locator(".glance-attention")
    expect(attention.locator(".attention-name")).to_have_text(["amira", "ben", "chen", "dana"])
    expect(attention).to_contain_text("Inactive for 20 days")
    page.locator("summary", has_text="All 3 questions").first.click()
    expect(page.get_by_text("Strong learners get it wrong: check the question").first).to_be_visible()
    page.get_by_text("The same as a table").click()
    expect(page.get_by_role("rowheader", name="amira", exact=True)).to_be_visible()
    check_a11y(page)
    snap(page, "dashboard")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:4] == ["username", "display_name", "full_name", "course"]
    progress_rows = rows[: rows.index([])] if [] in rows else rows
    assert len(progress_rows) == 1 + 5 * 2
    # No display name given: the username stands in for it.
    assert rows[1][:10] == ["amira", "amira", "Amira Haddad", "clinical-documentation-ai", "4", "4", "100", "100", "1", "true"]

    # The course filter narrows the dashboard.
    page.get_by_label("Course").select_option(label="AI diagnostics")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?course=ai-diagnostics$"))
    expect(page.locator("#heatmap-chart svg.main-svg").first).to_be_visible()
    snap(page, "dashboard-filtered")

    # Copy, then renew the invite link: the old one stops working at once.
    invite = page.get_by_label("Invite link")
    old_link = invite.input_value()
    assert old_link.endswith(team.get_invite_path())
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#invite-copy-status")).to_contain_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == old_link
    page.get_by_role("button", name="Make a new link").click()
    expect(page.locator("#messages")).to_contain_text("The old link no longer works")
    new_link = page.get_by_label("Invite link").input_value()
    assert new_link != old_link
    # (Fetched rather than opened: the browser logs every 404 page load as a console error.)
    retired = page.request.get(old_link)
    assert retired.status == 404 and "This invite link does not work" in retired.text()
    assert page.request.get(new_link).status == 200


def test_the_manager_removes_a_member_after_confirming(page, live_server, login, check_a11y, snap, team_world):
    team = team_world["team"]
    login(page, team_world["manager"])
    page.goto(f"{live_server.url}/teams/{team.slug}/members/")
    expect(page.get_by_role("heading", name="Members of Ward 7")).to_be_visible()
    expect(page.get_by_text("Only manager")).to_be_visible()
    check_a11y(page)
    snap(page, "members")
    page.get_by_role("link", name="Remove elif").click()
    expect(page.get_by_role("heading", name="Remove elif from Ward 7?")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Remove elif").click()
    expect(page.locator("#messages")).to_contain_text("elif is no longer in Ward 7")  # no display name: the username
    expect(page.get_by_role("rowheader", name="elif")).to_have_count(0)
    assert not team.memberships.filter(user__username="elif").exists()


def test_an_empty_team_dashboard_says_what_to_do_next(page, live_server, login, check_a11y, make_user):
    manager = make_user("mona")
    make_team(slug="ward-9", name="Ward 9", courses=[make_course(slug="clinical-documentation-ai", order=1, lessons=3)], managers=[manager])
    login(page, manager)
    page.goto(f"{live_server.url}/teams/ward-9/")
    expect(page.get_by_text("No one has joined this team yet")).to_be_visible()
    expect(page.get_by_label("Invite link")).to_be_visible()
    check_a11y(page)
