"""`portal import products|prices|stock FILE`: the console's import, from the command line,
with a progress bar. Every row is checked first; nothing is written unless all are correct.

Imports inside the command are late on purpose, as in portal/cli.py (a bad setting is one line).
"""

from __future__ import annotations

from pathlib import Path

import click

from portal.db import run


def _import(kind: str, path: str, check: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from portal.lib.i18n import use_locale
    from portal.orders import imports

    console = Console(stderr=True)
    data = Path(path).read_bytes()

    from portal.partners.setup import migrate_database  # late: see portal/cli.py

    async def go() -> imports.ImportResult:
        await migrate_database(quiet=True)
        with (
            use_locale("en"),
            Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as bar,
        ):
            task = bar.add_task(f"Checking {Path(path).name}", total=None)
            rows = imports.read_rows(path, data)
            result, clean = await imports.validate(kind, rows)
            bar.update(task, total=len(rows), completed=len(rows))
            if result.error_count or check:
                return result
            write = bar.add_task(f"Importing {kind}", total=len(clean))
            return await imports.write_clean(
                None, Path(path).name, result, clean, progress=lambda n: bar.advance(write, n)
            )

    try:
        result = run(go)
    except imports.FileRefused as exc:
        raise click.ClickException(str(exc)) from None
    if result.error_count:
        for error in result.errors:
            click.echo(f"line {error.line}: {error.message}", err=True)
        if result.error_count > len(result.errors):
            click.echo(f"... and {result.error_count - len(result.errors)} more", err=True)
        raise click.ClickException(
            f"{result.error_count} of {result.rows} rows need correcting; nothing was imported."
        )
    if check:
        click.echo(f"All {result.rows} rows are correct (nothing written: --check).")
    else:
        click.echo(f"{result.rows} rows imported: {result.created} new, {result.updated} changed.")


@click.group("import")
def import_group() -> None:
    """Import products, prices or stock levels from a .csv or .xlsx file (all rows or none)."""


def _command(kind: str, help_text: str) -> None:
    @import_group.command(kind, help=help_text)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--check", is_flag=True, help="Only validate the file; write nothing.")
    def command(path: str, check: bool) -> None:
        _import(kind, path, check)


_command(
    "products", "Products: sku, name_zh, name_en, category, unit, list_price, ... (new or updated)."
)
_command("prices", "Prices: sku, price, and price_list (tier list) or partner (contract price).")
_command("stock", "Stock levels: sku, warehouse, on_hand, safety_stock (counted quantities).")
