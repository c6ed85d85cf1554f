"""The header's count of due reviews, from the learner's cached summary.

Lazy: the summary is read only when a template shows it (the full page's header, not a
partial), and then from the cache while it is warm, so signed-in pages add no query for it.
"""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .selectors import summary


def review_summary(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"review_summary": SimpleLazyObject(lambda: summary(user=user, now=timezone.now()))}
