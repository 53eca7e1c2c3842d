"""How many stored households are demo data (issue 15): `demo` refuses a home that holds
households of its own. Demo loads are audited as `demo.load`, naming the officer, with their
household count."""

from __future__ import annotations

from app.db.connection import database


def household_rows() -> int:
    """Every household row: drafts, deleted and withdrawn ones included."""
    count: int = database.execute_sql("SELECT COUNT(*) FROM household").fetchone()[0]
    return count


def demo_households() -> int:
    """Households added by demo loads (the sum of their audited counts)."""
    count: int = database.execute_sql(
        "SELECT COALESCE(SUM(json_extract(detail, '$.households')), 0)"
        " FROM audit_log WHERE action = 'demo.load'"
    ).fetchone()[0]
    return count
