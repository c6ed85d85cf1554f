"""``lessons.next_step``: the one rule for the step suggested after a lesson, a quiz or a course."""

from dataclasses import dataclass

from courses.completion import Standing
from lessons.next_step import Progress, next_steps


@dataclass
class Place:
    title: str
    url: str = ""

    def get_absolute_url(self):
        return self.url


COURSE = Place("Course", "/courses/c/")
LESSON = Place("Lesson two", "/courses/c/two/")
QUIZ = Place("The quiz", "/quizzes/q/")
TRACK = Place("Next track", "/courses/next/")
IN_PROGRESS = Standing(lessons_done=1, lessons_total=3, quizzes_passed=0, quizzes_total=1)
LESSONS_DONE = Standing(lessons_done=3, lessons_total=3, quizzes_passed=0, quizzes_total=1)
COMPLETE = Standing(lessons_done=3, lessons_total=3, quizzes_passed=1, quizzes_total=1)


def kinds(steps):
    return [step.kind for step in steps]


def test_the_next_undone_lesson_comes_first():
    steps = next_steps(Progress(COURSE, IN_PROGRESS, next_lesson=LESSON, quiz_left=QUIZ))
    assert kinds(steps) == ["lesson"]
    assert (steps[0].label, steps[0].title, steps[0].url) == (
        "Next lesson",
        "Lesson two",
        LESSON.url,
    )


def test_with_every_lesson_done_the_quiz_left_is_next():
    steps = next_steps(Progress(COURSE, LESSONS_DONE, quiz_left=QUIZ))
    assert kinds(steps) == ["quiz"] and steps[0].url == QUIZ.url


def test_a_complete_course_suggests_the_next_track():
    steps = next_steps(Progress(COURSE, COMPLETE, next_course=TRACK))
    assert kinds(steps) == ["course"]
    assert steps[0].label == "Start the next track" and steps[0].url == TRACK.url


def test_with_every_track_complete_the_catalog_is_suggested():
    steps = next_steps(Progress(COURSE, COMPLETE), catalog_url="/")
    assert kinds(steps) == ["catalog"] and steps[0].url == "/"


def test_due_reviews_are_suggested_beside_the_main_step():
    progress = Progress(COURSE, IN_PROGRESS, next_lesson=LESSON)
    steps = next_steps(progress, due_reviews=3, review_url="/review/")
    assert kinds(steps) == ["lesson", "review"]
    assert steps[1].label == "Review 3 cards due" and steps[1].url == "/review/"
    one = next_steps(progress, due_reviews=1, review_url="/review/")
    assert one[1].label == "Review 1 card due"


def test_no_due_reviews_no_review_step():
    steps = next_steps(Progress(COURSE, IN_PROGRESS, next_lesson=LESSON), review_url="/review/")
    assert kinds(steps) == ["lesson"]


def test_a_course_in_progress_with_nothing_left_to_suggest_suggests_nothing():
    # e.g. the learner is on the last lesson not done: marking it complete is the step.
    assert next_steps(Progress(COURSE, IN_PROGRESS)) == []
