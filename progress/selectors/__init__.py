"""Reads for the progress pages, by concern; every public name is importable from here.

- ``course_progress``: the counts behind each learner's standing in each course (the rules
  are ``courses.completion``);
- ``learner``: the learner's own dashboard;
- ``team``: a team's members (in name order), assigned courses and progress;
- ``dashboard``: the team dashboard (attention, misunderstandings, the week, the charts);
- ``team_figures``: the dashboard's figures over every member, in the parts it caches;
- ``member``: one member's page (their courses, lessons, attempts, checks, mastery);
- ``week``: what the team did this week and the week before;
- ``attention``: who needs attention (the rules are ``progress.attention``);
- ``analytics``: item analysis and misconception maps;
- ``team_cache``: the fingerprint and key under which team aggregates are cached.
"""

from .analytics import (
    CellShare,
    MatrixMap,
    QuizAnalysis,
    item_analysis,
    misconception_maps,
)
from .course_progress import (
    PUBLISHED,
    CourseProgress,
    QuizResult,
    course_progress,
    with_totals,
)
from .dashboard import (
    ATTENTION_PER_PAGE,
    AttentionRow,
    FunnelStep,
    QuizPassShare,
    TeamDashboard,
    team_dashboard,
)
from .learner import (
    ACTIVITY_WEEKS,
    CourseCard,
    LearnerDashboard,
    MatrixAccuracy,
    learner_courses,
    learner_dashboard,
    week_start,
    weekly_completions,
)
from .team import (
    MEMBERS_PER_PAGE,
    TeamProgress,
    member_order,
    members_page,
    team_members,
    team_progress,
)
from .team_cache import TEAM_AGGREGATES_TIMEOUT, Fingerprint, team_fingerprint
from .team_figures import TeamSummary, team_summary

__all__ = [
    "ACTIVITY_WEEKS",
    "ATTENTION_PER_PAGE",
    "MEMBERS_PER_PAGE",
    "PUBLISHED",
    "TEAM_AGGREGATES_TIMEOUT",
    "AttentionRow",
    "CellShare",
    "CourseCard",
    "CourseProgress",
    "Fingerprint",
    "FunnelStep",
    "LearnerDashboard",
    "MatrixAccuracy",
    "MatrixMap",
    "QuizAnalysis",
    "QuizPassShare",
    "QuizResult",
    "TeamDashboard",
    "TeamProgress",
    "TeamSummary",
    "course_progress",
    "item_analysis",
    "learner_courses",
    "learner_dashboard",
    "member_order",
    "members_page",
    "misconception_maps",
    "team_dashboard",
    "team_fingerprint",
    "team_members",
    "team_progress",
    "team_summary",
    "week_start",
    "weekly_completions",
    "with_totals",
]
