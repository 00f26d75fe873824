"""The table of a bench/wrk_customer_pages.sh run: per checkout and page, the median of the rounds.

    .venv/bin/python bench/wrk_summary.py OUT_DIR

c1 p50 is one user's median latency (min-max over rounds); "× floor" is the median over rounds of
the page's c1 p50 divided by the floor's c1 p50 of the same round and server; c8 req/s is the
throughput with eight connections. "bad responses" counts every status but the page's own: 302 for the
filing POST (its redirect), 200 for the others (a 302 there is a logged-out session sent to the login page).
"""

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

PAGES = ("floor", "list", "appeal", "form", "post")
EXPECTED = {"post": "302"}  # every other page: 200


def read(path):
    stats = {}
    for line in path.read_text().splitlines():
        if line.startswith("STAT "):
            _, key, *value = line.split()
            stats[key] = " ".join(value)
        elif line.startswith("LOAD "):
            stats["load"] = line.split()[1]
    return stats


def main(out):
    out = Path(out)
    servers = dict(reversed(line.split()) for line in (out / "servers.txt").read_text().splitlines())
    runs = defaultdict(dict)  # (port, page, shape) -> {round: stats}
    for f in out.glob("r*.txt"):
        m = re.fullmatch(r"r(\d+)\.(\d+)\.(\w+)\.(c\d+)\.txt", f.name)
        if m:
            runs[(m[2], m[3], m[4])][int(m[1])] = read(f)
    for port in sorted({k[0] for k in runs}):
        print(f"\n{servers.get(f'127.0.0.1:{port}', port)}\n")
        print("| page | c1 p50 ms (min-max) | × floor | c8 req/s | c8 p50 ms | bad responses | load |")
        print("|---|---|---|---|---|---|---|")
        floor = runs[(port, "floor", "c1")]
        for page in PAGES:
            c1, c8 = runs.get((port, page, "c1"), {}), runs.get((port, page, "c8"), {})
            if not c1:
                continue
            p50 = [float(s["p50_ms"]) for s in c1.values()]
            ratios = [float(s["p50_ms"]) / float(floor[r]["p50_ms"]) for r, s in c1.items() if r in floor]
            rps = [float(s["rps"]) for s in c8.values() if "rps" in s] or [0.0]
            p50_8 = [float(s["p50_ms"]) for s in c8.values() if "p50_ms" in s] or [0.0]
            expected = f"status_{EXPECTED.get(page, '200')}"
            bad = sum(int(v) for s in [*c1.values(), *c8.values()] for k, v in s.items()
                      if k.startswith("status_") and k != expected)
            loads = [float(s.get("load", 0)) for s in c1.values()]
            print(f"| {page} | {statistics.median(p50):.1f} ({min(p50):.1f}-{max(p50):.1f}) | "
                  f"{statistics.median(ratios):.1f} | {statistics.median(rps):.0f} | {statistics.median(p50_8):.1f} | "
                  f"{bad} | {min(loads):.1f}-{max(loads):.1f} |")


if __name__ == "__main__":
    main(sys.argv[1])
