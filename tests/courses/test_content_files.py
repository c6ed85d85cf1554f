"""Content as files: load_content and export_content round-trip, and refuse broken files."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core import embeds
from courses.models import Course
from lessons.models import Lesson

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "content_fixture"


def load(path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_content", str(path), stdout=out)
    return out.getvalue()


def export(path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("export_content", str(path), stdout=out)
    return out.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def content(tmp_path):
    """A writable copy of the fixture content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def test_load_creates_courses_and_lessons_and_prints_counts(content):
    output = load(content)
    assert "courses: 2 created, 0 updated, 0 unchanged" in output
    assert "lessons: 4 created, 0 updated, 0 unchanged" in output
    assert "blocks: 1 created, 0 updated, 0 unchanged" in output
    alpha = Course.objects.get(slug="alpha-track")
    assert alpha.is_published and alpha.order == 1
    assert "<strong>Markdown</strong>" in alpha.description_html
    first = Lesson.objects.get(course=alpha, slug="first-steps")
    assert first.title == "First steps"
    assert first.status == "published" and first.estimated_minutes == 6
    assert first.reviewed_on == datetime.date(2026, 11, 20)
    assert first.sources.startswith("- The source article")
    assert first.body.startswith("## Learning objectives")
    assert first.body.endswith("and `code`.")
    assert '<h2 id="md-learning-objectives">' in first.body_html
    draft = Lesson.objects.get(slug="draft-idea")
    assert draft.status == "draft" and draft.reviewed_on is None and draft.sources == ""
    assert Course.objects.get(slug="beta-track").description == ""


def test_load_reads_the_activity_information(content):
    load(content)
    alpha = Course.objects.get(slug="alpha-track")
    assert alpha.released_on == datetime.date(2026, 3, 2)
    assert alpha.last_reviewed_on == datetime.date(2026, 9, 15)
    assert (alpha.disclosure, alpha.disclosure_html) == ("None.\n", "<p>None.</p>")
    beta = Course.objects.get(slug="beta-track")  # a draft: none of them needed
    assert (beta.released_on, beta.last_reviewed_on, beta.disclosure) == (None, None, "")


def test_activity_information_edited_in_the_admin_exports_and_loads_back(content, tmp_path):
    load(content)
    Course.objects.filter(slug="beta-track").update(
        released_on=datetime.date(2025, 2, 28), disclosure="Dr A: consulting fees.\r\n\r\n- one"
    )
    export(tmp_path / "out")
    text = (tmp_path / "out" / "beta-track" / "course.toml").read_text()
    assert "released_on = 2025-02-28\n" in text and "last_reviewed_on" not in text
    assert 'disclosure = """\nDr A: consulting fees.\n\n- one"""\n' in text
    Course.objects.all().delete()
    load(tmp_path / "out")
    beta = Course.objects.get(slug="beta-track")
    assert beta.released_on == datetime.date(2025, 2, 28) and beta.last_reviewed_on is None
    assert beta.disclosure == "Dr A: consulting fees.\n\n- one"


def test_loading_twice_changes_nothing(content):
    load(content)
    stamps = list(Lesson.objects.values_list("updated_at", flat=True).order_by("pk"))
    revisions = Lesson.history.count()
    output = load(content)
    assert "courses: 0 created, 0 updated, 2 unchanged" in output
    assert "lessons: 0 created, 0 updated, 4 unchanged" in output
    assert "Nothing to change" in output
    assert list(Lesson.objects.values_list("updated_at", flat=True).order_by("pk")) == stamps
    assert Lesson.history.count() == revisions


def test_load_export_load_changes_nothing_and_exports_are_byte_identical(content, tmp_path):
    load(content)
    first, second = tmp_path / "first", tmp_path / "second"
    export(first)
    output = load(first)
    assert "0 created, 0 updated" in output and " updated, 0 unchanged" not in output
    export(second)
    assert tree(first) == tree(second)
    # The fixture is written in the exported form, so the export reproduces it exactly.
    assert tree(first) == tree(FIXTURE)


def test_export_writes_a_draft_and_normalises_browser_newlines(tmp_path):
    course = Course.objects.create(slug="c", title="C", summary="S", order=4)
    Lesson.objects.create(
        course=course, slug="typed", title="Typed in the admin", order=7,
        body="line one\r\nline two", sources="- a\r\n- b", estimated_minutes=2,
    )  # fmt: skip
    export(tmp_path / "out")
    text = (tmp_path / "out" / "c" / "07-typed.md").read_bytes()
    assert b"\r" not in text
    assert text == (
        b'+++\ntitle = "Typed in the admin"\norder = 7\nstatus = "draft"\nestimated_minutes = 2\n'
        b'sources = """\n- a\n- b"""\n+++\n\nline one\nline two\n'
    )
    assert (tmp_path / "out" / "c" / "course.toml").read_text() == (
        'title = "C"\nsummary = "S"\norder = 4\nis_published = false\n'
    )


def test_changing_a_file_updates_just_that_lesson(content):
    load(content)
    path = content / "alpha-track" / "02-second-look.md"
    path.write_text(path.read_text().replace("Short body", "A longer body"))
    output = load(content)
    assert "lessons: 0 created, 1 updated, 3 unchanged" in output
    assert Lesson.objects.get(slug="second-look").body.startswith("A longer body")


def test_the_default_path_is_content(content, monkeypatch):
    monkeypatch.chdir(content.parent)
    call_command("load_content")
    assert Course.objects.count() == 2


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        load(tmp_path / "nowhere")


BREAKAGES = {
    "invalid course TOML": ("alpha-track/course.toml", 'title = "unclosed', "is not valid TOML"),
    "missing title": ("alpha-track/course.toml", 'summary = "s"\norder = 1\nis_published = true\n',
                      "'title' is missing"),
    "unknown course key": ("beta-track/course.toml",
                           'title = "B"\nsummary = "s"\norder = 2\nis_published = false\ncolour = "red"\n',
                           "unknown key(s) colour"),
    "wrong type": ("beta-track/course.toml", 'title = "B"\nsummary = "s"\norder = "2"\nis_published = false\n',
                   "'order' must be a whole number"),
    "published without a disclosure": (
        "alpha-track/course.toml",
        'title = "A"\nsummary = "s"\norder = 1\nis_published = true\nreleased_on = 2026-03-02\n',
        "is_published: A published course needs a disclosure"),
    "published without a release date": (
        "alpha-track/course.toml",
        'title = "A"\nsummary = "s"\norder = 1\nis_published = true\ndisclosure = "None."\n',
        "is_published: A published course needs a release date"),
    "reviewed before its release": (
        "beta-track/course.toml",
        'title = "B"\nsummary = "s"\norder = 2\nis_published = false\nreleased_on = 2026-03-02\n'
        'last_reviewed_on = 2026-03-01\n',
        "last_reviewed_on: The last review cannot be before the release date."),
    "release date as a string": (
        "beta-track/course.toml",
        'title = "B"\nsummary = "s"\norder = 2\nis_published = false\nreleased_on = "2026-03-02"\n',
        "'released_on' must be a TOML date"),
    "no front matter": ("alpha-track/02-second-look.md", "Just a body.\n", "must start with a '+++' line"),
    "unclosed front matter": ("alpha-track/02-second-look.md", '+++\ntitle = "x"\n\nbody\n',
                              "no closing '+++' line"),
    "bad front matter": ("alpha-track/02-second-look.md", "+++\ntitle = \n+++\n\nbody\n",
                         "the front matter is not valid TOML"),
    "bad status": ("alpha-track/02-second-look.md",
                   '+++\ntitle = "x"\norder = 2\nstatus = "live"\nestimated_minutes = 4\n+++\n\nbody\n',
                   "'status' must be one of draft, published"),
    "order differs from the file name": (
        "alpha-track/02-second-look.md",
        '+++\ntitle = "x"\norder = 5\nstatus = "draft"\nestimated_minutes = 4\n+++\n\nbody\n',
        "the file name says order 2 but 'order' is 5"),
    "date as a string": (
        "alpha-track/02-second-look.md",
        '+++\ntitle = "x"\norder = 2\nstatus = "draft"\nestimated_minutes = 4\nreviewed_on = "2026-01-01"\n+++\n\nbody\n',
        "'reviewed_on' must be a TOML date"),
    "unknown embed": (
        "alpha-track/02-second-look.md",
        '+++\ntitle = "x"\norder = 2\nstatus = "draft"\nestimated_minutes = 4\n+++\n\n[[nowidget:thing]]\n',
        "there is no widget called 'nowidget'"),
    "empty body": (
        "alpha-track/02-second-look.md",
        '+++\ntitle = "x"\norder = 2\nstatus = "draft"\nestimated_minutes = 4\n+++\n\n',
        "body: This field cannot be blank."),
    "bad file name": ("alpha-track/lesson two.md", "+++\n+++\n", "lesson files are named NN-<slug>.md"),
    "duplicate slug": ("alpha-track/09-first-steps.md",
                       '+++\ntitle = "x"\norder = 9\nstatus = "draft"\nestimated_minutes = 4\n+++\n\nbody\n',
                       "the slug 'first-steps' is also used by 01-first-steps.md"),
    "lessons without a course": ("gamma-track/01-x.md", "+++\n+++\n", "has lesson files but no course.toml"),
    "body too long": (
        "alpha-track/02-second-look.md",
        '+++\ntitle = "x"\norder = 2\nstatus = "draft"\nestimated_minutes = 4\n+++\n\n' + "x" * (Lesson.MAX_BODY_LENGTH + 1),
        f"the limit is {Lesson.MAX_BODY_LENGTH}"),
}  # fmt: skip


@pytest.mark.parametrize("name", BREAKAGES)
def test_a_broken_file_is_named_with_its_problem_and_changes_nothing(content, name):
    relative, text, problem = BREAKAGES[name]
    path = content / relative
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        load(content)
    message = str(error.value)
    assert str(path if "course.toml" not in problem else path.parent) in message
    assert problem in message
    assert "Nothing was changed." in message
    assert not Course.objects.exists()
    assert not Lesson.objects.exists()


def test_a_broken_file_leaves_earlier_content_as_it_was(content):
    load(content)
    (content / "alpha-track" / "01-first-steps.md").write_text(
        (content / "alpha-track" / "01-first-steps.md")
        .read_text()
        .replace("First steps", "Renamed")
    )
    (content / "beta-track" / "01-only-lesson.md").write_text("broken")
    with pytest.raises(CommandError):
        load(content)
    assert Lesson.objects.get(slug="first-steps").title == "First steps"


def test_embeds_known_at_load_time_are_accepted(content):
    saved = dict(embeds._registry)
    embeds.register("fake", render=lambda request, slug, *, index: "", exists=lambda slug: True)
    try:
        path = content / "alpha-track" / "02-second-look.md"
        path.write_text(path.read_text() + "\n[[fake:anything]]\n")
        load(content)
    finally:
        embeds._registry.clear()
        embeds._registry.update(saved)
    assert Lesson.objects.get(slug="second-look").body.endswith("[[fake:anything]]")


SHIPPED = Path(__file__).resolve().parents[2] / "content"


def test_the_shipped_courses_state_their_activity_information_and_round_trip(tmp_path):
    load(SHIPPED)
    for course in Course.objects.filter(is_published=True):
        assert course.released_on and course.released_on.year == 2026, course
        assert course.last_reviewed_on and course.last_reviewed_on >= course.released_on
        assert course.disclosure_html.startswith("<p><strong>None.</strong>"), course
    export(tmp_path / "out")
    for path in sorted(SHIPPED.glob("*/course.toml")):
        assert (tmp_path / "out" / path.relative_to(SHIPPED)).read_bytes() == path.read_bytes()
