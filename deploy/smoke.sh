#!/bin/sh
# Run the production arrangement on this machine and drive it end to end (see deploy/smoke.py):
# PostgreSQL, Redis, SMTP, shared storage, two `portal serve` behind a proxy, two `portal worker`.
#   deploy/smoke.sh            (SMOKE_KEEP=1 keeps the logs; PG_URL=postgresql://... another server)
set -eu
cd "$(dirname "$0")/.."
exec .venv/bin/python deploy/smoke.py "$@"
