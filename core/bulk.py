"""Inserting many rows fast, for synthetic data (``make_load_data``): no model instance per row.

``bulk_create`` builds a model instance for every row and compiles every value into one large
statement per batch; for the millions of rows of a 10,000-learner cohort that is most of the
time. ``insert_rows`` sends plain tuples with the database driver's ``executemany``: the SQL
is written once, only values whose type needs it go through the field's own conversion
(dates, times and JSON, which differ between SQLite and PostgreSQL), and fields left out get
their model default (a callable one is called per row), so what is stored is what
``bulk_create`` would store. Nothing here runs in a request, signals are not sent and
``auto_now_add`` fields are not filled: callers pass their values.
"""

from collections.abc import Iterable, Sequence
from itertools import batched

from django.db import connection
from django.db.models import Max, Model

BATCH = 5000
# Fields whose value the driver cannot take as Python gives it on every database.
CONVERTED = frozenset({"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField",
                       "DurationField", "UUIDField"})  # fmt: skip


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (values in ``fields`` order, ``fields`` named as on the model, foreign
    keys by their ``_id`` attribute) into ``model``'s table; return how many were inserted."""
    opts = model._meta
    given = [opts.get_field(name) for name in fields]
    missing = [f for f in opts.concrete_fields if not f.primary_key and f not in given]
    for field in missing:
        if not field.has_default() and not field.null and not field.empty_strings_allowed:
            raise ValueError(f"{model.__name__}.{field.name} has no default: pass its values.")
    concrete = given + missing
    if missing:
        rows = (tuple(row) + tuple(f.get_default() for f in missing) for row in rows)
    quote = connection.ops.quote_name
    # Table and column names come from the model's metadata, quoted; values are parameters.
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in concrete)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(concrete))})"
    )
    converters = [_converter(field) for field in concrete]
    positions = [index for index, convert in enumerate(converters) if convert]
    inserted = 0
    with connection.cursor() as cursor:
        for batch in batched(rows, BATCH):
            if positions:
                batch = [_converted(row, converters, positions) for row in batch]
            cursor.executemany(sql, batch)
            inserted += len(batch)
    return inserted


def _converter(field):
    """How a value of ``field`` is turned into what the driver takes, or None (as it is).

    Dates, times and JSON go straight to the backend's adapter, as ``get_db_prep_save`` would
    send them after checks that values made here do not need (aware datetimes, no
    expressions); other converted types take the field's full path.
    """
    kind = field.get_internal_type()
    ops = connection.ops
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if kind in CONVERTED:
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _converted(row: Sequence, converters, positions) -> list:
    row = list(row)
    for index in positions:
        if row[index] is not None:
            row[index] = converters[index](row[index])
    return row


def last_pk(model: type[Model]) -> int:
    """The highest primary key in ``model``'s table (0 when empty).

    Rows inserted after this by one writer get higher keys in the order they were sent, so
    ``new_pks`` can pair them with what was inserted.
    """
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


def new_pks(model: type[Model], *, after: int) -> list[int]:
    """The primary keys above ``after``, in order: the rows inserted since ``last_pk``."""
    return list(model.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True))
