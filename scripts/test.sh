#!/usr/bin/env bash
# Sets up, builds and runs every test: the suite (unit + end-to-end) in a
# normal build, then again under AddressSanitizer + UndefinedBehaviorSanitizer,
# then each fuzz target for a bounded time. Exits non-zero on any failure or
# sanitizer report. SKIP_ASAN=1 / SKIP_FUZZ=1 skip those stages locally.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/setup.sh"

if [ "$(id -u)" -ne 0 ]; then
    echo "test: not root: tests that need root will be reported as skipped" >&2
fi

jobs=$(nproc)
section() { printf '\n==== %s ====\n' "$*"; }

section "build (RelWithDebInfo) in build/"
BUILD_DIR="$root/build" "$root/scripts/build.sh"
section "tests"
ctest --test-dir "$root/build" --output-on-failure --timeout 600 -j"$jobs"

if [ "${SKIP_ASAN:-0}" != 1 ]; then
    section "build with ASan+UBSan in build-asan/"
    BUILD_DIR="$root/build-asan" BUILD_TYPE=Debug "$root/scripts/build.sh" -DCAPPROF_SANITIZE=ON
    section "tests under ASan+UBSan"
    # halt_on_error: any sanitizer report fails the test that triggered it.
    # Reports also go to files: a sanitizer exits 1, which a test expecting
    # the workload's status 1 could mistake for success, so any report file
    # fails this stage on its own.
    reports="$root/build-asan/sanitizer-reports"
    rm -rf "$reports"; mkdir -p "$reports"
    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:log_path=$reports/asan \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan \
        ctest --test-dir "$root/build-asan" --output-on-failure --timeout 900 -j"$jobs"
    if [ -n "$(ls -A "$reports")" ]; then
        echo "test: sanitizer reports:" >&2
        cat "$reports"/* >&2
        exit 1
    fi
fi

if [ "${SKIP_FUZZ:-0}" != 1 ] && [ -x "$root/scripts/fuzz.sh" ]; then
    section "fuzzing (bounded)"
    "$root/scripts/fuzz.sh"
fi
echo "test: all stages passed"
