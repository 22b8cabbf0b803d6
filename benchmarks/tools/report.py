#!/usr/bin/env python3
"""Turns the harness's results.jsonl (one JSON object per run) into the markdown results table.

  report.py WORK_DIR     reads WORK_DIR/meta.json and WORK_DIR/results.jsonl, prints markdown to stdout
  report.py --line JSON  one-line summary of one RESULT object (for the harness's progress log)

Each cell is the median over rounds, with min–max. The last column compares vod with the best peer (nginx or
Jetty) of the same round, then takes the median of those per-round ratios, so slow drift of the machine between
rounds cancels out. A run is marked ⚠ when its numbers do not mean what they say (failed sanity check, error
responses, timeouts, closed connections); the reasons are listed under the table.
"""

import json
import statistics
import sys
from pathlib import Path

HIGHER, LOWER = "higher", "lower"
SERVERS = ["vod", "nginx", "jetty"]


def wrk_metrics(workload):
    """(unit, better, function of a wrk result) for a load workload."""
    def per_s(r):
        return r["requests"] / (r["duration_us"] / 1e6)

    def mb_s(r):
        return r["bytes"] / (r["duration_us"] / 1e6) / 1e6

    def gb_s(r):
        return r["bytes"] / (r["duration_us"] / 1e6) / 1e9

    def p99_ms(r):
        return r["p99_us"] / 1000 if r["requests"] else None

    def cpu_us_per_req(r):
        """The server's own CPU time (user + system, all its processes) per response: /proc/PID/stat."""
        return r["cpu_s"] / r["requests"] * 1e6 if r.get("cpu_s") is not None and r["requests"] else None

    def cpu_s_per_gb(r):
        return r["cpu_s"] / (r["bytes"] / 1e9) if r.get("cpu_s") is not None and r["bytes"] else None

    cpu = ("server CPU µs/req", LOWER, cpu_us_per_req)
    return {
        "range": [("req/s", HIGHER, per_s), ("MB/s", HIGHER, mb_s), ("p99 ms", LOWER, p99_ms), cpu],
        "whole": [("GB/s", HIGHER, gb_s), ("server CPU s/GB", LOWER, cpu_s_per_gb)],
        "small": [("req/s", HIGHER, per_s), cpu],
        "head": [("req/s", HIGHER, per_s), cpu],
        "inm": [("req/s", HIGHER, per_s), cpu],
        "seek": [("req/s", HIGHER, per_s), ("p99 ms", LOWER, p99_ms), cpu],
    }[workload]


IDLE_METRICS = [
    ("RSS MiB", LOWER, lambda r: r["rss_kib"] / 1024),
    ("RSS growth MiB", LOWER, lambda r: (r["rss_kib"] - r["rss_before_kib"]) / 1024),
    ("live heap MiB", LOWER, lambda r: r["heap_kib"] / 1024 if r.get("heap_kib") else None),
]

LABELS = {
    "range": "1. 64 KiB random ranges of 1 GiB, {conns} conns",
    "whole": "2. whole 1 GiB file, {conns} conns",
    "small": "3. 4 KiB file, {conns} conns",
    "head": "4a. HEAD, {conns} conns",
    "inm": "4b. If-None-Match → 304, {conns} conns",
    "seek": "6. ?start= at random points of a 2 h MP4 (first 64 KiB), {conns} conns",
    "idle": "5. {conns} idle keep-alive conns",
}


def problems(run):
    """Why this run's numbers cannot be taken at face value (empty when they can)."""
    found = []
    if run.get("check", "ok") != "ok":
        found.append("sanity check failed: " + run["check"])
    if "wrk" in run:
        r = run["wrk"]
        if r["requests"] == 0:
            found.append("no complete response")
        if r["status_errors"]:
            found.append(f"{r['status_errors']} responses ≥ 400")
        if r["timeouts"]:
            found.append(f"{r['timeouts']} timeouts")
        sock = r["connect_errors"] + r["read_errors"] + r["write_errors"]
        if sock:
            found.append(f"{sock} socket errors")
    if "idle" in run:
        r = run["idle"]
        if r["still_open"] < r["count"]:
            found.append(f"only {r['still_open']} of {r['count']} connections still open")
        if r["answered"] < r["count"]:
            found.append(f"only {r['answered']} of {r['count']} requests answered")
    return found


def fmt(x):
    if x is None:
        return "–"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(runs):
    rows = ["| workload | server | median | min–max | unit | vod / best peer | vod / nginx |",
            "|---|---|---:|---:|---|---:|---:|"]
    notes = {}  # reason -> rounds it happened in
    keys = []
    for run in runs:
        key = (run["workload"], run["conns"])
        if key not in keys:
            keys.append(key)
    for workload, conns in keys:
        group = [r for r in runs if (r["workload"], r["conns"]) == (workload, conns) and "skipped" not in r]
        metrics = IDLE_METRICS if workload == "idle" else wrk_metrics(workload)
        label = LABELS[workload].format(conns=f"{conns:,}")
        for unit, better, metric in metrics:
            values = {}  # server -> {round: value}
            flagged = set()
            for run in group:
                data = run.get("idle") if workload == "idle" else run.get("wrk")
                if data is not None and workload != "idle":
                    data = dict(data, cpu_s=run.get("cpu_s"))
                value = metric(data) if data else None
                if value is None:
                    continue
                values.setdefault(run["server"], {})[run["round"]] = value
                why = problems(run)
                if why:
                    flagged.add(run["server"])
                    rounds = notes.setdefault(f"{label}, {run['server']}: " + "; ".join(why), [])
                    if run["round"] not in rounds:
                        rounds.append(run["round"])
            ratio = vod_ratio(values, better) + (" ⚠" if "vod" in flagged and "vod" in values else "")
            to_nginx = vod_ratio({s: v for s, v in values.items() if s in ("vod", "nginx")}, better)
            unit_text = unit + (" (lower is better)" if better == LOWER else "")
            for server in [s for s in SERVERS if s in values]:
                vals = list(values[server].values())
                mark = " ⚠" if server in flagged else ""
                rows.append(f"| {label} | {server} | {fmt(statistics.median(vals))}{mark} | "
                            f"{fmt(min(vals))}–{fmt(max(vals))} | {unit_text} | "
                            f"{ratio if server == 'vod' else ''} | {to_nginx if server == 'vod' else ''} |")
    return rows, [f"{reason} (round{'s' if len(rounds) > 1 else ''} {', '.join(map(str, rounds))})"
                  for reason, rounds in notes.items()]


def vod_ratio(values, better):
    """Median over rounds of vod's value divided by the best peer's value in the same round."""
    if "vod" not in values:
        return ""
    ratios = []
    for rnd, vod in values["vod"].items():
        peers = [values[s][rnd] for s in values if s != "vod" and rnd in values[s]]
        if not peers:
            continue
        best = max(peers) if better == HIGHER else min(peers)
        if best:
            ratios.append(vod / best)
    return f"{statistics.median(ratios):.2f}×" if ratios else ""


def line(result):
    r = json.loads(result)
    s = r["duration_us"] / 1e6
    return (f"{r['requests'] / s:,.0f} req/s, {r['bytes'] / s / 1e6:,.0f} MB/s, p99 {r['p99_us'] / 1000:.1f} ms, "
            f"errors: {r['status_errors']} status, {r['timeouts']} timeouts, "
            f"{r['connect_errors'] + r['read_errors'] + r['write_errors']} socket")


def main():
    if sys.argv[1] == "--line":
        print(line(sys.argv[2]))
        return
    work = Path(sys.argv[1])
    meta = json.loads((work / "meta.json").read_text())
    runs = [json.loads(line) for line in (work / "results.jsonl").read_text().splitlines() if line.strip()]
    rows, notes = table(runs)
    out = [f"## Results {meta['date']}", ""]
    out += [f"- {k}: {v}" for k, v in meta["facts"].items()]
    out += ["", "Medians over rounds, min–max in between; vod / best peer and vod / nginx are medians of per-round "
            "ratios (above 1 is better for vod, except where lower is better). Server CPU is user + system time "
            "of the server's processes (nginx: master and workers) from /proc/PID/stat around each load run.", ""]
    out += rows
    skipped = sorted({f"{r['workload']} ({r['server']}): {r['skipped']}" for r in runs if "skipped" in r})
    if notes or skipped:
        out += ["", "Notes:"]
        out += [f"- ⚠ {n}" for n in notes]
        out += [f"- skipped: {s}" for s in skipped]
    print("\n".join(out))


if __name__ == "__main__":
    main()
