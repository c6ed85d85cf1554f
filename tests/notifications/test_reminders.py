"""Four weeks of a team with a frozen clock: exactly the right people get exactly one mail per
rule, course and week, nobody who unsubscribed gets one, and running twice sends nothing twice.

The clock is the ``now`` every run takes: the reminders and digests run at 08:00 each day from
Monday 6 January 2025 (day 0, ISO week 2025-W02) to Sunday 2 February (day 27, W05), twice
each, and the learners' activity happens at 09:00 on its day. Mail goes through a real SMTP
server on loopback. What each learner must receive was worked out by hand from the rules
(progress/attention.py, notifications/rules.py), not by running them:

- course A (2 lessons, 1 quiz) and course B (2 lessons), assigned on day -2; A is due on
  Wednesday 22 January (day 16): due soon from day 9, overdue from day 17; "not started"
  from day 5 (seven days after the assignment).
- ann finishes both courses on day 1: nothing. ben never starts: every rule that applies,
  once a week each. cat starts A on day 0 and B on day 10, then stops: inactive from day 25
  (fourteen days after day 10). dan, like ben, unsubscribes with the link in his first mail.
  eve, in no team, has a review card due from day 3.
- mona, the manager, gets the digest once a week, on Mondays, though it is run every day.
"""

import datetime
import re
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from accounts.models import Assignment, Membership, Profile
from lessons.models import LessonCompletion
from notifications import services, tasks
from notifications.models import Mail, Sending
from quizzes.models import Attempt
from tests.factories import (
    complete_lessons,
    make_block,
    make_card,
    make_course,
    make_person,
    make_quiz,
    make_team,
    published_lessons,
    submit_attempt,
)

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=datetime.UTC)  # a Monday, 08:00
DAYS = 28
A, B = "A", "B"

# Day of the run -> learner -> the (rule, course) pairs their mail of that day carries.
EXPECTED = {
    3: {"eve": {("reviews_due", None)}},
    5: {
        "ben": {("not_started", A), ("not_started", B)},
        "cat": {("not_started", B)},
        "dan": {("not_started", A), ("not_started", B)},
    },
    7: {
        "ben": {("not_started", A), ("not_started", B)},
        "cat": {("not_started", B)},
        "eve": {("reviews_due", None)},
    },
    9: {"ben": {("due_soon", A)}, "cat": {("due_soon", A)}},
    14: {
        "ben": {("not_started", A), ("not_started", B), ("due_soon", A)},
        "cat": {("due_soon", A)},
        "eve": {("reviews_due", None)},
    },
    17: {"ben": {("overdue", A)}, "cat": {("overdue", A)}},
    21: {
        "ben": {("not_started", A), ("not_started", B), ("overdue", A)},
        "cat": {("overdue", A)},
        "eve": {("reviews_due", None)},
    },
    25: {"cat": {("inactive", A), ("inactive", B)}},
}
DIGEST_DAYS = [0, 7, 14, 21]


def moment(day: int, hour: int = 8) -> datetime.datetime:
    return T0 + datetime.timedelta(days=day, hours=hour - 8)


def place(model, rows, field, when):
    model.objects.filter(pk__in=[row.pk for row in rows]).update(**{field: when})


@pytest.fixture
def team_world():
    a = make_course(slug="imaging-ai", title="Imaging AI", lessons=2)
    b = make_course(slug="diagnostics", title="AI diagnostics", lessons=2)
    quiz = make_quiz(course=a, questions=1)
    people = {name: make_person(username=name) for name in ("ann", "ben", "cat", "dan", "eve", "mona")}
    Profile.objects.create(user=people["ben"], display_name="Ben Okafor")
    Profile.objects.create(user=people["cat"], display_name="Cat Jones")
    Profile.objects.create(user=people["mona"], display_name="Mona Ghali")
    team = make_team(
        slug="ward-7", name="Ward 7", courses=[a, b], managers=[people["mona"]],
        members=[people[n] for n in ("ann", "ben", "cat", "dan")],
        assigned_at=moment(-2), due_on=datetime.date(2025, 1, 22),
    )  # fmt: skip
    Assignment.objects.filter(team=team, course=b).update(due_on=None)
    Membership.objects.filter(team=team).update(joined_at=moment(-10))
    card = make_card(user=people["eve"], item=make_block(course=a), due=moment(3, hour=7))
    assert card.due < moment(3)
    return {"a": a, "b": b, "quiz": quiz, "team": team, "people": people}


def activity(day: int, world) -> None:
    """What the learners do on ``day``, at 09:00 (after that day's run)."""
    people, a, b = world["people"], world["a"], world["b"]
    when = moment(day, hour=9)
    if day == 0:
        place(LessonCompletion, complete_lessons(user=people["cat"], lessons=published_lessons(course=a)[:1]), "completed_at", when)
    if day == 1:
        ann = people["ann"]
        done = complete_lessons(user=ann, lessons=published_lessons(course=a) + published_lessons(course=b))
        place(LessonCompletion, done, "completed_at", when)
        attempt = submit_attempt(user=ann, quiz=world["quiz"], picks=["right"], days_ago=None)
        place(Attempt, [attempt], "submitted_at", when)
    if day == 10:
        place(LessonCompletion, complete_lessons(user=people["cat"], lessons=published_lessons(course=b)[:1]), "completed_at", when)


def course_key(world, subject: str):
    if not subject:
        return None
    course_id = int(subject.split(":")[1])
    return A if course_id == world["a"].pk else B


def test_four_weeks_of_reminders_send_exactly_what_the_rules_say(team_world, smtp_mail, client):
    world, smtp = team_world, smtp_mail
    names = {user.pk: name for name, user in world["people"].items()}
    got_by_day = {}
    for day in range(DAYS):
        before = {m.pk for m in Mail.objects.all()}
        for _ in range(2):  # every run twice: the second sends nothing
            tasks.run_reminders(now=moment(day))
            tasks.run_digests(now=moment(day))
        new = Mail.objects.exclude(pk__in=before).prefetch_related("sendings")
        got = defaultdict(set)
        for mail in new.filter(kind="reminders"):
            for sending in mail.sendings.all():
                got[names[mail.user_id]].add((sending.rule, course_key(world, sending.subject)))
        assert Counter(names[m.user_id] for m in new.filter(kind="reminders")) == Counter(got.keys()), (
            f"day {day}: more than one reminder mail to someone"
        )
        got_by_day[day] = dict(got)
        digests = list(new.filter(kind="digest"))
        assert [names[m.user_id] for m in digests] == (["mona"] if day in DIGEST_DAYS else []), f"day {day}"
        if day == 5:
            # dan unsubscribes with the one-click link of his first mail.
            (first,) = smtp.to("dan@example.com")
            link = re.search(r"<(.+)>", first.header("List-Unsubscribe")).group(1)
            assert client.post(urlsplit(link).path, {"List-Unsubscribe": "One-Click"}).status_code == 200
        activity(day, world)

    assert {day: got for day, got in got_by_day.items() if got} == EXPECTED

    # The SMTP server received exactly those mails (and the digests), each once.
    reminders = sum(len(learners) for learners in EXPECTED.values())
    assert len(smtp.messages) == reminders + len(DIGEST_DAYS)
    assert Counter(m.recipients[0] for m in smtp.messages) == {
        "ben@example.com": 6, "cat@example.com": 7, "dan@example.com": 1, "eve@example.com": 4,
        "mona@example.com": 4,
    }  # fmt: skip
    assert smtp.to("ann@example.com") == []
    assert Mail.objects.exclude(status="sent").count() == 0
    # One Sending per rule, subject and week: the database would refuse a second.
    keys = Counter(Sending.objects.values_list("user_id", "rule", "subject", "period"))
    assert max(keys.values()) == 1


def test_the_mails_say_what_applies_in_plain_words(team_world, smtp_mail):
    for day in range(15):
        tasks.run_reminders(now=moment(day))
        activity(day, team_world)
    ben = smtp_mail.to("ben@example.com")
    # Day 14: not started (both courses) and due soon, most pressing first.
    last = ben[-1]
    assert last.subject == "Imaging AI is due on Wednesday (and 2 more)"
    assert "Imaging AI is due on Wednesday: 2 lessons and 1 quiz left." in last.text
    assert "Imaging AI has been waiting for you for 16 days: 2 lessons and 1 quiz left." in last.text
    assert "AI diagnostics has been waiting for you for 16 days: 2 lessons left." in last.text
    assert f"{settings.SITE_URL}/courses/imaging-ai/" in last.text
    assert last.text.startswith("Hello Ben Okafor,")
    assert "Hello Ben Okafor," in last.html and 'href="' in last.html
    eve = smtp_mail.to("eve@example.com")[0]
    assert eve.subject == "1 review is due"
    assert "/review/" in eve.text


def test_the_weekly_digest_tells_the_manager_who_needs_attention_and_what_changed(team_world, smtp_mail):
    for day in range(22):
        tasks.run_digests(now=moment(day))
        activity(day, team_world)
    digests = smtp_mail.to("mona@example.com")
    assert len(digests) == 4
    second, last = digests[1], digests[3]
    # Day 7: ann finished both courses (4 lessons, the quiz) and cat did one lesson.
    assert "5 lessons completed" in second.text
    assert "1 quiz passed" in second.text
    assert "2 members active" in second.text
    # Day 21: A is overdue for everyone but ann; ben and dan never started.
    assert last.subject == "Ward 7 this week: 3 people to look at"
    assert "Overdue: 3 (Ben Okafor, Cat Jones and dan)" in last.text
    assert "Not started: 2 (Ben Okafor and dan)" in last.text
    assert "0 lessons completed" in last.text
    assert "/teams/ward-7/" in last.text
    assert last.text.startswith("Hello Mona Ghali,")


def test_nobody_who_turned_reminders_off_gets_one(team_world, smtp_mail, client):
    people = team_world["people"]
    client.force_login(people["ben"])
    client.post("/account/email/", {"digest": "on", "nudges": "on"})  # reminders unticked
    tasks.run_reminders(now=moment(5))
    # Day 5 without the activity of days 0 and 1: everyone in the team has not started A or B.
    assert {m.recipients[0] for m in smtp_mail.messages} == {
        "ann@example.com", "cat@example.com", "dan@example.com", "eve@example.com",
    }  # fmt: skip
    assert not Sending.objects.filter(user=people["ben"]).exists()


def test_a_mail_decided_before_the_person_unsubscribed_is_withdrawn_not_sent(team_world, mailoutbox):
    people = team_world["people"]
    queued = services.queue_reminders(now=moment(5))
    ben_mail = next(m for m in queued if m.user_id == people["ben"].pk)
    services.unsubscribe(user_id=people["ben"].pk, kind="reminders")
    tasks.run_reminders(now=moment(5))
    ben_mail.refresh_from_db()
    assert ben_mail.status == Mail.Status.WITHDRAWN
    assert sorted(m.to[0] for m in mailoutbox) == [
        "Cat Jones <cat@example.com>", "ann@example.com", "dan@example.com", "eve@example.com",
    ]  # fmt: skip


def test_a_course_finished_before_the_run_is_not_mentioned(team_world, mailoutbox):
    people, a = team_world["people"], team_world["a"]
    complete_lessons(user=people["ben"], lessons=published_lessons(course=a))
    attempt = submit_attempt(user=people["ben"], quiz=team_world["quiz"], picks=["right"], days_ago=None)
    place(Attempt, [attempt], "submitted_at", moment(4))
    LessonCompletion.objects.filter(user=people["ben"]).update(completed_at=moment(4))
    tasks.run_reminders(now=moment(5))
    (ben,) = [m for m in mailoutbox if m.to == ["Ben Okafor <ben@example.com>"]]
    assert ben.subject == "AI diagnostics is waiting for you"
    assert "Imaging AI" not in ben.body
