"""Who holds a certificate, on the team's pages: the dashboard counts them per course and the
CSV names each member's certificate code; a revocation shows in the next download."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Membership
from certificates.services import revoke
from tests.factories import make_person, make_team


@pytest.fixture
def team(course, holder, certificate):
    manager = make_person(username="manager")
    team = make_team(courses=[course], managers=[manager])
    Membership.objects.create(team=team, user=holder)
    Membership.objects.create(team=team, user=make_person(username="newcomer"))
    return team, manager


def csv_rows(client, team) -> dict[str, dict]:
    body = client.get(reverse("progress:export", kwargs={"team": team.slug})).content.decode()
    first_section = body.split("\r\n\r\n")[0]
    return {row["username"]: row for row in csv.DictReader(io.StringIO(first_section))}


def test_the_csv_names_each_members_certificate_and_drops_a_revoked_one(client, team, certificate, holder):
    team, manager = team
    client.force_login(manager)
    rows = csv_rows(client, team)
    code = rows[holder.username]["certificate_code"]
    assert code.lstrip("'") == certificate.code  # an apostrophe only before a leading "-"
    assert rows["newcomer"]["certificate_code"] == ""
    revoke(certificate=certificate, by=manager, reason="Issued in error")
    # The CSV is kept whole; the revocation moves the team's fingerprint, so it shows at once.
    assert csv_rows(client, team)[holder.username]["certificate_code"] == ""


def test_the_dashboard_counts_the_holders_per_course(client, team, certificate):
    team, manager = team
    client.force_login(manager)
    page = client.get(reverse("progress:team", kwargs={"team": team.slug})).content.decode()
    assert '<th scope="col" class="num">Certificates</th>' in page
    # The course's row: completed by one of two, and one of two holds its certificate.
    assert '<td class="num">1 of 2</td>\n      <td class="num">1 of 2</td>\n    </tr>' in page
    revoke(certificate=certificate, by=manager, reason="Issued in error")
    page = client.get(reverse("progress:team", kwargs={"team": team.slug})).content.decode()
    assert '<td class="num">1 of 2</td>\n      <td class="num">0 of 2</td>\n    </tr>' in page
