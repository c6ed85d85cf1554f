"""The query budgets: one table that the tests assert and the README shows.

Each entry is the exact number of queries one request makes (as Django logs them in
production: no BEGIN or COMMIT), the same in a small world and a large one. The tests in
tests/benchmarks/test_query_budgets.py and tests/progress/ read ``QUERIES``; README.md's
"Performance" section holds the table that this module prints, between the markers
``<!-- budgets:start -->`` and ``<!-- budgets:end -->``. After changing a number here:

    python -m benchmarks.budgets --write README.md

(``python -m benchmarks.budgets`` alone prints the block.) A test fails while the README's
block differs from what this table generates.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

LEARNER_PAGE_BUDGET = 10  # at most, for every learner page and partial
DASHBOARD_BUDGET = 15  # at most, for the team dashboard and its CSV
# At most, for storing a quiz answer: the quiz's own queries (9) and, after the commit, the
# review cards of the answers (review.services.record_answers: 3, whatever the number of
# questions). Over the learner ceiling until that scheduling runs as a background task.
QUIZ_ANSWER_BUDGET = 12
# At most, for a manager's nudge: the team and the member (2), today's nudge (1), one member's
# progress as the dashboard reads it (5), the sender's name (1), the mail and its record in a
# transaction (4), the delivery task queued for the worker (1), and the session and user (2).
NUDGE_BUDGET = 16

START = "<!-- budgets:start -->"
END = "<!-- budgets:end -->"


@dataclass(frozen=True)
class Budget:
    """The exact query count of one request, what it is, and the ceiling it must stay under."""

    queries: int
    page: str
    limit: int = LEARNER_PAGE_BUDGET


# Certificates (issue 21): the course overview reads the learner's certificate of the course
# (+1, certificates/overview.py); /progress/ reads them with its courses query (+0).
# Objectives (Round 2): a lesson page reads its objectives ("You will learn to", +1); the course
# overview reads the learner's mastery (+1); /progress/ reads mastery too but folds each course's
# quiz list into its courses query, and so does the team dashboard (its aggregates add mastery,
# its cached form drops the quiz query); the CSV adds mastery (+1).
# Teams that act (issue 18): the team dashboard folds its lessons and the assignments (due
# dates) into the courses query too (-1) and reads the week's activity with its aggregates
# (+1, one union); cached, it reads only the members it names (one query, not all of them);
# its figures are cached in parts, so a lesson completed redoes progress, not mastery, item
# analysis or the matrix. A member's page reads their courses, progress, lessons done,
# attempts, checks and mastery in a fixed number whatever their activity.
QUERIES: dict[str, Budget] = {
    # Learner pages and partials made by their view (page cache off), the app's cache warm.
    "catalog_anonymous": Budget(1, "catalog, anonymous"),
    "catalog": Budget(5, "catalog"),
    "overview_anonymous": Budget(3, "course overview, anonymous"),
    "overview": Budget(9, "course overview"),
    "lesson_anonymous": Budget(1, "lesson without checks, anonymous"),
    "lesson": Budget(5, "lesson without checks"),
    "shipped_lesson_anonymous": Budget(1, "a shipped lesson (two checks), anonymous"),
    "shipped_lesson": Budget(7, "a shipped lesson (two checks)"),
    "lesson_with_matrix_anonymous": Budget(1, "lesson with the matrix and two checks, anonymous"),
    "lesson_with_matrix": Budget(7, "lesson with the matrix and two checks"),
    "matrix_page": Budget(3, "matrix page"),
    "matrix_partial": Budget(1, "matrix partial (toggling the base strength)"),
    "matrix_predict_partial": Budget(4, "matrix predict partial"),
    "matrix_compare_partial": Budget(4, "matrix compare partial (personal: withholds unpredicted columns)"),
    "matrix_reveal_partial": Budget(4, "matrix reveal partial"),
    "advisor_partial": Budget(1, "advisor partial"),
    "quiz_page": Budget(6, "quiz page, attempt already open"),
    "quiz_page_fresh_attempt": Budget(8, "quiz page, issuing a fresh attempt"),
    "quiz_submission": Budget(12, "quiz submission (htmx or not), with its review cards", QUIZ_ANSWER_BUDGET),
    "practice_step": Budget(12, "practice step: one answer saved (htmx or not), with its review card", QUIZ_ANSWER_BUDGET),
    "attempt_page": Budget(9, "quiz result"),
    "attempt_partial": Budget(9, "quiz result partial"),
    "mark_complete": Budget(10, "mark a lesson complete (partial)"),
    "mark_complete_again": Budget(6, "mark a lesson complete again (partial)"),
    "predict_and_reveal": Budget(6, "matrix predict-and-reveal submission (partial)"),
    "learner_dashboard": Budget(10, "learner dashboard"),
    # Issue 19: the lesson page's course outline and success panel cost no query more (the
    # course's quizzes are read once for the outline and the lesson's quiz panel; the next
    # track with the lesson); a quiz's result page reads where the learner stands in the
    # course and what is next (+2); a submission reads it with the quiz (+0).
    # Inline checks and predict blocks (practice): a lesson embedding any number of them costs
    # one query more for a visitor (the blocks with their choices) and two for a learner (and
    # their answers) than the same lesson without them.
    "lesson_with_one_block_anonymous": Budget(1, "lesson with 1 check, anonymous"),
    "lesson_with_one_block": Budget(6, "lesson with 1 check"),
    "lesson_with_six_blocks_anonymous": Budget(1, "lesson with 6 checks and predictions, anonymous"),
    "lesson_with_six_blocks": Budget(6, "lesson with 6 checks and predictions"),
    "answer_check": Budget(9, "answer a check again (htmx or not), with its review card"),
    "answer_prediction_in_words": Budget(5, "answer a predict block in words"),
    "answer_check_anonymous": Budget(1, "answer a check, anonymous (nothing stored)"),
    "answer_check_completing_lesson": Budget(10, "answer the last check of a lesson (completes it; a first try: a new review card)"),
    # The review queue (review app), the same for 10 cards or 2,000.
    # Issue 20 (lesson render): what every visitor of a lesson shares (the lesson, its course,
    # siblings and objectives, the course's quizzes, the blocks it embeds, the matrix's explore
    # region) is read once per content version and kept in the cache (core/shared.py): a
    # lesson page reads the content version (+1) and only the learner's own rows: completions
    # in the course, attempts at its quizzes (none without quizzes), answers to its blocks (one
    # query whatever their number); not the lesson, siblings, objectives, quizzes (-4), blocks
    # (-1) or matrix (-1). A visitor's lesson is one query. A complete course reads its next
    # track (+1), which no budgeted page is.
    "review_page": Budget(4, "review queue, a card due"),
    "review_page_after_answer": Budget(7, "review queue after answering: feedback and the next card"),
    "review_answer": Budget(6, "answer a review card (redirects)"),
    "review_answer_htmx": Budget(9, "answer a review card (htmx: feedback and the next card)"),
    # Search (tests/search/): the content version, the index's, and one full-text query,
    # whatever the number of lessons (and the session and user when logged in).
    "search_anonymous": Budget(3, "search results, anonymous"),
    "search": Budget(5, "search results"),
    # Accounts (tests/accounts/): one's account page, and a team's courses page for its managers.
    "account": Budget(3, "account page (display name and email)"),
    "team_courses": Budget(4, "a team's courses and due dates (managers)"),
    # Mail (notifications): the same for a team of 1 or 20 members.
    "mail_preferences": Budget(3, "mail preferences page"),
    "save_mail_preferences": Budget(7, "save mail preferences, the first time (redirects)"),
    "unsubscribe_page": Budget(1, "unsubscribe link opened (asks first; no log-in)"),
    "unsubscribe": Budget(5, "one-click unsubscribe, the first choice made (POST; no log-in)"),
    "nudge": Budget(16, "a manager's nudge (redirects; the mail queued for the worker)", NUDGE_BUDGET),
    "nudge_htmx": Budget(16, "a manager's nudge (htmx fragment)", NUDGE_BUDGET),
    # Dashboards.
    "team_dashboard": Budget(15, "team dashboard", DASHBOARD_BUDGET),
    "team_dashboard_cached": Budget(7, "team dashboard, team aggregates cached", DASHBOARD_BUDGET),
    "team_dashboard_after_completion": Budget(11, "team dashboard after a lesson completed (progress figures redone)", DASHBOARD_BUDGET),
    "team_member": Budget(12, "a member's page on the team side", DASHBOARD_BUDGET),
    "team_list": Budget(3, "the list of teams one may see"),
    # The CSV is kept whole under the team's fingerprint, names and courses
    # (progress/kept_exports.py); worked out, it keeps the team's mastery as the dashboard does
    # and reads again only the members who answered since (mastery_state.py). The fingerprint
    # is the one query more than before it was kept (9 and 10); a kept CSV costs 6, not 10.
    "team_csv": Budget(10, "team CSV export, worked out with the team's mastery afresh", DASHBOARD_BUDGET),
    "team_csv_kept": Budget(11, "team CSV export, worked out with the team's mastery kept (who answered since, and their answers)", DASHBOARD_BUDGET),
    "team_csv_body_kept": Budget(6, "team CSV export, kept whole (members and their names, courses, the fingerprint)", DASHBOARD_BUDGET),
    # Any shared page (config/page_cache.py) once cached: the content version only.
    "shared_page_cached": Budget(1, "a page served from the page cache"),
    # A learner's own page once kept (config/personal_pages.py): the session, the user, and
    # the content version with the learner's state in one query.
    "personal_page_kept": Budget(3, "a learner's page served from their page cache"),
}


def queries(name: str) -> int:
    """The exact query count of ``name``, a key of ``QUERIES``."""
    return QUERIES[name].queries


def markdown() -> str:
    """The README block: the markers around a Markdown table of every budget."""
    lines = [START, "| request | queries | at most |", "|---|---:|---:|"]
    lines += [f"| {b.page} | {b.queries} | {b.limit} |" for b in QUERIES.values()]
    return "\n".join([*lines, END])


def readme_block(text: str) -> str | None:
    """The block between the markers in ``text`` (markers included), or None."""
    start, end = text.find(START), text.find(END)
    if start == -1 or end < start:
        return None
    return text[start : end + len(END)]


def write(path: Path) -> bool:
    """Replace the block in the file at ``path`` with a fresh one; True when it changed."""
    text = path.read_text(encoding="utf-8")
    old = readme_block(text)
    if old is None:
        raise SystemExit(f"{path}: no {START} ... {END} block to fill")
    new = text.replace(old, markdown())
    path.write_text(new, encoding="utf-8")
    return new != text


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, metavar="README", help="update the block in place")
    args = parser.parse_args(argv)
    if args.write:
        changed = write(args.write)
        print(f"{args.write}: {'updated' if changed else 'already up to date'}")
    else:
        sys.stdout.write(markdown() + "\n")


if __name__ == "__main__":
    main()
