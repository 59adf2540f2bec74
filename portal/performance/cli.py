"""`portal send-reports --period 2026-10 [--partner ID] [--dry-run]`: the monthly reports by
hand, with a progress bar. Uses the same delivery rows as the scheduled job, so running it after
(or during) the scheduled run sends nobody a second e-mail.

Imports inside the command are late on purpose, as in portal/cli.py (a bad setting is one line).
"""

from __future__ import annotations

import click

from portal.db import run


@click.command("send-reports")
@click.option("--period", required=True, help="The month, such as 2026-10.")
@click.option("--partner", "partner_id", type=int, default=None, help="Only this partner (id).")
@click.option(
    "--dry-run", is_flag=True, help="Render the PDFs into the data folder; send and record nothing."
)
def send_reports(period: str, partner_id: int | None, dry_run: bool) -> None:
    """Prepare and e-mail the monthly performance reports of a month."""
    from portal.performance.periods import Period, PeriodError, PeriodKind

    try:
        month = Period.parse(period)
    except PeriodError:
        raise click.BadParameter("write the month as 2026-10", param_hint="--period") from None
    if month.kind != PeriodKind.MONTH:
        raise click.BadParameter(
            "reports are monthly: write a month such as 2026-10", param_hint="--period"
        )
    summary = run(lambda: _run(month, partner_id, dry_run))
    click.echo(summary)


async def _run(month: object, partner_id: int | None, dry_run: bool) -> str:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from portal.auth.constants import PartnerStatus
    from portal.partners.tables import Partner
    from portal.performance import deliveries, reports, rollups
    from portal.performance.periods import Period
    from portal.performance.tables import ReportDelivery
    from portal.settings import get_settings

    assert isinstance(month, Period)
    await rollups.refresh_rollups(month.months)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
    )
    if dry_run:
        query = Partner.select(Partner.id, Partner.code).where(
            Partner.status == PartnerStatus.ACTIVE
        )
        if partner_id is not None:
            query = query.where(Partner.id == partner_id)
        partners = await query.order_by(Partner.id)
        if not partners:
            raise click.ClickException("no active partner matches")
        folder = get_settings().data_dir / "reports-dry-run" / month.code
        folder.mkdir(parents=True, exist_ok=True)
        people = 0
        with Progress(*columns) as bar:
            task = bar.add_task(f"Rendering {month.code}", total=len(partners), status="")
            for p in partners:
                data = await reports.render_report(int(p["id"]), month, cached=True)
                (folder / f"{p['code']}.pdf").write_bytes(data)
                people += len(await deliveries.recipients(int(p["id"]), ""))
                bar.update(task, advance=1, status=p["code"])
        return (
            f"Dry run: {len(partners)} reports rendered into {folder}; they would go to "
            f"{people} recipients. Nothing was sent or recorded."
        )
    created = await deliveries.ensure_deliveries(
        month, [partner_id] if partner_id is not None else None
    )
    query = ReportDelivery.select(ReportDelivery.id, ReportDelivery.partner).where(
        ReportDelivery.period == month.code
    )
    if partner_id is not None:
        query = query.where(ReportDelivery.partner == partner_id)
    rows = await query.order_by(ReportDelivery.id)
    if not rows:
        raise click.ClickException("no active partner matches")
    counts = {"sent": 0, "busy": 0, "no_address": 0, "failed": 0, "error": 0}
    with Progress(*columns) as bar:
        task = bar.add_task(f"Sending {month.code}", total=len(rows), status="")
        for row in rows:
            try:
                outcome = await deliveries.send_report(int(row["id"]))
            except Exception as exc:  # recorded on the row; the reconciler retries later
                outcome = "error"
                bar.console.print(f"partner {row['partner']}: {type(exc).__name__}: {exc}")
            counts[outcome] = counts.get(outcome, 0) + 1
            bar.update(task, advance=1, status=outcome)
    return (
        f"{month.code}: {created} delivery rows created; {counts['sent']} sent now, "
        f"{counts['busy']} already sent or in progress, {counts['no_address']} without any "
        f"recipient (add an admin, a report recipient or a contact e-mail on the partner page), "
        f"{counts['failed']} failed for good, {counts['error']} failed (will be retried)."
    )
