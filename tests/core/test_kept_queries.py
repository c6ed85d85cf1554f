"""``core.kept_queries``: a queryset compiled once, run for any value as the queryset would be."""

import pytest
from django.db.models import Exists, Max, OuterRef, Subquery

from core.kept_queries import KeptQuery
from courses.models import Course, Enrollment
from tests.factories import enrol, make_course, make_person

pytestmark = pytest.mark.django_db


def enrolled(user_id):
    mine = Enrollment.objects.filter(course=OuterRef("pk"), user_id=user_id)
    return Course.objects.annotate(
        is_mine=Exists(mine),
        enrolled_at=Subquery(mine.values("enrolled_at")[:1]),
        latest=Max("enrollments__enrolled_at"),
    ).order_by("order")


def read(courses):
    return [(c.pk, c.slug, c.is_published, c.is_mine, c.enrolled_at, c.latest) for c in courses]


def test_each_value_gets_the_rows_and_converted_annotations_of_its_own_queryset():
    ann, bob = make_person(username="ann"), make_person(username="bob")
    first, second = make_course(slug="first", order=1), make_course(slug="second", order=2)
    enrol(user=ann, course=first)
    enrol(user=bob, course=second)
    kept = KeptQuery(enrolled)
    for user in (ann, bob):
        courses = kept.objects(user.pk)
        assert read(courses) == read(enrolled(user.pk))
        assert [c.is_mine for c in courses].count(True) == 1
        assert all(type(c.is_mine) is bool for c in courses)
    assert read(kept.objects(0)) == read(enrolled(0))


def test_a_query_that_does_not_use_the_value_or_reads_related_rows_is_refused():
    with pytest.raises(ValueError, match="does not use"):
        KeptQuery(lambda user_id: Course.objects.all()).objects(1)
    with pytest.raises(ValueError, match="one model"):
        KeptQuery(
            lambda user_id: Enrollment.objects.filter(user_id=user_id).select_related("course")
        ).objects(1)
