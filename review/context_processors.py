"""The header's count of due reviews, from the learner's cached summary.

Lazy twice over: nothing is read, not even the session's user, until a template shows the
count (the full page's header, never a partial), and then the summary comes from the cache
while it is warm, so signed-in pages add no query for it.
"""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .selectors import Summary, summary

NONE = Summary(reviews_on=False, due=0, next_due=None)


def review_summary(request):
    def read():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return NONE
        return summary(user=user, now=timezone.now())

    return {"review_summary": SimpleLazyObject(read)}
