"""A team's mastery kept between requests, and brought up to date by reading only the members
who answered since.

Working a team's mastery out afresh reads and assesses every answer its members ever gave: at
1,000 members and 36 objectives, some 40,000 rows and about a second. New activity touches a
few members, and a member's levels depend on nothing but their own answers and the content
(``courses.mastery.assess`` reads no clock). So each member's assessments are kept in the cache
(``MasteryState``) with the moment they were read; the next reading asks which members answered
since (a block's first answer, a quiz attempt submitted, a review answer: one query), reads and
assesses those members alone, and takes everyone else's from the state.

Exactness: an answer is stamped before its transaction commits, so one committed just after a
reading may carry an earlier time; answers from ``OVERLAP`` before the last reading are looked
at again, which also covers clocks a little apart between hosts. The same query asks whether
a lesson, an objective, a block or a quiz (with its questions, edited on its page) was saved
since the last reading (``CONTENT_OVERLAP``): then everyone is read afresh, as when the objectives read differ from the state's. A
change that saves none of them (a tag removed in SQL) shows when the state expires
(``STATE_TIMEOUT``). Members who joined since are read; members who left are not shown.

The team dashboard and its CSV both call ``current_team_mastery``, so they show the same levels.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import IntegerField, QuerySet, Value
from django.utils import timezone

from accounts.models import Membership, Team
from courses.mastery import Assessment
from lessons.models import Lesson, Objective
from practice.models import Block, BlockAnswer
from quizzes.models import Attempt, Quiz
from review.models import ReviewLog

from .mastery import (
    REVIEW_SOURCE,
    ObjectiveInfo,
    TeamMastery,
    assemble_team_mastery,
    assess_members,
    in_team_order,
    mastery_reads,
)

STATE_TIMEOUT = 60 * 60
OVERLAP = datetime.timedelta(minutes=5)
# The same for content saved in the admin: a save commits within moments of its stamp, and a
# longer look back would read everyone again for minutes after every edit.
CONTENT_OVERLAP = datetime.timedelta(seconds=30)
# What ``answered_since`` says for content saved since (no user has this id).
CONTENT_SAVED = 0


@dataclass(frozen=True)
class MasteryState:
    """Every member's assessments on ``objectives`` (in that order), read at ``read_at``."""

    objectives: tuple[ObjectiveInfo, ...]
    assessed: dict[int, tuple[Assessment, ...]]
    read_at: datetime.datetime


def state_key(*, team: Team, course_ids: Sequence[int]) -> str:
    parts = repr(list(course_ids))
    return f"progress:team:{team.pk}:mastery-state:{hashlib.sha256(parts.encode()).hexdigest()}"


def answered_since(members: QuerySet, since: datetime.datetime, content_since: datetime.datetime) -> set[int]:
    """The user ids among ``members`` (a values("user_id") queryset) with evidence of mastery
    recorded at or after ``since``, and CONTENT_SAVED if content was saved at or after
    ``content_since``: one query."""
    blocks = BlockAnswer.objects.filter(user_id__in=members, is_first=True, answered_at__gte=since)
    attempts = Attempt.objects.filter(user_id__in=members, submitted_at__gte=since)
    reviews = ReviewLog.objects.filter(
        card__user_id__in=members, source=REVIEW_SOURCE, reviewed_at__gte=since
    )
    union = (
        blocks.order_by()
        .values_list("user_id")
        .union(
            attempts.order_by().values_list("user_id"),
            reviews.order_by().values_list("card__user_id"),
            *(
                model.objects.filter(updated_at__gte=content_since)
                .order_by()
                .values_list(Value(CONTENT_SAVED, IntegerField()))
                for model in (Lesson, Objective, Block, Quiz)
            ),
        )
    )
    return {user_id for (user_id,) in union}


def current_team_mastery(
    *, team: Team, user_ids: Sequence[int], course_ids: Sequence[int]
) -> TeamMastery:
    """The team's mastery for ``user_ids`` (its members, in the order rows should follow) in
    ``course_ids``, as ``mastery.team_mastery`` works it out, reading only what changed since
    the kept state: one query without a state (everyone's answers), two with one (who answered
    since, and their answers, none when nobody did: the count does not depend on activity)."""
    key = state_key(team=team, course_ids=course_ids)
    state: MasteryState | None = cache.get(key)
    read_at = timezone.now()
    if state is None:
        changed = set(user_ids)
    else:
        members = Membership.objects.filter(team_id=team.pk, role=Membership.Role.MEMBER).values(
            "user_id"
        )
        changed = answered_since(members, state.read_at - OVERLAP, state.read_at - CONTENT_OVERLAP) | (
            set(user_ids) - state.assessed.keys()
        )
        if CONTENT_SAVED in changed:
            state, changed = None, set(user_ids)
    reads = mastery_reads(user_ids=sorted(changed), course_ids=course_ids)
    objectives = tuple(in_team_order(reads.objectives, course_ids=course_ids))
    if state is not None and objectives != state.objectives:
        # The objectives themselves changed (a lesson published, say): start afresh.
        state, changed = None, set(user_ids)
        reads = mastery_reads(user_ids=list(user_ids), course_ids=course_ids)
    fresh = assess_members(reads, objectives, changed)
    assessed = (
        fresh
        if state is None
        else {uid: fresh[uid] if uid in fresh else state.assessed[uid] for uid in user_ids}
    )
    cache.set(
        key, MasteryState(objectives=objectives, assessed=assessed, read_at=read_at), STATE_TIMEOUT
    )
    return assemble_team_mastery(objectives, assessed, user_ids=user_ids)
