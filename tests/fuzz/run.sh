#!/usr/bin/env bash
# Builds the libFuzzer targets with clang++ (build/fuzz) and runs each one
# for the given number of seconds (default 60) on its committed seed corpus.
# One in-process job per target (libFuzzer's default; no -jobs, so nothing
# is written to the working directory). Prints executions and crashes per
# target and appends them to build/fuzz/summary.tsv. Exits non-zero if any
# target crashed; crash inputs are kept in build/fuzz/artifacts/<target>/,
# logs in build/fuzz/logs/.
#
#   tests/fuzz/run.sh            # 60 s per target
#   tests/fuzz/run.sh 600        # 10 min per target
#   FUZZ_TARGETS="policy" tests/fuzz/run.sh 30   # some targets only
#   FUZZ_NO_BUILD=1 ...                          # skip the build step
#   FUZZ_TIMEOUT=20 ...   # per-input limit in wall-clock seconds (default
#                         # 120: the targets run under nice, and on a busy
#                         # machine a 0.1 s input can wait 20 s for a core)
set -uo pipefail
SECS="${1:-60}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$REPO/build/fuzz"
TARGETS=(${FUZZ_TARGETS:-candidates events policy profile})

if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  if [ ! -f "$BUILD/build.ninja" ]; then
    CXX=clang++ cmake -S "$REPO/tests/fuzz" -B "$BUILD" -G Ninja >/dev/null || exit 1
  fi
  nice cmake --build "$BUILD" -j"${FUZZ_BUILD_JOBS:-2}" || exit 1
fi

status=0
rows=()
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/corpus/$t"          # working corpus (grows; not committed)
  art="$BUILD/artifacts/$t"
  mkdir -p "$corpus" "$art"
  mkdir -p "$BUILD/logs"
  log="$BUILD/logs/$t-$(date +%Y%m%d-%H%M%S).log"
  stamp="$BUILD/.start-$t"; touch "$stamp"
  extra=()
  [ -f "$REPO/tests/fuzz/$t.dict" ] && extra+=("-dict=$REPO/tests/fuzz/$t.dict")
  echo "=== fuzz_$t for ${SECS}s"
  nice "$BUILD/fuzz_$t" "$corpus" "$REPO/tests/fuzz/corpus/$t" \
    -max_total_time="$SECS" -timeout="${FUZZ_TIMEOUT:-120}" -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$art/" "${extra[@]}" \
    >"$log" 2>&1
  rc=$?
  execs=$(grep -E "^stat::number_of_executed_units:" "$log" | tail -1 | awk '{print $2}')
  crashes=$(find "$art" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  cov=$(grep -oE "cov: [0-9]+" "$log" | tail -1 | awk '{print $2}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$SECS" "${execs:-0}" "$crashes" "$rc" >> "$BUILD/summary.tsv"
  rows+=("$(printf '%-12s %14s %8s %8s %4s' "$t" "${execs:-?}" "${cov:-?}" "$crashes" "$rc")")
  if [ "$rc" != 0 ]; then
    status=1
    grep -E "ERROR|FUZZ_CHECK|SUMMARY|Test unit written" "$log" | head -10
  fi
done
echo
printf '%-12s %14s %8s %8s %4s\n' target executions cov crashes rc
printf '%s\n' "${rows[@]}"
exit $status
