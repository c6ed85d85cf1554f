"""The status of a refused form: 4xx for a plain browser, 422 for htmx, so htmx swaps it in place.

A form that comes back with a message ("choose an answer", "not one of your attempts") is a
refusal: without JavaScript it is a whole page with its 4xx (400, 403, 409, 429...), which
tells any client what happened. With htmx the same message must replace only the form. htmx 2
does not swap 4xx answers by default, and in DEBUG django-htmx's script replaces the *whole
document* with a 400, 403, 404 or 500 answer (to show Django's error page), which took the
header, the lesson and the styles away under ``make run`` (issue 19).

So an htmx request is refused with **422 Unprocessable Content**, still a 4xx, that
django-htmx's debug script leaves alone, and that ``templates/base.html``'s ``htmx-config``
(``responseHandling``) swaps into the request's target like a 200. Every view that refuses
a form through htmx asks ``refusal_status`` for its status.
"""

HTMX_REFUSAL = 422


def refusal_status(request, status: int) -> int:
    """The status to refuse this request with: ``status`` (a 4xx) unless htmx sent it."""
    if not 400 <= status < 500:
        raise ValueError(f"A refusal is a 4xx, not {status}.")
    return HTMX_REFUSAL if getattr(request, "htmx", False) else status
