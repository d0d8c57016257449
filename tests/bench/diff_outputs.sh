#!/usr/bin/env bash
# Differential check of the core: builds the core of OLD_REV (a git
# worktree) and of the working tree, links this tree's bench_native.cpp
# against each, runs `reelrank_bench --dump_outputs` (a scripted session of
# Rank, Rank(prepared), Explain, Observe, Next and export in 4 configs; floats
# as exact bits) and compares the two dumps byte for byte. For changes that
# must not change any output (speed work on the rank path).
#
#   tests/bench/diff_outputs.sh OLD_REV
#
# OLD_REV must have the core API the current bench uses (88a410e or later).
# NATIVE_DIR (default build/native-release) is the working tree's build.
# Exits 0 when the outputs are identical, 1 when they differ (prints the
# first differing line), 2 on a build error.
set -euo pipefail
if [ $# -ne 1 ]; then
  sed -n '2,15p' "$0"
  exit 2
fi
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NATIVE_DIR="${NATIVE_DIR:-$REPO/build/native-release}"
tmp="$(mktemp -d)"
cleanup() {
  git -C "$REPO" worktree remove --force "$tmp/old" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
git -C "$REPO" worktree add -q --detach "$tmp/old" "$1"

# dump <core source dir> <core library> <binary>
dump() {
  g++ -O2 -std=c++17 -I"$1/core/include" -I"$REPO/tests/bench" \
    -I/usr/include/eigen3 "$REPO/tests/bench/bench_native.cpp" "$2" \
    -lbenchmark -lpthread -o "$3" || exit 2
  "$3" --dump_outputs="$3.txt" || exit 2
}
echo "building the core of $1 ..."
cmake -S "$tmp/old" -B "$tmp/old-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DREELRANK_BUILD_TESTS=OFF -DREELRANK_BUILD_EVAL=OFF \
  -DREELRANK_BUILD_BENCH=OFF >/dev/null || exit 2
cmake --build "$tmp/old-build" --target reelrank_core -j2 >/dev/null || exit 2
echo "building the core of the working tree ..."
if [ ! -f "$NATIVE_DIR/build.ninja" ]; then
  cmake --preset native-release >/dev/null || exit 2
fi
cmake --build "$NATIVE_DIR" --target reelrank_core -j2 >/dev/null || exit 2
dump "$tmp/old" "$tmp/old-build/libreelrank_core.a" "$tmp/old-dump"
dump "$REPO" "$NATIVE_DIR/libreelrank_core.a" "$tmp/new-dump"
lines=$(wc -l <"$tmp/new-dump.txt")
if cmp -s "$tmp/old-dump.txt" "$tmp/new-dump.txt"; then
  echo "IDENTICAL: $lines lines of outputs"
  exit 0
fi
echo "DIFFERENT outputs; first difference:"
cmp "$tmp/old-dump.txt" "$tmp/new-dump.txt" | head -1
diff <(cut -c1-200 "$tmp/old-dump.txt") <(cut -c1-200 "$tmp/new-dump.txt") | head -6
exit 1
