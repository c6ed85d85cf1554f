"""The course overview's "What you know, what to practise" section, as a ``lessons.assessments``
provider (registered in ``ProgressConfig.ready``: progress may read every app, lessons may not
read progress).

Mastery never changes whether a course is complete, so its tally is 0 of 0 and ``tallies``
costs no query; the section costs one query (``mastery_reads``), for a logged-in learner in a
course with objectives. Visitors see no section: they have no answers.
"""

from lessons.assessments import Panel

from .selectors.mastery import learner_mastery

COURSE_MASTERY = "progress/includes/course_mastery.html"


class MasteryAssessments:
    def tallies(self, *, user, course_ids):
        return {}

    def course_panel(self, *, user, course):
        if not user.is_authenticated:
            return None
        mastery = learner_mastery(user=user, course_ids=[course.pk]).get(course.pk)
        if mastery is None:
            return None
        return Panel(template=COURSE_MASTERY, context={"mastery": mastery, "course": course})

    def lesson_panel(self, *, user, lesson):
        return None
