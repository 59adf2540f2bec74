"""A small round-robin TCP load balancer for deploy/smoke.sh (stands in for nginx or a cloud LB).

    python deploy/proxy.py LISTEN_PORT BACKEND_PORT [BACKEND_PORT ...]

Each client connection goes to the next backend on 127.0.0.1 that accepts it; a backend that
refuses is skipped, as a load balancer with health checks would. It prints "ready" once listening.
"""

from __future__ import annotations

import asyncio
import itertools
import sys


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(listen: int, backends: list[int]) -> None:
    ring = itertools.cycle(backends)

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        for _ in backends:
            port = next(ring)
            try:
                server_r, server_w = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                continue
        else:
            client_w.close()
            return
        await asyncio.gather(pipe(client_r, server_w), pipe(server_r, client_w))

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), [int(p) for p in sys.argv[2:]]))
