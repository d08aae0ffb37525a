#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tables for bench/auth.sh from the lab's results folder (summary.json files).

  bench/auth-report.py RESULTS_DIR

Per thread mode and zone size, one row per server: median qps over the timed
runs (min-max), average latency and p99 at saturation, p99 at the fixed rate,
server CPU per query (user+sys of the server's processes / queries answered),
peak RSS (VmHWM; for NSD the largest of its processes and the PSS sum), zone
load time, lost queries and the load average seen after the timed runs.
Then the ratios hanon/NSD and hanon/Knot.
"""

import json
import os
import sys


def median(xs):
    xs = sorted(xs)
    if not xs:
        return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def load_rows(d):
    rows = []
    for root, _, files in os.walk(d):
        if "summary.json" in files:
            with open(os.path.join(root, "summary.json")) as f:
                rows.append(json.load(f))
    return rows


def stats(r):
    runs = [x for x in r.get("runs", []) if x.get("dnsperf", {}).get("qps")]
    if not runs:
        return None
    qps = [x["dnsperf"]["qps"] for x in runs]
    us = [x["cpu"]["server_cores"] * 1e6 / x["dnsperf"]["qps"] for x in runs]
    lat = [x["dnsperf"].get("lat_avg_ms", 0) for x in runs]
    lost = sum(x["dnsperf"].get("lost", 0) for x in runs)
    la = [float(x["cpu"]["loadavg_after"][0]) for x in runs if x["cpu"].get("loadavg_after")]
    other = [x["cpu"].get("other_cores", 0) for x in runs]
    mem = r.get("mem") or {}
    sv = (r.get("satv") or {}).get("latency", {})
    lr = (r.get("latrun") or {}).get("latency", {})
    resp = median([x["dnsperf"].get("resp_size", 0) for x in runs])
    return {
        "qps": median(qps), "qps_min": min(qps), "qps_max": max(qps), "n": len(qps),
        "us_q": median(us), "lat": median(lat), "lost": lost,
        "p99_sat": sv.get("p99_ms") if sv.get("samples") else None,
        "p99_fix": lr.get("p99_ms") if lr.get("samples") else None,
        "fix_timeouts": lr.get("timeouts", 0),
        "rss": mem.get("vmhwm_max_kib", 0) / 1024.0,
        "pss": mem.get("pss_sum_kib", 0) / 1024.0,
        "nprocs": len(mem.get("procs", [])),
        "threads": mem.get("threads"),
        "load": r.get("load_time_s"),
        "la_min": min(la) if la else None, "la_max": max(la) if la else None,
        "other": median(other), "resp": resp,
    }


def fmt(v, f, none="n/a"):
    return none if v is None else f % v


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = load_rows(sys.argv[1])
    order = {"nsd": 1, "nsdmin": 2, "knot": 3, "bind": 4, "hanon": 0}
    groups = {}
    for r in rows:
        groups.setdefault((r.get("mode", "?"), r.get("names", 0)), []).append(r)
    for (mode, names) in sorted(groups, key=lambda k: (k[0] != "single", k[1])):
        rs = sorted(groups[(mode, names)], key=lambda r: order.get(r.get("server"), 9))
        lat_qps = next((r.get("lat_qps") for r in rs if r.get("lat_qps")), "?")
        title = "one worker thread, server pinned to CPU 0" if mode == "single" else "all threads (nproc), unpinned"
        print("\n#### %s names, %s (THREAD_MODE=%s)\n" % ("{:,}".format(names), title, mode))
        print("| server | threads | qps median (min–max, n) | avg latency @sat | p99 @sat | p99 @%s qps "
              "| server CPU µs/query | peak RSS | zone load | avg response | lost | load avg (1 min) during runs |"
              % lat_qps)
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        st = {}
        for r in rs:
            name = r.get("server", "?")
            if r.get("error"):
                print("| %s | %s | FAILED: %s | | | | | | | | | |" % (name, r.get("threads_desc", "?"), r["error"]))
                continue
            s = stats(r)
            if s is None:
                print("| %s | %s | FAILED: no completed run | | | | | | | | | |" % (name, r.get("threads_desc", "?")))
                continue
            st[name] = s
            rss = "%.0f MiB" % s["rss"]
            if s["nprocs"] > 1:
                rss += " (PSS sum of %d procs %.0f MiB)" % (s["nprocs"], s["pss"])
            thr = "%s; %s OS threads" % (r.get("threads_desc", "?").replace("{threads}=", "--threads "), s["threads"])
            fixed = fmt(s["p99_fix"], "%.3f ms")
            if s["fix_timeouts"]:
                fixed += " (%d timeouts)" % s["fix_timeouts"]
            print("| %s | %s | %s (%sk–%sk, %d) | %s | %s | %s | %s | %s | %s | %s B | %d | %s–%s |" % (
                name, thr, "{:,.0f}".format(s["qps"]), "%.0f" % (s["qps_min"] / 1000), "%.0f" % (s["qps_max"] / 1000),
                s["n"], fmt(s["lat"], "%.3f ms"), fmt(s["p99_sat"], "%.3f ms"), fixed, fmt(s["us_q"], "%.2f"),
                rss, fmt(s["load"], "%.2f s"), fmt(s["resp"], "%.0f"), s["lost"],
                fmt(s["la_min"], "%.1f"), fmt(s["la_max"], "%.1f")))
        h = st.get("hanon")
        if h:
            print("\n| ratio | qps (higher is better) | CPU µs/query (lower is better) | peak RSS | zone load |")
            print("|---|---:|---:|---:|---:|")
            for ref in ("nsd", "knot"):
                o = st.get(ref)
                if not o:
                    continue
                print("| hanon / %s | %.2f | %.2f | %.2f | %s |" % (
                    {"nsd": "NSD", "knot": "Knot"}[ref], h["qps"] / o["qps"], h["us_q"] / o["us_q"],
                    h["rss"] / o["rss"] if o["rss"] else float("nan"),
                    "%.2f" % (h["load"] / o["load"]) if h["load"] and o["load"] else "n/a"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
