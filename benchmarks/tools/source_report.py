#!/usr/bin/env python3
"""Turns benchmarks/source.sh's results.jsonl into its three markdown tables.

  source_report.py WORK_DIR    reads WORK_DIR/meta.json and WORK_DIR/results.jsonl, prints markdown to stdout

Cells are medians over the rounds (runs, for the seeks), with min–max where it says so. Ratios are taken per round
(the two servers of one round ran minutes apart at most) and their median is shown, so a machine that slowed down
between rounds does not skew them. A run is marked ⚠ when it started on a busy machine (load average at or above
the limit after the wait ran out), a sanity check failed, or it had errors or wrong bytes.
"""

import json
import statistics
import sys
from pathlib import Path

MIB = 1 << 20


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values, fmt):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    text = fmt(statistics.median(values))
    return text if len(values) == 1 else f"{text} ({fmt(min(values))}–{fmt(max(values))})"


def ratios(runs, key, metric, a, b):
    """metric(a) / metric(b) per round (or run), where both exist."""
    by_round = {}
    for r in runs:
        by_round.setdefault(r[key], {})[r["server"]] = metric(r)
    out = []
    for round_, servers in sorted(by_round.items()):
        if servers.get(a) and servers.get(b):
            out.append(servers[a] / servers[b])
    return out


def main(work):
    meta = json.loads((work / "meta.json").read_text())
    runs = [json.loads(line) for line in (work / "results.jsonl").read_text().splitlines() if line.strip()]
    notes = []
    print(f"{meta['date']}, vod commit {meta['vod']}, {meta['machine']}, {meta['kernel']}, {meta['jdk']} "
          f"(`{meta['jvm']}`), nginx {meta['nginx']}, wrk {meta['wrk']}: `{meta['command']}`")
    if meta.get("wait") == "0":
        notes.append("run with --no-wait: the machine's load was not checked (a smoke test, not a measurement)")
    flagged = set()

    def flag(r, why):
        flagged.add(why)
        return " ⚠"

    warm = [r for r in runs if r["part"] == "warm"]
    if warm:
        fill = next((r for r in runs if r["part"] == "warm-fill"), {})
        print()
        print("**Warm slice cache vs local files** (vod --source with every slice on disk vs vod --root)")
        print()
        print("| workload | server | req/s | MiB/s | p99 ms | server CPU µs/req | S3Proxy CPU µs/req | store bytes read |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for workload, label in (("range", "64 KiB ranges, 64 conns"), ("whole", "whole 4 MiB file, 8 conns")):
            rows = [r for r in warm if r["workload"] == workload]
            for server in ("vod-local", "vod-s3"):
                mine = [r for r in rows if r["server"] == server]
                if not mine:
                    continue
                mark = ""
                for r in mine:
                    if r.get("noisy"):
                        mark = flag(r, f"started at load {r['load1']} (the wait for < 1.0 ran out)")
                    if r.get("check", "ok") != "ok":
                        mark = flag(r, f"{server}: {r['check']}")
                    w = r["wrk"]
                    if w["status_errors"] or w["timeouts"] or w["read_errors"] or w["connect_errors"]:
                        mark = flag(r, f"{server} {workload} round {r['round']}: wrk errors {w}")
                rps = [r["wrk"]["requests"] / (r["wrk"]["duration_us"] / 1e6) for r in mine]
                mibs = [r["wrk"]["bytes"] / (r["wrk"]["duration_us"] / 1e6) / MIB for r in mine]
                p99 = [r["wrk"]["p99_us"] / 1000 for r in mine]
                cpu = [r["cpu_s"] / r["wrk"]["requests"] * 1e6 for r in mine if r["wrk"]["requests"]]
                s3cpu = [r["s3_cpu_s"] / r["wrk"]["requests"] * 1e6 for r in mine if r["wrk"]["requests"]]
                origin = sum(r["origin_bytes"] for r in mine)
                print(f"| {label} | {server}{mark} | {spread(rps, lambda v: f'{v:,.0f}')} | "
                      f"{median(mibs):,.0f} | {median(p99):.1f} | {spread(cpu, lambda v: f'{v:.0f}')} | "
                      f"{median(s3cpu):.1f} | {origin if server == 'vod-s3' else '–'} |")
        print()
        for workload, label in (("range", "ranges"), ("whole", "whole file")):
            rows = [r for r in warm if r["workload"] == workload]
            rps = ratios(rows, "round", lambda r: r["wrk"]["requests"] / (r["wrk"]["duration_us"] / 1e6),
                         "vod-s3", "vod-local")
            cpu = ratios(rows, "round", lambda r: r["cpu_s"] / r["wrk"]["requests"] if r["wrk"]["requests"] else None,
                         "vod-s3", "vod-local")
            if rps:
                print(f"- {label}: warm / local req/s per round {', '.join(f'{v:.2f}' for v in rps)}; "
                      f"**median {median(rps):.2f}×** (target ≥ 0.95×: {'met' if median(rps) >= 0.95 else 'not met'}); "
                      f"CPU per request warm / local {median(cpu):.2f}×")
        if fill:
            print(f"- cache filled by one pass over both objects: {fill['origin_bytes']:,} bytes read from the store;"
                  f" a second pass over range.bin read {fill['second_pass_origin_bytes']:,}")

    cold = [r for r in runs if r["part"] == "cold"]
    if cold:
        print()
        c0 = cold[0]
        end = next((r for r in runs if r["part"] == "cold-end"), None)
        print(f"**Cold reads** ({c0['slices']} slices of 1 MiB per run, each read once, in a shuffled order; "
              f"{c0['conns']} connections; each round reads a stretch of the object neither cache has seen; both "
              f"servers started with empty caches and first read {c0['warmup_slices']} other slices, vod also "
              f"{meta.get('warm_object_seconds', 10)} s of small objects (4 KiB, a random one of {meta.get('warm_objects', '?')} per request), not measured)")
        print()
        print("| server | MiB/s | first byte p50 / p99 ms | latency p50 / p99 ms | server CPU ms/MiB | "
              "of it JIT ms/MiB | S3Proxy CPU ms/MiB | store MiB read per run | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for server, label in (("vod-s3", "vod --source"), ("nginx", "nginx slice + proxy_cache")):
            mine = [r for r in cold if r["server"] == server]
            if not mine:
                continue
            mark = ""
            for r in mine:
                if r.get("noisy"):
                    mark = flag(r, f"started at load {r['load1']} (the wait for < 1.0 ran out)")
                if r["load"]["errors"] or r["load"]["mismatches"]:
                    mark = flag(r, f"{server} round {r['round']}: {r['load']['errors']} errors, "
                                   f"{r['load']['mismatches']} wrong bodies")
            loads = [r["load"] for r in mine]
            mibs = [l["mib_per_s"] for l in loads]
            per_mib = lambda r, key: r[key] * 1000 / (r["load"]["bytes"] / MIB) if r["load"]["bytes"] else None
            cpu = [per_mib(r, "cpu_s") for r in mine]
            jit = [per_mib(r, "jit_cpu_s") for r in mine]
            s3cpu = [per_mib(r, "s3_cpu_s") for r in mine]
            origin = f"{median([r['origin_bytes'] / MIB for r in mine]):.0f}" if server == "vod-s3" else "–"
            print(f"| {label}{mark} | {spread(mibs, lambda v: f'{v:.0f}')} | "
                  f"{median([l['ttfb_p50_us'] for l in loads]) / 1000:.1f} / "
                  f"{median([l['ttfb_p99_us'] for l in loads]) / 1000:.1f} | "
                  f"{median([l['p50_us'] for l in loads]) / 1000:.1f} / {median([l['p99_us'] for l in loads]) / 1000:.1f} | "
                  f"{spread(cpu, lambda v: f'{v:.2f}')} | {median(jit):.2f} | {median(s3cpu):.2f} | {origin} | "
                  f"{sum(l['errors'] + l['mismatches'] for l in loads)} |")
        rat = ratios(cold, "round", lambda r: r["load"]["mib_per_s"], "vod-s3", "nginx")
        cpu = ratios(cold, "round", lambda r: r["cpu_s"] / r["load"]["bytes"] if r["load"]["bytes"] else None,
                     "vod-s3", "nginx")
        if rat:
            print()
            print(f"- vod / nginx MiB/s per round {', '.join(f'{v:.2f}' for v in rat)}; **median {median(rat):.2f}×** "
                  f"(target ≥ 1.0×: {'met' if median(rat) >= 1.0 else 'not met'}); server CPU per MiB vod / nginx "
                  f"{median(cpu):.2f}×")
        if end:
            print(f"- afterwards vod's cache folder held {end['vod_files']} slice files and nginx's {end['nginx_files']} "
                  f"cache files, for {end['slices']} slices read (warm-up included): one fetch kept per slice")

    seeks = [r for r in runs if r["part"] == "ttfb"]
    if seeks:
        print()
        print(f"**Time to first byte of a cold seek** (`GET /long.mp4?start={meta['seek']}` on the 2-hour film: "
              f"{int(meta['film_size']):,} bytes, its moov ends at byte {int(meta['moov_end']):,}; "
              f"median over the runs)")
        print()
        print("| server | case | first byte ms | whole answer ms | answer bytes | store bytes read | status |")
        print("|---|---|---:|---:|---:|---:|---|")
        cases = {"fresh-jvm": "first request of a fresh JVM", "warm-jvm": "after seeks into another title",
                 "first-64k": "after seeks into another title, `Range: bytes=0-65535`",
                 "local-mp4": "mp4 module, local file"}
        labels = {"vod-s3": "vod --source (empty cache)", "vod-local": "vod --root", "nginx": "nginx"}
        for server in ("vod-s3", "vod-local", "nginx"):
            for case in ("fresh-jvm", "warm-jvm", "first-64k", "local-mp4"):
                mine = [r for r in seeks if r["server"] == server and r["case"] == case]
                if not mine:
                    continue
                mark = ""
                for r in mine:
                    if r.get("noisy"):
                        mark = flag(r, f"started at load {r['load1']} (the wait for < 1.0 ran out)")
                codes = sorted({r["code"] for r in mine})
                origin = spread([r["origin_bytes"] for r in mine], lambda v: f"{v:,.0f}") \
                    if server == "vod-s3" else "–"
                print(f"| {labels[server]}{mark} | {cases[case]} | "
                      f"{spread([r['ttfb_s'] * 1000 for r in mine], lambda v: f'{v:.0f}')} | "
                      f"{median([r['total_s'] * 1000 for r in mine]):.0f} | {median([r['bytes'] for r in mine]):,.0f} | "
                      f"{origin} | {', '.join(map(str, codes))} |")
        print()
        for case in ("fresh-jvm", "warm-jvm"):
            rat = ratios([r for r in seeks if r["case"] == case], "run", lambda r: r["ttfb_s"], "vod-s3", "vod-local")
            if rat:
                print(f"- {cases[case]}: first byte from the bucket / from local disk per run "
                      f"{', '.join(f'{v:.1f}' for v in rat)}; median {median(rat):.1f}×")
    waits = next((r for r in runs if r["part"] == "waits"), None)
    if waits:
        notes.append(f"the whole run took {waits['elapsed_s']} s, {waits['waited_s']} s of it waiting for the load "
                     f"average to drop below 1.0 before runs")
    notes += sorted(flagged)
    if notes:
        print()
        print("Notes: " + "; ".join(notes) + ".")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
