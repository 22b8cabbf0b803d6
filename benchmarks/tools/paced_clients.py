#!/usr/bin/env python3
"""Opens N connections that each GET one URL and read for D seconds; prints per-connection and total rates.

Usage: paced_clients.py HOST PORT PATH CONNECTIONS SECONDS [--skip BYTES]

--skip: bytes of each body not counted in the rate (the free burst); the clock for a connection starts when
its body passes that point. Output, one line of JSON: connections that finished the window, total bytes/s,
and min / median / max of the per-connection rates.
"""
import asyncio
import json
import statistics
import sys
import time


async def viewer(host, port, path, seconds, skip, rates, totals, errors):
    try:
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        got = 0
        start = None
        deadline = None
        counted = 0
        while True:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                chunk = await asyncio.wait_for(reader.read(65536), timeout=timeout if timeout else None)
            except asyncio.TimeoutError:
                break
            if not chunk:
                break
            got += len(chunk)
            if start is None and got >= skip:
                start = time.monotonic()
                deadline = start + seconds
                counted = got - skip
            elif start is not None:
                counted += len(chunk)
            if deadline is not None and time.monotonic() >= deadline:
                break
        if start is not None:
            rates.append(counted / max(1e-6, time.monotonic() - start))
            totals.append(counted)
        writer.transport.abort()
    except Exception as e:  # noqa: BLE001 - report, do not crash the run
        errors.append(repr(e))


async def main():
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n, seconds = int(sys.argv[4]), float(sys.argv[5])
    skip = int(sys.argv[7]) if len(sys.argv) > 7 and sys.argv[6] == "--skip" else 0
    rates, totals, errors = [], [], []
    await asyncio.gather(*(viewer(host, port, path, seconds, skip, rates, totals, errors) for _ in range(n)))
    out = {"connections": len(rates), "errors": len(errors), "total_Bps": round(sum(rates)), "bytes": sum(totals)}
    if rates:
        out.update(min_Bps=round(min(rates)), median_Bps=round(statistics.median(rates)),
                   max_Bps=round(max(rates)))
    if errors:
        out["first_error"] = errors[0]
    print(json.dumps(out))


asyncio.run(main())
