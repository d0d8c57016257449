#!/usr/bin/env bash
# The one test command: installs what is missing, builds native and wasm,
# runs the GoogleTest suite (ctest), the node tests and the Playwright specs
# in headless Chromium. Exits non-zero if anything fails and ends with one
# line "N passed, N failed" summing all runners.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
cd "$REPO"

LOGS="$REPO/build/test-logs"
mkdir -p "$LOGS"
PASSED=0
FAILED=0
BROKEN=()  # steps that failed without a count (setup, build)

step() { echo; echo "=== $* ($(date +%H:%M:%S))"; }
count() {  # count <passed> <failed> <runner>
  PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2))
  echo "--- $3: $1 passed, $2 failed"
}
started=$(date +%s)

step "setup"
reelrank_setup || BROKEN+=("setup")

step "build native (native-release)"
reelrank_build native-release || BROKEN+=("native build")

step "build wasm (wasm-release)"
reelrank_build wasm-release || BROKEN+=("wasm build")

ctest_run() {  # ctest_run <preset> <label>
  local log="$LOGS/ctest-$1.log"
  ctest --preset "$1" -j2 2>&1 | tee "$log" | grep -vE "^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed" || true
  local line total failed
  line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -1)
  if [ -z "$line" ]; then
    BROKEN+=("$2 (no result)"); return
  fi
  failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
  total=$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
  count $((total - failed)) "$failed" "$2"
}

step "GoogleTest (ctest, native-release)"
ctest_run native-release "GoogleTest"

# Optional extra native configurations added by later work (e.g. sanitizers).
if [ -f "$REPO/tests/lib/extra-native.sh" ]; then
  source "$REPO/tests/lib/extra-native.sh"
fi

step "node tests"
node_log="$LOGS/node.log"
mapfile -t node_tests < <(find tests/node web -name '*.test.mjs' -not -path '*/node_modules/*' | sort)
if [ ${#node_tests[@]} -gt 0 ]; then
  node --test --test-reporter=tap "${node_tests[@]}" > "$node_log" 2>&1
  grep -E "^(not ok|# (tests|pass|fail))" "$node_log" || true
  np=$(grep -E "^# pass " "$node_log" | tail -1 | awk '{print $3}')
  nf=$(grep -E "^# fail " "$node_log" | tail -1 | awk '{print $3}')
  if [ -z "$np" ]; then BROKEN+=("node tests (no result)"); tail -30 "$node_log"; else count "$np" "$nf" "node"; fi
  [ "${nf:-0}" = 0 ] || grep -A25 "^not ok" "$node_log" | head -80
fi

step "type check (tsc)"
if [ -f "$REPO/tests/types/tsconfig.json" ]; then
  if npx --no-install tsc -p tests/types/tsconfig.json; then count 1 0 "tsc"; else count 0 1 "tsc"; fi
fi

step "Playwright (headless Chromium)"
rm -f test-results/playwright.json
CI=${CI:-} npx --no-install playwright test 2>&1 | tee "$LOGS/playwright.log" | grep -vE "^\s+✓" || true
if [ -f test-results/playwright.json ]; then
  read -r pp pf < <(node -e '
    const s = require(process.argv[1]).stats;
    console.log(s.expected + s.flaky, s.unexpected);' "$REPO/test-results/playwright.json")
  count "$pp" "$pf" "Playwright"
else
  BROKEN+=("Playwright (no result)")
fi

echo
echo "=== done in $(( $(date +%s) - started )) s"
if [ ${#BROKEN[@]} -gt 0 ]; then
  echo "broken steps: ${BROKEN[*]}"
  FAILED=$((FAILED + ${#BROKEN[@]}))
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
