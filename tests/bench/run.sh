#!/usr/bin/env bash
# Runs every reelrank benchmark and prints one table:
#   native (Google Benchmark, native-release), wasm under node and in headless
#   Chromium (through web/index.js), the pure-JS and TF.js peers, sizes,
#   startup, profile bytes after 1e3..1e6 events, peak memory.
#
#   tests/bench/run.sh [--json OUT] [--md OUT] [--quick] [--no-build]
#
# Builds the reelrank_bench target in build/native-release and the wasm
# module in build/wasm-release (configuring either if missing); the wasm build
# copies the module into web/dist, which is what is measured.
# NATIVE_DIR / WASM_DIR override the two build directories.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

JSON_OUT=""
MD_OUT=""
QUICK=""
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --json) JSON_OUT="$(realpath -m "$2")"; shift 2 ;;
    --md) MD_OUT="$(realpath -m "$2")"; shift 2 ;;
    --quick) QUICK="--quick"; shift ;;
    --no-build) BUILD=0; shift ;;
    *) echo "usage: $0 [--json OUT] [--md OUT] [--quick] [--no-build]" >&2; exit 2 ;;
  esac
done

# On a shared machine the measured processes run at a higher priority when
# possible (BENCH_NICE=0 turns this off); the table records the load.
NICE=()
if [ "${BENCH_NICE:-1}" = 1 ] && [ "$(id -u)" = 0 ]; then NICE=(nice -n -5); fi

OUT="$REPO/build/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
started=$(date +%s)
log() { echo "[bench $(($(date +%s) - started))s] $*" >&2; }

NATIVE_DIR="${NATIVE_DIR:-build/native-release}"
WASM_DIR="${WASM_DIR:-build/wasm-release}"
if [ "$BUILD" = 1 ]; then
  if [ ! -f "$NATIVE_DIR/CMakeCache.txt" ]; then cmake --preset native-release -B "$NATIVE_DIR" >&2; fi
  log "building reelrank_bench ($NATIVE_DIR)"
  cmake --build "$NATIVE_DIR" --target reelrank_bench -j2 >&2
  if [ ! -f "$WASM_DIR/CMakeCache.txt" ]; then cmake --preset wasm-release -B "$WASM_DIR" >&2; fi
  log "building the wasm module ($WASM_DIR -> web/dist)"
  cmake --build "$WASM_DIR" --target reelrank_wasm -j2 >&2
  # The bench-only module (core + wasm/marshal.cpp, candidates kept between
  # rank calls): tests/bench/CMakeLists.txt configured on its own.
  if [ ! -f build/bench-module/CMakeCache.txt ]; then
    cmake -S tests/bench -B build/bench-module -G Ninja \
      -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake \
      -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >&2
  fi
  log "building the bench-only wasm module (build/bench-module)"
  cmake --build build/bench-module -j2 >&2 || log "bench module build failed: its rows stay empty"
fi
BENCH_BIN="$NATIVE_DIR/tests/bench/reelrank_bench"

cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
cat > "$OUT/meta.json" <<JSON
{ "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "cpu": "$cpu", "cores": $(nproc),
  "load": "$(cut -d' ' -f1-3 /proc/loadavg)", "command": "tests/bench/run.sh $QUICK",
  "web_dist": "$REPO/web/dist" }
JSON

MIN_TIME=0.5
[ -n "$QUICK" ] && MIN_TIME=0.1
log "native benchmarks"
"${NICE[@]}" "$BENCH_BIN" --benchmark_min_time=$MIN_TIME \
  --benchmark_format=console --benchmark_out_format=json --benchmark_out="$OUT/native.json" >&2
log "native profile sizes (1e3..1e6 events)"
if [ -n "$QUICK" ]; then SIZES="--profile_sizes=100000"; else SIZES="--profile_sizes"; fi
"${NICE[@]}" "$BENCH_BIN" $SIZES > "$OUT/profile_sizes.jsonl"
# Native rank(1,000) again after each wasm part: the VM's speed drifts by up
# to 1.5x between minutes, so the table's native rank figures (the
# denominators of wasm / native) are the median of the three runs.
native_rank_again() {
  log "native rank(1,000) again ($1)"
  "${NICE[@]}" "$BENCH_BIN" --benchmark_filter='^BM_Rank(Prepared)?/n:1000/' --benchmark_min_time=$MIN_TIME \
    --benchmark_format=console --benchmark_out_format=json --benchmark_out="$OUT/native_rank_$1.json" >&2
}
log "wasm under node"
"${NICE[@]}" node --no-liftoff tests/bench/bench_wasm_node.mjs $QUICK --out "$OUT/node.json"
native_rank_again after_node
log "wasm in headless Chromium"
"${NICE[@]}" node tests/bench/bench_chromium.mjs $QUICK --out "$OUT/chromium.json"
native_rank_again after_chromium

# Load at the end, for the record (the machine is shared).
node -e '
const f = process.argv[1]; const m = JSON.parse(require("fs").readFileSync(f, "utf8"));
m.load_end = require("fs").readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
require("fs").writeFileSync(f, JSON.stringify(m));' "$OUT/meta.json"
log "done in $(($(date +%s) - started)) s; raw outputs in $OUT"
args=(--dir "$OUT" --md "$OUT/table.md" --json "$OUT/results.json")
node tests/bench/aggregate.mjs "${args[@]}"
if [ -n "$JSON_OUT" ]; then cp "$OUT/results.json" "$JSON_OUT"; fi
if [ -n "$MD_OUT" ]; then cp "$OUT/table.md" "$MD_OUT"; fi
