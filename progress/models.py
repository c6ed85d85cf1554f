"""Progress stores nothing of its own; it adds one admin view onto lessons' objectives."""

from lessons.models import Objective


class ObjectiveCoverage(Objective):
    """Objective coverage is the list of objectives with how many blocks and quiz questions
    test each one, so authors find the ones nothing tests yet (mastery cannot grow there)."""

    class Meta:
        proxy = True
        verbose_name = "objective coverage"
        verbose_name_plural = "objective coverage"
