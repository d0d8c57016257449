#!/usr/bin/env bash
# Builds the soak program (Release, own build dir build/soak) and runs it:
# 1,000,000 events through one ranker by default. Prints one row per 10%
# and a first-vs-last table; exits non-zero when a cap is exceeded or the
# last 10% is not flat against the first.
#
#   tests/soak/run.sh                # 1,000,000 events
#   tests/soak/run.sh --events 200000
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="$REPO/build/soak"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DREELRANK_BUILD_TESTS=OFF -DREELRANK_BUILD_EVAL=OFF -DREELRANK_BUILD_BENCH=OFF >/dev/null || exit 1
fi
nice cmake --build "$BUILD" -j2 --target reelrank_soak || exit 1
start=$(date +%s)
"$BUILD/tests/soak/reelrank_soak" "$@"
rc=$?
echo "soak: $(( $(date +%s) - start )) s"
exit $rc
