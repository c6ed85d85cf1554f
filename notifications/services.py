"""Writes of the mail: deciding what to send (reminders, digests, nudges) and people's choices.

Each decision is recorded before anything is sent: a ``Mail`` (the outbox row) and one
``Sending`` per rule and subject it carries, in the same transaction (``record``, a few
hundred decisions at a time; ``record_one`` for a nudge). The unique constraint on Sending
(person, rule, subject, period) lets only one of several runs, workers or requests record the
same thing; the others find it taken and send nothing. Delivery is
``notifications.delivery``, afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.links import absolute_url
from accounts.models import Membership, Team
from accounts.names import display_name
from progress.attention import LABELS

from . import selectors, wording
from .models import Kind, Mail, MailPreference, Rule, Sending
from .rendering import compose
from .rules import (
    REMINDER_RULES,
    Item,
    day_period,
    reminder_items,
    team_subject,
    week_period,
)
from .selectors import wants

REMINDER_RULE_VALUES = [*REMINDER_RULES.values(), Rule.REVIEWS_DUE]


@dataclass
class Decision:
    """To mail ``user`` about ``items``, in a Mail that ``build`` writes for any of them."""

    user: object
    items: Sequence[Item]
    build: Callable[[Sequence[Item]], Mail]
    sender: object = None


# Decisions recorded per transaction: few commits for a large run, short enough that a
# concurrent run waits only briefly on the rows this one is inserting.
BATCH = 200


def record(decisions: Sequence[Decision], *, period: str, now: datetime.datetime) -> list[Mail]:
    """Record each decision's Sendings in ``period`` with its Mail; return the Mails kept.

    A few queries per ``BATCH`` decisions, in one transaction each: the Mails, then the
    Sendings with ``ON CONFLICT DO NOTHING``, then which Sendings went in. An item another run
    recorded first is left out (on PostgreSQL the second insert waits for the first
    transaction, then skips) and its Mail rewritten without it; a Mail left with nothing to
    say is deleted. So whatever runs at once, each item is recorded, and mailed, once.
    """
    kept = []
    for start in range(0, len(decisions), BATCH):
        kept += _record_batch(decisions[start : start + BATCH], period=period, now=now)
    return kept


def _record_batch(decisions: Sequence[Decision], *, period: str, now: datetime.datetime) -> list[Mail]:
    with transaction.atomic():
        mails = Mail.objects.bulk_create([decision.build(decision.items) for decision in decisions])
        Sending.objects.bulk_create(
            [
                Sending(user=decision.user, rule=item.rule, subject=item.subject, period=period,
                        mail=mail, sender=decision.sender, created_at=now)  # fmt: skip
                for decision, mail in zip(decisions, mails, strict=True)
                for item in decision.items
            ],
            ignore_conflicts=True,
        )
        recorded = set(
            Sending.objects.filter(mail__in=mails).values_list("mail_id", "rule", "subject")
        )
        kept, empty = [], []
        for decision, mail in zip(decisions, mails, strict=True):
            mine = [i for i in decision.items if (mail.pk, i.rule, i.subject) in recorded]
            if not mine:
                empty.append(mail.pk)
                continue
            if len(mine) < len(decision.items):
                rewritten = decision.build(mine)
                mail.subject, mail.text, mail.html = rewritten.subject, rewritten.text, rewritten.html
                mail.save(update_fields=["subject", "text", "html"])
            kept.append(mail)
        if empty:
            Mail.objects.filter(pk__in=empty).delete()
    return kept


def record_one(
    *, user, item: Item, period: str, now: datetime.datetime, build, sender=None
) -> Mail | None:
    """Record one item and its Mail (a nudge): both, or nothing when the item was taken."""
    try:
        with transaction.atomic():
            mail = build([item])
            mail.save()
            Sending.objects.create(
                user=user, rule=item.rule, subject=item.subject, period=period, mail=mail,
                sender=sender, created_at=now,
            )  # fmt: skip
    except IntegrityError:
        return None
    return mail


# -- reminders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a mail: a sentence, where to act on it, and the link's words."""

    text: str
    url: str
    action: str


def reminder_lines(items: Sequence[Item], *, courses, now: datetime.datetime) -> list[Line]:
    lines = []
    for item in items:
        if item.rule == Rule.REVIEWS_DUE:
            text = wording.reminder_line(item, title="", left="", now=now)
            lines.append(Line(text, absolute_url(reverse("review:queue")), "Review now"))
            continue
        course = courses[item.course_id]
        left = wording.left_phrase(lessons_left=course.lessons_left, quizzes_left=course.quizzes_left)
        text = wording.reminder_line(item, title=course.title, left=left, now=now)
        lines.append(Line(text, absolute_url(course.path), f"Open {course.title}"))
    return lines


def _reminder_builder(reminder: selectors.LearnerReminder, now: datetime.datetime):
    def build(items: Sequence[Item]) -> Mail:
        headlines = [
            wording.reminder_headline(
                item, title=reminder.courses[item.course_id].title if item.course_id else "", now=now
            )
            for item in items
        ]
        return compose(
            user=reminder.user, kind=Kind.REMINDERS, subject=wording.reminder_subject(headlines),
            template="reminder", now=now,
            context={"lines": reminder_lines(items, courses=reminder.courses, now=now)},
        )  # fmt: skip

    return build


def queue_reminders(*, now: datetime.datetime) -> list[Mail]:
    """One mail to each learner with something to be reminded of that was not yet mailed this
    week (per rule and course), unless they turned reminders off. The mails, pending."""
    period = week_period(now)
    sent = selectors.sent_this_period(rules=REMINDER_RULE_VALUES, period=period)
    decisions = []
    for reminder in selectors.learner_reminders(now=now):
        user = reminder.user
        if not wants(user, Kind.REMINDERS):
            continue
        fresh = [i for i in reminder.items if (user.pk, i.rule, i.subject) not in sent]
        if fresh:
            decisions.append(Decision(user, fresh, _reminder_builder(reminder, now)))
    return record(decisions, period=period, now=now)


# -- the weekly digest -----------------------------------------------------------------------


def _digest_context(digest: selectors.TeamDigest) -> dict:
    return {
        "team": digest.team.name,
        "members": digest.members,
        "needing_attention": digest.needing_attention,
        "reasons": [
            {"label": LABELS[reason], "count": count, "names": wording.named(names, more=more)}
            for reason, count, names, more in digest.reasons
        ],
        "changes": digest.changes,
        "dashboard_url": absolute_url(digest.team.get_absolute_url()),
    }


def queue_digests(*, now: datetime.datetime) -> list[Mail]:
    """This week's digest to each manager of each team with members, once per manager, team
    and week, unless they turned the digest off. The mails, pending."""
    period = week_period(now)
    sent = selectors.sent_this_period(rules=[Rule.DIGEST], period=period)
    decisions = []
    for digest in selectors.team_digests(now=now):
        item = Item(Rule.DIGEST, team_subject(digest.team.pk))
        subject = wording.digest_subject(team=digest.team.name, needing_attention=digest.needing_attention)
        context = _digest_context(digest)
        for manager in digest.managers:
            if not wants(manager, Kind.DIGEST) or (manager.pk, item.rule, item.subject) in sent:
                continue

            def build(items, manager=manager, subject=subject, context=context):
                return compose(
                    user=manager, kind=Kind.DIGEST, subject=subject, template="digest",
                    context=context, now=now,
                )  # fmt: skip

            decisions.append(Decision(manager, [item], build))
    return record(decisions, period=period, now=now)


# -- a manager's nudge -----------------------------------------------------------------------


class NudgeRefused(Exception):
    """A nudge that is not sent, with the reason to show the manager and the HTTP status."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyNudged(NudgeRefused):
    status = 429

    def __init__(self, message: str, *, at: datetime.datetime):
        super().__init__(message)
        self.at = at


def nudged_today(*, team: Team, user_id: int, now: datetime.datetime) -> Sending | None:
    """Today's nudge of ``user_id`` in ``team``, if there was one (one query)."""
    return Sending.objects.filter(
        user_id=user_id, rule=Rule.NUDGE, subject=team_subject(team.pk), period=day_period(now)
    ).first()


def nudge(*, team: Team, membership: Membership, sender, now: datetime.datetime) -> Mail:
    """Record a personal reminder from ``sender`` (a manager) to ``membership``'s person.

    At most one per member, team and day; refused (``NudgeRefused``) when the person turned
    nudges off or has no address, ``AlreadyNudged`` when someone nudged them today.
    ``membership.user`` should come with ``profile`` and ``mail_preference`` selected.
    """
    member = membership.user
    name = display_name(member)
    if not wants(member, Kind.NUDGES):
        raise NudgeRefused(f"{name} has turned off reminders from managers, so nothing was sent.")
    if not member.email or not member.is_active:
        raise NudgeRefused(f"{name} has no email address we can write to, so nothing was sent.")
    period = day_period(now)
    item = Item(Rule.NUDGE, team_subject(team.pk))
    if earlier := nudged_today(team=team, user_id=member.pk, now=now):
        raise _already(name, earlier.created_at)
    concerns, courses = selectors.member_standing(team=team, membership=membership, now=now)
    items = reminder_items(concerns)
    context = {
        "manager": display_name(sender),
        "team": team.name,
        "lines": reminder_lines(items, courses=courses, now=now),
        "courses": [
            {"title": state.title, "url": absolute_url(state.path), "left": _left(state)}
            for state in courses.values()
        ],
    }
    subject = wording.nudge_subject(manager=context["manager"], team=team.name)

    def build(items):
        return compose(
            user=member, kind=Kind.NUDGES, subject=subject, template="nudge", context=context, now=now
        )

    mail = record_one(user=member, item=item, period=period, now=now, build=build, sender=sender)
    if mail is None:  # another manager's nudge won the race
        raise _already(name, nudged_today(team=team, user_id=member.pk, now=now).created_at)
    return mail


def _left(state: selectors.CourseState) -> str:
    if not (state.lessons_left or state.quizzes_left):
        return "complete"
    return wording.left_phrase(lessons_left=state.lessons_left, quizzes_left=state.quizzes_left)


def _already(name: str, at: datetime.datetime) -> AlreadyNudged:
    stamp = timezone.localtime(at).strftime("%H:%M")
    return AlreadyNudged(
        f"{name} was already nudged today at {stamp}; you can nudge them again tomorrow.", at=at
    )


# -- choices ---------------------------------------------------------------------------------


def _choose(*, user_id: int, choices: dict[str, bool]) -> None:
    """Set ``choices`` (kind -> on) on the person's MailPreference, creating it if need be.

    An UPDATE first (the row usually exists); else an INSERT, and if a concurrent request
    created the row meanwhile, the UPDATE once more.
    """
    values = {Kind(kind).value: on for kind, on in choices.items()} | {"updated_at": timezone.now()}
    if MailPreference.objects.filter(user_id=user_id).update(**values):
        return
    try:
        with transaction.atomic():
            MailPreference.objects.create(user_id=user_id, **values)
    except IntegrityError:
        MailPreference.objects.filter(user_id=user_id).update(**values)


def set_preferences(*, user, reminders: bool, digest: bool, nudges: bool) -> None:
    """Save which kinds of mail ``user`` receives."""
    _choose(user_id=user.pk, choices={"reminders": reminders, "digest": digest, "nudges": nudges})


def unsubscribe(*, user_id: int, kind: str) -> None:
    """Turn ``kind`` off for ``user_id`` (the other kinds stay as they were)."""
    _choose(user_id=user_id, choices={kind: False})
