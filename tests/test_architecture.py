"""The apps depend downwards only (tests/architecture.py holds the layers and the checker).

The first tests check the project itself; the rest prove, on a small project written to a
temporary folder, that the checker finds each kind of dependency and places it exactly.
"""

import textwrap
from pathlib import Path

import pytest
from django.apps import apps

from tests.architecture import (
    EXCEPTIONS,
    LAYERS,
    ModelIndex,
    Violation,
    find_violations,
    used_exceptions,
)

ROOT = Path(__file__).resolve().parents[1]


def test_no_upward_dependencies():
    violations = find_violations(ROOT)
    assert violations == [], "dependencies against the layering:\n" + "\n".join(
        map(str, violations)
    )


def test_every_documented_exception_is_still_needed():
    assert used_exceptions(ROOT) == set(EXCEPTIONS)


def test_every_app_of_the_project_has_a_layer():
    ours = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        # Our apps are folders at the top of the repository (a virtualenv may sit inside it).
        if Path(config.path).resolve().parent == ROOT
    }
    assert ours - set(LAYERS) == set()


def test_the_model_index_knows_where_a_reverse_relation_leads():
    index = ModelIndex.from_django()
    assert index.app_of("lessons.Lesson") == "lessons"
    assert index.relations[("courses.course", "lessons")] == "lessons.lesson"


# -- the checker, on a small project -------------------------------------------------------

MODELS = ModelIndex(
    models={
        "courses.course": "courses",
        "lessons.lesson": "lessons",
        "quizzes.quiz": "quizzes",
    },
    relations={("courses.course", "lessons"): "lessons.lesson"},
)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


@pytest.fixture
def project(tmp_path):
    """One upward dependency of each kind in ``courses``, and downward ones in ``quizzes``."""
    return write(
        tmp_path,
        {
            "courses/__init__.py": "",
            "courses/models.py": """
                from django.db import models

                class Course(models.Model):
                    quiz = models.ForeignKey("quizzes.Quiz", on_delete=models.CASCADE)
            """,
            "courses/views.py": """
                from .models import Course
                from quizzes.models import Quiz
                import progress.selectors
            """,
            "courses/sub/reach.py": """
                from ..models import Course
                from ...lessons.rendering import render_markdown
            """,
            "courses/late.py": """
                def resume(user):
                    x = 1
                    from lessons.progress import last_visit
                    return last_visit(user)
            """,
            "courses/lookup.py": """
                from django.apps import apps

                Lesson = apps.get_model("lessons", "Lesson")
                Quiz = apps.get_model("quizzes.Quiz")
            """,
            "courses/meta.py": """
                from .models import Course

                LESSON = Course._meta.get_field("lessons").related_model
            """,
            "courses/settings_reader.py": """
                from config.page_cache import shared_page
                from config import settings
            """,
            "courses/migrations/__init__.py": "",
            "courses/migrations/0001_initial.py": 'TO = "lessons.Lesson"\nimport quizzes\n',
            "courses/templatetags/__init__.py": "",
            "courses/templatetags/course_tags.py": "",
            "quizzes/__init__.py": "",
            "quizzes/templatetags/__init__.py": "",
            "quizzes/templatetags/quiz_tags.py": "",
            "quizzes/models.py": """
                from django.db import models
                from courses.models import Course

                class Quiz(models.Model):
                    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE)
                    label = "not.AModel"
            """,
            "templates/courses/overview.html": """
                {% extends "base.html" %}
                {% load static quiz_tags %}
                {% include "progress/includes/bar.html" %}
                {% include "courses/includes/row.html" %}
            """,
            "courses/templates/courses/widget.html": "<p>\n{% load quiz_score from quiz_tags %}\n",
            "templates/quizzes/take.html": '{% load course_tags %}{% include "courses/x.html" %}\n',
            "templates/admin/base_site.html": "{% load quiz_tags %}\n",
        },
    )


def found(project, **options) -> set[tuple[str, int, str, str, str]]:
    return {
        (v.path, v.line, v.target, v.kind, v.detail)
        for v in find_violations(project, models=MODELS, exceptions={}, **options)
    }


def test_an_upward_import_is_reported_with_file_and_line(project):
    assert ("courses/views.py", 2, "quizzes", "import", "quizzes.models") in found(project)
    assert ("courses/views.py", 3, "progress", "import", "progress.selectors") in found(project)


def test_an_upward_relative_import_is_resolved_and_reported(project):
    assert ("courses/sub/reach.py", 2, "lessons", "import", "lessons.rendering") in found(project)


def test_an_import_inside_a_function_is_reported(project):
    assert ("courses/late.py", 3, "lessons", "import", "lessons.progress") in found(project)


def test_an_upward_string_model_reference_is_reported(project):
    assert ("courses/models.py", 4, "quizzes", "model reference", "quizzes.Quiz") in found(project)


def test_get_model_calls_are_reported_once_each(project):
    lookups = {v for v in found(project) if v[0] == "courses/lookup.py"}
    assert lookups == {
        ("courses/lookup.py", 3, "lessons", "get_model", "lessons.Lesson"),
        ("courses/lookup.py", 4, "quizzes", "get_model", "quizzes.Quiz"),
    }


def test_reaching_a_higher_model_through_meta_is_reported(project):
    detail = "Course._meta.get_field('lessons') -> lessons.lesson"
    assert ("courses/meta.py", 3, "lessons", "_meta reach", detail) in found(project)


def test_an_upward_template_load_is_reported_with_file_and_line(project):
    assert (
        "templates/courses/overview.html", 2, "quizzes", "template load", "quiz_tags"
    ) in found(project)  # fmt: skip
    assert (
        "courses/templates/courses/widget.html", 2, "quizzes", "template load", "quiz_tags"
    ) in found(project)  # fmt: skip


def test_including_a_higher_apps_template_is_reported(project):
    assert (
        "templates/courses/overview.html", 3, "progress", "template include",
        "progress/includes/bar.html",
    ) in found(project)  # fmt: skip


def test_apps_may_import_only_the_listed_config_modules(project):
    config = {v for v in found(project) if v[0] == "courses/settings_reader.py"}
    assert config == {
        ("courses/settings_reader.py", 2, "config.settings", "import", "config.settings")
    }


def test_downward_and_own_dependencies_are_not_reported(project):
    paths = {v[0] for v in found(project)}
    assert not any(path.startswith(("quizzes/", "templates/quizzes/")) for path in paths)
    assert not any(path.startswith("templates/admin/") for path in paths)
    assert not {v for v in found(project) if v[4] in ("courses.models", "courses/includes/row.html")}


def test_migrations_are_not_checked(project):
    assert not {v for v in found(project) if "migrations" in v[0]}


def test_same_layer_dependencies_are_reported(project):
    layers = {**LAYERS, "quizzes": 1}  # quizzes beside courses
    assert ("courses/views.py", 2, "quizzes", "import", "quizzes.models") in found(
        project, layers=layers
    )


def test_a_documented_exception_is_allowed_by_exact_file_and_string(project):
    exceptions = {("courses/models.py", "quizzes.Quiz"): "the data contract says so"}
    left = find_violations(project, models=MODELS, exceptions=exceptions)
    assert not [v for v in left if v.detail == "quizzes.Quiz" and v.path == "courses/models.py"]
    assert [v for v in left if v.detail == "quizzes.Quiz" and v.path == "courses/lookup.py"]


def test_a_violation_reads_as_file_line_and_dependency():
    violation = Violation("courses/views.py", 2, "courses", "quizzes", "import", "quizzes.models")
    assert str(violation) == "courses/views.py:2: courses -> quizzes (import quizzes.models)"
