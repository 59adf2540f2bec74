"""`portal doctor` as an operator runs it: configuration with secrets masked, versions, checks,
migrations, the queue with its oldest job, stuck rows; exit status 1 when something is wrong."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from portal.lib.clock import now
from portal.performance import deliveries
from portal.performance.periods import Period
from portal.performance.tables import ReportDelivery
from tests.services import require_redis


def _doctor(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", "doctor"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_healthy_portal_passes_and_no_secret_is_printed():
    result = _doctor(SMTP_URL="smtp://mailer:s3cr3t-pw@mail.example.com:25")

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "No problems found." in out
    assert "smtp://mailer:***@mail.example.com:25" in out and "s3cr3t-pw" not in out
    assert os.environ["SECRET_KEY"] not in out and "*** (46 characters)" in out
    assert "pending                        0" in out and "stuck report deliveries        0" in out
    for section in ("Configuration", "Versions", "Checks", "Migrations", "Queue", "Stuck"):
        assert section in out
    assert "litestar" in out and "database server" in out


async def test_doctor_shows_queue_depth_oldest_job_and_stuck_deliveries_and_fails(
    partner_a, partner_b
):
    from arq.connections import RedisSettings, create_pool

    url = require_redis()
    redis = await create_pool(RedisSettings.from_dsn(url))
    await redis.delete("arq:queue")
    await redis.enqueue_job("sweep_outbox", _job_id="doctor-test-oldest", _defer_by=-600)
    await redis.enqueue_job("sweep_outbox", _job_id="doctor-test-newer")
    period = Period.parse("2026-10")
    await deliveries.ensure_deliveries(period, [partner_a])
    await ReportDelivery.update(
        {
            ReportDelivery.status: "sending",
            ReportDelivery.lease_until: now() - dt.timedelta(minutes=40),
        }
    ).where(ReportDelivery.partner == partner_a)
    try:
        result = _doctor(REDIS_URL=url)
    finally:
        await redis.delete("arq:queue", "arq:job:doctor-test-oldest", "arq:job:doctor-test-newer")
        await redis.aclose()

    assert result.returncode == 1
    out = result.stdout
    assert "jobs queued                    2" in out
    assert "oldest queued job              doctor-test-oldest due" in out
    assert "stuck report deliveries        1" in out
    assert "the lease ran out 40 min ago" in out
    assert "1 report deliveries stuck" in result.stderr
