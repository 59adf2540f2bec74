"""Run every benchmark in turn (`make bench`); see bench/README.md for what each one prints."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    ["bench.orders_oversell", "--database", "both"],
    ["bench.orders_pages", "--database", "sqlite"],
    ["bench.orders_pages", "--database", "postgres"],
    ["bench.customers_pages", "--database", "sqlite"],
    ["bench.customers_import", "--database", "sqlite"],
    ["bench.communications_publish", "--database", "both"],
    ["bench.communications_results", "--database", "both"],
    ["bench.performance_data", "--database", "postgres"],
    ["bench.performance_leaderboard", "--database", "postgres"],
    ["bench.performance_pdf", "--database", "postgres"],
    ["bench.performance_batch", "--database", "postgres", "--partners", "100"],
    ["bench.support_sla", "--database", "sqlite"],
    ["bench.support_queue", "--database", "sqlite"],
    ["bench.serve_compare"],
]


def main() -> None:
    failed = []
    for args in BENCHMARKS:
        print(f"\n=== python -m {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, "-m", *args], check=False).returncode:
            failed.append(args[0])
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
