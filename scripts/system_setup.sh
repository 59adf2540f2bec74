#!/usr/bin/env bash
# Install and start what the portal needs from the system, on Debian/Ubuntu.
#   scripts/system_setup.sh runtime   the portal itself (PDF libraries, Chinese fonts)
#   scripts/system_setup.sh tests     also PostgreSQL, Redis, chromium, poppler-utils, started and
#                                     reachable on 127.0.0.1 as the tests expect
# Missing packages are named, then installed with apt-get (as root directly, through sudo
# otherwise). Only when neither is possible does it stop, printing the one command to run.
set -euo pipefail

mode="${1:-runtime}"
runtime=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig)
tests=(postgresql redis-server chromium poppler-utils make)
packages=("${runtime[@]}")
[ "$mode" = tests ] && packages+=("${tests[@]}")

say() { printf 'system: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo "$@"
  elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    sudo "$@"  # asks for the password on a terminal
  else
    return 126
  fi
}

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]} (not a Debian/Ubuntu system: install their equivalents, see README)"
    exit 1
  fi
  say "installing the missing packages: ${missing[*]}"
  if ! as_root apt-get update -qq || ! as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    say "could not install them (neither root nor sudo). Run this, then the same make command again:"
    say "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

[ "$mode" = tests ] || exit 0

# PostgreSQL: a running cluster on 127.0.0.1:5432 that the tests reach as `postgres` without a
# password. The trust lines are for the loopback interface only, on a test machine: the suite
# creates and drops one database per test process and must not need a secret to do so.
pg_version() { ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1; }
allow_loopback() {
  local hba
  hba="/etc/postgresql/$(pg_version)/main/pg_hba.conf"
  [ -f "$hba" ] || return 0
  if ! as_root grep -q "portal tests: loopback trust" "$hba"; then
    say "allowing password-less connections from 127.0.0.1 and ::1 ($hba)"
    as_root sed -i '1i # portal tests: loopback trust (make test creates a database per test process)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main reload >/dev/null 2>&1 || true
  fi
}
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ -z "$(pg_version)" ]; then
    as_root pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main >/dev/null
  fi
  allow_loopback
  say "starting PostgreSQL $(pg_version)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start || true
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis on 127.0.0.1:6379 (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/portal-redis.log
fi

for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    # a password-less connection is what the tests use: prove it now, with a clear message
    psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1 || allow_loopback
    if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
      say "PostgreSQL runs but refuses user postgres on 127.0.0.1 without a password; add"
      say "  host all all 127.0.0.1/32 trust   to pg_hba.conf (first line) and reload it"
      exit 1
    fi
    exit 0
  fi
  sleep 1
done
say "PostgreSQL or Redis did not come up on 127.0.0.1 (5432, 6379)"
exit 1
