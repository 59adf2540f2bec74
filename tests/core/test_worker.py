"""The arq worker against a real Redis: an enqueued job runs and is idempotent."""

from __future__ import annotations

import email
import email.policy

from portal.auth.services import request_password_reset
from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.settings import get_settings, override
from tests.services import require_redis


async def test_arq_worker_delivers_a_queued_email_once(alice):
    from arq.connections import RedisSettings, create_pool
    from arq.worker import Worker

    from portal.worker import WorkerSettings

    url = require_redis()
    redis = await create_pool(RedisSettings.from_dsn(url))
    await redis.flushdb()
    await redis.aclose()
    with override(redis_url=url):
        await request_password_reset(alice.email, "127.0.0.1")
        row = await OutboundEmail.select(OutboundEmail.id).first()
        # a duplicate delivery of the same job must not send twice
        await jobs.enqueue("deliver_email", row["id"], job_id=f"dup:{row['id']}")
        worker = Worker(
            functions=WorkerSettings.functions,
            redis_settings=RedisSettings.from_dsn(url),
            burst=True,
            poll_delay=0.05,
            handle_signals=False,
        )
        await worker.main()
        await worker.close()
        await jobs.close()
    files = list(get_settings().outbox_dir.glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] == alice.email
    assert worker.jobs_complete == 2 and worker.jobs_failed == 0
    assert (await OutboundEmail.select(OutboundEmail.status).first())["status"] == "sent"
