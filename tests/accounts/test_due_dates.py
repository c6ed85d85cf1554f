"""Due dates set by managers: ``DueDateForm`` (no new date in the past), the write
(``accounts.services.set_due_dates``: all or nothing), the courses page (teams:courses) and
the learner's due dates as one read (``accounts.selectors.due_dates`` and ``due_on_for``)."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.forms import DueDateForm
from accounts.models import Assignment, Membership
from accounts.roles import INSTRUCTORS
from accounts.selectors import due_dates, due_on_for
from accounts.services import PastDueDateError, set_due_dates
from benchmarks.budgets import queries as budget
from courses.models import Course
from review.selectors import summary as review_summary
from tests.factories import make_course, make_person, make_team
from tests.html import elements

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def manager():
    return make_person(username="mona")


@pytest.fixture
def docs():
    return make_course(slug="clinical-documentation-ai", title="Clinical documentation AI", order=1, lessons=2)


@pytest.fixture
def dx():
    return make_course(slug="ai-diagnostics", title="AI diagnostics", order=2, lessons=2)


@pytest.fixture
def team(manager, docs, dx):
    return make_team(slug="ward-7", name="Ward 7", courses=[docs, dx], managers=[manager])


def url(team):
    return reverse("teams:courses", kwargs={"team": team.slug})


def field(course) -> str:
    return f"course-{course.pk}-due_on"


def due_on(team, course):
    return Assignment.objects.get(team=team, course=course).due_on


def set_directly(team, course, day):
    Assignment.objects.filter(team=team, course=course).update(due_on=day)


# --- the form --------------------------------------------------------------------------------


def assignment(team, course):
    return Assignment.objects.select_related("course").get(team=team, course=course)


def test_the_form_refuses_a_new_due_date_in_the_past(team, docs):
    form = DueDateForm({field(docs): (TODAY - DAY).isoformat()}, instance=assignment(team, docs))
    assert not form.is_valid()
    assert form.errors["due_on"] == ["A due date cannot be in the past: choose today or a later day."]


def test_the_form_accepts_today_and_later(team, docs):
    for day in (TODAY, TODAY + 30 * DAY):
        form = DueDateForm({field(docs): day.isoformat()}, instance=assignment(team, docs))
        assert form.is_valid(), form.errors


def test_the_form_keeps_an_unchanged_past_due_date(team, docs):
    set_directly(team, docs, TODAY - 3 * DAY)
    form = DueDateForm({field(docs): (TODAY - 3 * DAY).isoformat()}, instance=assignment(team, docs))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == TODAY - 3 * DAY


def test_the_form_allows_clearing_a_due_date(team, docs):
    set_directly(team, docs, TODAY - 3 * DAY)
    form = DueDateForm({field(docs): ""}, instance=assignment(team, docs))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] is None


def test_the_form_is_labelled_by_its_course_and_says_when_it_was_assigned(team, docs):
    form = DueDateForm(instance=assignment(team, docs))
    assert form["due_on"].label == "Due date for Clinical documentation AI"
    assigned = timezone.localtime(assignment(team, docs).assigned_at)
    assert form["due_on"].help_text == f"Assigned {assigned.day} {assigned:%b %Y}. Leave it empty for no due date."


# --- the write -------------------------------------------------------------------------------


def test_set_due_dates_writes_and_returns_only_what_changed(team, docs, dx):
    set_directly(team, dx, TODAY + 5 * DAY)
    changed = set_due_dates(team=team, due_dates={docs.pk: TODAY + 10 * DAY, dx.pk: TODAY + 5 * DAY})
    assert [a.course_id for a in changed] == [docs.pk]
    assert due_on(team, docs) == TODAY + 10 * DAY
    assert due_on(team, dx) == TODAY + 5 * DAY


def test_set_due_dates_clears_a_date(team, docs):
    set_directly(team, docs, TODAY + 5 * DAY)
    set_due_dates(team=team, due_dates={docs.pk: None})
    assert due_on(team, docs) is None


def test_set_due_dates_refuses_a_new_past_date_and_writes_nothing(team, docs, dx):
    with pytest.raises(PastDueDateError):
        set_due_dates(team=team, due_dates={docs.pk: TODAY + 9 * DAY, dx.pk: TODAY - DAY})
    assert due_on(team, docs) is None and due_on(team, dx) is None


def test_set_due_dates_keeps_an_unchanged_past_date(team, docs, dx):
    set_directly(team, docs, TODAY - 3 * DAY)
    changed = set_due_dates(team=team, due_dates={docs.pk: TODAY - 3 * DAY, dx.pk: TODAY})
    assert [a.course_id for a in changed] == [dx.pk]
    assert due_on(team, docs) == TODAY - 3 * DAY


def test_set_due_dates_ignores_courses_the_team_does_not_follow(team, docs):
    other = make_course(slug="elsewhere")
    other_team = make_team(slug="ward-9", courses=[other])
    changed = set_due_dates(team=team, due_dates={other.pk: TODAY + DAY, docs.pk: TODAY + DAY})
    assert [a.course_id for a in changed] == [docs.pk]
    assert due_on(other_team, other) is None
    assert not Assignment.objects.filter(team=team, course=other).exists()


# --- the page: who may open it ----------------------------------------------------------------


@pytest.fixture
def people(team):
    member = make_person(username="member")
    Membership.objects.create(team=team, user=member)
    instructor = make_person(username="instructor", is_staff=True)
    instructor.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])
    team_admin = make_person(username="team-admin", is_staff=True)
    team_admin.user_permissions.add(Permission.objects.get(codename="change_team"))
    return {
        "member": member,
        "other_manager": make_team(slug="ward-9", managers=[make_person(username="other")]).memberships.get().user,
        "instructor": instructor,
        "team_admin": team_admin,
        "superuser": make_person(username="root", is_staff=True, is_superuser=True),
    }


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    response = client.get(url(team))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["member", "other_manager", "instructor"])
def test_people_who_may_not_manage_the_team_get_a_404_and_change_nothing(client, team, docs, people, role):
    """Instructors view dashboards but do not manage teams (accounts.selectors): no page."""
    client.force_login(people[role])
    assert client.get(url(team)).status_code == 404
    assert client.post(url(team), {field(docs): (TODAY + DAY).isoformat()}).status_code == 404
    assert due_on(team, docs) is None


@pytest.mark.parametrize("role", ["team_admin", "superuser"])
def test_staff_who_administer_teams_may_set_due_dates(client, team, docs, people, role):
    client.force_login(people[role])
    assert client.get(url(team)).status_code == 200
    assert client.post(url(team), {field(docs): (TODAY + DAY).isoformat()}).status_code == 302
    assert due_on(team, docs) == TODAY + DAY


def test_other_methods_are_refused(client, team, manager):
    client.force_login(manager)
    assert client.put(url(team)).status_code == 405


# --- the page: reading and saving -------------------------------------------------------------


def test_the_page_lists_the_assigned_courses_in_order_with_a_labelled_date_input_each(client, team, manager, docs, dx):
    set_directly(team, dx, TODAY + 4 * DAY)
    client.force_login(manager)
    body = client.get(url(team)).content.decode()
    assert elements(body, "h1")[0].text == "Courses and due dates of Ward 7"
    labels = [label.text for label in elements(body, "label") if label.attrs.get("for", "").startswith("id_course-")]
    assert labels == ["Due date for Clinical documentation AI", "Due date for AI diagnostics"]
    (docs_input,) = elements(body, "input", name=field(docs), type="date")
    assert docs_input.attrs.get("value") is None
    assert elements(body, "input", name=field(dx), type="date", value=(TODAY + 4 * DAY).isoformat())
    assert elements(body, "button", type="submit")[-1].text == "Save the due dates"


def test_a_team_without_courses_says_so_and_has_no_form(client, manager):
    empty = make_team(slug="ward-3", name="Ward 3", managers=[manager])
    client.force_login(manager)
    body = client.get(url(empty)).content.decode()
    assert "No course is assigned to Ward 3 yet" in body
    assert not elements(body, "input", type="date")


def test_saving_sets_the_dates_redirects_and_says_what_changed(client, team, manager, docs, dx):
    client.force_login(manager)
    day = TODAY + 12 * DAY
    response = client.post(url(team), {field(docs): day.isoformat(), field(dx): ""}, follow=True)
    assert response.redirect_chain == [(url(team), 302)]
    assert due_on(team, docs) == day and due_on(team, dx) is None
    (message,) = elements(response.content.decode(), "p", class_="message-success")
    assert message.text == f"Saved the due dates of Ward 7. Clinical documentation AI: due {day.day} {day:%b %Y}."


def test_saving_nothing_new_says_so(client, team, manager, docs, dx):
    client.force_login(manager)
    response = client.post(url(team), {field(docs): "", field(dx): ""}, follow=True)
    assert "No due date changed for Ward 7." in response.content.decode()


def test_a_past_date_is_a_400_with_the_message_beside_its_field_and_nothing_is_saved(client, team, manager, docs, dx):
    client.force_login(manager)
    good, past = TODAY + 5 * DAY, TODAY - DAY
    response = client.post(url(team), {field(docs): good.isoformat(), field(dx): past.isoformat()})
    assert response.status_code == 400
    body = response.content.decode()
    (errors,) = elements(body, "ul", id=f"id_{field(dx)}_error")
    assert errors.text == "A due date cannot be in the past: choose today or a later day."
    (date_input,) = elements(body, "input", name=field(dx))
    assert date_input.attrs["aria-invalid"] == "true"
    assert f"id_{field(dx)}_error" in date_input.attrs["aria-describedby"]
    assert date_input.attrs["value"] == past.isoformat()  # what they typed, to correct
    assert elements(body, "div", role="alert")[0].text == "Nothing was saved: correct what is marked below."
    assert due_on(team, docs) is None and due_on(team, dx) is None  # the good one neither


def test_a_date_that_is_not_a_date_is_a_400(client, team, manager, docs):
    client.force_login(manager)
    response = client.post(url(team), {field(docs): "next tuesday"})
    assert response.status_code == 400
    (errors,) = elements(response.content.decode(), "ul", id=f"id_{field(docs)}_error")
    assert errors.text == "Enter a valid date."
    assert due_on(team, docs) is None


def test_an_unchanged_past_date_may_stay_while_another_is_set(client, team, manager, docs, dx):
    set_directly(team, docs, TODAY - 2 * DAY)
    client.force_login(manager)
    response = client.post(url(team), {field(docs): (TODAY - 2 * DAY).isoformat(), field(dx): TODAY.isoformat()})
    assert response.status_code == 302
    assert due_on(team, docs) == TODAY - 2 * DAY and due_on(team, dx) == TODAY


def test_a_course_missing_from_the_post_keeps_its_date(client, team, manager, docs, dx):
    """A course assigned (and dated by staff) after the manager opened the page is not cleared."""
    set_directly(team, dx, TODAY + 20 * DAY)
    client.force_login(manager)
    assert client.post(url(team), {field(docs): (TODAY + DAY).isoformat()}).status_code == 302
    assert due_on(team, dx) == TODAY + 20 * DAY


def test_a_field_for_a_course_of_another_team_is_ignored(client, team, manager):
    other = make_course(slug="elsewhere")
    other_team = make_team(slug="ward-9", courses=[other])
    client.force_login(manager)
    assert client.post(url(team), {field(other): (TODAY + DAY).isoformat()}).status_code == 302
    assert due_on(other_team, other) is None


def test_the_day_turning_between_the_check_and_the_write_is_a_400_and_saves_nothing(client, team, manager, docs, monkeypatch):
    from accounts import views

    def late(**kwargs):
        raise PastDueDateError("12 Dec 2026 has passed: choose today or a later day.")

    monkeypatch.setattr(views, "set_due_dates", late)
    client.force_login(manager)
    response = client.post(url(team), {field(docs): TODAY.isoformat()})
    assert response.status_code == 400
    assert "Nothing was saved. 12 Dec 2026 has passed" in response.content.decode()


def test_the_members_page_links_to_the_courses_page(client, team, manager):
    client.force_login(manager)
    body = client.get(reverse("teams:members", kwargs={"team": team.slug})).content.decode()
    assert elements(body, "a", href=url(team))


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("courses", [1, 6])
def test_the_page_costs_the_same_whatever_the_number_of_courses(client, manager, courses, django_assert_num_queries):
    dated = make_team(slug="ward-5", courses=[make_course() for _ in range(courses)], managers=[manager])
    client.force_login(manager)
    review_summary(user=manager, now=timezone.now())
    with django_assert_num_queries(budget("team_courses")):  # session, user, team, its courses
        assert client.get(url(dated)).status_code == 200
    data = {field(course): (TODAY + DAY).isoformat() for course in dated.courses.all()}
    # session, user, team, courses; then the write: locked rows, one update (and, in a test,
    # the savepoint and its release that stand for the write's transaction)
    with django_assert_num_queries(budget("team_courses") + 4):
        assert client.post(url(dated), data).status_code == 302
    assert set(Assignment.objects.filter(team=dated).values_list("due_on", flat=True)) == {TODAY + DAY}


# --- the learner's due dates (one read) --------------------------------------------------------


def test_due_dates_are_the_earliest_over_the_teams_the_learner_is_a_member_of(docs, dx, django_assert_num_queries):
    learner = make_person(username="lee")
    make_team(slug="a", courses=[docs], members=[learner], due_on=TODAY + 9 * DAY)
    make_team(slug="b", courses=[docs, dx], members=[learner], due_on=TODAY + 4 * DAY)
    make_team(slug="c", courses=[dx], members=[learner])  # no due date
    make_team(slug="d", courses=[dx], managers=[learner], due_on=TODAY + DAY)  # managed, not followed
    make_team(slug="e", courses=[docs], due_on=TODAY)  # not theirs
    with django_assert_num_queries(1):
        dates = due_dates(learner)
    assert dates == {docs.pk: TODAY + 4 * DAY, dx.pk: TODAY + 4 * DAY}
    annotated = Course.objects.annotate(due_on=due_on_for(learner)).order_by("order")
    assert [(c.pk, c.due_on) for c in annotated] == [(docs.pk, TODAY + 4 * DAY), (dx.pk, TODAY + 4 * DAY)]


def test_a_learner_without_dated_courses_has_none_and_a_visitor_costs_no_query(docs, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    learner = make_person(username="lee")
    make_team(slug="a", courses=[docs], members=[learner])
    assert due_dates(learner) == {}
    with django_assert_num_queries(0):
        assert due_dates(AnonymousUser()) == {}
    assert Course.objects.annotate(due_on=due_on_for(learner)).get(pk=docs.pk).due_on is None


def test_due_dates_follow_an_update(docs):
    learner = make_person(username="lee")
    team = make_team(slug="a", courses=[docs], members=[learner], due_on=TODAY + 9 * DAY)
    Assignment.objects.filter(team=team).update(due_on=F("due_on") + DAY)
    assert due_dates(learner) == {docs.pk: TODAY + 10 * DAY}
