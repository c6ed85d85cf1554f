"""Recording what is mailed (notifications/services.py): each item once, whoever records first."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from notifications import services
from notifications.models import Mail, Sending
from notifications.rendering import compose
from notifications.rules import Item
from tests.factories import make_person

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=datetime.UTC)
WEEK = "2025-W02"


def builder(user):
    def build(items):
        subject = " + ".join(f"{item.rule} {item.subject}" for item in items)
        return compose(user=user, kind="reminders", subject=subject, template="reminder",
                       context={"lines": []}, now=NOW)  # fmt: skip

    return build


def taken(user, item):
    """``item`` recorded for ``user`` by another run, after this one looked."""
    mail = builder(user)([item])
    mail.save()
    Sending.objects.create(user=user, rule=item.rule, subject=item.subject, period=WEEK, mail=mail, created_at=NOW)


def test_an_item_another_run_recorded_first_is_left_out_of_the_mail():
    ann, ben = make_person(username="ann"), make_person(username="ben")
    due, idle = Item("due_soon", "course:1"), Item("inactive", "course:1")
    taken(ann, due)
    taken(ben, due)
    taken(ben, idle)
    before = Mail.objects.count()
    kept = services.record(
        [services.Decision(ann, [due, idle], builder(ann)), services.Decision(ben, [due, idle], builder(ben))],
        period=WEEK, now=NOW,
    )  # fmt: skip
    (mail,) = kept
    assert mail.user == ann
    assert mail.subject == "inactive course:1"  # rewritten without the item it lost
    assert Mail.objects.get(pk=mail.pk).subject == "inactive course:1"
    assert list(mail.sendings.values_list("rule", flat=True)) == ["inactive"]
    assert Mail.objects.count() == before + 1  # ben's mail, with nothing left to say, is gone


def test_decisions_are_recorded_in_batches(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(services, "BATCH", 2)
    for n in range(5):
        make_person(username=f"p{n}")
    # As the selectors read them: with their profile, so naming them costs no query.
    people = list(get_user_model().objects.select_related("profile").order_by("pk"))
    item = Item("not_started", "course:1")
    decisions = [services.Decision(user, [item], builder(user)) for user in people]
    # Per batch of two: the mails, the sendings, which went in (and SAVEPOINT/RELEASE here).
    with django_assert_num_queries(3 * 5):
        kept = services.record(decisions, period=WEEK, now=NOW)
    assert len(kept) == 5 == Sending.objects.count()
    assert services.record(decisions, period=WEEK, now=NOW) == []
    assert Mail.objects.count() == 5
