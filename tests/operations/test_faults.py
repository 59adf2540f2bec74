"""Exactly once under faults (issue 17): monthly reports and two campaigns e-mailed to 12 partners
by real `portal worker` processes through PostgreSQL, a private Redis and an aiosmtpd server,
while SMTP is down, one worker is killed mid-render, another mid-send and Redis restarts empty.
The scenario, and how each fault is made to land, is in tests/operations/faults.py;
bench/report_faults.py runs it at N = 50 and prints the figures."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.operations.faults import AT, Scenario
from tests.services import IN_CI, require

N = 12


def test_every_partner_gets_one_report_and_one_mail_per_campaign_whatever_dies(time_travel):
    # given the shared services and a redis-server binary for a Redis of the test's own
    require("PostgreSQL", "127.0.0.1", 5432)
    if not shutil.which("redis-server"):
        message = "Redis: the redis-server binary is needed (a private server is restarted)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    time_travel.move_to(dt.datetime.fromisoformat(AT))  # last month's report is due (any TEST_NOW)
    scenario = Scenario(N)

    # when the batch runs through every fault
    try:
        figures = scenario.run()
    finally:
        logs = scenario.logs()
        scenario.cleanup()

    # then every partner with a recipient got exactly one report, each admin one e-mail per
    # campaign (counted by Message-ID at the SMTP server), every row is settled ...
    assert figures.statuses == {"sent": N}, logs
    assert figures.no_recipient_status == "failed"
    assert (figures.reports_received, figures.reports_missing, figures.reports_extra) == (N, 0, 0)
    assert figures.reports_duplicates == figures.campaign_duplicates == 0
    assert (figures.campaign_emails, figures.campaign_sent) == (2 * N, 2 * N)
    assert (figures.campaign_received, figures.campaign_missing) == (2 * N, 0)
    # ... the faults landed where they were meant to ...
    assert figures.killed_mid_render >= 5 and figures.killed_mid_send
    # ... the workers rode out the Redis restart, and recovery took a lease plus a sweep (plus
    # the reports left to render again)
    assert figures.survivors_alive, logs
    assert figures.recovery_s <= figures.bound_s, (figures, logs)
    assert not figures.problems()
