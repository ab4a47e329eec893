"""The briefing's sections, each a function of the facts returning Markdown."""

from __future__ import annotations

from datetime import datetime

from mcp_servers.odoo.const import OPEN_RECEIVABLES
from skills.audit.charts import engagement_pie, revenue_chart
from skills.audit.facts import Goals, LogFacts, OdooFacts, PlatformFacts, Unavailable, VaultFacts
from skills.audit.figures import Figures
from skills.audit.fmt import alias, cell, day, hours, link, money, percent, plain_link, plural
from skills.audit.vault_facts import age_hours

STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "behind": "behind", "no_target": "no target set"}


def not_available(reason: str) -> str:
    return f"> [!warning] Not available\n> {reason}"


def glance(fig: Figures, goals: Goals, odoo: OdooFacts | Unavailable, logs: LogFacts, vault: VaultFacts) -> str:
    cur = goals.currency
    lines = ["## Week at a Glance", "", "> [!summary] The week in numbers"]
    if isinstance(odoo, OdooFacts) and fig.revenue_week is not None:
        target = goals.weekly_revenue_target
        versus = (
            f", {percent(fig.target_pct or 0)} of the {money(target, cur)} weekly target ({STATUS_WORDS[fig.status]})"
            if target
            else " (no weekly target set)"
        )
        lines.append(f"> - **Revenue**: {money(fig.revenue_week, cur)}{versus}")
        lines.append(f"> - **Month to date** ({odoo.month_label}): {money(odoo.month_to_date, cur)}")
        lines.append(
            f"> - **Cash received**: {money(odoo.cash.received, cur)} from {plural(odoo.cash.payments, 'payment')}"
        )
        r = odoo.receivables
        lines.append(
            f"> - **Overdue receivables**: {money(r.overdue_amount, cur)} on {plural(r.overdue_count, 'invoice')}"
        )
    else:
        lines.append("> - **Books**: not available this week (see Revenue)")
    rate = f" ({percent(100 * fig.error_rate)})" if fig.error_rate is not None else ""
    lines.append(f"> - **Actions logged**: {logs.entries}, {plural(logs.errors, 'error')}{rate}")
    lines.append(
        f"> - **Requests**: {fig.done} done, {fig.failed} failed, {fig.ambiguous} ambiguous, {fig.rejected} rejected"
    )
    late = f", {fig.pending_late} over {goals.max_approval_wait_hours:g} h" if fig.pending_late else ""
    lines.append(f"> - **Approvals waiting**: {fig.pending}{late}")
    if fig.turnaround_h is not None:
        lines.append(f"> - **Approval turnaround**: {hours(fig.turnaround_h)} on average")
    if fig.posts is not None:
        lines.append(f"> - **Social**: {plural(fig.posts, 'post')}, {plural(fig.engagement or 0, 'engagement')}")
    lines.append(f"> - **Emails processed**: {logs.emails}")
    lines.append(f"> - **Tasks done**: {len(vault.done_tasks)}; **waiting in Needs_Action**: {len(vault.needs_action)}")
    return "\n".join(lines + _actions_table(logs))


def _actions_table(logs: LogFacts) -> list[str]:
    if not logs.by_action:
        return ["", "No actions were logged this week."]
    out = ["", "| Action | Outcomes | Total |", "|---|---|---:|"]
    for action, outcomes in logs.by_action.items():
        text = ", ".join(f"{status} {n}" for status, n in outcomes.items())
        out.append(f"| `{action}` | {text} | {sum(outcomes.values())} |")
    if logs.restarts:
        text = ", ".join(f"{server} {n}" for server, n in logs.restarts.items())
        out += ["", f"Server restarts: {text}."]
    return out


def revenue(odoo: OdooFacts | Unavailable, goals: Goals, fig: Figures) -> str:
    head = "## Revenue"
    if isinstance(odoo, Unavailable):
        return f"{head}\n\n{not_available(odoo.reason)}"
    cur = goals.currency
    rows = ["| Day | Invoiced | Credit notes | Net |", "|---|---:|---:|---:|"]
    for d in odoo.days:
        rows.append(f"| {day(d.day)} | {money(d.invoiced, cur)} | {money(d.refunded, cur)} | {money(d.net, cur)} |")
    invoiced = sum(d.invoiced for d in odoo.days)
    refunded = sum(d.refunded for d in odoo.days)
    rows.append(f"| **Week** | {money(invoiced, cur)} | {money(refunded, cur)} | **{money(odoo.revenue_week, cur)}** |")
    daily = goals.weekly_revenue_target / 7 if goals.weekly_revenue_target else None
    month = f"**Month to date** ({odoo.month_label}): {money(odoo.month_to_date, cur)}"
    if goals.monthly_revenue_target:
        month += f" of the {money(goals.monthly_revenue_target, cur)} monthly target"
        if fig.month_pace is not None:
            month += f" ({money(fig.month_pace, cur)} expected by now at an even pace)"
    issued = (
        f"{plural(odoo.invoices_issued, 'invoice')} and {plural(odoo.refunds_issued, 'credit note')} issued; "
        f"{money(odoo.cash.received, cur)} received from {plural(odoo.cash.payments, 'customer payment')}, "
        f"settling {plural(odoo.cash.invoices_paid, 'invoice')}."
    )
    parts = [head, "", *rows, "", revenue_chart(odoo, daily, cur)]
    if daily:
        parts.append(f"The line is the weekly target spread over seven days ({money(daily, cur)} a day).")
    return "\n".join([*parts, "", month + ".", "", issued])


def receivables(odoo: OdooFacts | Unavailable, goals: Goals) -> str:
    head = "## Receivables"
    if isinstance(odoo, Unavailable):
        return f"{head}\n\n{not_available(odoo.reason)}"
    cur, r = goals.currency, odoo.receivables
    out = [head, "", f"Open: {money(r.open_amount, cur)} on {plural(r.open_count, 'invoice')} (as of {day(r.as_of)})."]
    out += ["", f"_{OPEN_RECEIVABLES[0].upper()}{OPEN_RECEIVABLES[1:]}._"]
    if r.overdue_count:
        out += ["", f"> [!danger] Overdue: {money(r.overdue_amount, cur)} on {plural(r.overdue_count, 'invoice')}"]
        out += ["> | Invoice | Customer | Due | Days overdue | Amount due |", "> |---|---|---|---:|---:|"]
        for inv in r.oldest:
            late = (r.as_of - inv.due).days if inv.due else 0
            due = day(inv.due) if inv.due else "—"
            out.append(f"> | {cell(inv.number)} | {cell(inv.partner)} | {due} | {late} | {money(inv.residual, cur)} |")
    else:
        out += ["", "> [!success] Nothing overdue"]
    out += ["", "| Days overdue | Amount due | Invoices |", "|---|---:|---:|"]
    not_due = (r.open_amount - r.overdue_amount, r.open_count - r.overdue_count)
    out.append(f"| not due yet | {money(not_due[0], cur)} | {not_due[1]} |")
    out += [f"| {label} | {money(amount, cur)} | {n} |" for label, amount, n in r.buckets]
    if r.debtors:
        out += ["", "**Top debtors**", "", "| Customer | Open | Overdue | Invoices |", "|---|---:|---:|---:|"]
        out += [
            f"| {cell(d.partner)} | {money(d.open_amount, cur)} | {money(d.overdue_amount, cur)} | {d.invoices} |"
            for d in r.debtors
        ]
    out += ["", "**Vendor bills due by the end of this week**", ""]
    if not odoo.bills_due:
        out.append("None.")
    for bill in odoo.bills_due:
        due = day(bill.due) if bill.due else "no due date"
        out.append(f"- {cell(bill.partner)} {cell(bill.number)}: {money(bill.residual, cur)}, due {due}")
    return "\n".join(out)


def social_media(social: dict[str, PlatformFacts | Unavailable]) -> str:
    out = ["## Social Media", ""]
    if not social:
        return "\n".join([*out, not_available("no social account is configured")])
    platforms = [p for p in social.values() if isinstance(p, PlatformFacts)]
    out += [
        "| Platform | Posts | Likes | Comments | Shares | Impressions | Engagement |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, p in social.items():
        if isinstance(p, Unavailable):
            out.append(f"| {name} | not available: {cell(p.reason)} | | | | | |")
            continue
        likes, comments = sum(x.likes for x in p.posts), sum(x.comments for x in p.posts)
        shares, seen = sum(x.shares for x in p.posts), sum(x.impressions for x in p.posts)
        out.append(f"| {name} | {len(p.posts)} | {likes} | {comments} | {shares} | {seen} | {p.engagement} |")
    pie = engagement_pie(platforms)
    out += ["", pie] if pie else ["", "No engagement to chart this week."]
    posts = [x for p in platforms for x in p.posts]
    if posts:
        best = max(posts, key=lambda x: (x.engagement, x.created))
        text = f'"{alias(best.text, 80)}"' if best.text else best.id
        out += ["", f"> [!success] Best post: {best.platform}, {day(best.created.date())}"]
        out.append(f"> [{text}]({best.url}): {plural(best.engagement, 'engagement')}")
    return "\n".join(out)


def bottlenecks(vault: VaultFacts, goals: Goals, now: datetime, unavailable: dict[str, str]) -> str:
    out, limit = ["## Bottlenecks Detected", ""], goals.max_approval_wait_hours
    late = [i for i in vault.pending if age_hours(i, now) > limit]
    if late:
        out.append(f"> [!todo] Approvals waiting more than {limit:g} h")
        out += [f"> - {plain_link(i.link, i.summary)}: waiting {hours(age_hours(i, now))}" for i in late]
        out.append("")
    problems = [i for i in vault.finished if i.status in ("failed", "ambiguous")]
    for item in problems:
        out.append(f"- {item.status.capitalize()}: {plain_link(item.link, item.summary)}")
    for name, reason in unavailable.items():
        out.append(f"- Service down or not configured: {name}: {reason}")
    for name in vault.unreadable:
        out.append(f"- Unreadable request file: {name}")
    if len(out) == 2:
        out.append("> [!success] No bottlenecks this week")
    return "\n".join(out).rstrip()


def suggestions(items: list[str]) -> str:
    body = [f"- [ ] {text}" for text in items] or ["Nothing to suggest this week."]
    return "\n".join(["## Proactive Suggestions", "", *body])


def project_status(vault: VaultFacts, goals: Goals) -> str:
    out = ["## Project Status", ""]
    if vault.plans:
        out += ["| Plan | Status | Progress |", "|---|---|---:|"]
        for p in vault.plans:
            progress = f"{p.done}/{p.total}" if p.total else "—"
            out.append(f"| {link(p.link, p.title)} | {p.status.replace('_', ' ')} | {progress} |")
    else:
        out.append("No plans in Plans/.")
    if goals.projects:
        out += ["", "**Goals** (from Business_Goals.md)", "", *[f"- {cell(p)}" for p in goals.projects]]
    if vault.needs_action:
        out += ["", f"**Needs action** ({len(vault.needs_action)})", ""]
        out += [f"- {plain_link(target, target.split('/')[-1])}" for target in vault.needs_action]
    if vault.done_tasks:
        out += ["", f"**Done this week** ({len(vault.done_tasks)})", ""]
        out += [f"- {plain_link(target, target.split('/')[-1])}" for target in vault.done_tasks]
    return "\n".join(out)
