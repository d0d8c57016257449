# Sourced by tests/run.sh after the release GoogleTest run: builds the
# native-asan preset (AddressSanitizer + UndefinedBehaviorSanitizer, g++) and
# runs the whole ctest suite under it. Any sanitizer report fails the test
# that triggered it (UBSan is built with -fno-sanitize-recover, ASan aborts,
# LeakSanitizer fails the process at exit). Uses step/ctest_run/BROKEN from
# tests/run.sh and reelrank_build from tests/lib/setup.sh.
#
# Heavy tests may read REELRANK_SANITIZER=1 to run a smaller count (the
# sanitizers slow the core down 3-10x).

asan_started=$(date +%s)
step "build native-asan (ASan + UBSan)"
if reelrank_build native-asan; then
  asan_built=$(date +%s)
  step "GoogleTest (ctest, native-asan)"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  export REELRANK_SANITIZER=1
  ctest_run native-asan "GoogleTest (ASan+UBSan)"
  unset REELRANK_SANITIZER
  echo "native-asan: build $((asan_built - asan_started)) s, tests $(( $(date +%s) - asan_built )) s"
else
  BROKEN+=("native-asan build")
fi
