"""The team CSV (progress/exports.py): display names, quoting, and its cost at any size."""

import csv
import gzip
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Membership, Profile
from benchmarks.budgets import queries as budget
from progress.exports import COLUMNS, MASTERY_COLUMNS, team_csv
from progress.selectors import team_progress
from progress.selectors.mastery import team_mastery
from tests.factories import (
    answer_block,
    make_block,
    make_course,
    make_lesson,
    make_objective,
    make_person,
    make_team,
)

pytestmark = pytest.mark.django_db

# Names that need quoting (a comma, a quote, a line break), that a spreadsheet would run as a
# formula, and that are not ASCII.
AWKWARD = ['Okafor, Ann', 'Bob "the builder"', "Cai\nLi", "=HYPERLINK(\"http://evil\")", "Zoë Ærø"]


@pytest.fixture
def world():
    """A course with two objectives (one with awkward text), a manager and five members, each
    with an awkward display name except the last, who has none."""
    course = make_course(slug="docs-ai", title="Docs AI", order=1)
    lesson = make_lesson(course=course, slug="format", order=1, status="published")
    make_objective(lesson=lesson, key="tell-format", text='Tell "format", not knowledge', order=1)
    make_objective(lesson=lesson, key="read-codes", text="Read an ICD code", order=2)
    manager = make_person(username="manager")
    members = [make_person(username=f"m{n}", first_name="First", last_name=str(n)) for n in range(6)]
    for user, name in zip(members, AWKWARD, strict=False):
        Profile.objects.create(user=user, display_name=name)
    team = make_team(slug="ward-7", courses=[course], managers=[manager], members=members)
    block = make_block(course=course)
    block.objectives.set(course.objectives.filter(key="tell-format"))
    answer_block(user=members[0], block=block, right=True)
    return {"team": team, "manager": manager, "members": members}


def export(client, manager, team):
    client.force_login(manager)
    response = client.get(reverse("progress:export", kwargs={"team": team.slug}))
    assert response.status_code == 200
    return response.content.decode()


def sections(body):
    first, second = body.split("\r\n\r\n")
    return list(csv.DictReader(io.StringIO(first))), list(csv.DictReader(io.StringIO(second)))


def test_both_sections_name_members_by_display_name_beside_the_username(client, world):
    progress, mastery = sections(export(client, world["manager"], world["team"]))
    assert list(progress[0]) == COLUMNS and COLUMNS[:3] == ["username", "display_name", "full_name"]
    assert list(mastery[0]) == MASTERY_COLUMNS and MASTERY_COLUMNS[:3] == COLUMNS[:3]
    expected = {
        "m0": "Okafor, Ann", "m1": 'Bob "the builder"', "m2": "Cai\nLi",
        "m3": "'=HYPERLINK(\"http://evil\")",  # neutralised, as every text cell is
        "m4": "Zoë Ærø", "m5": "m5",  # no profile: the username
    }  # fmt: skip
    assert {row["username"]: row["display_name"] for row in progress} == expected
    assert {row["username"]: row["display_name"] for row in mastery} == expected
    assert {row["username"]: row["full_name"] for row in progress}["m2"] == "First 2"


def test_an_empty_display_name_falls_back_to_the_username(client, world):
    Profile.objects.filter(user=world["members"][0]).update(display_name="  ")
    progress, _ = sections(export(client, world["manager"], world["team"]))
    assert {row["username"]: row["display_name"] for row in progress}["m0"] == "m0"


def test_the_csv_is_what_csv_writer_writes_for_its_cells(client, world):
    """The CSV is built from pre-quoted pieces (exports.team_csv): it must be byte for byte
    what csv.writer writes for the same cells, awkward names and objective text included."""
    body = export(client, world["manager"], world["team"])
    cells = list(csv.reader(io.StringIO(body)))
    rewritten = io.StringIO()
    csv.writer(rewritten).writerows(cells)
    assert rewritten.getvalue() == body
    assert '"Tell ""format"", not knowledge"' in body and '"Cai\nLi"' in body
    assert len(cells) == 1 + 6 + 1 + 1 + 6 * 2  # header, members x course, gap, header, x objectives
    assert cells[7] == []  # the empty row between the sections


def test_team_csv_levels_match_the_mastery_read(world):
    data = team_progress(team=world["team"])
    mastery = team_mastery(user_ids=[m.user_id for m in data.members], course_ids=[c.pk for c in data.courses])
    _, rows = sections(team_csv(data, mastery))
    for row in rows:
        user_id = get_user_model().objects.get(username=row["username"]).pk
        (item,) = [i for i in mastery.objectives if i.objective.key == row["objective"]]
        assessment = mastery.levels[(user_id, item.objective.pk)]
        assert row["level"] == assessment.level.name.lower()
        assert int(row["answers"]) == assessment.answers
        assert row["below_proficient"] == ("true" if assessment.below_proficient else "false")
    assert {(r["username"], r["objective"]): r["level"] for r in rows}[("m0", "tell-format")] == "familiar"


def test_without_mastery_the_csv_has_one_section(world):
    body = team_csv(team_progress(team=world["team"]))
    assert "\r\n\r\n" not in body and body.count("\r\n") == 1 + 6


@pytest.mark.parametrize("size", [3, 40])
def test_naming_members_costs_no_query_at_any_size(client, size, django_assert_num_queries):
    """Every member has a profile (or not): the CSV costs its budget, the same at 3 and 40."""
    course = make_course(slug="docs-ai", order=1, lessons=2)
    manager = make_person(username="manager")
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"member-{n:03d}", password="!") for n in range(size)])
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Person {n}") for n, u in enumerate(users) if n % 5])
    team = make_team(courses=[course], managers=[manager])
    Membership.objects.bulk_create([Membership(team=team, user=user) for user in users])
    client.force_login(manager)
    url = reverse("progress:export", kwargs={"team": team.slug})
    client.get(url)  # once, so the database's one-time feature checks are not counted
    cache.clear()  # and the mastery is worked out again
    with django_assert_num_queries(budget("team_csv")):
        body = client.get(url).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == size
    names = {row["username"]: row["display_name"] for row in rows}
    assert names["member-000"] == "member-000" and names["member-001"] == "Person 1"
    # Members are listed as on the dashboard: by the name shown, ignoring case.
    shown = [row["display_name"] for row in rows]
    assert shown == sorted(shown, key=str.lower)


def levels_in(body):
    return {(r["username"], r["objective"]): r["level"] for r in sections(body)[1]}


def test_new_activity_shows_in_the_next_download_though_mastery_is_cached(client, world):
    """The mastery is cached under the team's activity fingerprint: a new answer changes it."""
    manager, team, member = world["manager"], world["team"], world["members"][1]
    assert levels_in(export(client, manager, team))[("m1", "tell-format")] == "not_started"
    block = make_block(course=team.courses.get())
    block.objectives.set(team.courses.get().objectives.filter(key="tell-format"))
    answer_block(user=member, block=block, right=True)
    assert levels_in(export(client, manager, team))[("m1", "tell-format")] == "familiar"


def test_a_new_display_name_shows_at_once(client, world):
    """Names are read with the members on every download; only mastery is cached."""
    export(client, world["manager"], world["team"])
    Profile.objects.filter(user=world["members"][4]).update(display_name="Zoë Renamed")
    progress, mastery = sections(export(client, world["manager"], world["team"]))
    assert {r["display_name"] for r in progress if r["username"] == "m4"} == {"Zoë Renamed"}
    assert {r["display_name"] for r in mastery if r["username"] == "m4"} == {"Zoë Renamed"}


def test_a_browser_that_accepts_gzip_gets_the_same_csv_compressed(client, world):
    """At 1,000 members the CSV is about 7 MB; compressed, a few hundred kB."""
    client.force_login(world["manager"])
    url = reverse("progress:export", kwargs={"team": world["team"].slug})
    plain = client.get(url)
    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content
    # Still personal: not kept by the browser or a proxy.
    assert "no-store" in compressed["Cache-Control"] and "private" in compressed["Cache-Control"]
