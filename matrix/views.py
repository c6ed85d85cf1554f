"""Views for the decision-matrix widget: its page, the advisor beside it, and predictions.

Each view renders the whole page, or with htmx only the region it changes
(``matrix/page.html#widget`` or ``#advisor``), and pushes the page URL with the new state.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from config.page_cache import keep_private, shared_page

from .predictions import check_predictions
from .selectors import matrix_grid
from .services import record_predictions
from .widget import (
    ADVISOR_PARAMS,
    MATRIX_PARAMS,
    Placement,
    advisor_context,
    page_context,
    parse_index,
    safe_page_path,
    widget_context,
)


def _grid_or_404(request, slug):
    """Published matrices for everyone; drafts too for staff, as a preview."""
    # Who the visitor is matters only for a draft: a published matrix's widget region can be
    # answered without reading the session or the user.
    grid = matrix_grid(slug=slug, include_drafts=True)
    if grid is None or not (grid.matrix.is_published or request.user.is_staff):
        raise Http404("No such matrix.")
    return grid


def _is_partial(request) -> bool:
    # A history-restore request wants the whole page, even though htmx sends it.
    return bool(request.htmx) and not request.htmx.history_restore_request


def _shared_widget(request) -> bool:
    """Whether everyone sees this request's page alike: any page for a visitor who is not
    logged in, and anyone's widget region except in the predict and reveal views, which
    show the learner's own predictions."""
    if not _is_partial(request):
        return not request.user.is_authenticated
    index = parse_index(request.GET.get("widget", 0)) or 0
    own = Placement(index=index, page_path="", query=request.GET)
    return not own.get("reveal") and own.get("view") != "predict"


def _shared_advisor(request) -> bool:
    # The advisor shows nothing of the visitor's; only its htmx region is a page to keep.
    return _is_partial(request)


def _full_page(request, grid, placement, *, check=None, status=200):
    context = page_context(request, grid=grid, placement=placement, check=check)
    context["preview"] = not grid.matrix.is_published
    response = render(request, "matrix/page.html", context, status=status)
    return response if grid.matrix.is_published else keep_private(response)


def _partial(request, grid, *, group, partial, name, build):
    """One region of the page for htmx, placed where the request came from, its URL pushed."""
    own_url = grid.matrix.get_absolute_url()
    placement = Placement.for_htmx(request, group=group, params=request.GET, fallback_path=own_url)
    embedded = placement.page_path != own_url
    context = {name: build(request, grid=grid, placement=placement, embedded=embedded), "oob": True}
    response = push_url(render(request, f"matrix/page.html#{partial}", context), placement.href)
    # A draft is for staff only: never kept where a learner's request could find it.
    return response if grid.matrix.is_published else keep_private(response)


@require_GET
@vary_on_headers("HX-Request")
@shared_page(when=_shared_widget)
def detail(request, matrix):
    grid = _grid_or_404(request, matrix)
    if _is_partial(request):
        return _partial(request, grid, group=MATRIX_PARAMS, partial="widget", name="w", build=widget_context)
    return _full_page(request, grid, Placement.for_page(request, index=0))


@require_GET
@vary_on_headers("HX-Request")
@shared_page(when=_shared_advisor)
def advisor(request, matrix):
    grid = _grid_or_404(request, matrix)
    if not _is_partial(request):
        # The advisor's forms GET the page they sit on; this URL is for htmx only.
        query = request.GET.copy()
        for name in ("widget", "page"):
            query.pop(name, None)
        url = grid.matrix.get_absolute_url()
        return HttpResponseRedirect(url + ("?" + query.urlencode() if query else ""))
    return _partial(request, grid, group=ADVISOR_PARAMS, partial="advisor", name="a", build=advisor_context)


@require_POST
def predict(request, matrix):
    grid = _grid_or_404(request, matrix)
    own_url = grid.matrix.get_absolute_url()
    if _is_partial(request):
        placement = Placement.for_htmx(
            request, group=(), params=request.POST, fallback_path=own_url
        )
    else:
        index = parse_index(request.POST.get("widget", 0))
        placement = Placement(
            index=0 if index is None else index,
            page_path=safe_page_path(request, request.POST.get("page"), own_url),
            query=QueryDict(request.POST.get("query", "")),
        )

    if not request.user.is_authenticated:
        next_url = placement.url(MATRIX_PARAMS, view="predict")
        if request.htmx:
            login = redirect_to_login(next_url)
            return HttpResponseClientRedirect(login.url)
        return redirect_to_login(next_url)

    check = check_predictions(grid=grid, data=request.POST)
    if not check.is_valid:
        if _is_partial(request):
            context = {
                "w": widget_context(
                    request,
                    grid=grid,
                    placement=placement,
                    check=check,
                    embedded=placement.page_path != own_url,
                ),
                "oob": True,
            }
            return render(request, "matrix/page.html#widget", context, status=400)
        # Without JavaScript the form comes back on the matrix's own page, still sending
        # the learner back to where they came from once it is right.
        return _full_page(request, grid, placement, check=check, status=400)

    submission = record_predictions(
        user=request.user,
        matrix=grid.matrix,
        column=check.column,
        predictions=check.choices,
        grid=grid,
    )
    revealed = placement.setting(MATRIX_PARAMS, base=check.column.key, reveal=submission)
    if _is_partial(request):
        context = {
            "w": widget_context(
                request, grid=grid, placement=revealed, embedded=placement.page_path != own_url
            ),
            "oob": True,
        }
        response = render(request, "matrix/page.html#widget", context)
        return push_url(response, revealed.href)
    return HttpResponseRedirect(f"{revealed.href}#{placement.id}", status=303)
