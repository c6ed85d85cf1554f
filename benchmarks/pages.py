"""The pages ``make bench`` drives, in order, as (name, spec) pairs.

A spec has ``path``, and optionally ``method``, ``headers`` (sent with every request),
``bodies`` (request lines for ``wrk_report.lua``: "path<TAB>cookie<TAB>body", cycled so each
is sent once while the pool lasts), ``warmup_bodies`` (a separate slice, so the warm-up never
spends the measured run's attempts) and ``pool`` (how many distinct requests ``bodies``
holds), and ``expect``: text the response must contain when ``benchmarks.run`` requests
it once before measuring (wrk counts a redirect to the login page as a success).
``fixture`` is what ``benchmarks.fixtures`` printed. ``activity``: the page is measured while
members of the first team keep opening lessons (``benchmarks.run``'s background activity).

Every page is asked for as a browser asks, with ``Accept-Encoding: gzip`` (HTML and CSV come
compressed, config/compression.py), unless the run's ``--identity`` says otherwise or the spec
is ``identity`` itself (``team_csv_uncompressed``: what the uncompressed file costs).

The signed-in lesson page is measured twice: ``lesson_learner`` is one learner opening one
lesson again and again (what any per-user cache of the page serves), ``lesson_learner_first``
a different learner and lesson on each request, so no such cache can answer it (``pool`` of
distinct pairs, each sent once while it lasts).

The team pages: ``team_dashboard`` and ``team_csv`` are the first team's (1,000 members by
default), ``team_dashboard_everyone`` the team of every learner's (10,000). The CSV is asked
for as a browser asks (``Accept-Encoding: gzip``: it comes compressed) and once more
without, for what the uncompressed file costs. ``cold`` lists the pages that
``benchmarks.run`` also measures after new activity, one request at a time.
"""

# Submissions (and first views) kept back for the one-second warm-up before the measured run.
WARMUP_SUBMISSIONS = 400
WARMUP_FIRST_VIEWS = 400


def cookies(fixture, session: str | None = None) -> str:
    parts = [f"{fixture['csrf_cookie']}={fixture['csrf_secret']}"]
    if session:
        parts.append(f"{fixture['session_cookie']}={session}")
    return "; ".join(parts)


# What a browser sends: the CSV comes gzipped.
BROWSER_ENCODING = {"Accept-Encoding": "gzip, deflate, br"}


def team_paths(fixture) -> dict[str, str]:
    """The team pages by name: dashboards and CSV of the first team, dashboard of everyone."""
    team, everyone = fixture["teams"]["team"]["slug"], fixture["teams"]["everyone"]["slug"]
    return {
        "team_dashboard": f"/teams/{team}/",
        "team_csv": f"/teams/{team}/export.csv",
        "team_dashboard_everyone": f"/teams/{everyone}/",
    }


def manager_of(fixture, name: str) -> dict:
    """The headers of the manager of team ``name`` ("team", "everyone" or "ten")."""
    return {"Cookie": cookies(fixture, fixture["teams"][name]["session"])}


def first_views(fixture) -> list[str]:
    """Request lines for lesson views that are each a learner's first of that lesson here: every
    pool learner with every published lesson, and two requests in a row never share either."""
    sessions, lessons = fixture["pool_sessions"], fixture["lessons"]
    return [
        f"{lessons[(number + turn) % len(lessons)]}\t{cookies(fixture, session)}\t"
        for turn in range(len(lessons))
        for number, session in enumerate(sessions)
    ]


def activity_requests(fixture) -> list[tuple[str, dict]]:
    """The first team's visitors opening lessons of the courses they have started, as (path,
    headers): one visitor after another, each a different lesson of theirs on each turn."""
    views = fixture["activity_views"]
    turns = max(len(view["lessons"]) for view in views)
    return [
        (view["lessons"][(number + turn) % len(view["lessons"])],
         {"Cookie": cookies(fixture, view["session"]), **BROWSER_ENCODING})
        for turn in range(turns)
        for number, view in enumerate(views)
    ]  # fmt: skip


def pages(fixture, options=None):
    """The pages in order, each asked for as a browser asks (see the module's docstring)."""
    identity = getattr(options, "identity", False)
    for name, spec in _pages(fixture):
        if not (spec.pop("identity", False) or identity):
            spec["headers"] = {**BROWSER_ENCODING, **(spec.get("headers") or {})}
        yield name, spec


def _pages(fixture):
    learner = {"Cookie": cookies(fixture, fixture["learner"]["session"])}
    lesson = fixture["matrix_lesson"] or fixture["lesson"]
    lesson_path = f"/courses/{lesson['course']}/{lesson['slug']}/"
    matrix = fixture["matrix"]
    signed_in = f"Signed in as <strong>{fixture['learner']['username']}</strong>"

    yield "floor", {"path": "/bench/floor", "expect": "ok"}
    yield "catalog", {"path": "/", "expect": "Log in"}
    yield "lesson_anonymous", {"path": lesson_path, "expect": "Log in"}
    yield "lesson_learner", {"path": lesson_path, "headers": learner, "expect": signed_in}
    first = first_views(fixture)
    warm = min(WARMUP_FIRST_VIEWS, len(first) // 10)
    yield "lesson_learner_first", {
        "path": lesson_path,
        "bodies": first[warm:],
        "warmup_bodies": first[:warm],
        "pool": len(first) - warm,
        "expect": "Signed in as <strong>",
    }
    yield "course_learner", {"path": f"/courses/{lesson['course']}/", "headers": learner,
                             "expect": signed_in}
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
    # Search over the shipped content, as the header's box sends it (the index already built).
    yield "search", {"path": "/search/?q=fine-tuning+format", "headers": learner,
                     "expect": 'class="search-summary"'}
    paths, header = team_paths(fixture), "username,display_name,full_name"
    for name, team in (("team_dashboard", "team"), ("team_dashboard_everyone", "everyone")):
        manager_in = f"Signed in as <strong>{fixture['teams'][team]['manager']}</strong>"
        yield name, {"path": paths[name], "headers": manager_of(fixture, team), "expect": manager_in,
                     "activity": name == "team_dashboard"}  # fmt: skip
    yield "team_member", {
        # The manager's page of one member (progress.views.member).
        "path": f"{paths['team_dashboard']}members/{fixture['member']}/",
        "headers": manager_of(fixture, "team"),
        "expect": f"Signed in as <strong>{fixture['teams']['team']['manager']}</strong>",
    }
    yield "team_csv", {"path": paths["team_csv"], "expect": header, "activity": True,
                       "headers": manager_of(fixture, "team")}  # fmt: skip
    yield "team_csv_uncompressed", {"path": paths["team_csv"], "headers": manager_of(fixture, "team"),
                                    "expect": header, "activity": True, "identity": True}
