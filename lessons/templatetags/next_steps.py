"""``{% next_steps_for progress as steps %}``: the steps ``lessons.next_step`` suggests.

The count of due review cards comes from the page's ``review_summary`` (the review app's
context processor, cached per learner), so no app below ``review`` imports it.
"""

from django import template
from django.urls import reverse

from lessons.next_step import next_steps

register = template.Library()


@register.simple_tag(takes_context=True)
def next_steps_for(context, progress, reviews=True):
    """``reviews=False`` leaves the due cards out (a partial right after answering, whose
    count just changed: reading it again would cost a query the full page does not)."""
    summary = context.get("review_summary") if reviews else None
    due = summary.due if summary is not None and summary.reviews_on else 0
    return next_steps(
        progress,
        due_reviews=due,
        review_url=reverse("review:queue"),
        catalog_url=reverse("courses:catalog"),
    )
