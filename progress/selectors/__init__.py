"""Reads for the progress pages, by concern; every public name is importable from here.

- ``course_progress``: the counts behind each learner's standing in each course (the rules
  are ``courses.completion``);
- ``learner``: the learner's own dashboard;
- ``team``: a team's progress, summary and dashboard;
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
    STUCK_AFTER_DAYS,
    FunnelStep,
    QuizPassShare,
    StuckMember,
    TeamDashboard,
    TeamProgress,
    TeamSummary,
    members_page,
    team_dashboard,
    team_progress,
    team_summary,
)
from .team_cache import TEAM_AGGREGATES_TIMEOUT, team_fingerprint

__all__ = [
    "ACTIVITY_WEEKS",
    "MEMBERS_PER_PAGE",
    "PUBLISHED",
    "STUCK_AFTER_DAYS",
    "TEAM_AGGREGATES_TIMEOUT",
    "CellShare",
    "CourseCard",
    "CourseProgress",
    "FunnelStep",
    "LearnerDashboard",
    "MatrixAccuracy",
    "MatrixMap",
    "QuizAnalysis",
    "QuizPassShare",
    "QuizResult",
    "StuckMember",
    "TeamDashboard",
    "TeamProgress",
    "TeamSummary",
    "course_progress",
    "item_analysis",
    "learner_courses",
    "learner_dashboard",
    "members_page",
    "misconception_maps",
    "team_dashboard",
    "team_fingerprint",
    "team_progress",
    "team_summary",
    "week_start",
    "weekly_completions",
    "with_totals",
]
