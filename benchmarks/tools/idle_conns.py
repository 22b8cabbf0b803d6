#!/usr/bin/env python3
"""Workload 5: memory of a server holding many idle keep-alive connections.

Opens COUNT connections to 127.0.0.1:PORT, sends one GET on each and reads the whole response, then leaves
them all open and idle, like players that paused. It then reads the server's resident memory (VmRSS of the
process and its children, e.g. nginx's workers) and, for a JVM, the live heap after a full GC (jcmd), and
prints one JSON line:

  {"count": 10000, "connected": 10000, "answered": 10000, "still_open": 10000,
   "rss_before_kib": ..., "rss_kib": ..., "heap_before_kib": ..., "heap_kib": ..., "seconds": ...}

Standard library only. The caller must have raised the open-file limit (ulimit -n) above COUNT.
"""

import argparse
import json
import os
import re
import selectors
import socket
import subprocess
import sys
import time

BATCH = 40  # connections opened at once: fewer than the 50-deep accept queue of Jetty's default connector


def rss_kib(pid):
    """VmRSS of pid plus all its descendants (nginx: master + workers), in KiB."""
    total = 0
    for p in [pid] + descendants(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def live_heap_kib(pid):
    """Heap in use after a full GC, from jcmd; None when jcmd is missing or the process is no JVM."""
    try:
        subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=30, check=True)
        info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True,
                              timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    used = 0
    for line in info.splitlines():
        if "Metaspace" in line or "class space" in line:
            break  # after the heap lines
        m = re.search(r"\bused (\d+)K", line)
        if m:
            used += int(m.group(1))  # G1: one heap line; Serial/Parallel: one line per generation
    return used or None


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.answered = False


def response_complete(buf):
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return len(body) >= (int(m.group(1)) if m else 0)


def open_batch(host, port, request, n, timeout):
    """Opens n connections, sends the request on each, waits for complete responses. Returns the Conns."""
    sel = selectors.DefaultSelector()
    conns = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex((host, port))
        c = Conn(s)
        conns.append(c)
        sel.register(s, selectors.EVENT_WRITE, c)
    deadline = time.monotonic() + timeout
    pending = n
    while pending and time.monotonic() < deadline:
        for key, events in sel.select(timeout=0.2):
            c = key.data
            if events & selectors.EVENT_WRITE:
                if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                    sel.unregister(c.sock)
                    c.sock.close()
                    c.sock = None
                    pending -= 1
                    continue
                try:
                    c.sock.send(request)
                except OSError:
                    pass
                sel.modify(c.sock, selectors.EVENT_READ, c)
            elif events & selectors.EVENT_READ:
                try:
                    data = c.sock.recv(65536)
                except OSError:
                    data = b""
                if not data:  # closed before answering
                    sel.unregister(c.sock)
                    pending -= 1
                    continue
                c.buf += data
                if response_complete(c.buf):
                    c.answered = True
                    c.buf = b""
                    sel.unregister(c.sock)
                    pending -= 1
    sel.close()
    return conns


def still_open(conns):
    """Counts connections the server has not closed: an idle open socket is not readable."""
    sel = selectors.DefaultSelector()
    live = [c for c in conns if c.sock is not None]
    for c in live:
        sel.register(c.sock, selectors.EVENT_READ, c)
    closed = 0
    for key, _ in sel.select(timeout=0.5):
        try:
            if key.data.sock.recv(1, socket.MSG_PEEK) == b"":
                closed += 1
        except OSError:
            closed += 1
    sel.close()
    return len(live) - closed


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--path", default="/small.bin")
    p.add_argument("--count", type=int, default=10000)
    p.add_argument("--pid", type=int, required=True, help="server process (for nginx: the master)")
    p.add_argument("--jvm", action="store_true", help="also measure the live heap with jcmd")
    p.add_argument("--settle", type=float, default=2.0, help="seconds to wait before measuring")
    p.add_argument("--max-seconds", type=float, default=90.0, help="give up opening connections after this")
    a = p.parse_args()

    started = time.monotonic()
    heap_before = live_heap_kib(a.pid) if a.jvm else None
    rss_before = rss_kib(a.pid)
    request = f"GET {a.path} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\nUser-Agent: vod-idle-bench\r\n\r\n".encode()
    conns = []
    while len(conns) < a.count and time.monotonic() - started < a.max_seconds:
        batch = open_batch(a.host, a.port, request, min(BATCH, a.count - len(conns)), timeout=5)
        conns += batch
        if not any(c.answered for c in batch):
            break  # the server does not answer: report what we have instead of waiting 5 s per batch
    time.sleep(a.settle)
    result = {
        "count": a.count,
        "connected": sum(1 for c in conns if c.sock is not None),
        "answered": sum(1 for c in conns if c.answered),
        "still_open": still_open(conns),
        "rss_before_kib": rss_before,
        "rss_kib": rss_kib(a.pid),
        "heap_before_kib": heap_before,
        "heap_kib": live_heap_kib(a.pid) if a.jvm else None,
    }
    for c in conns:
        if c.sock is not None:
            c.sock.close()
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
