"""The course overview's link to the learner's certificate, as a ``lessons.assessments``
provider (registered in ``CertificatesConfig.ready``: lessons may not read certificates).

A certificate never changes whether a course is complete, so its tally is 0 of 0 and
``tallies`` costs no query; the section costs one query for a signed-in learner, and shows
when they hold a certificate of the course, or have completed it and the certificate is still
to be issued (within a minute). Visitors see nothing and cost nothing.
"""

from lessons.assessments import Panel

from .models import Certificate

COURSE_CERTIFICATE = "certificates/includes/course_certificate.html"


class CertificateAssessments:
    def tallies(self, *, user, course_ids):
        return {}

    def course_panel(self, *, user, course):
        if not user.is_authenticated:
            return None
        certificate = (
            Certificate.objects.filter(user=user, course=course)
            .only("code", "course_title", "issued_at", "revoked_at")
            .first()
        )
        # Without one the template still speaks when the course is complete: the certificate
        # is issued by the next minute's task (certificates/tasks.py), not by this request.
        return Panel(template=COURSE_CERTIFICATE, context={"certificate": certificate})

    def lesson_panel(self, *, user, lesson):
        return None
