"""A row's short list of related rows, folded into the query that reads the row.

A page that lists a few related rows per row (a lesson's objectives on the course overview)
would otherwise pay a query for them. ``json_list`` makes them one text column of the outer
query: a subquery joining the related rows as JSON objects, with commas; ``json_rows`` reads
it back, sorted, since not every database orders inside an aggregate.

The course overview folds a lesson's objectives this way, and the dashboards a course's
quizzes and lessons (``progress.selectors``).
"""

import json
from collections.abc import Sequence

from django.db.models import QuerySet, Subquery, TextField, Value
from django.db.models.aggregates import StringAgg
from django.db.models.functions import Cast, JSONObject


def json_list(related: QuerySet, *, group_by: str, **fields: str) -> Subquery:
    """The rows of ``related`` (already filtered on ``<group_by>=OuterRef("pk")``) as one text
    column of comma-joined JSON objects with ``fields`` (name -> column); NULL when none."""
    listed = (
        related.order_by()
        .values(group_by)
        .annotate(listed=StringAgg(Cast(JSONObject(**fields), TextField()), delimiter=Value(",")))
        .values("listed")
    )
    return Subquery(listed, output_field=TextField())


def json_rows(text: str | None, *, order: Sequence[str] = ("order", "id")) -> list[dict]:
    """The objects ``json_list`` gave (none for NULL), sorted by the fields ``order`` names."""
    rows = json.loads(f"[{text or ''}]")
    return sorted(rows, key=lambda row: tuple(row[name] for name in order))
