"""`thads query`: read-only SQL against the warehouse."""

from __future__ import annotations

from pathlib import Path

from scrapers.analyst.db import WarehouseError, open_warehouse
from scrapers.analyst.textfmt import format_csv, format_table

# Statement kinds that only read. Anything else (INSERT, COPY, ATTACH, SET, ...) is refused
# before it runs; the read-only connection is the second line of defence.
READ_ONLY_KINDS = {"SELECT", "EXPLAIN", "PRAGMA"}


class QueryRefused(WarehouseError):
    pass


def check_read_only(con, sql: str) -> None:
    import duckdb

    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise WarehouseError(f"SQL error: {exc}") from exc
    if not statements:
        raise QueryRefused("no SQL statement given")
    for st in statements:
        kind = str(st.type).rsplit(".", 1)[-1]
        if kind not in READ_ONLY_KINDS:
            raise QueryRefused(f"thads query is read-only: {kind} statements are not allowed "
                               "(the warehouse is written by dbt only; use `thads build`)")


def run_query(sql: str, *, as_csv: bool = False, path: Path | None = None, max_width: int = 80) -> str:
    """Run ``sql`` (one or more read statements) and return the last result as text."""
    import duckdb

    con = open_warehouse(path)
    try:
        check_read_only(con, sql)
        try:
            cur = con.execute(sql)
            if cur.description is None:
                return ""
            headers = [d[0] for d in cur.description]
            rows = cur.fetchall()
        except duckdb.Error as exc:
            raise WarehouseError(f"SQL error: {exc}") from exc
    finally:
        con.close()
    if as_csv:
        return format_csv(headers, rows)
    text = format_table(headers, rows, max_width=max_width)
    return f"{text}\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
