#!/usr/bin/env bash
# Interleaved A/B of two native benchmark binaries (e.g. reelrank_bench built
# from two commits): runs one Google Benchmark filter alternately on each,
# ROUNDS times, 0.3 s per run, and prints the median and the minimum of the
# per-run medians (the CallTimes "median_us" counter) per binary. On a noisy
# machine only interleaved runs compare builds.
#
#   tests/bench/ab_native.sh OLD_BIN NEW_BIN FILTER [ROUNDS=10]
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,8p' "$0"
  exit 2
fi
old=$1 new=$2 filter=$3 rounds=${4:-10}
for _ in $(seq "$rounds"); do
  for bin in "$old" "$new"; do
    v=$("$bin" --benchmark_filter="$filter" --benchmark_min_time=0.3 2>&1 |
      grep -E "^BM_" | head -1 | sed -E 's/.*median_us=([0-9.]+k?).*/\1/')
    echo "$bin $v"
  done
done | python3 -c '
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in sys.stdin:
    b, v = line.split()
    runs[b].append(float(v[:-1]) * 1000 if v.endswith("k") else float(v))
for b, v in runs.items():
    print(f"{b}: median {statistics.median(v):.0f} us, min {min(v):.0f} us over {len(v)} runs")
'
