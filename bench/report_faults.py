"""Issue 17's fault scenario at a larger N: monthly reports and a campaign e-mailed to N partners
while SMTP is down for a while, one worker is killed (SIGKILL) mid-render, another mid-send, and
Redis is restarted empty; prints what arrived at the SMTP server and how long recovery took.

    .venv/bin/python -m bench.report_faults            # N = 50, leases of 30 s
    .venv/bin/python -m bench.report_faults --partners 12 --lease 6 --keep-logs   # the test

Needs PostgreSQL on 127.0.0.1:5432 (a scratch database is created and dropped) and the
redis-server binary (a private one on a free port; the shared 6379 is never touched).
The scenario itself is tests/operations/faults.py (the test runs it at N = 12).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from tests.operations.faults import AT, SLACK_S, SWEEP_S, Scenario


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=50)
    parser.add_argument(
        "--lease", type=int, default=30, help="REPORT/EMAIL_LEASE_SECONDS (the test: 6 at N=12)"
    )
    parser.add_argument("--settle", type=int, default=300, help="seconds to wait for recovery")
    parser.add_argument("--keep-logs", action="store_true", help="print the workers' log tails")
    args = parser.parse_args()

    # the processes travel to the scenario's instant (portal/lib/clock.py, test mode)
    env = {**os.environ, "PORTAL_CLOCK_AT": AT, "PORTAL_CLOCK_REAL": repr(time.time())}
    env.pop("PORTAL_CLOCK_OWNER", None)
    scenario = Scenario(args.partners, env, lease_s=args.lease, settle_s=args.settle)
    try:
        figures = scenario.run()
    finally:
        if args.keep_logs:
            print(scenario.logs(), file=sys.stderr)
        scenario.cleanup()

    f = figures
    rows = [
        ("partners with a recipient", f.partners),
        ("report deliveries (rows)", f.deliveries),
        ("rows sent", f.statuses.get("sent", 0)),
        ("row of the partner with nobody", f.no_recipient_status),
        ("reports received (distinct Message-IDs)", f.reports_received),
        ("report duplicates (same Message-ID again)", f.reports_duplicates),
        ("partners with a second, different report", f.reports_extra),
        ("partners missing their report", f.reports_missing),
        (
            "campaign e-mails (2 campaigns) stored / sent",
            f"{f.campaign_emails} / {f.campaign_sent}",
        ),
        ("campaign e-mails received (distinct)", f.campaign_received),
        ("campaign B e-mails lost with the killed worker", f.campaign_held_at_kill),
        ("campaign duplicates", f.campaign_duplicates),
        ("campaign recipients missing", f.campaign_missing),
        ("claims held by the worker killed mid-render", f.killed_mid_render),
        ("worker killed mid-send", f.killed_mid_send),
        ("claims left unrendered at that kill", f.to_render),
        ("workers alive through the Redis restart", "yes" if f.survivors_alive else "NO"),
        (
            "last report / e-mail accepted after Redis came back (s)",
            f"{f.last_report_s:.1f} / {f.last_mail_s:.1f}",
        ),
        (
            "recovery after the last fault (s)",
            f"{f.recovery_s:.1f} (bound {f.bound_s:.1f}: lease {f.lease_s} + sweep {SWEEP_S}"
            f" + slack {SLACK_S} + longest report job {f.work_s:.1f} + back-off {f.backoff_s:.0f})",
        ),
        ("whole scenario (s)", f"{f.total_s:.1f}"),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    problems = f.problems()
    print("OK: every promise held" if not problems else "BROKEN: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
