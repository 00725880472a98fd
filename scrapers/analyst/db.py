"""Opening the warehouse read-only, with errors an analyst can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapers import config


class WarehouseError(RuntimeError):
    """The warehouse cannot be read; the message says why and what to do."""


class WarehouseMissing(WarehouseError):
    pass


def open_warehouse(path: Path | None = None):
    """A read-only DuckDB connection to the warehouse.

    read_only=True: no statement run through it can change the file, and it
    never creates an empty database where none exists.
    """
    import duckdb

    path = Path(path) if path is not None else config.warehouse_path()
    if not path.is_file():
        raise WarehouseMissing(f"no warehouse at {path} yet (run `thads build` after a crawl)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        # Usually another process (dbt) holds the write lock right now.
        raise WarehouseError(f"cannot open {path} read-only: {exc}. If dbt is building it, retry when "
                             "the build has finished.") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open {path}: {exc}") from exc


def find_table(con, name: str) -> str | None:
    """The qualified name of a table or view, in whichever schema dbt put it (main first)."""
    rows = con.execute(
        "select table_schema from information_schema.tables where table_name = ? "
        "order by table_schema <> 'main', table_schema", [name]).fetchall()
    if not rows:
        return None
    return f'"{rows[0][0]}"."{name}"'


def columns(con, qualified: str) -> set[str]:
    schema, name = (part.strip('"') for part in qualified.split(".", 1))
    rows = con.execute("select column_name from information_schema.columns "
                       "where table_schema = ? and table_name = ?", [schema, name]).fetchall()
    return {r[0] for r in rows}


def fetch_dicts(con, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
