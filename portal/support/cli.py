"""`portal support ...`: take a reply by e-mail from the MTA, and run the SLA check by hand.

    portal support ingest-email [FILE]   # one RFC 822 message from FILE or standard input
    portal support check-deadlines       # the minute job's escalation check, once

ingest-email exits 0 when the message was added to its case (or had been already), and 67
(EX_NOUSER) with the reason on standard error when it was refused, so an MTA pipe bounces it.

Imports inside the command are late on purpose, as in portal/cli.py (a bad setting is one line).
"""

from __future__ import annotations

import sys

import click

from portal.db import run

EX_NOUSER = 67


@click.group("support")
def support_group() -> None:
    """Support cases: inbound e-mail replies and the SLA escalation check."""


@support_group.command("ingest-email")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
def ingest_email(path: str | None) -> None:
    """Add one e-mail (FILE, or standard input) to its case as a reply."""
    from portal.support import inbound

    data = open(path, "rb").read() if path else sys.stdin.buffer.read()

    async def go() -> inbound.Accepted:
        return await inbound.ingest(data)

    try:
        accepted = run(go)
    except inbound.Refused as exc:
        click.echo(f"refused: {exc.reason}", err=True)
        sys.exit(EX_NOUSER)
    state = "already added" if accepted.duplicate else "added"
    click.echo(f"case {accepted.case_id}: message {accepted.message_id} {state}")


@support_group.command("check-deadlines")
def check_deadlines() -> None:
    """Write the escalation steps that are due now and queue their e-mails."""
    from portal.support.jobs import check_case_deadlines

    written = run(lambda: check_case_deadlines({"inline": True}))
    click.echo(f"{written} escalation steps written")
