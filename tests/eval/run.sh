#!/usr/bin/env bash
# Offline evaluation of reelrank on KuaiRand-1K (random exposure).
#
#   tests/eval/run.sh [--log F] [--videos F] [--prior-log F] [--seed N]
#                     [--config JSON|@FILE] [--no-pack] [--json OUT] [--quiet]
#                     [--jobs N] [--outer-fold O --part outer|inner]
#                     [--grid FILE --objective NAME]
#                     [--export-views OUT.jsonl] [--trace OUT.json]
#
# Builds the native evaluator (Release, build/eval) when needed, then runs it
# (every option but the data files is passed to reelrank_eval; see
# tests/eval/README.md). Defaults read ../shared/data/kuairand/ beside the
# repository. A missing data file exits with code 2.
# Data: Gao et al., "KuaiRand: An Unbiased Sequential Recommendation Dataset
# with Randomly Exposed Videos", CIKM 2022, CC BY-SA 4.0.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${REELRANK_EVAL_BUILD_DIR:-$ROOT/build/eval}"
DATA="$(cd "$ROOT/.." && pwd)/shared/data/kuairand"
LOG="$DATA/log_dev.csv"
VIDEOS="$DATA/video_features_basic_pure.csv"
PRIOR_LOG=""
PASS=()

need_value() {
  if [[ $# -lt 2 || -z "$2" ]]; then
    echo "run.sh: $1 needs a value" >&2
    exit 2
  fi
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --log) need_value "$@"; LOG="$2"; shift 2 ;;
    --videos) need_value "$@"; VIDEOS="$2"; shift 2 ;;
    --prior-log) need_value "$@"; PRIOR_LOG="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --no-pack|--quiet) PASS+=("$1"); shift ;;
    --*) need_value "$@"; PASS+=("$1" "$2"); shift 2 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

for f in "$LOG" "$VIDEOS" ${PRIOR_LOG:+"$PRIOR_LOG"}; do
  if [[ ! -r "$f" ]]; then
    echo "run.sh: data file not found: $f" >&2
    echo "  The KuaiRand-1K files are read from ../shared/data/kuairand/ beside the" >&2
    echo "  repository (see ../shared/data/README.md), or pass --log/--videos." >&2
    exit 2
  fi
done

# Build (or refresh) the evaluator quietly; show the log only on failure.
mkdir -p "$(dirname "$BUILD")"
if [[ ! -f "$BUILD/build.ninja" && ! -f "$BUILD/Makefile" ]]; then
  GEN=()
  command -v ninja >/dev/null 2>&1 && GEN=(-G Ninja)
  if ! cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DREELRANK_BUILD_BENCH=OFF >"$BUILD.configure.log" 2>&1; then
    cat "$BUILD.configure.log" >&2
    echo "run.sh: cmake configure failed" >&2
    exit 1
  fi
fi
if ! cmake --build "$BUILD" --target reelrank_eval -j2 >"$BUILD.build.log" 2>&1; then
  tail -n 60 "$BUILD.build.log" >&2
  echo "run.sh: build of reelrank_eval failed" >&2
  exit 1
fi

ARGS=(--log "$LOG" --videos "$VIDEOS")
[[ -n "$PRIOR_LOG" ]] && ARGS+=(--prior-log "$PRIOR_LOG")
exec "$BUILD/tests/eval/reelrank_eval" "${ARGS[@]}" ${PASS[@]+"${PASS[@]}"}
