"""`portal worker` as a process reads REDIS_URL (database number, user and password included)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.services import require_redis


def _redis_user(url: str) -> tuple[str, str]:
    """A Redis ACL user with a password, for this test only (removed afterwards)."""
    import redis

    user, password = f"portal-test-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    redis.Redis.from_url(url).execute_command(
        "ACL", "SETUSER", user, "on", f">{password}", "~*", "&*", "+@all"
    )
    return user, password


async def test_portal_worker_runs_jobs_queued_on_the_redis_url_database_with_a_password(tmp_path):
    from arq import create_pool

    from portal.lib.jobs import redis_settings

    base = require_redis()  # redis://127.0.0.1:6379/<this process's db>
    user, password = _redis_user(base)
    host, db = base.rsplit("/", 1)
    url = host.replace("redis://", f"redis://{user}:{password}@") + f"/{db}"
    env = {
        **os.environ,
        "REDIS_URL": url,
        "PORTAL_DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "info",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "portal.cli", "migrate"], env=env, check=True, capture_output=True
    )
    with tempfile.NamedTemporaryFile(prefix="portal-worker-", suffix=".log", delete=False) as fh:
        log_path = Path(fh.name)
    job_id = f"probe-{uuid.uuid4().hex[:8]}"
    with log_path.open("wb") as err:
        worker = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        # given a job queued by a web process on that database, as that user
        pool = await create_pool(redis_settings(url))
        assert await pool.enqueue_job("sweep_outbox", _job_id=job_id) is not None
        # when the worker runs (then: it picks the job up)
        deadline = time.monotonic() + 60
        while f"job_id={job_id} try=1" not in log_path.read_text(errors="replace"):
            assert worker.poll() is None, log_path.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")[-3000:]
            await asyncio.sleep(0.2)
        await pool.aclose()
    finally:
        worker.terminate()  # SIGTERM: arq's shutdown, then our on_shutdown closes the pools
        try:
            stopped = worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            stopped = None
        import redis

        redis.Redis.from_url(base).execute_command("ACL", "DELUSER", user)
    log = log_path.read_text(errors="replace")
    log_path.unlink(missing_ok=True)

    # then it stopped on SIGTERM (its on_shutdown ran: no database thread kept it alive)
    assert stopped is not None, log[-3000:]
    # and its start-up line names the target with the password masked, and the job ran
    assert f"{user}:***@127.0.0.1:6379/{db}" in log
    assert password not in log
    job_lines = [line for line in log.splitlines() if f"job_id={job_id}" in line]
    assert len(job_lines) == 1 and "job=sweep_outbox" in job_lines[0]
    assert "outcome=ok" in job_lines[0]


def test_the_instrumented_worker_settings_keep_every_setting():
    """arq reads a settings class's own __dict__: the logging wrapper must not drop any."""
    from arq.worker import get_kwargs

    from portal.lib.logs import instrument_worker
    from portal.worker import WorkerSettings

    kwargs = get_kwargs(instrument_worker(WorkerSettings))

    assert kwargs["keep_result"] == 0 and kwargs["max_tries"] == WorkerSettings.max_tries
    assert kwargs["on_startup"] is WorkerSettings.on_startup
    assert kwargs["on_shutdown"] is WorkerSettings.on_shutdown
    assert kwargs["job_timeout"] == WorkerSettings.job_timeout
    assert len(kwargs["functions"]) == len(WorkerSettings.functions)
    assert len(kwargs["cron_jobs"]) == len(WorkerSettings.cron_jobs)
