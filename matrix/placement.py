"""Where a decision-matrix widget sits and what its URL asks for: placement and state.

State lives in the page's query string, so every view of the widget can be shared as a link
and works without JavaScript. A page may hold several widgets: the widget with ``index`` 0
reads the plain parameter names (``?base=strong``), widget ``i`` the same names prefixed
``m<i>-`` (``?m1-base=strong``). Each widget has two groups of parameters, one per form:

- the matrix (``MATRIX_PARAMS``): ``base`` (a column key), ``view`` (``compare`` or
  ``predict``), ``reveal`` (the id of a submission of predictions to show);
- the advisor (``ADVISOR_PARAMS``): ``preset``, ``strength``, ``reason`` (repeated) and
  ``perception``.

Every form and link carries the rest of the page's query string, so changing one group keeps
every other group's state. Without JavaScript the forms GET the page they sit on
(``request.path``: a lesson, or the matrix's own page). With htmx they GET the matrix's own
URL with ``widget=<index>&page=<path>``, which renders just that group's region; the server
rebuilds the page URL from the browser's current URL (``HX-Current-URL``) and pushes it with
``HX-Push-Url``, so the address bar keeps the state of every widget on the page.

A single-valued parameter counts by its last non-blank value, stripped (``Placement.get``).
``canonical_query`` spells a query string the way the widgets read it: only widget parameters
(of any widget), each single one by its value as read, ``reason`` by its distinct values in
order, ``perception`` only when it is ``yes``. Two URLs the widgets read alike canonicalise
alike: the page cache keys shared pages on it, and an htmx request's placement is built from
it, so the pushed URL and the region's links carry the widgets' state and nothing else.
``WidgetState`` is the matrix group read that way, once; the renderer and the page cache's
sharing decision both use it, and ``WidgetState.is_personal`` is the one answer to "does this
region depend on who asks".
"""

import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .selectors import MatrixGrid

MATRIX_PARAMS = ("base", "view", "reveal")
ADVISOR_PARAMS = ("preset", "strength", "reason", "perception")
VIEWS = ("compare", "predict")
# Widgets on one page are numbered 0..MAX_INDEX; a larger number in a request is refused.
MAX_INDEX = 99
REPEATED_PARAMS = ("reason",)
_PREFIXED = re.compile(r"m([1-9][0-9]?)-([a-z]+)")


def safe_page_path(request, path: str | None, fallback: str) -> str:
    """A local path to send forms to, or ``fallback`` when ``path`` is missing or foreign."""
    if (
        path
        and path.startswith("/")
        and not path.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()})
    ):
        return urlsplit(path).path
    return fallback


def parse_index(value) -> int | None:
    """A widget number from a request, or None when it is not one (0..``MAX_INDEX``)."""
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 0 <= index <= MAX_INDEX else None


def canonical_query(query: QueryDict) -> QueryDict:
    """The widget parameters of ``query``, spelled as the widgets read them, in name order."""
    canonical = QueryDict(mutable=True)
    for name in sorted(query):
        param = name
        if found := _PREFIXED.fullmatch(name):
            param = found.group(2)
        if param not in MATRIX_PARAMS + ADVISOR_PARAMS:
            continue
        values = [value.strip() for value in query.getlist(name) if value.strip()]
        if param in REPEATED_PARAMS:
            values = sorted(set(values))
        elif param == "perception":
            values = ["yes"] if values[-1:] == ["yes"] else []
        else:
            values = values[-1:]
        if values:
            canonical.setlist(name, values)
    canonical._mutable = False
    return canonical


def current_url_query(request, page_path: str) -> str:
    """The query string of the browser's current URL (``HX-Current-URL``) when it shows
    ``page_path``; empty otherwise.

    The header comes from the client: one that does not parse as a URL (``https://[x/``
    makes ``urlsplit`` raise ``ValueError``) is treated as absent, not as a server error.
    """
    try:
        current = urlsplit(request.htmx.current_url_abs_path or "")
    except ValueError:
        return ""
    return current.query if current.path == page_path else ""


@dataclass
class Placement:
    """Where one widget sits: its number on the page, the page's path and its query string."""

    index: int
    page_path: str
    query: QueryDict

    @property
    def id(self) -> str:
        return f"matrix-{self.index}"

    def name(self, param: str) -> str:
        return param if self.index == 0 else f"m{self.index}-{param}"

    def names(self, group) -> dict[str, str]:
        return {param: self.name(param) for param in group}

    def get(self, param: str) -> str:
        """This widget's ``param``: its last non-blank value, stripped, or ``""``.

        A repeated parameter (``?view=predict&view=``) is read the same way wherever it is
        read, which is what keeps the sharing decision and the renderer in step.
        """
        values = [value for value in self.getlist(param) if value]
        return values[-1] if values else ""

    def getlist(self, param: str) -> list[str]:
        return [value.strip() for value in self.query.getlist(self.name(param))]

    def others(self, group) -> QueryDict:
        """The page's query string without this widget's parameters of ``group``."""
        names = set(self.names(group).values())
        rest = QueryDict(mutable=True)
        for name, values in self.query.lists():
            if name not in names:
                rest.setlist(name, values)
        return rest

    def keep(self, group) -> list[tuple[str, str]]:
        """(name, value) pairs for hidden inputs that carry the rest of the page's state."""
        return [(name, value) for name, values in self.others(group).lists() for value in values]

    @property
    def href(self) -> str:
        """The page's URL with its whole query string: what the address bar should show."""
        encoded = self.query.urlencode()
        return self.page_path + ("?" + encoded if encoded else "")

    def setting(self, group, **values) -> "Placement":
        """This placement with this widget's ``group`` set to ``values`` (empty ones left out)."""
        query = self.others(group)
        for param, value in values.items():
            if param not in group:
                raise ValueError(f"{param} is not in {group}")
            items = value if isinstance(value, list | tuple) else [value]
            items = [str(item) for item in items if item not in ("", None, False)]
            if items:
                query.setlist(self.name(param), items)
        return Placement(index=self.index, page_path=self.page_path, query=query)

    def url(self, group, **values) -> str:
        return self.setting(group, **values).href

    def replacing(self, group, source: QueryDict) -> "Placement":
        """This placement with ``group`` taken from ``source`` (a request's own parameters)."""
        query = self.others(group)
        for param in group:
            values = [value for value in source.getlist(self.name(param)) if value != ""]
            if values:
                query.setlist(self.name(param), values)
        return Placement(index=self.index, page_path=self.page_path, query=query)

    @classmethod
    def for_page(cls, request, *, index: int) -> "Placement":
        return cls(index=index, page_path=request.path, query=request.GET)

    @classmethod
    def for_htmx(cls, request, *, group, params: QueryDict, fallback_path: str) -> "Placement":
        """Where an htmx request came from: ``widget`` and ``page`` in ``params``, the rest
        of the state from the browser's current URL, ``group`` from ``params``; the query
        canonical (``canonical_query``)."""
        index = parse_index(params.get("widget", 0))
        if index is None:
            index = 0
        page_path = safe_page_path(request, params.get("page"), fallback_path)
        query = QueryDict(current_url_query(request, page_path))
        placement = cls(index=index, page_path=page_path, query=query).replacing(group, params)
        placement.query = canonical_query(placement.query)
        return placement


@dataclass(frozen=True)
class WidgetState:
    """What one widget's matrix parameters ask for, read once from its placement.

    The values are as the request spelled them (an unknown column or view is the renderer's
    to explain); only ``Placement.get`` reads them from the query.
    """

    placement: Placement
    base: str
    view: str
    reveal: str

    @classmethod
    def read(cls, placement: Placement) -> "WidgetState":
        return cls(
            placement=placement,
            base=placement.get("base"),
            view=placement.get("view"),
            reveal=placement.get("reveal"),
        )

    @property
    def submission(self) -> uuid.UUID | None:
        """The submission ``reveal`` names, or None when it is not a submission id."""
        try:
            return uuid.UUID(self.reveal) if self.reveal else None
        except ValueError:
            return None

    def is_personal(self, user) -> bool:
        """Whether the widget's region depends on who asks for it.

        The predict view shows a learner's form and tries (a visitor is asked to log in) and
        a reveal shows a learner's predictions: these regions must never be shared. The
        compare view hides the columns a signed-in learner has not predicted yet
        (``matrix.predictions.withheld_columns``), so it is personal for anyone signed in and
        shared only between visitors. Every other state (explore, an unknown view) shows the
        matrix alone, the same to everyone. ``user`` (lazy, as on the request) is read for
        the compare view only, so those regions are decided and rendered without reading the
        session or the user.
        """
        if self.reveal or self.view == "predict":
            return True
        return self.view == "compare" and user.is_authenticated


def hx_url(grid: MatrixGrid, placement: Placement, name: str = "matrix:detail") -> str:
    """Where htmx sends this widget's requests: the matrix's own view, told where it sits."""
    url = reverse(name, kwargs={"matrix": grid.matrix.slug})
    query = QueryDict(mutable=True)
    if placement.index:
        query["widget"] = str(placement.index)
    if placement.page_path != reverse("matrix:detail", kwargs={"matrix": grid.matrix.slug}):
        query["page"] = placement.page_path
    encoded = query.urlencode()
    return url + ("?" + encoded if encoded else "")


def hx_link(grid: MatrixGrid, placement: Placement, group, **values) -> str:
    """The htmx twin of ``placement.url(group, **values)``: the same state, sent to the
    matrix's own view, which renders only the region that changes."""
    url = hx_url(grid, placement, "matrix:detail" if group == MATRIX_PARAMS else "matrix:advisor")
    target = placement.setting(group, **values)
    params = QueryDict(mutable=True)
    for param in group:
        found = target.query.getlist(placement.name(param))
        if found:
            params.setlist(placement.name(param), found)
    encoded = params.urlencode()
    if not encoded:
        return url
    return url + ("&" if "?" in url else "?") + encoded


def which_matrix(placement: Placement) -> str:
    """Words that tell a second widget's landmarks apart from the first's, for screen readers."""
    return f" (matrix {placement.index + 1} on this page)" if placement.index else ""
