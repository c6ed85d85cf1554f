"""Page weight: the JavaScript each page loads, gzipped, as a browser would fetch it.

Each page's ``<script src>`` files are found through Django's staticfiles finders (the files
``collectstatic`` would publish), gzipped at level 9 and summed. Every learner page (the
catalog, a course overview, lessons with and without the matrix and practice blocks, a block's
own page, a quiz and its result, the review queue, /progress/, the matrix page, the account
pages, and search when the project has it) loads at most LEARNER_JS_BUDGET of gzipped
JavaScript, htmx included; plotly.min.js is only on the managers' team dashboard. Run with
``-s`` to see the figure per page. That static files are served hashed, compressed and cached
for a year is checked against a real gunicorn in tests/security/test_gunicorn.py.
"""

import gzip
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.urls import Resolver404, resolve, reverse

from lessons.models import Lesson
from practice.models import Block

from .worlds import EMBED_LESSON, MATRIX, build_world

LEARNER_JS_BUDGET = 30 * 1024
PLOTLY = "vendor/plotly.min.js"


class ScriptSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.sources.append(attrs["src"])


def scripts(html: str) -> list[str]:
    """The static paths (relative to STATIC_URL) of the page's external scripts."""
    parser = ScriptSources()
    parser.feed(html)
    paths = []
    for src in parser.sources:
        assert src.startswith(settings.STATIC_URL), f"a script from outside our static files: {src}"
        paths.append(src.removeprefix(settings.STATIC_URL).split("?")[0])
    return paths


@cache
def gzipped_size(path: str) -> int:
    found = finders.find(path)
    assert isinstance(found, str), (
        f"{path} is referenced by a page but no staticfiles finder has it"
    )
    with open(found, "rb") as source:
        return len(gzip.compress(source.read(), compresslevel=9))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world("small")
        transaction.set_rollback(True)


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def learner_pages(world):
    embed = next(lesson for lesson in world.lessons if lesson.slug == EMBED_LESSON)
    with_blocks = Lesson.objects.filter(status="published", body__contains="[[check:").first()
    block = Block.objects.first()
    assert with_blocks and block, "the shipped content has practice blocks"
    pages = {
        "catalog": reverse("courses:catalog"),
        "overview": reverse("courses:overview", kwargs={"course": embed.course.slug}),
        "lesson": world.lessons[0].get_absolute_url(),
        "lesson with the matrix": embed.get_absolute_url(),
        "lesson with practice blocks": with_blocks.get_absolute_url(),
        "practice block": reverse("practice:block", kwargs={"slug": block.slug}),
        "matrix": reverse("matrix:detail", kwargs={"matrix": MATRIX}),
        "quiz": reverse("quizzes:take", kwargs={"quiz": world.quiz.slug}),
        "attempt": world.attempt.get_absolute_url(),
        "review": reverse("review:queue"),
        "my progress": reverse("progress:mine"),
        "account": reverse("accounts:account"),
        "mail preferences": reverse("notifications:preferences"),
    }
    if _exists("/search/"):  # issue 19's search, once it has landed
        pages["search"] = "/search/?q=fine-tuning"
    return pages


def test_learner_pages_load_at_most_30_kb_of_gzipped_javascript_and_no_plotly(
    world, client, db, settings
):
    settings.DEBUG = False  # as served: django-htmx adds a debugging script with debug on
    client.force_login(world.learner)
    weights = {}
    for name, url in learner_pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        paths = scripts(response.content.decode())
        assert any(path.startswith("django_htmx/htmx-") for path in paths), name
        assert PLOTLY not in paths, f"plotly on the {name} page"
        weights[name] = sum(gzipped_size(path) for path in paths)
        print(f"{name:30} {weights[name] / 1024:5.1f} kB  {' '.join(paths)}")
    assert max(weights.values()) <= LEARNER_JS_BUDGET, weights


def test_plotly_is_on_the_team_dashboard_only(world, client, db):
    client.force_login(world.manager)
    team = client.get(reverse("progress:team", kwargs={"team": world.team.slug}))
    assert PLOTLY in scripts(team.content.decode())
    client.force_login(world.learner)
    mine = client.get(reverse("progress:mine"))
    assert PLOTLY not in scripts(mine.content.decode())
    # The dashboard's own scripts besides plotly stay small too.
    rest = sum(gzipped_size(path) for path in scripts(team.content.decode()) if path != PLOTLY)
    assert rest <= LEARNER_JS_BUDGET


def test_no_learner_template_loads_plotly():
    """Besides the pages above: only the team dashboard's template names plotly at all."""
    templates = Path(settings.BASE_DIR) / "templates"
    naming = sorted(
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "plotly" in path.read_text(encoding="utf-8")
    )
    assert naming == ["progress/includes/plotly_head.html", "progress/team.html"]


def test_an_unknown_script_fails_the_sum():
    with pytest.raises(AssertionError, match="no staticfiles finder"):
        gzipped_size("js/no-such-script.js")


def test_a_script_from_elsewhere_fails_the_check():
    with pytest.raises(AssertionError, match="outside our static files"):
        scripts('<script src="https://cdn.example.com/htmx.js"></script>')
