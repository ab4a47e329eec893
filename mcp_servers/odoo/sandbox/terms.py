"""The payment terms of a fresh real Odoo (the same ids and names on 17, 18 and 19; 18+ adds one) and the
due date each gives, computed as Odoo's `account.payment.term.line._get_due_date` does: the latest of
its lines (`days_after`, `days_after_end_of_next_month`, `days_end_of_month_on_the`)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

Line = tuple[int, str, int]  # (nb_days, delay_type, days_next_month)
_AFTER, _END_NEXT, _ON_THE = "days_after", "days_after_end_of_next_month", "days_end_of_month_on_the"


def fresh_terms(version: int) -> list[dict[str, Any]]:
    terms: list[tuple[str, list[Line]]] = [
        ("Immediate Payment", [(0, _AFTER, 0)]),
        ("15 Days", [(15, _AFTER, 0)]),
        ("21 Days", [(21, _AFTER, 0)]),
        ("30 Days", [(30, _AFTER, 0)]),
        ("45 Days", [(45, _AFTER, 0)]),
        ("End of Following Month", [(0, _END_NEXT, 0)]),
        ("10 Days after End of Next Month", [(10, _END_NEXT, 0)]),
        ("30% Now, Balance 60 Days", [(0, _AFTER, 0), (60, _AFTER, 0)]),
        ("2/7 Net 30", [(30, _AFTER, 0)]),
    ]
    if version >= 18:
        terms.append(("90 days, on the 10th", [(90, _ON_THE, 10)]))
    return [
        {"id": i + 1, "name": name, "active": True, "days": max(n for n, _, _ in lines), "_lines": lines}
        for i, (name, lines) in enumerate(terms)
    ]


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: date, on: int | None = None) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(on or day.day, last))


def _line_due(start: date, line: Any) -> date:
    nb_days, kind, on_the = int(line[0]), str(line[1]), int(line[2])
    if kind == _END_NEXT:
        return _end_of_month(_next_month(start, 1)) + timedelta(days=nb_days)
    if kind == _ON_THE:
        shifted = start + timedelta(days=nb_days)
        return _next_month(shifted, on_the) if on_the else _end_of_month(shifted)
    return start + timedelta(days=nb_days)


def term_due_date(term: dict[str, Any], invoice_date: str) -> str:
    """The invoice's due date under `term` (a term seeded before `_lines` existed: its `days`)."""
    start = date.fromisoformat(invoice_date)
    lines = term.get("_lines") or [(int(term.get("days", 0)), _AFTER, 0)]
    return max(_line_due(start, line) for line in lines).isoformat()
