"""Views for the decision-matrix widget: its page, the advisor beside it, and predictions.

Each view renders, through ``_render_region``, the whole page or with htmx only the region it
changes (``matrix/page.html#widget`` or ``#advisor``), and pushes the page URL with the new
state. Whether the page cache may share a response is decided from the same ``WidgetState``
the widget is rendered from (``WidgetState.is_personal``), and a shared response is keyed on
what the view reads: the widget parameters, canonical, and for a region the placement it
rebuilds (``_shared_params``, ``_region_key``), never the raw URL or ``HX-Current-URL``.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from config.page_cache import keep_out, keep_private, shared_page
from core.refusals import refusal_status

from .advisor_panel import advisor_context
from .placement import (
    ADVISOR_PARAMS,
    MATRIX_PARAMS,
    Placement,
    WidgetState,
    canonical_query,
    parse_index,
    safe_page_path,
)
from .predictions import check_predictions
from .selectors import matrix_grid
from .services import record_predictions
from .widget import page_context, widget_context


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


def _placement(request, *, group, own_url: str) -> Placement:
    """Where the widget this GET asks about sits: for htmx, the page it came from with
    ``group`` from the request; otherwise the matrix's own page and its query string."""
    if _is_partial(request):
        return Placement.for_htmx(request, group=group, params=request.GET, fallback_path=own_url)
    return Placement.for_page(request, index=0)


def _shared_widget(request) -> bool:
    """Whether everyone sees this request's page alike: a whole page only for a visitor who
    is not logged in (it names who is), a region whenever its state is not personal."""
    if not _is_partial(request):
        return not request.user.is_authenticated
    # The detail view answers on the matrix's own URL, so request.path is the fallback the
    # view uses too; the state, read from the same parameters the same way, does not depend
    # on it.
    placement = _placement(request, group=MATRIX_PARAMS, own_url=request.path)
    return not WidgetState.read(placement).is_personal(request.user)


def _shared_advisor(request) -> bool:
    # The advisor shows nothing of the visitor's; only its htmx region is a page to keep.
    return _is_partial(request)


def _own_url(request) -> str:
    return reverse("matrix:detail", kwargs={"matrix": request.resolver_match.kwargs["matrix"]})


def _shared_params(request) -> QueryDict:
    """What a shared response reads of the query string: the widget parameters, and for a
    region where it sits (``widget`` and ``page``, as ``Placement.for_htmx`` parses them)."""
    query = canonical_query(request.GET).copy()
    if _is_partial(request):
        index = parse_index(request.GET.get("widget", 0))
        if index:
            query["widget"] = str(index)
        page = safe_page_path(request, request.GET.get("page"), _own_url(request))
        if page != _own_url(request):
            query["page"] = page
    return query


def _region_key(request) -> str:
    """For a region, the rest of the page it sits on, read from ``HX-Current-URL`` as the
    view reads it: the canonical query of the current URL when it shows that page."""
    if not _is_partial(request):
        return ""
    placement = Placement.for_htmx(
        request, group=(), params=request.GET, fallback_path=_own_url(request)
    )
    return placement.query.urlencode()


def _render_region(request, grid, *, region, placement, check=None, status=200, push=True):
    """The ``widget`` or ``advisor`` region for htmx, with the page URL pushed (``push``),
    or without htmx the whole page; a draft's response is never kept by the page cache."""
    own_url = grid.matrix.get_absolute_url()
    if _is_partial(request):
        embedded = placement.page_path != own_url
        if region == "widget":
            state = WidgetState.read(placement)
            name = "w"
            part = widget_context(request, grid=grid, state=state, check=check, embedded=embedded)
        else:
            name = "a"
            part = advisor_context(grid=grid, placement=placement, embedded=embedded)
        if part["notices"]:
            keep_out(request)  # a value in the URL that the region cannot honour: not kept
        response = render(
            request, f"matrix/page.html#{region}", {name: part, "oob": True}, status=status
        )
        if push:
            response = push_url(response, placement.href)
    else:
        context = page_context(request, grid=grid, placement=placement, check=check)
        context["preview"] = not grid.matrix.is_published
        response = render(request, "matrix/page.html", context, status=status)
    # A draft is for staff only: never kept where a learner's request could find it.
    return response if grid.matrix.is_published else keep_private(response)


@require_GET
@vary_on_headers("HX-Request")
@shared_page(when=_shared_widget, params=_shared_params, key=_region_key)
def detail(request, matrix):
    grid = _grid_or_404(request, matrix)
    placement = _placement(request, group=MATRIX_PARAMS, own_url=grid.matrix.get_absolute_url())
    return _render_region(request, grid, region="widget", placement=placement)


@require_GET
@vary_on_headers("HX-Request")
@shared_page(when=_shared_advisor, params=_shared_params, key=_region_key)
def advisor(request, matrix):
    grid = _grid_or_404(request, matrix)
    if not _is_partial(request):
        # The advisor's forms GET the page they sit on; this URL is for htmx only.
        query = request.GET.copy()
        for name in ("widget", "page"):
            query.pop(name, None)
        url = grid.matrix.get_absolute_url()
        return HttpResponseRedirect(url + ("?" + query.urlencode() if query else ""))
    placement = _placement(request, group=ADVISOR_PARAMS, own_url=grid.matrix.get_absolute_url())
    return _render_region(request, grid, region="advisor", placement=placement)


def _posted_placement(request, own_url: str) -> Placement:
    """Where a prediction form came from: the htmx request's current page, or without
    JavaScript the ``widget``, ``page`` and ``query`` fields the form carries."""
    if _is_partial(request):
        return Placement.for_htmx(request, group=(), params=request.POST, fallback_path=own_url)
    index = parse_index(request.POST.get("widget", 0))
    return Placement(
        index=0 if index is None else index,
        page_path=safe_page_path(request, request.POST.get("page"), own_url),
        query=QueryDict(request.POST.get("query", "")),
    )


@require_POST
def predict(request, matrix):
    grid = _grid_or_404(request, matrix)
    placement = _posted_placement(request, grid.matrix.get_absolute_url())
    if not request.user.is_authenticated:
        next_url = placement.url(MATRIX_PARAMS, view="predict")
        if request.htmx:
            return HttpResponseClientRedirect(redirect_to_login(next_url).url)
        return redirect_to_login(next_url)

    check = check_predictions(grid=grid, data=request.POST)
    if not check.is_valid:
        # Without JavaScript the form comes back on the matrix's own page, still sending
        # the learner back to where they came from once it is right; htmx swaps the widget.
        return _render_region(
            request, grid, region="widget", placement=placement, check=check,
            status=refusal_status(request, 400), push=False,
        )  # fmt: skip

    submission = record_predictions(
        user=request.user,
        matrix=grid.matrix,
        column=check.column,
        predictions=check.choices,
        confidence=check.confidence,
        grid=grid,
    )
    revealed = placement.setting(MATRIX_PARAMS, base=check.column.key, reveal=submission)
    if _is_partial(request):
        return _render_region(request, grid, region="widget", placement=revealed)
    return HttpResponseRedirect(f"{revealed.href}#{placement.id}", status=303)
