"""Does one big upload hold up everybody else? GET /login latency while a vendor admin uploads a
catalog file (issue 14 point 2), against a real `portal serve`-like uvicorn worker.

    .venv/bin/python -m bench.upload_responsiveness [--database sqlite|postgres]
        [--file rows2m|rows60k] [--uploads 3] [--source DIR]

`rows2m`: a 0.6 MB XLSX of 2,000,000 rows declaring no dimension (the file of the issue);
`rows60k`: 60,000 rows, just over the 50,000-row limit, so the whole limit is parsed. One thread
uploads the file `--uploads` times back to back, another requests GET /login one after the
other meanwhile; prints p50/p99/max of the sign-in page during the uploads and without them,
and how long each upload took. `--source DIR` serves the portal from another checkout (e.g.
`git archive main | tar -x -C /tmp/before`) to measure "before" with the same script and data.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

from bench import harness
from bench.harness import scratch_portal, served
from tests.lib.spreadsheet_files import many_rows_xlsx, sheet_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def the_file(name: str) -> bytes:
    if name == "rows2m":
        return many_rows_xlsx(2_000_000, ("sku", "name_zh"))
    return sheet_xlsx(["sku", "name_zh", "list_price"], ["BENCH-1", "名称", "1"], 60_000)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def logins(url: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(timeout=600) as client:  # a frozen server answered after minutes
        while not stop.is_set():
            started = time.perf_counter()
            response = client.get(f"{url}/login")
            out.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"/login answered {response.status_code}")


def signed_in(url: str, email: str) -> httpx.Client:
    client = httpx.Client(timeout=600)
    client.get(f"{url}/login")
    client.post(
        f"{url}/login",
        data={"_csrf_token": client.cookies["csrftoken"], "email": email, "password": "demo12345"},
    )
    client.get(f"{url}/console/catalog/import")  # the CSRF cookie rotated at sign-in
    return client


def upload(client: httpx.Client, url: str, data: bytes) -> tuple[float, int, str]:
    try:
        started = time.perf_counter()
        response = client.post(
            f"{url}/console/catalog/import",
            data={"_csrf_token": client.cookies["csrftoken"], "kind": "products"},
            files={"file": ("big.xlsx", data, XLSX)},
        )
        seconds = time.perf_counter() - started
    finally:
        client.close()
    found = re.search(r'class="(?:field-error|alert alert-error)"[^>]*>([^<]+)<', response.text)
    return seconds, response.status_code, found.group(1).strip() if found else ""


def report(label: str, values: list[float]) -> None:
    if not values:  # the uploads ended before a first sign-in page was answered
        print(f"{label:<28} {0:>6}", flush=True)
        return
    print(
        f"{label:<28} {len(values):>6} {statistics.median(values):>8.1f} "
        f"{percentile(values, 0.99):>8.1f} {max(values):>8.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--file", choices=("rows2m", "rows60k"), default="rows60k")
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--source", type=Path, help="serve the portal from this checkout")
    args = parser.parse_args()
    if args.source:
        source = str(args.source.resolve())
        os.environ["PYTHONPATH"] = os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])
        harness.ROOT = Path(source)  # uvicorn puts its working folder first on sys.path
    data = the_file(args.file)
    print(f"file {args.file}: {len(data) / 1024:.0f} KB; served from {args.source or 'here'}")
    with scratch_portal(args.database, "portal_bench_uploads", "bench-uploads-") as env:
        with served(env) as url:
            clients = [signed_in(url, "admin@vendor.demo") for _ in range(args.uploads)]
            idle: list[float] = []
            stop = threading.Event()
            pinger = threading.Thread(target=logins, args=(url, stop, idle))
            pinger.start()
            time.sleep(3)
            stop.set()
            pinger.join()
            during: list[float] = []
            stop = threading.Event()
            pinger = threading.Thread(target=logins, args=(url, stop, during))
            pinger.start()
            uploads = [upload(client, url, data) for client in clients]
            stop.set()
            pinger.join()
    print(f"\n{'GET /login (ms)':<28} {'n':>6} {'p50':>8} {'p99':>8} {'max':>8}")
    report("no upload", idle)
    report(f"during {args.uploads} uploads", during)
    for seconds, status, answer in uploads:
        print(f"upload: {seconds:.2f} s, HTTP {status}, {answer or 'other answer'}")


if __name__ == "__main__":
    sys.exit(main())
