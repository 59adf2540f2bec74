"""`portal import customers FILE --partner CODE [--on-duplicate skip|merge]`: the customer import
from the command line, with a progress bar. Every row is checked first; nothing is written unless
all rows are correct.

Imports inside the command are late on purpose, as in portal/cli.py (a bad setting is one line).
"""

from __future__ import annotations

from pathlib import Path

import click

from portal.db import run


@click.command("customers")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--partner", "partner_code", required=True, help="The partner's code.")
@click.option(
    "--on-duplicate",
    type=click.Choice(["skip", "merge"]),
    default="skip",
    show_default=True,
    help="What to do with rows matching an existing customer (name, phone or e-mail).",
)
@click.option("--check", is_flag=True, help="Only validate the file; write nothing.")
def import_customers(path: str, partner_code: str, on_duplicate: str, check: bool) -> None:
    """Customers of one partner from a .csv or .xlsx file (English or Chinese headers)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from portal.customers import imports
    from portal.lib.forms import FormError
    from portal.lib.i18n import use_locale
    from portal.partners.tables import Partner

    console = Console(stderr=True)
    data = Path(path).read_bytes()

    from portal.partners.setup import migrate_database  # late: see portal/cli.py

    async def go() -> tuple[imports.Checked, imports.Written | None]:
        await migrate_database(quiet=True)
        partner = await Partner.select(Partner.id).where(Partner.code == partner_code).first()
        if partner is None:
            raise click.ClickException(f"No partner with the code {partner_code!r}.")
        with (
            use_locale("en"),
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar,
        ):
            task = bar.add_task(f"Checking {Path(path).name}", total=None)
            import_id = await imports.stage_import(
                partner["id"], None, Path(path).name, data, on_duplicate=on_duplicate
            )
            imp = await imports.load_import(import_id)
            checked = await imports.check(partner["id"], imp)
            bar.update(task, total=checked.rows, completed=checked.rows)
            if checked.error_count or check:
                await imports.discard_import(imp)
                return checked, None
            write = bar.add_task("Importing customers", total=len(checked.records))
            written = await imports.confirm_import(
                None, imp, progress=lambda n: bar.advance(write, n)
            )
            return checked, written

    try:
        checked, written = run(go)
    except imports.FileRefused as exc:
        raise click.ClickException(str(exc)) from None
    except FormError as exc:
        raise click.ClickException("; ".join(exc.errors.values())) from None
    if checked.error_count:
        for error in checked.errors:
            click.echo(f"line {error.line}: {error.message}", err=True)
        if checked.error_count > len(checked.errors):
            click.echo(f"... and {checked.error_count - len(checked.errors)} more", err=True)
        raise click.ClickException(
            f"{checked.error_count} of {checked.rows} rows need correcting; nothing was imported."
        )
    if written is None:
        click.echo(
            f"All {checked.rows} rows are correct: {checked.new} new, {checked.duplicates} "
            "duplicates (nothing written: --check)."
        )
    else:
        click.echo(
            f"{checked.rows} rows imported: {written.created} new, {written.merged} merged, "
            f"{written.skipped} skipped."
        )
