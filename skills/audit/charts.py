"""The note's Mermaid charts, limited to what Obsidian's Mermaid 11.4.1 draws: `xychart-beta`, `pie`."""

from __future__ import annotations

import math

from skills.audit.facts import OdooFacts, PlatformFacts
from skills.audit.fmt import number


def _nice_ceiling(value: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at or above `value` (a readable axis top)."""
    if value <= 0:
        return 100.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def revenue_chart(odoo: OdooFacts, daily_target: float | None, currency: str) -> str:
    bars = [d.net for d in odoo.days]
    values = bars + ([daily_target] if daily_target else [])
    top = _nice_ceiling(max(values) * 1.1 if max(values) > 0 else 0)
    bottom = -_nice_ceiling(-min(bars) * 1.1) if min(bars) < 0 else 0.0
    labels = ", ".join(f'"{d.day:%a} {d.day.day}"' for d in odoo.days)
    lines = [
        "```mermaid",
        "xychart-beta",
        f'    title "Daily revenue, net of credit notes ({currency})"',
        f"    x-axis [{labels}]",
        f'    y-axis "{currency}" {number(bottom)} --> {number(top)}',
        f"    bar [{', '.join(number(v) for v in bars)}]",
    ]
    if daily_target:
        lines.append(f"    line [{', '.join(number(daily_target) for _ in bars)}]")
    lines.append("```")
    return "\n".join(lines)


def engagement_pie(platforms: list[PlatformFacts]) -> str | None:
    """A pie of engagement by platform, or None when there is nothing to draw."""
    slices = [(p.platform, p.engagement) for p in platforms if p.engagement > 0]
    if not slices:
        return None
    rows = [f'    "{name}" : {value}' for name, value in slices]
    return "\n".join(["```mermaid", "pie showData", "    title Engagement by platform", *rows, "```"])
