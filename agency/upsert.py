"""One ``INSERT … ON CONFLICT … DO UPDATE`` of many rows, the rows sent as one JSON parameter.

Why not ``bulk_create(update_conflicts=True)``: for the dozen rows a small client's snapshot task
writes, building the model instances and the SQL cost more than the statement itself; and a
``VALUES`` list of one placeholder per value makes a statement too long for psycopg's cache of
converted queries, so each call re-parses it in Python (docs/performance.md, "Many small
clients"). Here the statement's text depends only on the model and the columns (converted once),
and the rows travel as one JSON array that PostgreSQL turns into typed columns
(``jsonb_to_recordset``): a float is written as its shortest repr and read back by the same
correctly rounded conversion, a date or an aware datetime as its ISO text, so every value lands
as the ORM would have stored it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):  # and datetimes: ISO text, the offset included
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not sent as JSON")


def rows_upsert(
    *,
    model: type,
    rows: Sequence[dict[str, Any]],
    unique: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert ``rows`` (field name → value, the same fields in every row) into ``model``'s table,
    updating ``update`` on a conflict over ``unique``; returns the ``returning`` columns of each
    row written. Each value is first prepared by its field (``get_prep_value``: ``int`` for an
    integer field, ``float`` for a float field), as ``save`` would. Runs in the current schema."""
    if not rows:
        return []
    names = tuple(rows[0])
    sql, columns, fields = _statement(model, names, tuple(unique), tuple(update), tuple(returning))
    data = [{column: field.get_prep_value(row[name]) for name, column, field in zip(names, columns, fields, strict=True)}
            for row in rows]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(data, default=_plain)])
        return cursor.fetchall() if returning else []


@cache
def _statement(
    model: type, names: tuple[str, ...], unique: tuple[str, ...], update: tuple[str, ...], returning: tuple[str, ...]
) -> tuple[str, list[str], list[Any]]:
    """The statement's text, columns and fields, made once per model and columns: it names no schema
    (the current one is reached through the search path) and holds no value, and building it (each
    field's database type) cost about as much Python as sending a small client's rows."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = [field.column for field in fields]
    shape = ", ".join(f"{quote(column)} {field.db_type(connection)}" for column, field in zip(columns, fields, strict=True))
    listed = ", ".join(quote(column) for column in columns)
    conflict = ", ".join(quote(model._meta.get_field(name).column) for name in unique)
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in (model._meta.get_field(name).column for name in update))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({listed}) SELECT {listed} FROM jsonb_to_recordset(%s::jsonb) AS r({shape}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )  # table and column names from the model, every value in the one parameter
    if returning:
        sql += " RETURNING " + ", ".join(quote(model._meta.get_field(name).column) for name in returning)
    return sql, columns, fields
