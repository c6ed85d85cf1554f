"""The team dashboard's cache: a one-query fingerprint of the team's activity, and the keys of
the parts its figures are cached in.

The figures over every member are cached in parts, each under a key made of the fingerprint
fields it depends on (``DEPENDS``), the courses it covers (each with its assignment's dates:
a course assigned or withdrawn, a due date set, moved or cleared changes every key, read with
the courses at no extra query) and their lessons and quizzes. So a lesson completed redoes
the progress figures (who needs attention, the week, the funnels) but not mastery or item
analysis, the dearest to work out; a quiz submitted redoes those three; a prediction only the
matrix. ``TEAM_AGGREGATES_TIMEOUT`` bounds how long an edit to the content itself (a question,
a matrix) goes unseen, and how stale the day counts of "who needs attention" may be (minutes,
against rules in days).

**What shows at once, what within minutes.** Everything a member does that a figure counts
moves the fingerprint at once: a new enrolment (their first lesson view in a course), a lesson
completed, a quiz submitted, a first answer to a block, a first prediction, a member joining
or leaving. A lesson view of a course they are already enrolled in only moves its
``last_seen_at``, which feeds "inactive for two weeks" and "not started" alone: the fingerprint
carries the latest of them rounded down to ``SEEN_EVERY`` (10 minutes), so an active team's
lesson views change the keys at most once in that long, not at every view, and show within
``SEEN_EVERY`` or ``TEAM_AGGREGATES_TIMEOUT``, whichever comes first. (``lessons.services``
writes ``last_seen_at`` itself at most every ``RECORD_VISIT_EVERY`` per learner and lesson.)

**Fresh or stale.** Each part's newest figures are also named by a pointer that does not
depend on the fingerprint (``pointer_keys``), with when they were worked out. Where the team's
activity has moved on since, a page may show them as they are, saying when they are from, and
have them worked out again once its response has gone (``settings.TEAM_FIGURES_SERVE_STALE``,
on in production): an active team's manager then never waits for the figures over every
member, and sees the newest a reload later. Off (the default with debug, so in the tests and
``make run``), every page shows figures as of the members' last action or the manager's
last change: a page after new activity works the figures out itself.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, DateTimeField, Max, QuerySet, Value

from accounts.models import Membership, Team
from certificates.models import Certificate
from courses.models import Enrollment
from lessons.models import LessonCompletion
from matrix.models import MatrixPrediction
from practice.models import BlockAnswer
from quizzes.models import Attempt

TEAM_AGGREGATES_TIMEOUT = 5 * 60
# The members' latest lesson view counts in the fingerprint to this many seconds (see above).
SEEN_EVERY = 10 * 60
# How long worked-out figures are kept: a page serving stale figures shows none older.
TEAM_FIGURES_KEPT = 60 * 60


class Fingerprint(NamedTuple):
    """Counts and latest moments of the members' activity; ``members`` is how many there are."""

    attempts: int
    last_attempt: str | None
    completions: int
    last_completion: str | None
    predictions: int
    block_answers: int
    members: int
    last_joined: str | None
    enrolments: int
    last_seen: str | None
    # Certificates of the members: how many there are, the latest issued and the latest revoked.
    certificates: int = 0
    last_certificate: str | None = None
    last_revoked: str | None = None
    # The content's row counts and latest edits (settings.PAGE_CACHE_CONTENT), digested: the
    # CSV kept whole (progress/kept_exports.py) shows objectives' text and lesson totals.
    content: str = ""


# The fingerprint fields each cached part of the dashboard depends on.
MEMBERSHIP = ("members", "last_joined")
DEPENDS = {
    # Progress, who needs attention (but confident mistakes), the week, the funnels.
    "progress": ("attempts", "last_attempt", "completions", "last_completion", "enrolments",
                 "last_seen", "certificates", "last_certificate", "last_revoked", *MEMBERSHIP),  # fmt: skip
    # Mastery per objective: first answers to blocks, first attempts (and review answers, not
    # counted here: see team_fingerprint).
    "mastery": ("attempts", "last_attempt", "block_answers", *MEMBERSHIP),
    "items": ("attempts", "last_attempt", *MEMBERSHIP),
    "matrices": ("predictions", *MEMBERSHIP),
}


def _count_and_latest(queryset: QuerySet, part: str, field_name: str | None = None) -> QuerySet:
    """One row over ``queryset``: ``part``, its row count and the latest ``field_name`` (or
    NULL), to be joined to the others with UNION ALL."""
    latest = Max(field_name) if field_name else Value(None, output_field=DateTimeField())
    return (
        queryset.order_by()
        .annotate(part=Value(part, output_field=CharField()))
        .values("part")  # a constant: no GROUP BY, one row even over no rows
        .annotate(n=Count("pk"), latest=latest)
        .values_list("part", "n", "latest")
        .order_by()
    )


def team_fingerprint(team: Team) -> Fingerprint:
    """What changes whenever the team's figures could: counts and latest times of its members'
    submitted attempts, lesson completions and enrolments (last seen, to SEEN_EVERY), their first
    predictions and first answers to blocks, the memberships, and the content's counts and
    latest edits. One query (a UNION ALL of one aggregate row per table, each table read once);
    cheap next to the figures themselves.

    Answers given in /review/ also move mastery, but are not counted: finding them means
    reading every review log of every member (at 10,000 members, 190 of the 250 ms this query
    would take), so they reach the dashboard when the mastery part next expires
    (TEAM_AGGREGATES_TIMEOUT) or anything else it depends on changes."""
    members = Membership.objects.filter(team_id=team.pk, role=Membership.Role.MEMBER)
    member_ids = members.values("user_id")
    rows = _count_and_latest(
        Attempt.objects.filter(user_id__in=member_ids, submitted_at__isnull=False), "attempts", "submitted_at"
    ).union(
        _count_and_latest(LessonCompletion.objects.filter(user_id__in=member_ids), "completions", "completed_at"),
        _count_and_latest(MatrixPrediction.objects.filter(user_id__in=member_ids, is_first=True), "predictions"),
        # First answers to blocks are mastery's evidence.
        _count_and_latest(BlockAnswer.objects.filter(user_id__in=member_ids, is_first=True), "block_answers"),
        # Lesson views move last_seen_at, which "inactive" and "not started" read: rounded
        # down (seen_bucket), so they change the keys at most once per SEEN_EVERY.
        _count_and_latest(Enrollment.objects.filter(user_id__in=member_ids), "enrolments", "last_seen_at"),
        _count_and_latest(members, "members", "joined_at"),
        _count_and_latest(Certificate.objects.filter(user_id__in=member_ids), "certificates", "issued_at"),
        _count_and_latest(Certificate.objects.filter(user_id__in=member_ids), "revocations", "revoked_at"),
        *(_count_and_latest(model.objects.all(), f"content:{model._meta.label}", latest)
          for model, latest in _content_models()),
        all=True,
    ).order_by()  # Membership's default ordering names no column of the union
    found = {part: (count, latest) for part, count, latest in rows}
    content = sorted((part, count, str(latest)) for part, (count, latest) in found.items() if part.startswith("content:"))
    fingerprint = Fingerprint(
        attempts=found["attempts"][0], last_attempt=found["attempts"][1],
        completions=found["completions"][0], last_completion=found["completions"][1],
        predictions=found["predictions"][0], block_answers=found["block_answers"][0],
        members=found["members"][0], last_joined=found["members"][1],
        enrolments=found["enrolments"][0], last_seen=seen_bucket(found["enrolments"][1]),
        certificates=found["certificates"][0], last_certificate=found["certificates"][1],
        last_revoked=found["revocations"][1],
        content=hashlib.sha256(repr(content).encode()).hexdigest()[:16],
    )  # fmt: skip
    return Fingerprint(*(value.isoformat() if isinstance(value, datetime.datetime) else value for value in fingerprint))


@functools.cache
def _content_models() -> tuple:
    """Each content model (settings.PAGE_CACHE_CONTENT) with its ``updated_at``, or None where it
    records no edits (a new row still moves its count). Worked out once per process."""
    found = []
    for label in settings.PAGE_CACHE_CONTENT:
        model = apps.get_model(label)
        fields = {field.name for field in model._meta.fields}
        found.append((model, "updated_at" if "updated_at" in fields else None))
    return tuple(found)


def seen_bucket(moment: datetime.datetime | None) -> datetime.datetime | None:
    """``moment`` rounded down to a whole multiple of SEEN_EVERY since the epoch (in whole
    numbers: floats would round two moments of one period apart by a microsecond)."""
    if moment is None:
        return None
    since = moment - datetime.datetime(1970, 1, 1, tzinfo=moment.tzinfo)
    seconds = since.days * 86400 + since.seconds
    return moment - datetime.timedelta(seconds=seconds % SEEN_EVERY, microseconds=since.microseconds)


def _covered(courses, lessons, quizzes) -> tuple:
    return (
        [(course.pk, str(course.assigned_at), str(course.due_on)) for course in courses],
        [lesson.pk for lesson in lessons],
        [quiz.pk for quiz in quizzes],
    )


def pointer_keys(*, team: Team, courses, lessons, quizzes) -> dict[str, str]:
    """The key of each part's pointer to its newest figures for these courses, whatever the
    team's activity: ``{"key": <part key>, "at": <when worked out>}``."""
    covered = repr(_covered(courses, lessons, quizzes))
    digest = hashlib.sha256(covered.encode()).hexdigest()
    return {part: f"progress:team:{team.pk}:{part}:newest:{digest}" for part in DEPENDS}


class PartsFound(NamedTuple):
    """What ``find_parts`` found: the key each part is read from (its own, or the newest
    figures' when they are shown stale), the parts found, and since when each stale one is."""

    keys: dict[str, str]
    parts: dict[str, object]
    stale: dict[str, datetime.datetime]


def find_parts(*, keys: dict[str, str], pointers: dict[str, str], now: datetime.datetime,
               serve_stale: bool) -> PartsFound:  # fmt: skip
    """The parts cached for ``keys``, fresh (worked out at most TEAM_AGGREGATES_TIMEOUT ago
    for the team's activity as it is) or, with ``serve_stale``, the newest kept: one or two
    cache reads. A part neither has is left out, to be worked out."""
    found = cache.get_many([*keys.values(), *pointers.values()])
    fresh_for = datetime.timedelta(seconds=TEAM_AGGREGATES_TIMEOUT)
    used, parts, stale, wanted = dict(keys), {}, {}, {}
    for name, key in keys.items():
        newest = found.get(pointers[name])
        if key in found and (newest is None or (newest["key"] == key and now - newest["at"] <= fresh_for)):
            parts[name] = found[key]  # a pointer evicted alone: the part is at most KEPT old
        elif serve_stale and newest is not None:
            used[name], stale[name] = newest["key"], newest["at"]
            if newest["key"] in found:
                parts[name] = found[newest["key"]]
            else:
                wanted[name] = newest["key"]
    if wanted:
        kept = cache.get_many(list(wanted.values()))
        for name, key in wanted.items():
            if key in kept:
                parts[name] = kept[key]
            else:  # gone: worked out afresh under its own key
                used[name] = keys[name]
                del stale[name]
    return PartsFound(used, parts, stale)


def part_keys(*, team: Team, fingerprint: Fingerprint, courses, lessons, quizzes) -> dict[str, str]:
    """The cache key of each part of the team's figures (``DEPENDS``), for these courses
    (each with its assignment's dates, from ``assigned_courses``), lessons and quizzes."""
    covered = _covered(courses, lessons, quizzes)
    keys = {}
    for part, fields in DEPENDS.items():
        parts = repr((part, [getattr(fingerprint, name) for name in fields], covered))
        keys[part] = f"progress:team:{team.pk}:{part}:{hashlib.sha256(parts.encode()).hexdigest()}"
    return keys
