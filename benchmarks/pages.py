"""The pages ``make bench`` drives, in order, as (name, spec) pairs.

A spec has ``path``, and optionally ``method``, ``headers`` (sent with every request),
``bodies`` (request lines for ``wrk_report.lua``: "path<TAB>cookie<TAB>body", cycled so each
is sent once while the pool lasts), ``warmup_bodies`` (a separate slice, so the warm-up never
spends the measured run's attempts) and ``pool`` (how many distinct requests ``bodies``
holds), and ``expect``: text the response must contain when ``benchmarks.run`` requests
it once before measuring (wrk counts a redirect to the login page as a success).
``fixture`` is what ``benchmarks.fixtures`` printed.
"""

# Submissions kept back for the one-second warm-up before the measured run.
WARMUP_SUBMISSIONS = 400


def cookies(fixture, session: str | None = None) -> str:
    parts = [f"{fixture['csrf_cookie']}={fixture['csrf_secret']}"]
    if session:
        parts.append(f"{fixture['session_cookie']}={session}")
    return "; ".join(parts)


def pages(fixture, options=None):
    learner = {"Cookie": cookies(fixture, fixture["learner"]["session"])}
    manager = {"Cookie": cookies(fixture, fixture["manager"]["session"])}
    lesson = fixture["matrix_lesson"] or fixture["lesson"]
    lesson_path = f"/courses/{lesson['course']}/{lesson['slug']}/"
    matrix = fixture["matrix"]
    team = fixture["team"]["slug"]
    signed_in = f"Signed in as <strong>{fixture['learner']['username']}</strong>"
    manager_in = f"Signed in as <strong>{fixture['manager']['username']}</strong>"

    yield "floor", {"path": "/bench/floor", "expect": "ok"}
    yield "catalog", {"path": "/", "expect": "Log in"}
    yield "lesson_anonymous", {"path": lesson_path, "expect": "Log in"}
    yield "lesson_learner", {"path": lesson_path, "headers": learner, "expect": signed_in}
    yield "matrix_partial", {
        # What the widget's base toggle sends from the lesson page: the widget region only.
        "path": f"/matrix/{matrix['slug']}/?base={matrix['column']}&page={lesson_path}",
        "headers": {**learner, "HX-Request": "true",
                    "HX-Current-URL": f"http://127.0.0.1{lesson_path}"},
        "expect": 'id="matrix-0"',
    }
    yield "quiz_page", {"path": f"/quizzes/{fixture['quiz']}/", "headers": learner,
                        "expect": signed_in}

    csrf = fixture["csrf_secret"]
    lines = [
        f"{item['path']}\t{cookies(fixture, item['session'])}\t{item['body']}"
        for item in fixture["submissions"]
    ]
    warmup, measured = lines[:WARMUP_SUBMISSIONS], lines[WARMUP_SUBMISSIONS:]
    yield "quiz_submit", {
        # With htmx, as a browser with JavaScript submits: the graded result comes back in place.
        "path": f"/quizzes/{fixture['quiz']}/",
        "method": "POST",
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf,
                    "HX-Request": "true",
                    "HX-Current-URL": f"http://127.0.0.1/quizzes/{fixture['quiz']}/"},
        "bodies": measured,
        "warmup_bodies": warmup,
        "pool": len(measured),
        "expect": 'class="result-score"',
    }
    yield "learner_dashboard", {"path": "/progress/", "headers": learner, "expect": signed_in}
    # The learner's review queue: their cards come from the cohort's quiz answers.
    yield "review", {"path": "/review/", "headers": learner, "expect": 'id="review"'}
    yield "team_dashboard", {"path": f"/teams/{team}/", "headers": manager, "expect": manager_in}
    yield "team_csv", {"path": f"/teams/{team}/export.csv", "headers": manager,
                       "expect": "username,display_name,full_name"}
