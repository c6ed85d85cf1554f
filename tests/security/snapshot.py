"""A fingerprint of the whole database, to prove that a request changed nothing (or only what it may).

``take()`` counts the rows of every table (every model, the many-to-many tables and the
history tables included) in one query, and keeps the rows of the tables whose values say that
something happened: fields updated on save (``auto_now``, such as ``updated_at``) and fields
named ``last_...`` (``last_login``, ``last_seen_at``, ``last_lesson``), plus who owns each quiz
attempt, enrollment and prediction.
``changes(before, after)`` lists what differs, table by table.
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import connection

from courses.models import Enrollment
from matrix.models import MatrixPrediction
from quizzes.models import Attempt


def _watched_fields(model) -> list[str]:
    names = []
    for model_field in model._meta.concrete_fields:
        if getattr(model_field, "auto_now", False) or model_field.name.startswith("last_"):
            names.append(model_field.attname)
    return names


def _models():
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.managed]


WATCHED_ALWAYS = {
    Attempt: ["user_id", "quiz_id", "submitted_at", "score"],
    Enrollment: ["user_id", "course_id", "last_lesson_id", "last_seen_at"],
    MatrixPrediction: ["user_id", "cell_id", "predicted", "is_first"],
}


@dataclass
class Snapshot:
    counts: dict[str, int]
    rows: dict[str, dict[object, tuple]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableChange:
    table: str
    before: int
    after: int
    added: frozenset = frozenset()
    removed: frozenset = frozenset()
    changed: frozenset = frozenset()

    def __str__(self):
        detail = ", ".join(
            f"{name} {sorted(pks)}"
            for name, pks in (("added", self.added), ("removed", self.removed), ("changed", self.changed))
            if pks
        )
        return f"{self.table}: {self.before} -> {self.after} rows" + (f" ({detail})" if detail else "")


@cache
def _queries() -> tuple[str, list[tuple[str, str]]]:
    """The SQL of a snapshot, built once: one query counting every table, one per watched table.

    Plain SQL, because a snapshot is taken around every request of the authorization matrix.
    Table and column names come from the models, not from input.
    """
    quote = connection.ops.quote_name
    models = _models()
    counts = " UNION ALL ".join(
        f"SELECT '{model._meta.db_table}', COUNT(*) FROM {quote(model._meta.db_table)}"  # noqa: S608
        for model in models
    )
    watched = []
    for model in models:
        names = WATCHED_ALWAYS.get(model) or _watched_fields(model)
        if names:
            columns = [model._meta.pk.column] + [model._meta.get_field(n).column for n in names]
            select = ", ".join(quote(column) for column in columns)
            watched.append((model._meta.db_table, f"SELECT {select} FROM {quote(model._meta.db_table)}"))  # noqa: S608
    return counts, watched


def take() -> Snapshot:
    counts_sql, watched = _queries()
    with connection.cursor() as cursor:
        cursor.execute(counts_sql)
        counts = dict(cursor.fetchall())
        rows = {}
        for table, sql in watched:
            cursor.execute(sql)
            rows[table] = {values[0]: tuple(values[1:]) for values in cursor.fetchall()}
    return Snapshot(counts=counts, rows=rows)


def changes(before: Snapshot, after: Snapshot) -> dict[str, TableChange]:
    """What differs between two snapshots, by table name."""
    found = {}
    for table, count in after.counts.items():
        old_rows, new_rows = before.rows.get(table), after.rows.get(table)
        if old_rows is None:
            if before.counts[table] != count:
                found[table] = TableChange(table, before.counts[table], count)
            continue
        added = frozenset(new_rows.keys() - old_rows.keys())
        removed = frozenset(old_rows.keys() - new_rows.keys())
        changed = frozenset(pk for pk in old_rows.keys() & new_rows.keys() if old_rows[pk] != new_rows[pk])
        if added or removed or changed:
            found[table] = TableChange(table, before.counts[table], count, added, removed, changed)
    return found
