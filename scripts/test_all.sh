#!/usr/bin/env bash
# `make test`: the whole suite on SQLite and on PostgreSQL, the suite once more with the clock
# moved to a month and day boundary, and the migration check. Every step runs even when an
# earlier one failed; the end prints one line per step and fails if any did.
# Expects the system set-up (scripts/system_setup.sh tests) and the virtualenv (make install).
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
PYTEST=("$BIN/pytest" -n "${PYTEST_WORKERS:-2}" -p no:cacheprovider)
read -r -a extra <<<"${PYTEST_ARGS:-}"
MOVED_NOW="${MOVED_NOW:-2027-01-01T16:30:00Z}"  # 1 January in Shanghai, still 31 December in UTC
logs=$(mktemp -d)
summary=()
status=0

# An S3-compatible server on a free loopback port for the storage tests (moto, a dev extra).
s3_port=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN/moto_server" -H 127.0.0.1 -p "$s3_port" >"$logs/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null; rm -rf "$logs"' EXIT
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && break
  sleep 0.2
done
export TEST_S3_ENDPOINT="http://127.0.0.1:$s3_port"

step() {  # step NAME COMMAND...: run, remember the outcome and pytest's closing line
  local name=$1 rc
  shift
  printf '\n=== %s ===\n' "$name"
  "$@" 2>&1 | tee "$logs/$name.log"
  rc=${PIPESTATUS[0]}
  local last
  last=$(grep -E '(passed|failed|error|no tests ran)' "$logs/$name.log" | grep -E '^=+ .* =+$|^[0-9]+ (passed|failed)' | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')
  if [ "$rc" -eq 0 ]; then
    summary+=("PASS  $name${last:+: $last}")
  elif [ "$rc" -eq 5 ]; then  # pytest: no tests collected (PYTEST_ARGS selected none here)
    summary+=("PASS  $name: no tests selected")
  else
    summary+=("FAIL  $name (exit $rc)${last:+: $last}")
    status=1
  fi
}

step sqlite env TEST_DATABASE=sqlite "${PYTEST[@]}" "${extra[@]}"
step postgres env TEST_DATABASE=postgres "${PYTEST[@]}" "${extra[@]}"
step "moved-clock" env TEST_DATABASE=sqlite TEST_NOW="$MOVED_NOW" "${PYTEST[@]}" -m "not browser" "${extra[@]}"
step migrations "$BIN/python" scripts/check_migrations.py

printf '\n=== summary ===\n'
printf '%s\n' "${summary[@]}"
exit "$status"
