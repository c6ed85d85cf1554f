"""The search page: ``/search/?q=...``, for everyone (the catalog is public, and so is this).

A blank ``q`` shows the form; words that cannot be searched show why beside the form (200);
input over ``query.MAX_LENGTH`` characters is refused with a 400 and the form again.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .query import MAX_LENGTH, MAX_TERMS, QueryError, parse
from .selectors import search


@require_GET
def results(request):
    text = request.GET.get("q", "")
    context = {
        "q": text[:MAX_LENGTH],
        "max_length": MAX_LENGTH,
        "max_terms": MAX_TERMS,
        "results": None,
        "message": "",
    }
    status = 200
    if text.strip() or len(text) > MAX_LENGTH:
        try:
            query = parse(text)
        except QueryError as problem:
            context["message"], status = str(problem), problem.status
        else:
            context["results"] = search(query=query, user=request.user)
    return render(request, "search/results.html", context, status=status)
